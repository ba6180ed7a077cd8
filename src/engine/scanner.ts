/**
 * The prefilter's multi-literal scanner (src/engine/prefilter.ts says what it is for and why it is sound).
 *
 * Every literal (case-folded ASCII, at least MIN_LITERAL bytes) is represented by one of its 4-byte grams,
 * the one the fewest other literals share. A scan slides a 4-byte window over the line, tests the window's
 * hash in a small bitset, and only on a bit hit looks the gram up and compares the literals that carry it.
 * The window's key is the 4 bytes as one little-endian word with bit 0x20 set in each (gramKey): no
 * case-folding lookup per byte, and no window depends on the one before. One unaligned load, one multiply
 * and one bit test per byte, in cache: several times faster than a table-driven
 * Aho–Corasick automaton over thousands of literals, whose tables are megabytes.
 *
 * The scan loop runs as WebAssembly (src/engine/scan-wasm.ts, assembled with src/engine/wasm.ts) over
 * tables laid out in the module's memory: the same loop in JavaScript costs about twice as much
 * (typed-array bounds checks on every byte). Where WebAssembly is unavailable (`--jitless`) or
 * a line is longer than the module's line buffer, the same loop runs in JavaScript over the same tables;
 * the tests run both and require the same hits.
 */
import type { Field, ScanFn } from './scan-wasm.js';
import {
  FIELDS,
  FILTER_BITS,
  FILTER_MUL,
  GRAM_CASE,
  HEADER,
  OCC_CAP,
  OCC_COUNT,
  TABLE_MUL,
  TABLES,
  WASM_LINE_BYTES,
  wasmInstance,
} from './scan-wasm.js';

export { OCC_CAP, WASM_LINE_BYTES };

/** Shortest literal the scanner looks for: shorter fragments (`"16"`, `.js`) occur in nearly every line. */
export const MIN_LITERAL = 4;
/**
 * Literals of two or three bytes (`atk`, `~1`) are looked for with native string search, and only in
 * candidate sets with few of them; elsewhere they count as present (a clause holding one never rejects).
 */
export const MIN_SHORT_LITERAL = 2;
const MAX_SHORT_SEARCHED = 24;

/** ASCII upper case → lower case; every other byte unchanged. */
const FOLD = new Uint8Array(256).map((_, b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b));

/**
 * The filter's key of the 4 bytes at `at`: little-endian (what a 32-bit WebAssembly load gives) with bit
 * 0x20 set in every byte. That bit is all ASCII case folding changes, so the key of a window of the line
 * equals the key of the folded window without a FOLD lookup per byte; the other byte pairs it merges
 * (`\\` and `|`, `[` and `{`, …) only cost a compare that fails.
 */
function gramKey(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24) | GRAM_CASE;
}

function filterHash(key: number): number {
  return Math.imul(key, FILTER_MUL) >>> (32 - FILTER_BITS);
}

/** The prefilter's literals, encoded once for every scanner built over them. */
export class LiteralTable {
  readonly encoded: readonly Uint8Array[];
  private gramAt: Int32Array | undefined;

  constructor(readonly literals: readonly string[]) {
    this.encoded = literals.map((l) => Buffer.from(l, 'latin1').map((b) => FOLD[b]!));
  }

  /**
   * Per literal (of at least MIN_LITERAL bytes), the offset of the gram that stands for it: the one the
   * fewest literals of the whole table share. Counted once for all scanners (per scanner, the counts cost
   * more than a first hunt over thousands of events and chose no better grams).
   */
  gramOffsets(): Int32Array {
    if (this.gramAt) return this.gramAt;
    const share = new Map<number, number>();
    const mine = new Set<number>();
    for (const b of this.encoded) {
      mine.clear();
      for (let k = 0; k + 4 <= b.length; k++) mine.add(gramKey(b, k));
      for (const g of mine) share.set(g, (share.get(g) ?? 0) + 1);
    }
    this.gramAt = Int32Array.from(this.encoded, (b) => {
      let best = 0;
      let bestShare = Infinity;
      for (let k = 0; k + 4 <= b.length; k++) {
        const n = share.get(gramKey(b, k))!;
        if (n < bestShare) {
          bestShare = n;
          best = k;
        }
      }
      return best;
    });
    return this.gramAt;
  }
}

/** A multi-literal scanner over some of a LiteralTable's literals (see the file's header). */
export class LiteralScanner {
  /** The distinct literal ids (global) seen in the last scanned line: hits[0 … hitCount). */
  readonly hits: Int32Array;
  hitCount = 0;
  /** Literal id (of the table) → 1 when this scanner looks for it (a miss then means absent). */
  readonly looked: Uint8Array;
  /** `looked` without the short literals searchShort() looks for (what a line scanned by scanLong() knows). */
  readonly lookedLong: Uint8Array;
  /** The last line's short literals are in its hits (or there are none to look for). */
  shortDone = true;
  stamp = 0;
  /**
   * Every occurrence of a literal in the last scanned line, in scan order: occLit[o] (global id) starts at
   * byte occPos[o] of the line (-1: somewhere; short literals are found by string search). Only the first
   * OCC_CAP are kept: when occCount is larger, the positions are incomplete.
   */
  readonly occLit: Int32Array;
  readonly occPos: Int32Array;
  occCount = 0;
  /** Short literals looked for by string search (global id, text). */
  private searched: (readonly [number, string])[] = [];
  /**
   * The searched literals as one case-insensitive regex, longest first; for each literal a match can
   * spell (lowercase), its id and the ids of the searched literals that are prefixes of it (a match at a
   * position reports only the longest alternative there).
   */
  private searchRe: RegExp | undefined;
  private searchIds = new Map<string, number[]>();
  /** Per searched literal (index in `searched`): the stamp of the last line it was reported for. */
  private searchStamp = new Int32Array(0);
  /** The short literals searchShort() looks for (global ids). */
  get shortIds(): number[] {
    return this.searched.map(([id]) => id);
  }
  /** Short literals taken as present in every line (not reported in `hits`: callers count them in advance). */
  readonly assumed: Int32Array = new Int32Array(0);
  /** Literals the loop looks for. */
  private readonly scanned: number;
  private readonly mem: Uint8Array;
  private readonly lineAt: number;
  private readonly wasm: ScanFn | undefined;
  // Views of the tables, for the JavaScript loop.
  private readonly bits: Int32Array;
  private readonly keys: Int32Array;
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  private readonly entLit: Int32Array;
  private readonly entOff: Int32Array;
  private readonly litStart: Int32Array;
  private readonly litBytes: Uint8Array;
  private readonly seen: Int32Array;
  private readonly global: Int32Array;
  private readonly shift: number;
  private readonly header: Int32Array;

  /**
   * `only`: build over just these literal ids (a candidate set's own literals: fewer false bit hits); ids
   * reported are the table's. `useWasm: false` keeps the JavaScript loop (the tests compare both).
   */
  constructor(lits: LiteralTable, only?: readonly number[], useWasm = true) {
    const { literals, encoded } = lits;
    const all = only ?? literals.map((_, i) => i);
    const ids = all.filter((i) => encoded[i]!.length >= MIN_LITERAL);
    const short = all.filter((i) => encoded[i]!.length < MIN_LITERAL);
    if (short.length <= MAX_SHORT_SEARCHED) this.searched = short.map((i) => [i, literals[i]!]);
    else this.assumed = Int32Array.from(short);
    this.looked = new Uint8Array(literals.length);
    for (const id of ids) this.looked[id] = 1;
    this.lookedLong = this.looked.slice();
    for (const [id] of this.searched) this.looked[id] = 1;
    if (this.searched.length > 0) {
      const texts = [...new Set(this.searched.map(([, t]) => t))].sort((a, b) => b.length - a.length);
      this.searchRe = new RegExp(texts.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gi');
      for (const t of texts)
        this.searchIds.set(
          t,
          this.searched.flatMap(([, u], k) => (t.startsWith(u) ? [k] : [])),
        );
      this.searchStamp = new Int32Array(this.searched.length);
    }
    this.scanned = ids.length;
    // Gram → [local literal, offset of the gram in it].
    const gramAt = lits.gramOffsets();
    const byGram = new Map<number, [number, number][]>();
    ids.forEach((id, local) => {
      const at = gramAt[id]!;
      const g = gramKey(encoded[id]!, at);
      const l = byGram.get(g);
      if (l) l.push([local, at]);
      else byGram.set(g, [[local, at]]);
    });
    let tableBits = 4;
    while (1 << tableBits < byGram.size * 2) tableBits++;
    const size = 1 << tableBits;
    const litLength = ids.reduce((n, id) => n + encoded[id]!.length, 0);

    // Lay the tables out.
    const words: Record<Field, number> = {
      bits: 1 << (FILTER_BITS - 5),
      keys: size,
      start: size,
      count: size,
      entLit: ids.length,
      entOff: ids.length,
      litStart: ids.length + 1,
      litBytes: Math.ceil(litLength / 4),
      seen: ids.length,
      hits: ids.length + this.searched.length,
      global: ids.length,
      occLit: OCC_CAP,
      occPos: OCC_CAP,
      mask: 0,
      shift: 0,
      occCap: 0,
      occCount: 0,
    };
    const offset = {} as Record<Field, number>;
    let at = TABLES;
    for (const f of FIELDS) {
      offset[f] = at;
      at += words[f] * 4;
    }
    this.lineAt = at;
    // The compare reads up to 3 bytes past a line's end.
    const wasm = useWasm ? wasmInstance(at + WASM_LINE_BYTES + 4) : undefined;
    this.wasm = wasm?.scan;
    const buffer = wasm?.buffer ?? new ArrayBuffer(at);
    this.mem = new Uint8Array(buffer);
    const view = (f: Field): Int32Array => new Int32Array(buffer, offset[f], words[f]);
    const header = new Int32Array(buffer, HEADER, FIELDS.length);
    FIELDS.forEach((f, j) => (header[j] = offset[f]));
    this.shift = 32 - tableBits;
    header[FIELDS.indexOf('mask')] = size - 1;
    header[FIELDS.indexOf('shift')] = this.shift;
    header[FIELDS.indexOf('occCap')] = OCC_CAP;
    this.header = header;

    this.bits = view('bits');
    this.keys = view('keys');
    this.start = view('start');
    this.count = view('count');
    this.entLit = view('entLit');
    this.entOff = view('entOff');
    this.litStart = view('litStart');
    this.litBytes = new Uint8Array(buffer, offset.litBytes, litLength);
    this.seen = view('seen');
    this.hits = view('hits');
    this.global = view('global');
    this.occLit = view('occLit');
    this.occPos = view('occPos');

    let bytes = 0;
    ids.forEach((id, local) => {
      this.global[local] = id;
      this.litStart[local] = bytes;
      this.litBytes.set(encoded[id]!, bytes);
      bytes += encoded[id]!.length;
    });
    this.litStart[ids.length] = bytes;
    let e = 0;
    for (const [g, list] of byGram) {
      const h = filterHash(g);
      this.bits[h >>> 5]! |= 1 << (h & 31);
      let slot = Math.imul(g, TABLE_MUL) >>> this.shift;
      while (this.keys[slot] !== 0) slot = (slot + 1) & (size - 1);
      this.keys[slot] = g;
      this.start[slot] = e;
      this.count[slot] = list.length;
      for (const [local, off] of list) {
        this.entLit[e] = local;
        this.entOff[e++] = off;
      }
    }
  }

  /** Scan bytes [start, end) of buf; the literals found are hits[0 … hitCount), under a fresh stamp. */
  scan(buf: Uint8Array, start: number, end: number, stamp = this.stamp + 1): void {
    this.scanLong(buf, start, end, stamp);
    this.searchShort(buf, start, end);
  }

  /**
   * scan() without the short literals (`shortDone` false until searchShort() adds them): the engine looks
   * for those only when a rule that could survive the line needs them.
   */
  scanLong(buf: Uint8Array, start: number, end: number, stamp = this.stamp + 1): void {
    this.stamp = stamp;
    let n = 0;
    let occ = 0;
    if (this.scanned > 0) {
      if (this.wasm && end - start <= WASM_LINE_BYTES) {
        this.mem.set(buf.subarray(start, end), this.lineAt);
        n = this.wasm(this.lineAt, this.lineAt + end - start, stamp);
        occ = this.header[OCC_COUNT]!;
      } else {
        n = this.scanJs(buf, start, end, stamp);
        occ = this.occCount;
      }
    }
    this.hitCount = n;
    this.occCount = occ;
    this.shortDone = this.searchRe === undefined;
  }

  /** Add the short literals of the line scanLong() scanned (buf[start, end)) to its hits. */
  searchShort(buf: Uint8Array, start: number, end: number): void {
    const re = this.searchRe;
    if (this.shortDone || re === undefined) return;
    this.shortDone = true;
    const stamp = this.stamp;
    let n = this.hitCount;
    let occ = this.occCount;
    // One case-insensitive regex pass over the line (ASCII literals; in a non-unicode regex no non-ASCII
    // character folds to ASCII), every position tried, overlaps included. Lowercasing the line and
    // searching each literal cost ≈ 2 µs a line, the regex ≈ 0.8.
    const line = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
    re.lastIndex = 0;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      for (const k of this.searchIds.get(m[0].toLowerCase())!) {
        if (this.searchStamp[k] === stamp) continue;
        this.searchStamp[k] = stamp;
        const lit = this.searched[k]![0];
        this.hits[n++] = lit;
        if (occ < OCC_CAP) {
          this.occLit[occ] = lit;
          this.occPos[occ] = -1;
        }
        occ++;
      }
      re.lastIndex = m.index + 1;
    }
    this.hitCount = n;
    this.occCount = occ;
  }

  /** The scan loop in JavaScript (scanModule is the same loop). */
  private scanJs(buf: Uint8Array, start: number, end: number, stamp: number): number {
    const {
      bits,
      keys,
      start: first,
      count,
      entLit,
      entOff,
      litStart,
      litBytes,
      seen,
      hits,
      global,
      shift,
      occLit,
      occPos,
    } = this;
    const mask = keys.length - 1;
    let n = 0;
    let occ = 0;
    let w = 0;
    for (let i = start; i < end; i++) {
      w = (w >>> 8) | ((buf[i]! | 0x20) << 24);
      const h = Math.imul(w, FILTER_MUL) >>> (32 - FILTER_BITS);
      if ((bits[h >>> 5]! & (1 << (h & 31))) === 0) continue;
      let slot = Math.imul(w, TABLE_MUL) >>> shift;
      let key = keys[slot]!;
      while (key !== w && key !== 0) {
        slot = (slot + 1) & mask;
        key = keys[slot]!;
      }
      if (key === 0) continue;
      const e1 = first[slot]! + count[slot]!;
      for (let e = first[slot]!; e < e1; e++) {
        const lit = entLit[e]!;
        const from = i - 3 - entOff[e]!;
        const l0 = litStart[lit]!;
        const len = litStart[lit + 1]! - l0;
        if (from < start || from + len > end) continue;
        let k = 0;
        while (k < len && FOLD[buf[from + k]!] === litBytes[l0 + k]) k++;
        if (k === len) {
          if (seen[lit] !== stamp) {
            seen[lit] = stamp;
            hits[n++] = global[lit]!;
          }
          if (occ < OCC_CAP) {
            occLit[occ] = global[lit]!;
            occPos[occ] = from - start;
          }
          occ++;
        }
      }
    }
    this.occCount = occ;
    return n;
  }
}
