// Times the revocation list in wasm for bench-revocation.
// usage: node revocation.js PKG_DIR DIR   (DIR holds list.cose, root.bin, queries.bin)
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const [pkgDir, dir] = process.argv.slice(2);
const wasm = require(path.resolve(pkgDir, 'yanzheng_bench_wasm.js'));
const list = fs.readFileSync(path.join(dir, 'list.cose'));
const root = fs.readFileSync(path.join(dir, 'root.bin'));
const queries = fs.readFileSync(path.join(dir, 'queries.bin'));

const loads = [];
let heap = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  heap = wasm.revocations_load(list, root);
  loads.push(performance.now() - t);
}
if (heap === 0) throw new Error('the list did not load in wasm');
const n = queries.length / 16;
let best = Infinity;
let hits = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  hits = wasm.revocations_check(queries);
  best = Math.min(best, ((performance.now() - t) * 1e6) / n);
}
loads.sort((a, b) => a - b);
console.log(`  load (signature, decode, digest): median ${loads[2].toFixed(0)} ms of 5`);
console.log(`  check: ${best.toFixed(1)} ns per card (best of 5 runs over ${n} lookups, ${hits} revoked; includes copying the queries in)`);
console.log(`  memory once loaded: ${(heap / 1048576).toFixed(2)} MiB of wasm linear memory for the ids`);
