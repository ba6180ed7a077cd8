/**
 * The raw-line prefilter: before any JSON parsing, one pass of an Aho–Corasick automaton over the bytes
 * of a JSONL line finds (a) the `"Channel"` and `"EventID"` keys, for routing, and (b) which rule
 * literals occur anywhere in the line, case-folded. A rule whose tree cannot match unless one of its
 * literals occurs is skipped when none does; a line no candidate rule survives is never parsed.
 *
 * Soundness: literals are fragments of the rule's own string values made only of printable ASCII that
 * JSON never escapes (no `"`, `\`, `/`, controls, non-ASCII), so a value that matches in the parsed
 * event also shows its fragments verbatim in the raw text — unless the line spells characters as
 * `\uXXXX` escapes or holds the two non-ASCII characters whose lowercase is ASCII (U+212A, U+0130);
 * the scanner notices both and the caller then parses without prefiltering.
 */
import type { IrNode, IrValue, StrPart } from '../ir/index.js';

/** Fragments of which at least one occurs in any raw event the tree matches; undefined: no guarantee. */
export function requiredLiterals(n: IrNode): string[] | undefined {
  switch (n.kind) {
    case 'And': {
      let best: string[] | undefined;
      for (const c of n.children) {
        const l = requiredLiterals(c);
        if (l !== undefined && (best === undefined || better(l, best))) best = l;
      }
      return best;
    }
    case 'Or': {
      const out = new Set<string>();
      for (const c of n.children) {
        const l = requiredLiterals(c);
        if (l === undefined) return undefined;
        for (const x of l) out.add(x);
      }
      return [...out];
    }
    case 'Not':
      return undefined;
    case 'Const':
      return n.value ? undefined : [];
    case 'FieldMatch':
    case 'Keyword':
      return valueLiterals(n.value);
  }
}

/** Prefer the alternative whose shortest literal is longest (fewer chance hits), then fewer literals. */
function better(a: string[], b: string[]): boolean {
  const min = (x: string[]): number => (x.length === 0 ? Infinity : Math.min(...x.map((s) => s.length)));
  const ma = min(a);
  const mb = min(b);
  return ma !== mb ? ma > mb : a.length < b.length;
}

/** Longest literal kept for the automaton. */
const MAX_LITERAL = 12;

const SAFE = /[\x20\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+/g;

function longestSafe(parts: readonly StrPart[]): string | undefined {
  let best = '';
  for (const p of parts) {
    if (p.kind === 'Placeholder') return undefined;
    if (p.kind !== 'Lit') continue;
    for (const m of p.text.matchAll(SAFE)) if (m[0].length > best.length) best = m[0];
  }
  if (best === '') return undefined;
  // A piece of the fragment is as necessary as the whole; the tail of a value (file names, switches) is
  // usually its most telling part, and short literals keep the automaton small.
  return best.slice(-MAX_LITERAL).toLowerCase();
}

function valueLiterals(v: IrValue): string[] | undefined {
  switch (v.kind) {
    case 'Str': {
      const l = longestSafe(v.parts);
      return l === undefined ? undefined : [l];
    }
    case 'Num':
      return Number.isInteger(v.value) && v.raw === String(v.value) ? [String(Math.abs(v.value))] : undefined;
    case 'Bool':
      return [String(v.value)];
    default:
      return undefined;
  }
}

/** What one scan found, besides the literals marked in `seen`. */
export interface ScanResult {
  /** Byte index just after the unique `"Channel"` key, -1 when absent, -2 when ambiguous. */
  channelAt: number;
  eventIdAt: number;
  /** The line has `\u` escapes or case-folding hazards: do not trust the literal marks. */
  unsafe: boolean;
}

const SPECIAL_CHANNEL = 0;
const SPECIAL_EVENTID = 1;
const SPECIAL_ESCAPE = 2;
const SPECIAL_FOLD = 3;
const SPECIALS: readonly (readonly number[])[] = [
  [...Buffer.from('"channel"')],
  [...Buffer.from('"eventid"')],
  [0x5c, 0x75],
  [0xe2, 0x84, 0xaa],
  [0xc4, 0xb0],
];
const SPECIAL_KIND = [SPECIAL_CHANNEL, SPECIAL_EVENTID, SPECIAL_ESCAPE, SPECIAL_FOLD, SPECIAL_FOLD];

function fold(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 32 : b;
}

/** A byte-level Aho–Corasick DFA over case-folded literals plus the routing keys. */
export class LiteralScanner {
  readonly literalCount: number;
  private readonly cls = new Uint8Array(256);
  private readonly width: number;
  private readonly delta: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** seen[id] === stamp ⇔ literal id occurred in the last scanned line. */
  readonly seen: Int32Array;
  stamp = 0;

  constructor(literals: readonly string[]) {
    this.literalCount = literals.length;
    const patterns: number[][] = literals.map((l) => [...Buffer.from(l, 'latin1')].map(fold));
    for (const s of SPECIALS) patterns.push(s.map(fold));
    let nextClass = 1;
    for (const p of patterns)
      for (const b of p)
        if (this.cls[b] === 0) {
          this.cls[b] = nextClass;
          if (b >= 0x61 && b <= 0x7a) this.cls[b - 32] = nextClass;
          nextClass++;
        }
    const width = (this.width = nextClass);
    // Trie in one flat table (0 = no edge during construction); states ≤ total pattern length + 1.
    let capacity = 1;
    for (const p of patterns) capacity += p.length;
    const delta = new Int32Array(capacity * width);
    const outs: number[][] = [[]];
    let states = 1;
    patterns.forEach((p, id) => {
      let s = 0;
      for (const b of p) {
        const at = s * width + this.cls[b]!;
        let t = delta[at]!;
        if (t === 0) {
          t = states++;
          outs.push([]);
          delta[at] = t;
        }
        s = t;
      }
      outs[s]!.push(id);
    });
    const fail = new Int32Array(states);
    const queue = new Int32Array(states);
    let qn = 0;
    for (let c = 1; c < width; c++) {
      const t = delta[c]!;
      if (t !== 0) queue[qn++] = t;
    }
    for (let qi = 0; qi < qn; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      if (outs[f]!.length > 0) outs[s]!.push(...outs[f]!);
      const row = s * width;
      const frow = f * width;
      for (let c = 1; c < width; c++) {
        const t = delta[row + c]!;
        if (t !== 0) {
          fail[t] = delta[frow + c]!;
          queue[qn++] = t;
        } else delta[row + c] = delta[frow + c]!;
      }
    }
    // Renumber states in breadth-first order: the shallow states, where a scan spends nearly all its
    // steps, then sit together in memory and stay in cache.
    const order = new Int32Array(states);
    order.set(queue.subarray(0, qn), 1);
    const renum = new Int32Array(states);
    for (let k = 0; k < states; k++) renum[order[k]!] = k;
    this.delta = new Int32Array(states * width);
    for (let k = 0; k < states; k++) {
      const from = order[k]! * width;
      for (let c = 0; c < width; c++) this.delta[k * width + c] = renum[delta[from + c]!]!;
    }
    this.outStart = new Int32Array(states + 1);
    const ids: number[] = [];
    for (let k = 0; k < states; k++) {
      this.outStart[k] = ids.length;
      for (const o of outs[order[k]!]!) ids.push(o);
    }
    this.outStart[states] = ids.length;
    this.outIds = Int32Array.from(ids);
    this.seen = new Int32Array(literals.length);
  }

  /** Scan bytes [start, end) of buf; marks literals in `seen` under a fresh stamp. */
  scan(buf: Uint8Array, start: number, end: number, out: ScanResult): void {
    const stamp = ++this.stamp;
    const { cls, delta, width, outStart, outIds, seen, literalCount } = this;
    let s = 0;
    let channelAt = -1;
    let eventIdAt = -1;
    let unsafe = false;
    for (let i = start; i < end; i++) {
      s = delta[s * width + cls[buf[i]!]!]!;
      const o0 = outStart[s]!;
      const o1 = outStart[s + 1]!;
      for (let k = o0; k < o1; k++) {
        const id = outIds[k]!;
        if (id < literalCount) {
          seen[id] = stamp;
          continue;
        }
        const kind = SPECIAL_KIND[id - literalCount]!;
        if (kind === SPECIAL_CHANNEL) channelAt = channelAt === -1 ? i + 1 : -2;
        else if (kind === SPECIAL_EVENTID) eventIdAt = eventIdAt === -1 ? i + 1 : -2;
        else if (kind === SPECIAL_FOLD) unsafe = true;
        else if (buf[i] === 0x75) {
          // `\u` is an escape only after an odd run of backslashes.
          let j = i - 1;
          while (j >= start && buf[j] === 0x5c) j--;
          if ((i - 1 - j) % 2 === 1) unsafe = true;
        }
      }
    }
    out.channelAt = channelAt;
    out.eventIdAt = eventIdAt;
    out.unsafe = unsafe;
  }
}

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return i;
}

/** Exact-case key check: the folded match must be spelled `"Channel"` / `"EventID"`. */
function keyIs(buf: Uint8Array, after: number, key: string): boolean {
  const from = after - key.length;
  if (from < 0) return false;
  for (let k = 0; k < key.length; k++) if (buf[from + k] !== key.charCodeAt(k)) return false;
  return true;
}

/**
 * The channel string after a `"Channel"` key (undefined for JSON null: no channel); null when it cannot be
 * read cheaply (escapes, not a string).
 */
export function readChannel(buf: Uint8Array, at: number, end: number): string | undefined | null {
  if (!keyIs(buf, at, '"Channel"')) return null;
  let i = skipWs(buf, at, end);
  if (buf[i] !== 0x3a) return null;
  i = skipWs(buf, i + 1, end);
  if (buf[i] === 0x6e && buf[i + 1] === 0x75 && buf[i + 2] === 0x6c && buf[i + 3] === 0x6c) return undefined;
  if (buf[i] !== 0x22) return null;
  const from = i + 1;
  for (i = from; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x22) return Buffer.from(buf.buffer, buf.byteOffset + from, i - from).toString('utf8');
    if (b === 0x5c) return null;
  }
  return null;
}

/**
 * The EventID after an `"EventID"` key: a number, a string of digits, or `{"#text": …}`. undefined when
 * the value is not a plain integer (the event has no numeric EventID); null when unreadable cheaply.
 */
export function readEventId(buf: Uint8Array, at: number, end: number): number | undefined | null {
  if (!keyIs(buf, at, '"EventID"')) return null;
  let i = skipWs(buf, at, end);
  if (buf[i] !== 0x3a) return null;
  i = skipWs(buf, i + 1, end);
  if (buf[i] === 0x7b) {
    // {"#attributes": {…}, "#text": 4688}: find "#text" at depth 1.
    let depth = 0;
    for (; i < end; i++) {
      const b = buf[i]!;
      if (b === 0x22) {
        if (depth === 1 && keyIs(buf, i + 7, '"#text"')) {
          i = skipWs(buf, i + 7, end);
          if (buf[i] !== 0x3a) return null;
          i = skipWs(buf, i + 1, end);
          break;
        }
        for (i++; i < end && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
      } else if (b === 0x7b) depth++;
      else if (b === 0x7d && --depth === 0) return undefined;
    }
    if (i >= end) return null;
  }
  const quoted = buf[i] === 0x22;
  if (quoted) i++;
  let n = 0;
  let digits = 0;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) {
    n = n * 10 + buf[i]! - 0x30;
    i++;
    digits++;
  }
  if (digits === 0 || digits > 15) return quoted && buf[i] === 0x22 && digits === 0 ? undefined : null;
  if (quoted) return buf[i] === 0x22 ? n : undefined;
  const b = buf[i];
  if (b === 0x2e || b === 0x65 || b === 0x45) return null; // 4688.0 / 4.688e3: leave it to the parser
  return n;
}
