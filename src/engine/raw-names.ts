/** The key names the raw event reader (src/engine/raw-event.ts) meets, interned once: bytes → id, string → id. */

/** Most distinct key names kept; a line with more new names is parsed instead. */
const MAX_NAMES = 1 << 15;

/** FNV-1a, the names' hash: the reader computes it while it scans a key. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over buf[s, e), from h0. */
function hash(buf: Uint8Array, s: number, e: number, h0: number): number {
  let h = h0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return h;
}

/** Interned key names: bytes → id, string → id. */
export class Names {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  // Every name's bytes, one after the other: name id's at pool[at[id], at[id] + len[id]).
  private pool = new Uint8Array(1 << 14);
  private poolLen = 0;
  private at = new Int32Array(1024);
  len = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  /** 1 when the name holds a space. */
  spaced = new Uint8Array(1024);
  // Open addressing: id + 1 per slot, 0 when empty.
  private slots = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;

  /** Id of the name spelled by buf[s, e) (plus `_` and buf[s2, e2) when s2 ≥ 0); -1 when full. */
  idOf(buf: Uint8Array, s: number, e: number, s2 = -1, e2 = -1): number {
    if (s2 < 0) return this.find(hash(buf, s, e, FNV_OFFSET), buf, s, e);
    const text =
      Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1') +
      '_' +
      Buffer.from(buf.buffer, buf.byteOffset + s2, e2 - s2).toString('latin1');
    return this.idOfName(text);
  }

  /** Id of the name spelled by buf[s, e), whose hash is h; -1 when full. */
  find(h: number, buf: Uint8Array, s: number, e: number): number {
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) break;
      if (this.hashes[id] === h && this.len[id] === e - s && this.matches(id, buf, s)) return id;
    }
    return this.add(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1'), h);
  }

  /** Whether buf[s, s + len[id]) spells name id. */
  matches(id: number, buf: Uint8Array, s: number): boolean {
    const pool = this.pool;
    const a = this.at[id]!;
    const n = this.len[id]!;
    for (let k = 0; k < n; k++) if (pool[a + k] !== buf[s + k]) return false;
    return true;
  }

  /** Id of an ASCII name given as a string (interned on first use); -1 when full or not ASCII. */
  idOfName(name: string): number {
    const id = this.ids.get(name);
    if (id !== undefined) return id;
    // The reader declines lines with non-ASCII keys, so such a name never has a value.
    if (/[^\x00-\x7f]/.test(name)) return -1;
    const b = Buffer.from(name, 'latin1');
    return this.find(hash(b, 0, b.length, FNV_OFFSET), b, 0, b.length);
  }

  private add(text: string, h: number): number {
    if (this.names.length >= MAX_NAMES) return -1;
    const id = this.names.length;
    if (id === this.at.length) {
      const n = id * 2;
      this.at = copy(this.at, new Int32Array(n));
      this.len = copy(this.len, new Int32Array(n));
      this.hashes = copy(this.hashes, new Int32Array(n));
      this.spaced = copy(this.spaced, new Uint8Array(n));
    }
    while (this.poolLen + text.length > this.pool.length)
      this.pool = copy(this.pool, new Uint8Array(this.pool.length * 2));
    this.names.push(text);
    this.pool.set(Buffer.from(text, 'latin1'), this.poolLen);
    this.at[id] = this.poolLen;
    this.len[id] = text.length;
    this.poolLen += text.length;
    this.hashes[id] = h;
    this.spaced[id] = text.includes(' ') ? 1 : 0;
    if (!this.ids.has(text)) this.ids.set(text, id);
    if (this.names.length * 2 > this.slots.length) this.grow();
    else this.place(id, h);
    return id;
  }

  private place(id: number, h: number): void {
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask)
      if (this.slots[slot] === 0) {
        this.slots[slot] = id + 1;
        return;
      }
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.names.length; id++) this.place(id, this.hashes[id]!);
  }
}

function copy<T extends Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(from: T, to: T): T {
  to.set(from);
  return to;
}
