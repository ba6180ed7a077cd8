import * as zlib from 'node:zlib';

/** CRC-32 (IEEE 802.3, reflected, as zlib), the checksum EVTX headers and record areas carry. */
const TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Table-driven fallback, for Node versions without `zlib.crc32` (added in 20.15). */
function crc32Js(buf: Uint8Array, start: number, end: number, previous: number): number {
  let c = ~previous >>> 0;
  for (let i = start; i < end; i++) c = (TABLE[(c ^ (buf[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Continue a CRC over `buf[start..end)`; pass the previous result to chain ranges. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, previous = 0): number {
  if (native) return native(buf.subarray(start, end), previous) >>> 0;
  return crc32Js(buf, start, end, previous);
}
