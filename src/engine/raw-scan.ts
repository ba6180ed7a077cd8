/**
 * The JSON tokens under the raw event reader (src/engine/raw-event.ts): whitespace, strings, numbers,
 * literals, and any value checked and skipped, over bytes buf[…, end), exactly as JSON's grammar has them.
 */

import { INDEX_AT, INDEX_LINE_AT, INDEX_LINE_BYTES, indexInstance } from './raw-scan-wasm.js';

/** Byte classes inside a string: 0 ordinary, 1 `"`, 2 `\`, 3 control (invalid raw), 4 non-ASCII. */
const STRING_CLASS = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) STRING_CLASS[b] = 3;
for (let b = 0x80; b < 0x100; b++) STRING_CLASS[b] = 4;
STRING_CLASS[0x22] = 1;
STRING_CLASS[0x5c] = 2;

/** A JSON scanner over one line's bytes; the reader extends it. */
export class JsonScanner {
  protected buf: Buffer = Buffer.alloc(0);
  protected end = 0;
  // Set by string(): the last string had an escape / a non-ASCII byte.
  protected escaped = false;
  protected wide = false;
  // The line's stop bytes (`"`, `\`, control, non-ASCII) as offsets from `base`, INDEX_END after the last
  // (src/engine/raw-scan-wasm.ts), when `indexed`; `cursor`: the first not yet passed.
  private readonly indexer: ReturnType<typeof indexInstance>;
  private readonly stops: Int32Array;
  private readonly mem: Uint8Array | undefined;
  private indexed = false;
  private base = 0;
  private cursor = 0;

  /** `useIndex: false` scans strings byte by byte (the tests run both ways). */
  constructor(useIndex = true) {
    this.indexer = useIndex ? indexInstance() : undefined;
    this.stops = this.indexer
      ? new Int32Array(this.indexer.buffer, INDEX_AT, INDEX_LINE_BYTES + 1)
      : new Int32Array(1);
    this.mem = this.indexer && new Uint8Array(this.indexer.buffer);
  }

  /** Scan buf[start, end) next: its stop bytes are indexed at once where WebAssembly allows. */
  protected begin(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.end = end;
    this.indexed = this.indexer !== undefined && end - start <= INDEX_LINE_BYTES;
    if (!this.indexed) return;
    this.mem!.set(buf.subarray(start, end), INDEX_LINE_AT);
    this.indexer!.index(INDEX_LINE_AT, INDEX_LINE_AT + end - start);
    this.base = start;
    this.cursor = 0;
  }

  protected ws(i: number): number {
    const buf = this.buf;
    const end = this.end;
    for (; i < end; i++) {
      const b = buf[i];
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return i;
    }
    return i;
  }

  /** Index after the string token starting at buf[i] (`"`), or -1. Sets `escaped` and `wide`. */
  protected string(i: number): number {
    if (!this.indexed) return this.stringBytes(i);
    const stops = this.stops;
    const buf = this.buf;
    const base = this.base;
    const rel = i - base;
    let c = this.cursor;
    // Strings are scanned left to right; should one start before the cursor, look again from the start.
    if (c > 0 && stops[c - 1]! > rel) c = 0;
    while (stops[c]! <= rel) c++;
    let escaped = false;
    let wide = false;
    for (;;) {
      const p = stops[c]! + base;
      if (p >= this.end) return -1;
      const b = buf[p]!;
      if (b === 0x22) {
        this.cursor = c + 1;
        this.escaped = escaped;
        this.wide = wide;
        return p + 1;
      }
      if (b === 0x5c) {
        escaped = true;
        const next = this.escapeEnd(p);
        if (next < 0) return -1;
        // The escaped `"` or `\` is a stop byte too: step over it.
        while (stops[c]! + base < next) c++;
      } else if (b >= 0x80) {
        wide = true;
        c++;
      } else return -1;
    }
  }

  /** Index after the escape whose backslash is at buf[i], or -1 when JSON has no such escape. */
  private escapeEnd(i: number): number {
    const buf = this.buf;
    const e = buf[i + 1];
    if (e === 0x75) {
      for (let k = 2; k <= 5; k++) {
        const h = buf[i + k]!;
        if (!((h >= 0x30 && h <= 0x39) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46))) return -1;
      }
      return i + 6 > this.end ? -1 : i + 6;
    }
    if (
      e === 0x22 ||
      e === 0x5c ||
      e === 0x2f ||
      e === 0x62 ||
      e === 0x66 ||
      e === 0x6e ||
      e === 0x72 ||
      e === 0x74
    )
      return i + 2 > this.end ? -1 : i + 2;
    return -1;
  }

  /** string() byte by byte (lines the index does not cover). */
  private stringBytes(i: number): number {
    const buf = this.buf;
    const end = this.end;
    let escaped = false;
    let wide = false;
    for (i++; i < end; i++) {
      const c = STRING_CLASS[buf[i]!]!;
      if (c === 0) continue;
      if (c === 1) {
        this.escaped = escaped;
        this.wide = wide;
        return i + 1;
      }
      if (c === 4) wide = true;
      else if (c === 3) return -1;
      else {
        escaped = true;
        const next = this.escapeEnd(i);
        if (next < 0) return -1;
        i = next - 1;
      }
    }
    return -1;
  }

  /** Index after the number token at buf[i], or -1 (JSON's grammar exactly). */
  protected number(i: number): number {
    const buf = this.buf;
    if (buf[i] === 0x2d) i++;
    const digit = (k: number): boolean => buf[k]! >= 0x30 && buf[k]! <= 0x39;
    if (buf[i] === 0x30) i++;
    else if (digit(i)) while (digit(i)) i++;
    else return -1;
    if (buf[i] === 0x2e) {
      i++;
      if (!digit(i)) return -1;
      while (digit(i)) i++;
    }
    if (buf[i] === 0x65 || buf[i] === 0x45) {
      i++;
      if (buf[i] === 0x2b || buf[i] === 0x2d) i++;
      if (!digit(i)) return -1;
      while (digit(i)) i++;
    }
    return i > this.end ? -1 : i;
  }

  protected literal(i: number, word: string): number {
    for (let k = 0; k < word.length; k++) if (this.buf[i + k] !== word.charCodeAt(k)) return -1;
    return i + word.length > this.end ? -1 : i + word.length;
  }

  /** Any value at buf[i], checked and skipped; index after it or -1. */
  protected skip(i: number, depth: number): number {
    const buf = this.buf;
    const b = buf[i];
    if (b === 0x22) return this.string(i);
    if (b === 0x74) return this.literal(i, 'true');
    if (b === 0x66) return this.literal(i, 'false');
    if (b === 0x6e) return this.literal(i, 'null');
    if (b !== 0x7b && b !== 0x5b) return this.number(i);
    if (depth > 64) return -1;
    const close = b === 0x7b ? 0x7d : 0x5d;
    i = this.ws(i + 1);
    if (buf[i] === close) return i + 1;
    for (;;) {
      if (b === 0x7b) {
        if (buf[i] !== 0x22) return -1;
        i = this.string(i);
        if (i < 0) return -1;
        i = this.ws(i);
        if (buf[i] !== 0x3a) return -1;
        i = this.ws(i + 1);
      }
      i = this.skip(i, depth + 1);
      if (i < 0) return -1;
      i = this.ws(i);
      if (buf[i] === 0x2c) i = this.ws(i + 1);
      else if (buf[i] === close) return i + 1;
      else return -1;
    }
  }
}
