/**
 * The raw prefilter's bookkeeping per rule and per candidate set: the rules' literal clauses indexed by
 * literal (postings), one scanner per distinct candidate set (src/engine/scanner.ts), and which rules of
 * a set survive a scanned line.
 */
import { LiteralScanner, LiteralTable, OCC_CAP } from './scanner.js';

/** What the prefilter needs of a compiled rule. */
export interface PrefilterRule {
  readonly index: number;
  /**
   * Literal clauses, flattened: [n, id×n, m, id×m, …]; every clause needs one of its literals in the
   * line. undefined: this rule cannot be prefiltered.
   */
  readonly literals: Int32Array | undefined;
  /**
   * Per clause, the fields whose values must hold one of its literals (undefined: anywhere in the line).
   * Absent: every clause is anywhere.
   */
  readonly clauseFields?: readonly (readonly string[] | undefined)[];
  /** Bit c set: clause c stands for keywords (src/engine/prefilter.ts Clause.keyword). */
  readonly keywordClauses?: number;
  /**
   * Bit c set: a non-ASCII character in one of clause c's fields also satisfies it (it may have no
   * literals at all; src/engine/prefilter.ts Clause.nonAscii). The scan cannot tell, so refine decides it.
   */
  readonly nonAsciiClauses?: number;
}

/**
 * The line's fields as its reader resolved them (src/engine/raw-event.ts): whether the value of field `id`
 * holds bytes [from, from + len) of the line, a string's closing quote included. True when the value was
 * computed rather than read (it may be made of other fields); false when the field is absent.
 */
export interface FieldSpans {
  holds(id: number, from: number, len: number): boolean;
  /**
   * Whether the raw text of field `id`'s value holds a byte above 0x7f (true for a computed value; false
   * for an absent field). A `\u` escape is ASCII text: the prefilter never refines a line holding one.
   */
  nonAsciiBytes(id: number): boolean;
}

/**
 * What the literal scan of the line being evaluated says, for matchers (src/engine/compile.ts): a needle
 * whose literal the scan looked for and did not find cannot occur in any of the line's values, so its
 * string test is skipped. One per engine; `stamp` 0 when nothing is known (every needle is tested).
 */
export class LineLiterals {
  stamp = 0;
  /** Literal id → 1 when the line's scanner looked for it. */
  scanned: Uint8Array = new Uint8Array(0);
  /** Literal id → the stamp of the last line it was found in. */
  found: Int32Array = new Int32Array(0);

  /** Literal `id` (-1: none) is known to be absent from the line. */
  absent(id: number): boolean {
    return this.stamp !== 0 && id >= 0 && this.scanned[id] === 1 && this.found[id] !== this.stamp;
  }
}

/** A candidate set as the prefilter sees it (the engine's sets carry more). */
export interface PrefilterSet<R extends PrefilterRule> {
  rules: readonly R[];
  /** member[rule.index] = 1 for the rules of this set. */
  member: Uint8Array;
  /**
   * Rules of this set whose clauses the scan cannot decide (no literal clauses, a literal the scanner takes
   * as present because it is too short to look for, or a non-ASCII character would do): they survive
   * every scan (refine may still drop them).
   */
  always: readonly R[];
  /** The automaton over this set's literals only (built on first use). */
  scanner?: LiteralScanner;
  /**
   * The set's events may carry values the engine computes (Security 4688): keyword clauses then hold on
   * every line, and matchers are not told which literals a line lacks.
   */
  computed?: boolean;
  /** Per rule: clauses the scan must find in a line (the others are given: see `given`). */
  need?: Int8Array;
  /**
   * Per (rule, clause) slot: 1 when the clause holds a literal taken as present (it holds on every line);
   * 2 when a non-ASCII character also satisfies it (refine decides it); 0 when the scan decides it.
   */
  given?: Uint8Array;
  /** The postings of this set's rules only, without given slots (the set's survivors() walks these). */
  postings?: SetPostings;
  /**
   * When the scanner searches short literals: `always`, `need`, `given` and `postings` as they are with
   * those literals taken as present, for a line scanned without them (LiteralScanner.scanLong); `short`
   * marks the rules that then hold a clause only a short literal may satisfy.
   */
  assume?: SetCounts<R>;
}

/** How a set's rules are counted against a scanned line (see PrefilterSet). */
interface SetCounts<R> {
  always: readonly R[];
  need: Int8Array;
  given: Uint8Array;
  postings: SetPostings;
  short?: Uint8Array;
}

/**
 * literal id → the (rule, clause) slots holding it (rule index × MAX_RULE_CLAUSES + clause index): postSlot
 * [postStart[id] … postStart[id + 1]).
 */
interface SetPostings {
  postStart: Int32Array;
  postSlot: Int32Array;
}

/** Clauses per rule the postings can track (requiredClauses keeps at most this many). */
const MAX_RULE_CLAUSES = 4;
/** A slot's rule index is slot >> CLAUSE_BITS (MAX_RULE_CLAUSES = 2^CLAUSE_BITS). */
const CLAUSE_BITS = 2;

/** survivors()' scratch, per (rule, clause) slot and per rule, under the scan's stamp. */
interface Counts {
  clauseStamp: Int32Array;
  /** Per slot: the first literal survivors() found for it (valid where clauseStamp holds the scan's stamp). */
  clauseLit: Int32Array;
  countStamp: Int32Array;
  count: Int32Array;
}

/** The distinct literal ids the rules' clauses hold (what a scanner over these rules looks for). */
export function literalIdsOf(rules: readonly PrefilterRule[]): number[] {
  const ids = new Set<number>();
  for (const r of rules) {
    const lits = r.literals;
    if (!lits) continue;
    for (let k = 0; k < lits.length; k += lits[k]! + 1)
      for (let j = k + 1; j <= k + lits[k]!; j++) ids.add(lits[j]!);
  }
  return [...ids];
}

function counts(rules: number): Counts {
  return {
    clauseStamp: new Int32Array(rules * MAX_RULE_CLAUSES),
    clauseLit: new Int32Array(rules * MAX_RULE_CLAUSES),
    countStamp: new Int32Array(rules),
    count: new Int32Array(rules),
  };
}

export class PrefilterIndex<R extends PrefilterRule> {
  private readonly counts: Counts;
  private readonly scanners = new Map<string, LiteralScanner>();
  private readonly setPostingsCache = new Map<string, SetPostings>();
  private table: LiteralTable | undefined;
  /** Scratch: rule indexes found by survivors(). */
  private readonly found: Int32Array;
  /** Per (rule, clause) slot: the field ids its literals must lie in (undefined: anywhere). */
  private readonly slotFields: (Int32Array | undefined)[];
  /** Per (rule, clause) slot: 1 when a non-ASCII character in the clause's fields also satisfies it. */
  private readonly slotNonAscii: Uint8Array;
  /** Per rule: 1 when some clause of it has fields (refine looks at it). */
  private readonly fielded: Uint8Array;
  /** Per literal: its length in bytes. */
  private readonly litLength: Int32Array;
  // Per literal, its occurrences in the current line (refine): a list through occNext, headed at occHead.
  private readonly occStamp: Int32Array;
  private readonly occHead: Int32Array;
  private readonly occNext = new Int32Array(OCC_CAP);
  private refineStamp = 0;
  /** survivors()' stamp of its last call (refine reads the literals it found per clause). */
  private countStamp = 0;

  /**
   * `rules[i].index === i`; `literals`: literal id → text; `fieldId`: the id under which the line's reader
   * (FieldSpans) knows a field, -1 when it cannot know it.
   */
  constructor(
    private readonly rules: readonly R[],
    private readonly literals: readonly string[],
    fieldId: (name: string) => number = () => -1,
  ) {
    this.counts = counts(rules.length);
    this.found = new Int32Array(rules.length);
    const slots = rules.length * MAX_RULE_CLAUSES;
    this.slotFields = new Array<Int32Array | undefined>(slots).fill(undefined);
    this.fielded = new Uint8Array(rules.length);
    this.slotNonAscii = new Uint8Array(slots);
    for (const r of rules)
      r.clauseFields?.forEach((fields, c) => {
        const ids = fields?.map(fieldId);
        if (!ids || ids.includes(-1)) return;
        const slot = r.index * MAX_RULE_CLAUSES + c;
        this.slotFields[slot] = Int32Array.from(ids);
        if (((r.nonAsciiClauses ?? 0) & (1 << c)) !== 0) this.slotNonAscii[slot] = 1;
        this.fielded[r.index] = 1;
      });
    this.litLength = Int32Array.from(literals, (l) => l.length);
    this.occStamp = new Int32Array(literals.length);
    this.occHead = new Int32Array(literals.length);
  }

  /**
   * The rules of `set` whose literal clauses all hold in the last scanned line, in rule order. Walks the
   * postings of the literals that occurred (few) rather than every candidate rule (hundreds).
   */
  survivors(set: PrefilterSet<R>, sc: LiteralScanner): readonly R[] {
    // A stamp per call: a line scanned without its short literals is counted again once they are added.
    const stamp = ++this.countStamp;
    const c = sc.shortDone ? set : set.assume!;
    const { clauseStamp, clauseLit, countStamp, count } = this.counts;
    const { postStart, postSlot } = c.postings!;
    const need = c.need!;
    const found = this.found;
    let m = 0;
    for (let h = 0; h < sc.hitCount; h++) {
      const lit = sc.hits[h]!;
      const end = postStart[lit + 1]!;
      for (let p = postStart[lit]!; p < end; p++) {
        const slot = postSlot[p]!;
        if (clauseStamp[slot] === stamp) continue;
        const r = slot >> CLAUSE_BITS;
        clauseStamp[slot] = stamp;
        clauseLit[slot] = lit;
        const n = countStamp[r] === stamp ? count[r]! + 1 : 1;
        countStamp[r] = stamp;
        count[r] = n;
        if (n === need[r]) found[m++] = r;
      }
    }
    const always = c.always;
    if (m === 0) return always;
    // Rule order keeps the hit order the same as on the parsed path: sort the few found (insertion
    // sort), then merge them with the always-run rules.
    for (let i = 1; i < m; i++) {
      const x = found[i]!;
      let j = i - 1;
      for (; j >= 0 && found[j]! > x; j--) found[j + 1] = found[j]!;
      found[j + 1] = x;
    }
    const out: R[] = [];
    let a = 0;
    for (let i = 0; i < m; i++) {
      const r = found[i]!;
      while (a < always.length && always[a]!.index < r) out.push(always[a++]!);
      out.push(this.rules[r]!);
    }
    while (a < always.length) out.push(always[a++]!);
    return out;
  }

  /**
   * Whether some of `rules` (survivors() of a line scanned without its short literals) hold a clause only a
   * short literal may satisfy: then the line's short literals must be searched and survivors() asked again.
   */
  needsShort(set: PrefilterSet<R>, sc: LiteralScanner, rules: readonly R[]): boolean {
    if (sc.shortDone) return false;
    const short = set.assume!.short!;
    for (const r of rules) if (short[r.index] === 1) return true;
    return false;
  }

  /**
   * Of `coarse` (what survivors() gave for the last scanned line, which began at byte `base` of the
   * reader's buffer), the rules whose clauses each have a literal inside one of the clause's fields, as
   * the reader resolved them: a literal that occurs only in other fields (`\\cmd.exe"` in ParentImage
   * where the clause is on Image) cannot be part of a match. `coarse` itself when the scan's positions are
   * incomplete.
   */
  refine(
    set: PrefilterSet<R>,
    sc: LiteralScanner,
    coarse: readonly R[],
    spans: FieldSpans,
    base: number,
  ): readonly R[] {
    if (sc.occCount > OCC_CAP) return coarse;
    // A stamp per call (not the scan's): lists built for the same scan twice must not chain into themselves.
    const stamp = ++this.refineStamp;
    const { occStamp, occHead, occNext } = this;
    for (let o = sc.occCount - 1; o >= 0; o--) {
      const lit = sc.occLit[o]!;
      occNext[o] = occStamp[lit] === stamp ? occHead[lit]! : -1;
      occStamp[lit] = stamp;
      occHead[lit] = o;
    }
    let out: R[] | undefined;
    for (let i = 0; i < coarse.length; i++) {
      const r = coarse[i]!;
      const keep =
        this.fielded[r.index] === 0 ||
        this.placed(r, (sc.shortDone ? set : set.assume!).given!, stamp, sc, spans, base);
      if (!keep) out ??= coarse.slice(0, i);
      else out?.push(r);
    }
    return out ?? coarse;
  }

  /** Every fielded clause of rule `r` has one of the literals seen for it inside one of its fields. */
  private placed(
    r: R,
    given: Uint8Array,
    stamp: number,
    sc: LiteralScanner,
    spans: FieldSpans,
    base: number,
  ): boolean {
    const { slotFields, slotNonAscii, occStamp } = this;
    const { clauseStamp, clauseLit } = this.counts;
    const lits = r.literals!;
    for (let k = 0, slot = r.index * MAX_RULE_CLAUSES; k < lits.length; k += lits[k]! + 1, slot++) {
      const fields = slotFields[slot];
      if (fields === undefined || given[slot] === 1) continue;
      if (slotNonAscii[slot] === 1) {
        let wide = false;
        for (let f = 0; f < fields.length && !wide; f++) wide = spans.nonAsciiBytes(fields[f]!);
        if (wide) continue;
      }
      // The literal survivors() found first for this clause is usually in place: try it before the others.
      const first = clauseStamp[slot] === this.countStamp ? clauseLit[slot]! : -1;
      if (first >= 0 && this.inPlace(first, fields, stamp, sc, spans, base)) continue;
      let ok = false;
      for (let j = k + 1, end = k + lits[k]!; j <= end && !ok; j++) {
        const lit = lits[j]!;
        if (lit !== first && occStamp[lit] === stamp) ok = this.inPlace(lit, fields, stamp, sc, spans, base);
      }
      if (!ok) return false;
    }
    return true;
  }

  /** Some occurrence of literal `lit` in the line (refine's lists under `stamp`) lies in one of `fields`. */
  private inPlace(
    lit: number,
    fields: Int32Array,
    stamp: number,
    sc: LiteralScanner,
    spans: FieldSpans,
    base: number,
  ): boolean {
    if (this.occStamp[lit] !== stamp) return false;
    const len = this.litLength[lit]!;
    const { occNext } = this;
    const occPos = sc.occPos;
    for (let o = this.occHead[lit]!; o >= 0; o = occNext[o]!) {
      const pos = occPos[o]!;
      if (pos < 0) return true;
      for (let f = 0; f < fields.length; f++) if (spans.holds(fields[f]!, base + pos, len)) return true;
    }
    return false;
  }

  scannerFor(set: PrefilterSet<R>): LiteralScanner {
    if (set.scanner) return set.scanner;
    const key = set.rules.map((r) => r.index).join(',');
    let sc = this.scanners.get(key);
    if (!sc) {
      sc = new LiteralScanner((this.table ??= new LiteralTable(this.literals)), literalIdsOf(set.rules));
      this.scanners.set(key, sc);
    }
    // Clauses holding a literal the scanner takes as present hold on every line: count them in advance.
    const assumed = new Set(sc.assumed);
    const exact = this.countsFor(set, assumed, key);
    set.need = exact.need;
    set.given = exact.given;
    set.always = exact.always;
    set.postings = exact.postings;
    const short = sc.shortIds;
    if (short.length > 0) {
      const assume = this.countsFor(set, new Set([...assumed, ...short]), `${key}#short`);
      // Rules a short literal alone may keep: a slot given here that the exact counts let the scan decide.
      assume.short = new Uint8Array(this.rules.length);
      for (const r of set.rules)
        for (let c = 0; c < MAX_RULE_CLAUSES; c++) {
          const slot = r.index * MAX_RULE_CLAUSES + c;
          if (assume.given[slot] === 1 && exact.given[slot] !== 1) assume.short[r.index] = 1;
        }
      set.assume = assume;
    }
    return (set.scanner = sc);
  }

  /** How the set's rules are counted when the literals in `assumed` are taken as present. */
  private countsFor(set: PrefilterSet<R>, assumed: ReadonlySet<number>, key: string): SetCounts<R> {
    const need = new Int8Array(this.rules.length);
    const given = new Uint8Array(this.rules.length * MAX_RULE_CLAUSES);
    const always: R[] = [];
    for (const r of set.rules) {
      const lits = r.literals;
      let n = 0;
      for (let k = 0, c = 0; lits && k < lits.length; k += lits[k]! + 1, c++) {
        let held = set.computed === true && ((r.keywordClauses ?? 0) & (1 << c)) !== 0;
        for (let j = k + 1; j <= k + lits[k]!; j++) held ||= assumed.has(lits[j]!);
        if (held) given[r.index * MAX_RULE_CLAUSES + c] = 1;
        // A clause that a non-ASCII character also satisfies: refine decides it, the scan cannot.
        else if (((r.nonAsciiClauses ?? 0) & (1 << c)) !== 0) given[r.index * MAX_RULE_CLAUSES + c] = 2;
        else n++;
      }
      need[r.index] = n;
      if (n === 0) always.push(r);
    }
    // Sets of the same rules (and the same kind of events) walk the same postings.
    const postingsKey = set.computed === true ? `${key}#computed` : key;
    let postings = this.setPostingsCache.get(postingsKey);
    if (!postings) this.setPostingsCache.set(postingsKey, (postings = this.setPostings(set.rules, given)));
    return { need, given, always, postings };
  }

  /**
   * The postings of the set's rules' slots that are not given: built from those rules' own clauses (a set
   * holds a fraction of the rules; walking every rule's postings for each set cost more than the set).
   */
  private setPostings(rules: readonly R[], given: Uint8Array): SetPostings {
    const literals = this.literals.length;
    const postStart = new Int32Array(literals + 1);
    const each = (visit: (lit: number, rule: number, clause: number) => void): void => {
      for (const r of rules) {
        const lits = r.literals;
        for (let k = 0, c = 0; lits && k < lits.length; k += lits[k]! + 1, c++) {
          if (given[r.index * MAX_RULE_CLAUSES + c] !== 0) continue;
          for (let j = k + 1; j <= k + lits[k]!; j++) visit(lits[j]!, r.index, c);
        }
      }
    };
    each((lit) => postStart[lit + 1]!++);
    for (let lit = 0; lit < literals; lit++) postStart[lit + 1]! += postStart[lit]!;
    const n = postStart[literals]!;
    const out: SetPostings = { postStart, postSlot: new Int32Array(n) };
    const at = postStart.slice(0, literals);
    each((lit, rule, clause) => {
      const p = at[lit]!++;
      out.postSlot[p] = rule * MAX_RULE_CLAUSES + clause;
    });
    return out;
  }
}
