// The QR decoder, off the page's thread: loads the decoder's own wasm
// (src/decoder, built for speed; the page starts this worker when it is
// idle after its first screen, or at the first scan) and decodes one RGBA frame per message ({id, width, height,
// data: ArrayBuffer}), answering {id, outcome}. A decoder panic aborts this
// wasm instance; the worker then answers {id, crashed} and the page replaces
// it with a fresh one. No verification happens here.
import init, { decode_rgba } from './pkg/yanzheng_decoder.js';

const ready = init();

self.onmessage = async ({ data: m }) => {
  try {
    await ready;
  } catch (e) {
    self.postMessage({ id: m.id, crashed: `the decoder could not load: ${e}` });
    return;
  }
  try {
    self.postMessage({ id: m.id, outcome: decode_rgba(m.width, m.height, new Uint8Array(m.data)) });
  } catch (e) {
    self.postMessage({ id: m.id, crashed: String(e) });
  }
};
