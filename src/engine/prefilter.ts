/**
 * The raw-line prefilter: before any JSON parsing, the line is routed (src/engine/raw-line.ts), and one
 * pass of a gram-hash scanner over the bytes of a JSONL line finds which rule literals occur anywhere in
 * it, case-folded (LiteralScanner, src/engine/scanner.ts). A rule whose tree cannot match unless one of
 * its literals occurs is skipped when none does; a line no candidate rule survives is never parsed
 * (src/engine/prefilter-index.ts). Once a line is read, a clause on named fields must also have its
 * literal inside one of those fields' values (PrefilterIndex.refine).
 *
 * Soundness: literals are fragments of the rule's own string values made only of printable ASCII,
 * written as JSON writes them (`\` → `\\`, `"` → `\"`: the only way without `\u`), so a value that
 * matches in the parsed event also shows its fragments in the raw text — unless the line spells
 * characters as escapes JSON does not need (`\uXXXX`, `\/`) or holds the two non-ASCII characters whose
 * lowercase is ASCII (U+212A, U+0130); the engine looks for those first (src/engine/raw-line.ts) and then
 * reads the line without prefiltering. A field value's fragment at its end is followed by the string's
 * closing quote in the raw text (`\\whoami.exe"`), when the value is a string there (not a number or
 * boolean the matchers read as text).
 */
import type { IrNode, IrValue, StrPart } from '../ir/index.js';
import { translateRegex } from '../sigma/index.js';
import { regexRuns } from './regex-runs.js';
import { MIN_SHORT_LITERAL } from './scanner.js';

/**
 * A literal clause: one of `lits` occurs in the raw text of the value of one of `fields` (of the field as
 * the event view resolves it: src/engine/raw-event.ts), or anywhere in the line when `fields` is undefined
 * (keywords, dotted paths).
 */
export interface Clause {
  lits: string[];
  fields: string[] | undefined;
  /**
   * Keywords stand behind some literal: they also search the values the engine computes for Security
   * 4688 (`User` joined from two fields, `IntegrityLevel` from a SID), whose text is not in the line.
   */
  keyword: boolean;
  /**
   * The clause also holds when one of `fields` holds a non-ASCII character: some of its values have no
   * literal but hold such a character as the matchers compare them (emoji, homoglyphs, Unicode dashes),
   * and no ASCII character lowercases to one. Only the reader knows which values hold non-ASCII bytes,
   * so such a clause is decided once the line is read (PrefilterIndex.refine), not by the scan.
   */
  nonAscii: boolean;
}

/**
 * Literal clauses for the raw prefilter: in any raw event the tree matches, every clause has at least one
 * of its fragments present, inside one of its fields' values. [] means no guarantee; a clause without
 * literals means the tree never matches.
 */
export function requiredClauses(n: IrNode): Clause[] {
  switch (n.kind) {
    case 'And': {
      const out: Clause[] = [];
      for (const c of n.children) out.push(...requiredClauses(c));
      // A few of the most selective clauses are enough to filter well; more only cost time per event.
      // Literal clauses first: the scan decides them, non-ASCII clauses wait until the line is read.
      return out
        .sort((a, b) =>
          a.nonAscii !== b.nonAscii
            ? Number(a.nonAscii) - Number(b.nonAscii)
            : better(a.lits, b.lits)
              ? -1
              : better(b.lits, a.lits)
                ? 1
                : 0,
        )
        .slice(0, MAX_CLAUSES);
    }
    case 'Or': {
      const kids: Clause[][] = [];
      for (const c of n.children) {
        const cl = requiredClauses(c);
        if (cl.length === 0) return [];
        kids.push(cl);
      }
      // Any pick of one clause per child gives a clause of the Or: the i-th takes each child's i-th most
      // selective clause (its last when it has fewer). `1 of selection_*` over selections of several fields
      // thus keeps a clause per field, not only the one of the first.
      const out: Clause[] = [];
      const width = Math.min(MAX_CLAUSES, Math.max(...kids.map((k) => k.length)));
      for (let i = 0; i < width; i++) {
        const u = union(kids.map((k) => k[Math.min(i, k.length - 1)]!));
        if (u) out.push(u);
      }
      return out;
    }
    case 'Not':
      return [];
    case 'Const':
      return n.value ? [] : [{ lits: [], fields: undefined, keyword: false, nonAscii: false }];
    case 'FieldMatch':
    case 'Keyword': {
      const l = leafLiterals(n.kind === 'FieldMatch' ? n.field : undefined, n.value);
      // A dotted name may be a path through the nested event rather than a field the reader records.
      const fields = n.kind === 'FieldMatch' && !n.field.includes('.') ? [n.field] : undefined;
      if (l !== undefined) return [{ lits: l, fields, keyword: n.kind === 'Keyword', nonAscii: false }];
      if (fields !== undefined && needsNonAscii(n.value))
        return [{ lits: [], fields, keyword: false, nonAscii: true }];
      return [];
    }
  }
}

/**
 * Every value the string matcher accepts for `v` holds a non-ASCII character: some plain part of the
 * pattern does, as the matcher compares it (lowercased unless `cased`; U+212A KELVIN SIGN lowercases to
 * ASCII `k`). The value then holds one before lowercasing too, since ASCII lowercases to ASCII.
 */
function needsNonAscii(v: IrValue): boolean {
  if (v.kind !== 'Str') return false;
  return v.parts.some((p) => p.kind === 'Lit' && NON_ASCII.test(v.cased ? p.text : p.text.toLowerCase()));
}

const NON_ASCII = /[^\x00-\x7f]/;

const MAX_CLAUSES = 3;

/**
 * One clause from one clause of each child of an Or: their literals and fields together; undefined when
 * that is no filter (a non-ASCII character anywhere in the line).
 */
function union(clauses: readonly Clause[]): Clause | undefined {
  const lits = new Set<string>();
  let fields: Set<string> | undefined = new Set<string>();
  let keyword = false;
  let nonAscii = false;
  for (const c of clauses) {
    for (const x of c.lits) lits.add(x);
    if (c.fields === undefined) fields = undefined;
    else for (const f of c.fields) fields?.add(f);
    keyword ||= c.keyword;
    nonAscii ||= c.nonAscii;
  }
  if (nonAscii && fields === undefined) return undefined;
  return { lits: [...lits], fields: fields && [...fields], keyword, nonAscii };
}

/**
 * The literals one of which must be in the raw line for `v` to match on `field` (undefined: as a keyword);
 * undefined when there is no such guarantee.
 */
export function leafLiterals(field: string | undefined, v: IrValue): string[] | undefined {
  // The engine derives IntegrityLevel for Security 4688 from a SID: its text is not in the raw line.
  if (field !== undefined && DERIVED.has(field)) return undefined;
  // EventIDs are routed on (src/engine/logsource.ts requiredEventIds): their digits, present in nearly
  // every line of the routed set, would only crowd out a selective clause.
  if (field === 'EventID') return undefined;
  // Security 4688's User is joined from two fields (`DOMAIN\user`): only its plain pieces are in the line.
  const how = field === undefined ? 'keyword' : JOINED.has(field) ? 'joined' : 'field';
  return valueLiterals(v, how);
}

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

/** Characters a literal may hold: printable ASCII (a line that writes `/` as `\/` is not prefiltered). */
const SAFE = /[\x20-\x7e]+/g;
/** Characters a joined field's literal may hold: also no `\` (the join's separator) and no `"`. */
const PLAIN = /[\x20\x21\x23-\x5b\x5d-\x7e]+/g;

/**
 * The run of SAFE characters that ends `text` ('' when its last character is not one). Scanned from the
 * end: a regex anchored with `$` is tried from every start, which is quadratic in a long run.
 */
function safeTail(text: string): string {
  let i = text.length;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c < 0x20 || c > 0x7e) break;
    i--;
  }
  return text.slice(i);
}

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
  const last = parts[parts.length - 1];
  if (how === 'field' && last?.kind === 'Lit') {
    const tail = safeTail(last.text);
    if (tail.length >= 3 && quotable(tail))
      return (jsonText(tail).slice(-(MAX_LITERAL - 1)) + '"').toLowerCase();
  }
  const texts = parts.flatMap((p) => (p.kind === 'Lit' ? [p.text] : []));
  const best = longestFragment(texts, how === 'joined' ? PLAIN : SAFE);
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

// The prefilter's clauses and the matchers' needles ask for the same values' literals.
const known: Record<LiteralSource, WeakMap<IrValue, string[] | undefined>> = {
  field: new WeakMap(),
  keyword: new WeakMap(),
  joined: new WeakMap(),
};

function valueLiterals(v: IrValue, how: LiteralSource): string[] | undefined {
  const seen = known[how];
  if (seen.has(v)) return seen.get(v);
  const l = literalsOf(v, how);
  seen.set(v, l);
  return l;
}

function literalsOf(v: IrValue, how: LiteralSource): string[] | undefined {
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
