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

/** Continue a CRC over `buf[start..end)`; pass the previous result to chain ranges. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = start; i < end; i++) c = (TABLE[(c ^ (buf[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}
