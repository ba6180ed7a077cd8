/**
 * The JSON tokens under the raw event reader (src/engine/raw-event.ts): whitespace, strings, numbers,
 * literals, and any value checked and skipped, over bytes buf[…, end), exactly as JSON's grammar has them.
 */

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
        const e = buf[++i];
        if (e === 0x75) {
          for (let k = 1; k <= 4; k++) {
            const h = buf[i + k]!;
            if (!((h >= 0x30 && h <= 0x39) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46)))
              return -1;
          }
          i += 4;
        } else if (
          e !== 0x22 &&
          e !== 0x5c &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        )
          return -1;
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
