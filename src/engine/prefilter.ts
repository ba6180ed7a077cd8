/**
 * The raw-line prefilter: before any JSON parsing, the routing values are read after the `"Channel"` and
 * `"EventID"` keys (readChannel, readEventId; the engine finds the keys), and one pass of a gram-hash
 * scanner over the bytes of a JSONL line finds which rule literals occur anywhere in it, case-folded
 * (LiteralScanner). A rule whose tree cannot match unless one of its literals occurs is skipped when none
 * does; a line no candidate rule survives is never parsed (src/engine/prefilter-index.ts).
 *
 * Soundness: literals are fragments of the rule's own string values made only of printable ASCII save `/`
 * (which JSON may write as `\/`), written as JSON writes them (`\` → `\\`, `"` → `\"`: the only way
 * without `\u`), so a value that matches in the parsed event also shows its fragments in the raw text —
 * unless the line spells characters as `\uXXXX` escapes or holds the two non-ASCII characters whose
 * lowercase is ASCII (U+212A, U+0130); the scanner notices both and the caller then parses without
 * prefiltering. A field value's fragment at its end is followed by the string's closing quote in the raw
 * text (`\\whoami.exe"`), when the value is a string there (not a number or boolean the matchers read as
 * text).
 */
import type { IrNode, IrValue, StrPart } from '../ir/index.js';
import { translateRegex } from '../sigma/index.js';
import { regexRuns } from './regex-runs.js';

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
      // EventIDs are routed on (src/engine/logsource.ts requiredEventIds): their digits, present in nearly
      // every line of the routed set, would only crowd out a selective clause.
      if (n.kind === 'FieldMatch' && n.field === 'EventID') return [];
      // Security 4688's User is joined from two fields (`DOMAIN\user`): only its plain pieces are in the line.
      const how = n.kind === 'Keyword' ? 'keyword' : JOINED.has(n.field) ? 'joined' : 'field';
      const l = valueLiterals(n.value, how);
      return l === undefined ? [] : [l];
    }
  }
}

const MAX_CLAUSES = 3;

/** Fields whose values the engine synthesizes (src/engine/event.ts) rather than copies from the event. */
const DERIVED = new Set(['IntegrityLevel']);
/** Fields the engine may build by joining others with a separator (src/engine/event.ts mapSecurity4688). */
const JOINED = new Set(['User']);

/** How a leaf's literals are taken: a field's value, a keyword (any value), or a joined field. */
export type LiteralSource = 'field' | 'keyword' | 'joined';

/** Prefer the clause whose shortest literal is longest (fewer chance hits), then fewer literals. */
function better(a: string[], b: string[]): boolean {
  const min = (x: string[]): number => (x.length === 0 ? Infinity : Math.min(...x.map((s) => s.length)));
  const ma = min(a);
  const mb = min(b);
  return ma !== mb ? ma > mb : a.length < b.length;
}

/**
 * A literal every match of the regex contains (the longest run of plain characters outside groups and
 * classes, not made optional by a quantifier), per top-level alternative, lowercased; undefined when some
 * alternative has none of at least MIN_SHORT_LITERAL characters.
 */
export function regexLiterals(source: string, how: LiteralSource = 'field'): string[] | undefined {
  const branches = regexRuns(source);
  if (branches === undefined) return undefined;
  const out: string[] = [];
  for (const runs of branches) {
    const best = longestFragment(runs, how === 'joined' ? PLAIN : SAFE);
    if (best.length < MIN_SHORT_LITERAL) return undefined;
    out.push(best.slice(-MAX_LITERAL).toLowerCase());
  }
  return out;
}

/** Longest literal kept for the automaton. */
const MAX_LITERAL = 12;

/** Characters a literal may hold: printable ASCII save `/` (JSON may write it `\/`). */
const SAFE = /[\x20-\x2e\x30-\x7e]+/g;
/** Characters a joined field's literal may hold: also no `\` (the join's separator) and no `"`. */
const PLAIN = /[\x20\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+/g;

/** A fragment of SAFE characters that ends its text. */
const SAFE_TAIL = new RegExp(`${SAFE.source}$`);

/** The text as it appears inside a JSON string (the only spelling without `\u` escapes). */
function jsonText(s: string): string {
  return s.replace(/[\\"]/g, '\\$&');
}

/** The longest run of `alphabet` characters in the texts, as JSON writes it ('' when none). */
function longestFragment(texts: Iterable<string>, alphabet: RegExp): string {
  let best = '';
  for (const t of texts)
    for (const m of t.matchAll(alphabet)) {
      const l = jsonText(m[0]);
      if (l.length > best.length) best = l;
    }
  return best;
}

/**
 * The literal of a Str value: its longest fragment (the tail of it, at most MAX_LITERAL bytes as JSON
 * writes it). For a field (not a keyword, not a joined field) whose value ends with a fragment of three or
 * more characters, that fragment and the closing quote (`\\whoami.exe"`): it occurs far less often than the
 * bare text, which command lines and parent images hold too.
 */
function safeLiteral(parts: readonly StrPart[], how: LiteralSource): string | undefined {
  if (parts.some((p) => p.kind === 'Placeholder')) return undefined;
  const texts = parts.flatMap((p) => (p.kind === 'Lit' ? [p.text] : []));
  const best = longestFragment(texts, how === 'joined' ? PLAIN : SAFE);
  const last = parts[parts.length - 1];
  if (how === 'field' && last?.kind === 'Lit') {
    const tail = SAFE_TAIL.exec(last.text)?.[0];
    if (tail !== undefined && tail.length >= 3 && quotable(tail))
      return (jsonText(tail).slice(-(MAX_LITERAL - 1)) + '"').toLowerCase();
  }
  if (best.length < MIN_SHORT_LITERAL) return undefined;
  // A piece of the fragment is as necessary as the whole; the tail of a value (file names, switches) is
  // usually its most telling part, and short literals keep the automaton small.
  return best.slice(-MAX_LITERAL).toLowerCase();
}

/**
 * A value ending with this text is a JSON string in the raw line: the matchers also test numbers and
 * booleans as text (`443`, `true`), which the line writes without quotes.
 */
function quotable(tail: string): boolean {
  const t = tail.toLowerCase();
  return !/^[0-9.e+-]*$/.test(t) && !'true'.endsWith(t) && !'false'.endsWith(t);
}

function valueLiterals(v: IrValue, how: LiteralSource): string[] | undefined {
  switch (v.kind) {
    case 'Str': {
      const l = safeLiteral(v.parts, how);
      return l === undefined ? undefined : [l];
    }
    case 'Num':
      return Number.isInteger(v.value) &&
        v.raw === String(v.value) &&
        String(Math.abs(v.value)).length >= MIN_SHORT_LITERAL
        ? [String(Math.abs(v.value))]
        : undefined;
    case 'Bool':
      return [String(v.value)];
    case 'Re': {
      const t = translateRegex(v.pattern, v.flags);
      return t.ok ? regexLiterals(t.value.source, how) : undefined;
    }
    default:
      return undefined;
  }
}

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

/** Bits of the filter bitset (2^18 bits = 32 KiB: stays in the L1/L2 cache during a scan). */
const FILTER_BITS = 18;

function gramKey(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

function filterHash(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - FILTER_BITS);
}

/** The prefilter's literals, encoded once for every scanner built over them. */
export class LiteralTable {
  readonly encoded: readonly Uint8Array[];
  /** All literals back to back: literal id i is bytes[start[i], start[i + 1]). */
  readonly bytes: Uint8Array;
  readonly start: Int32Array;

  constructor(readonly literals: readonly string[]) {
    this.encoded = literals.map((l) => Buffer.from(l, 'latin1').map((b) => FOLD[b]!));
    this.start = new Int32Array(literals.length + 1);
    let total = 0;
    this.encoded.forEach((b, i) => {
      this.start[i] = total;
      total += b.length;
    });
    this.start[literals.length] = total;
    this.bytes = new Uint8Array(total);
    this.encoded.forEach((b, i) => this.bytes.set(b, this.start[i]));
  }
}

/**
 * A multi-literal scanner: every literal (case-folded ASCII, at least MIN_LITERAL bytes) is represented by
 * one of its 4-byte grams, the one the fewest other literals share. A scan slides a 4-byte window over the
 * line, tests the window's hash in a small bitset, and only on a bit hit looks the gram up and compares
 * the literals that carry it. One load, one multiply and one bit test per byte, in cache: several times
 * faster than a table-driven Aho–Corasick automaton over thousands of literals, whose tables are
 * megabytes.
 */
export class LiteralScanner {
  readonly literalCount: number;
  /** Literal bytes (LiteralTable.bytes). */
  private readonly litBytes: Uint8Array;
  private readonly litStart: Int32Array;
  private readonly bits = new Int32Array(1 << (FILTER_BITS - 5));
  /** Open-addressed gram table: key (0 = empty) → entries [entStart[slot], entStart[slot] + entCount[slot]). */
  private readonly tableKeys: Int32Array;
  private readonly tableStart: Int32Array;
  private readonly tableCount: Int32Array;
  private readonly tableShift: number;
  /** Per entry: literal id and the gram's offset in it. */
  private readonly entLit: Int32Array;
  private readonly entOff: Int32Array;
  /** seen[id] === stamp ⇔ literal id occurred in the last scanned line. */
  readonly seen: Int32Array;
  /** The distinct literal ids seen in the last scanned line: hits[0 … hitCount). */
  readonly hits: Int32Array;
  hitCount = 0;
  stamp = 0;
  /** Short literals looked for in the lowercased line (id, text). */
  private searched: (readonly [number, string])[] = [];
  /** Short literals taken as present in every line (not reported in `hits`: callers count them in advance). */
  readonly assumed: Int32Array = new Int32Array(0);

  /**
   * `only`: build over just these literal ids (a candidate set's own literals: fewer false bit hits); ids
   * reported stay the global ones.
   */
  constructor(lits: LiteralTable, only?: readonly number[]) {
    const { literals, encoded } = lits;
    this.literalCount = literals.length;
    this.litStart = lits.start;
    this.litBytes = lits.bytes;
    const all = only ?? literals.map((_, i) => i);
    const ids = all.filter((i) => encoded[i]!.length >= MIN_LITERAL);
    const short = all.filter((i) => encoded[i]!.length < MIN_LITERAL);
    if (short.length <= MAX_SHORT_SEARCHED) this.searched = short.map((i) => [i, literals[i]!]);
    else this.assumed = Int32Array.from(short);
    // How many literals share each gram; each literal then takes its least shared gram.
    const share = new Map<number, number>();
    for (const i of ids) {
      const b = encoded[i]!;
      const mine = new Set<number>();
      for (let k = 0; k + 4 <= b.length; k++) mine.add(gramKey(b, k));
      for (const g of mine) share.set(g, (share.get(g) ?? 0) + 1);
    }
    const byGram = new Map<number, [number, number][]>();
    for (const i of ids) {
      const b = encoded[i]!;
      let best = 0;
      let bestShare = Infinity;
      for (let k = 0; k + 4 <= b.length; k++) {
        const s = share.get(gramKey(b, k))!;
        if (s < bestShare) {
          bestShare = s;
          best = k;
        }
      }
      const g = gramKey(b, best);
      const l = byGram.get(g);
      if (l) l.push([i, best]);
      else byGram.set(g, [[i, best]]);
      const h = filterHash(g);
      this.bits[h >>> 5]! |= 1 << (h & 31);
    }
    let tableBits = 4;
    while (1 << tableBits < byGram.size * 2) tableBits++;
    const size = 1 << tableBits;
    this.tableShift = 32 - tableBits;
    this.tableKeys = new Int32Array(size);
    this.tableStart = new Int32Array(size);
    this.tableCount = new Int32Array(size);
    this.entLit = new Int32Array(ids.length);
    this.entOff = new Int32Array(ids.length);
    let at = 0;
    for (const [g, list] of byGram) {
      let slot = Math.imul(g, 0x85ebca6b) >>> this.tableShift;
      while (this.tableKeys[slot] !== 0) slot = (slot + 1) & (size - 1);
      this.tableKeys[slot] = g;
      this.tableStart[slot] = at;
      this.tableCount[slot] = list.length;
      for (const [lit, off] of list) {
        this.entLit[at] = lit;
        this.entOff[at++] = off;
      }
    }
    this.seen = new Int32Array(literals.length);
    this.hits = new Int32Array(literals.length);
  }

  /**
   * Scan bytes [start, end) of buf (`line`: the same bytes as a latin1 string); marks the literals
   * found in `seen` under a fresh stamp.
   */
  scan(buf: Uint8Array, start: number, end: number, line: string, stamp = this.stamp + 1): void {
    this.stamp = stamp;
    const { bits, tableKeys, tableStart, tableCount, tableShift, entLit, entOff, litBytes, litStart } = this;
    const { seen, hits } = this;
    const mask = tableKeys.length - 1;
    let hitCount = 0;
    let w = 0;
    for (let i = start; i < end; i++) {
      w = (w << 8) | FOLD[buf[i]!]!;
      const h = Math.imul(w, 0x9e3779b1) >>> (32 - FILTER_BITS);
      if ((bits[h >>> 5]! & (1 << (h & 31))) === 0) continue;
      let slot = Math.imul(w, 0x85ebca6b) >>> tableShift;
      let key = tableKeys[slot]!;
      while (key !== w && key !== 0) {
        slot = (slot + 1) & mask;
        key = tableKeys[slot]!;
      }
      if (key === 0) continue;
      const e1 = tableStart[slot]! + tableCount[slot]!;
      for (let e = tableStart[slot]!; e < e1; e++) {
        const lit = entLit[e]!;
        if (seen[lit] === stamp) continue;
        const from = i - 3 - entOff[e]!;
        const l0 = litStart[lit]!;
        const len = litStart[lit + 1]! - l0;
        if (from < start || from + len > end) continue;
        let k = 0;
        while (k < len && FOLD[buf[from + k]!] === litBytes[l0 + k]) k++;
        if (k === len) {
          seen[lit] = stamp;
          hits[hitCount++] = lit;
        }
      }
    }
    const low = this.searched.length > 0 ? line.toLowerCase() : '';
    for (const [lit, text] of this.searched)
      if (low.includes(text)) {
        seen[lit] = stamp;
        hits[hitCount++] = lit;
      }
    this.hitCount = hitCount;
  }
}

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return i;
}

/** The bytes just before `after` spell `key` exactly. */
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
