/** The key names the raw event reader (src/engine/raw-event.ts) meets, interned once: bytes → id, string → id. */

/** Most distinct key names kept; a line with more new names is parsed instead. */
const MAX_NAMES = 1 << 15;

/** Interned key names: bytes → id, string → id. */
export class Names {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  private bytes: Uint8Array[] = [];
  private slots = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;

  private static hash(buf: Uint8Array, s: number, e: number, h0: number): number {
    let h = h0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    return h;
  }

  /** Id of the name spelled by buf[s, e) (plus `_` and buf[s2, e2) when s2 ≥ 0); -1 when full. */
  idOf(buf: Uint8Array, s: number, e: number, s2 = -1, e2 = -1): number {
    let h = Names.hash(buf, s, e, 0x811c9dc5);
    const len = s2 < 0 ? e - s : e - s + 1 + e2 - s2;
    if (s2 >= 0) h = Names.hash(buf, s2, e2, Math.imul(h ^ 0x5f, 0x01000193));
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) break;
      if (this.equals(id, len, buf, s, e, s2, e2)) return id;
    }
    const text =
      s2 < 0
        ? Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1')
        : Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1') +
          '_' +
          Buffer.from(buf.buffer, buf.byteOffset + s2, e2 - s2).toString('latin1');
    return this.add(text, h);
  }

  private equals(
    id: number,
    len: number,
    buf: Uint8Array,
    s: number,
    e: number,
    s2: number,
    e2: number,
  ): boolean {
    const b = this.bytes[id]!;
    if (b.length !== len) return false;
    let k = 0;
    for (let i = s; i < e; i++) if (b[k++] !== buf[i]) return false;
    if (s2 < 0) return true;
    if (b[k++] !== 0x5f) return false;
    for (let i = s2; i < e2; i++) if (b[k++] !== buf[i]) return false;
    return true;
  }

  /** Id of an ASCII name given as a string (interned on first use); -1 when full or not ASCII. */
  idOfName(name: string): number {
    const id = this.ids.get(name);
    if (id !== undefined) return id;
    // The reader declines lines with non-ASCII keys, so such a name never has a value.
    if (/[^\x00-\x7f]/.test(name)) return -1;
    const b = Buffer.from(name, 'latin1');
    return this.idOf(b, 0, b.length);
  }

  private add(text: string, h: number): number {
    if (this.names.length >= MAX_NAMES) return -1;
    const id = this.names.length;
    this.names.push(text);
    this.bytes.push(Buffer.from(text, 'latin1'));
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
    this.bytes.forEach((b, id) => this.place(id, Names.hash(b, 0, b.length, 0x811c9dc5)));
  }
}
