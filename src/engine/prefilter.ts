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
import { translateRegex } from '../sigma/index.js';

/**
 * Literal clauses for the raw prefilter: in any raw event the tree matches, every clause has at least one
 * of its fragments present. [] means no guarantee; a clause [] means the tree never matches.
 */
export function requiredClauses(n: IrNode): string[][] {
  switch (n.kind) {
    case 'And': {
      const out: string[][] = [];
      for (const c of n.children) out.push(...requiredClauses(c));
      // A few of the most selective clauses are enough to filter well; more only cost time per event.
      return out.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, MAX_CLAUSES);
    }
    case 'Or': {
      const out = new Set<string>();
      for (const c of n.children) {
        const cl = requiredClauses(c);
        if (cl.length === 0) return [];
        // The child's most selective clause stands for it.
        for (const x of cl[0]!) out.add(x);
      }
      return [[...out]];
    }
    case 'Not':
      return [];
    case 'Const':
      return n.value ? [] : [[]];
    case 'FieldMatch':
    case 'Keyword': {
      // The engine derives IntegrityLevel for Security 4688 from a SID: its text is not in the raw line.
      if (n.kind === 'FieldMatch' && DERIVED.has(n.field)) return [];
      const l = valueLiterals(n.value);
      return l === undefined ? [] : [l];
    }
  }
}

const MAX_CLAUSES = 3;

/** Fields whose values the engine synthesizes (src/engine/event.ts) rather than copies from the event. */
const DERIVED = new Set(['IntegrityLevel']);

/** Prefer the clause whose shortest literal is longest (fewer chance hits), then fewer literals. */
function better(a: string[], b: string[]): boolean {
  const min = (x: string[]): number => (x.length === 0 ? Infinity : Math.min(...x.map((s) => s.length)));
  const ma = min(a);
  const mb = min(b);
  return ma !== mb ? ma > mb : a.length < b.length;
}

/**
 * A literal every match of the regex contains (the longest run of plain characters outside groups and
 * classes, not made optional by a quantifier), per top-level alternative; undefined when some alternative
 * has none.
 */
export function regexLiterals(source: string): string[] | undefined {
  const branches: string[] = [];
  let depth = 0;
  let from = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(source.slice(from, i));
      from = i + 1;
    }
  }
  branches.push(source.slice(from));
  const out: string[] = [];
  for (const b of branches) {
    const l = branchLiteral(b);
    if (l === undefined) return undefined;
    out.push(l);
  }
  return out;
}

function branchLiteral(src: string): string | undefined {
  const runs: string[] = [];
  let run = '';
  const cut = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    let atom: string | undefined;
    if (c === '\\') {
      const n = src[++i];
      if (n === undefined) return undefined;
      atom = /\w/.test(n) ? undefined : n;
    } else if (c === '(' || c === '[') {
      // Skip the group or class: its content is not a plain run.
      let depth = 0;
      let inClass = false;
      for (; i < src.length; i++) {
        const d = src[i]!;
        if (d === '\\') i++;
        else if (inClass) inClass = d !== ']';
        else if (d === '[') {
          inClass = true;
          if (depth === 0) break;
        } else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      if (c === '[') for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
      atom = undefined;
    } else if ('.^$'.includes(c)) atom = undefined;
    else atom = c;
    const q = src[i + 1];
    const optional = q === '*' || q === '?' || (q === '{' && /^\{0[,}]/.test(src.slice(i + 1)));
    const repeated = q === '+' || q === '{';
    if (atom === undefined || optional) cut();
    else {
      run += atom;
      if (repeated) cut();
    }
    if (q === '*' || q === '+' || q === '?') {
      i++;
      if (src[i + 1] === '?') i++;
    } else if (q === '{') {
      const m = /^\{\d*,?\d*\}\??/.exec(src.slice(i + 1));
      if (m) i += m[0].length;
    }
  }
  cut();
  let best = '';
  for (const r of runs) for (const m of r.matchAll(SAFE)) if (m[0].length > best.length) best = m[0];
  return best === '' ? undefined : best.slice(-MAX_LITERAL).toLowerCase();
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
    case 'Re': {
      const t = translateRegex(v.pattern, v.flags);
      return t.ok ? regexLiterals(t.value.source) : undefined;
    }
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
  /** The distinct literal ids seen in the last scanned line: hits[0 … hitCount). */
  readonly hits: Int32Array;
  hitCount = 0;
  stamp = 0;

  /**
   * `only`: build over just these literal ids (a candidate set's own literals: a much smaller automaton
   * that stays in cache); ids reported stay the global ones.
   */
  constructor(literals: readonly string[], only?: readonly number[]) {
    this.literalCount = literals.length;
    const litIds = only ?? literals.map((_, i) => i);
    const patterns: number[][] = litIds.map((i) => [...Buffer.from(literals[i]!, 'latin1')].map(fold));
    const patternId: number[] = [...litIds];
    for (const s of SPECIALS) {
      patterns.push(s.map(fold));
      patternId.push(literals.length + patternId.length - litIds.length);
    }
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
      outs[s]!.push(patternId[id]!);
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
    // Entries hold the next state's row offset (state × width), negated minus one when that state has
    // outputs: the scan then needs one load per byte and one sign test.
    this.delta = new Int32Array(states * width);
    for (let k = 0; k < states; k++) {
      const from = order[k]! * width;
      for (let c = 0; c < width; c++) {
        const next = renum[delta[from + c]!]!;
        this.delta[k * width + c] = outs[order[next]!]!.length > 0 ? -(next * width) - 1 : next * width;
      }
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
    this.hits = new Int32Array(literals.length);
  }

  /** Scan bytes [start, end) of buf; marks literals in `seen` under a fresh stamp. */
  scan(buf: Uint8Array, start: number, end: number, out: ScanResult, stamp = this.stamp + 1): void {
    this.stamp = stamp;
    const { cls, delta, width, outStart, outIds, seen, hits, literalCount } = this;
    let hitCount = 0;
    let s = 0;
    let channelAt = -1;
    let eventIdAt = -1;
    let unsafe = false;
    for (let i = start; i < end; i++) {
      s = delta[s + cls[buf[i]!]!]!;
      if (s >= 0) continue;
      s = -s - 1;
      const st = s / width;
      const o1 = outStart[st + 1]!;
      for (let k = outStart[st]!; k < o1; k++) {
        const id = outIds[k]!;
        if (id < literalCount) {
          if (seen[id] !== stamp) {
            seen[id] = stamp;
            hits[hitCount++] = id;
          }
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
    this.hitCount = hitCount;
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
