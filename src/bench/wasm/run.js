// Runs the wasm decoder over a luma corpus written by bench-decode.
// usage: node run.js PKG_DIR CORPUS MODE   (MODE: pipeline | rqrr)
// Prints one line per image: "<ms> <hex payload>,<hex payload>..." or "<ms> !"
// when the instance trapped (it is then reloaded). Timing covers the decode
// call only (including copying the luma into wasm memory).
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const [pkgDir, corpusPath, mode] = process.argv.slice(2);
const glue = path.resolve(pkgDir, 'yanzheng_bench_wasm.js');
function load() {
  delete require.cache[glue];
  return require(glue);
}
let wasm = load();
const call = (w, h, luma) =>
  mode === 'rqrr' ? wasm.decode_rqrr(w, h, luma) : wasm.decode(w, h, luma);

const buf = fs.readFileSync(corpusPath);
if (buf.toString('latin1', 0, 8) !== 'YZLUMA1\n') throw new Error('bad corpus');
const count = buf.readUInt32LE(8);
const images = [];
let off = 12;
for (let i = 0; i < count; i++) {
  const w = buf.readUInt32LE(off);
  const h = buf.readUInt32LE(off + 4);
  off += 8;
  images.push({ w, h, luma: new Uint8Array(buf.buffer, buf.byteOffset + off, w * h) });
  off += w * h;
}

// Warm up so tier-up compilation is not charged to the first images.
for (const im of images.slice(0, 8)) {
  try { call(im.w, im.h, im.luma); } catch (e) { wasm = load(); }
}

const lines = [];
for (const im of images) {
  let res = null;
  const t0 = performance.now();
  try {
    res = call(im.w, im.h, im.luma);
  } catch (e) {
    res = null;
  }
  const ms = performance.now() - t0;
  if (res === null) {
    wasm = load();
    lines.push(`${ms.toFixed(4)} !`);
    continue;
  }
  const hex = [];
  let p = 0;
  while (p + 4 <= res.length) {
    const n = res[p] | (res[p + 1] << 8) | (res[p + 2] << 16) | (res[p + 3] << 24);
    p += 4;
    hex.push(Buffer.from(res.subarray(p, p + n)).toString('hex'));
    p += n;
  }
  lines.push(`${ms.toFixed(4)} ${hex.join(',')}`);
}
process.stdout.write(lines.join('\n') + '\n');
