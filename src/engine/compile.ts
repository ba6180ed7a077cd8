/**
 * IR → closures. Each tree is compiled once into predicates over an EventView; nothing walks the IR per
 * event. String values of one field under one Or are batched: the field is read and lowercased once
 * (the lowercase copy is cached on the event for every other rule), equality values go into a Set, and
 * the rest run as native startsWith/endsWith/includes over the folded text.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { IrNode, IrValue } from '../ir/index.js';
import { translateRegex } from '../sigma/index.js';
import { LineLiterals } from './prefilter-index.js';
import { leafLiterals } from './prefilter.js';
import { LINE_TERMINATOR, dotStarRuns, regexRuns } from './regex-runs.js';
import type { EventView } from './event.js';
import { allValues, fieldValue } from './event.js';
import type { StrTest } from './strings.js';
import { runStrTest, strTest } from './strings.js';
import { cidrTester, hostileRegex, numEquals, numericValue, timePart } from './values.js';

export type Pred = (ev: EventView) => boolean;

export interface CompileContext {
  file: string;
  ruleId: string;
  diagnostics: Diagnostic[];
  /**
   * The engine's prefilter literals: `id` interns a literal's text; `line` says which the line being
   * evaluated lacks. String tests skip a needle whose literal is known absent.
   */
  literals?: { id(text: string): number; line: LineLiterals };
}

/** Nothing known about any line: every needle is tested. */
const NO_LINE = new LineLiterals();

/** A needle's literal id (-1: none) for a Str value on `field` (undefined: a keyword). */
function literalOf(ctx: CompileContext, field: string | undefined): ((v: IrValue) => number) | undefined {
  const lits = ctx.literals;
  if (!lits) return undefined;
  return (v) => {
    const l = leafLiterals(field, v);
    return l?.length === 1 ? lits.id(l[0]!) : -1;
  };
}

/** Thrown inside compilation only, caught by compileTree: the rule is reported, never half-compiled. */
class RuleError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Compile one (normalized) tree; undefined when the rule cannot be evaluated (diagnostics say why). */
export function compileTree(node: IrNode, ctx: CompileContext): Pred | undefined {
  try {
    return compileNode(node, ctx);
  } catch (e) {
    if (e instanceof RuleError) {
      ctx.diagnostics.push(e.diagnostic);
      return undefined;
    }
    throw e;
  }
}

function reject(ctx: CompileContext, node: IrNode, code: Diagnostic['code'], message: string): never {
  const d: Diagnostic = { code, severity: 'error', message: `${ctx.ruleId}: ${message}`, file: ctx.file };
  if ((node.kind === 'FieldMatch' || node.kind === 'Keyword') && node.origin.span) d.span = node.origin.span;
  throw new RuleError(d);
}

/** String form of a scalar for string matching (numbers and booleans as JSON writes them). */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function compileNode(n: IrNode, ctx: CompileContext): Pred {
  switch (n.kind) {
    case 'And': {
      const kids = n.children.map((c) => compileNode(c, ctx));
      if (kids.length === 2) {
        const [a, b] = kids as [Pred, Pred];
        return (ev) => a(ev) && b(ev);
      }
      return (ev) => {
        for (const k of kids) if (!k(ev)) return false;
        return true;
      };
    }
    case 'Or': {
      const kids = batchOr(n.children, ctx);
      if (kids.length === 1) return kids[0]!;
      return (ev) => {
        for (const k of kids) if (k(ev)) return true;
        return false;
      };
    }
    case 'Not': {
      const c = compileNode(n.child, ctx);
      return (ev) => !c(ev);
    }
    case 'Const': {
      const v = n.value;
      return () => v;
    }
    case 'FieldMatch':
      return compileField(n.field, [n.value], n, ctx);
    case 'Keyword':
      return compileKeyword([n.value], n, ctx);
  }
}

/**
 * Group Or children that test string values of the same field (or keywords) into one predicate each, and
 * regexes on the same field into one predicate too (compileRegexes).
 */
function batchOr(children: readonly IrNode[], ctx: CompileContext): Pred[] {
  const groups = new Map<string, { node: IrNode; values: IrValue[] }>();
  const out: (Pred | string)[] = [];
  for (const c of children) {
    if (
      (c.kind === 'FieldMatch' && (c.value.kind === 'Str' || c.value.kind === 'Re')) ||
      (c.kind === 'Keyword' && c.value.kind === 'Str')
    ) {
      const v = c.value;
      const key =
        (c.kind === 'Keyword' ? '\u0000kw' : 'f:' + c.field) +
        (v.kind === 'Re' ? ':re' : v.kind === 'Str' && v.cased ? ':c' : ':i');
      let g = groups.get(key);
      if (!g) {
        g = { node: c, values: [] };
        groups.set(key, g);
        out.push(key);
      }
      g.values.push(v);
    } else out.push(compileNode(c, ctx));
  }
  return out.map((x) => {
    if (typeof x !== 'string') return x;
    const { node, values } = groups.get(x)!;
    if (node.kind === 'Keyword') return compileKeyword(values, node, ctx);
    if (node.kind !== 'FieldMatch') throw new Error('unreachable: grouped a node that is no field match');
    if (values[0]!.kind === 'Re') {
      const re = compileRegexes(values as Extract<IrValue, { kind: 'Re' }>[], node, ctx);
      const test = (v: unknown): boolean => {
        const s = scalarText(v);
        return s !== undefined && re.test(s);
      };
      const field = node.field;
      return (ev) => anyScalar(fieldValue(ev, field), test);
    }
    return compileField(node.field, values, node, ctx);
  });
}

/**
 * Several Str values (alternatives) → one test over a folded string. With `literalOf` and `line`, a
 * contains / startswith / endswith needle whose prefilter literal the line is known to lack is not tested
 * (src/engine/prefilter-index.ts LineLiterals).
 */
function strBatch(
  values: readonly IrValue[],
  fold: boolean,
  literalOf?: (v: IrValue) => number,
  line: LineLiterals = NO_LINE,
): (s: string) => boolean {
  const eq = new Set<string>();
  const tests: StrTest[] = [];
  const lits = new Map<StrTest, number>();
  for (const v of values) {
    if (v.kind !== 'Str') continue;
    const t = strTest(v.parts, fold);
    if (t.kind === 'any') return () => true;
    if (t.kind === 'eq') eq.add(t.needle);
    else {
      tests.push(t);
      lits.set(t, literalOf?.(v) ?? -1);
    }
  }
  if (tests.length === 0) {
    if (eq.size === 1) {
      const only = eq.values().next().value as string;
      return (s) => s === only;
    }
    return (s) => eq.has(s);
  }
  if (tests.length === 1 && eq.size === 0) {
    const t = tests[0]!;
    const lit = lits.get(t)!;
    if (t.kind === 'contains') {
      const needle = t.needle;
      return (s) => !line.absent(lit) && s.includes(needle);
    }
    if (t.kind === 'suffix') {
      const needle = t.needle;
      return (s) => !line.absent(lit) && s.endsWith(needle);
    }
    if (t.kind === 'prefix') {
      const needle = t.needle;
      return (s) => !line.absent(lit) && s.startsWith(needle);
    }
  }
  // Needles with non-ASCII characters cannot occur in an all-ASCII value (most values): test those
  // only when the value has some non-ASCII character (emoji and homoglyph lists run to hundreds).
  const ascii = tests.filter(
    (t) =>
      t.kind === 'any' || t.kind === 're' || !NON_ASCII.test(t.kind === 'glob' ? t.segs.join('') : t.needle),
  );
  const wide = tests.filter((t) => !ascii.includes(t));
  // The common kinds in plain arrays: one monomorphic loop each instead of a dispatch per needle, with
  // each needle's literal id beside it.
  const of = (kind: 'contains' | 'prefix' | 'suffix'): StrTest[] => ascii.filter((t) => t.kind === kind);
  const texts = (ts: StrTest[]): string[] => ts.map((t) => (t as { needle: string }).needle);
  const ids = (ts: StrTest[]): Int32Array => Int32Array.from(ts, (t) => lits.get(t)!);
  const [contains, prefix, suffix] = [of('contains'), of('prefix'), of('suffix')];
  const [cText, pText, sText] = [texts(contains), texts(prefix), texts(suffix)];
  const [cLit, pLit, sLit] = [ids(contains), ids(prefix), ids(suffix)];
  const rest = ascii.filter((t) => t.kind !== 'contains' && t.kind !== 'prefix' && t.kind !== 'suffix');
  return (s) => {
    if (eq.size > 0 && eq.has(s)) return true;
    // Inline LineLiterals.absent: these loops run over hundreds of needles.
    const stamp = line.stamp;
    const scanned = line.scanned;
    const found = line.found;
    for (let i = 0; i < sText.length; i++) {
      const l = sLit[i]!;
      if (stamp !== 0 && l >= 0 && scanned[l] === 1 && found[l] !== stamp) continue;
      if (s.endsWith(sText[i]!)) return true;
    }
    for (let i = 0; i < pText.length; i++) {
      const l = pLit[i]!;
      if (stamp !== 0 && l >= 0 && scanned[l] === 1 && found[l] !== stamp) continue;
      if (s.startsWith(pText[i]!)) return true;
    }
    for (let i = 0; i < cText.length; i++) {
      const l = cLit[i]!;
      if (stamp !== 0 && l >= 0 && scanned[l] === 1 && found[l] !== stamp) continue;
      if (s.includes(cText[i]!)) return true;
    }
    for (const t of rest) if (runStrTest(t, s)) return true;
    if (wide.length > 0 && NON_ASCII.test(s)) for (const t of wide) if (runStrTest(t, s)) return true;
    return false;
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A scalar test (v is never an array here). */
type ScalarTest = (v: unknown, ev: EventView) => boolean;

function compileField(field: string, values: readonly IrValue[], node: IrNode, ctx: CompileContext): Pred {
  const first = values[0]!;
  if (first.kind === 'Null') {
    return (ev) => {
      const v = fieldValue(ev, field);
      return v === undefined || v === null;
    };
  }
  if (first.kind === 'Exists') {
    const want = first.value;
    return (ev) => {
      const v = fieldValue(ev, field);
      return (v !== undefined && v !== null) === want;
    };
  }
  if (first.kind === 'Str') {
    const fold = !first.cased;
    const test = strBatch(values, fold, literalOf(ctx, field), ctx.literals?.line);
    const other = (x: unknown): boolean => {
      const s = scalarText(x);
      return s !== undefined && test(fold ? s.toLowerCase() : s);
    };
    if (!fold) {
      return (ev) => {
        const v = fieldValue(ev, field);
        if (typeof v === 'string') return test(v);
        return v !== undefined && v !== null && anyScalar(v, other);
      };
    }
    return (ev) => {
      const l = ev.lowerString(field);
      if (l !== undefined) return test(l);
      const v = fieldValue(ev, field);
      return v !== undefined && v !== null && anyScalar(v, other);
    };
  }
  const t = scalarTest(first, node, ctx);
  const generic = (ev: EventView): boolean => {
    const v = fieldValue(ev, field);
    if (v === undefined || v === null) return false;
    return anyScalar(v, (x) => t(x, ev));
  };
  if (first.kind === 'FieldRef') {
    // Two string fields: compare their lowercased values, which the view keeps for the line.
    const { field: other, parts: how } = first;
    return (ev) => {
      const s = ev.lowerString(field);
      const r = s === undefined ? undefined : ev.lowerString(other);
      return r === undefined ? generic(ev) : refHolds(s!, r, how);
    };
  }
  return generic;
}

/** `s` (a field's value) against `r` (the referenced field's), both lowercased, as `fieldref` compares. */
function refHolds(s: string, r: string, how: Extract<IrValue, { kind: 'FieldRef' }>['parts']): boolean {
  if (how === 'contains') return s.includes(r);
  if (how === 'startswith') return s.startsWith(r);
  if (how === 'endswith') return s.endsWith(r);
  return s === r;
}

/** Arrays match when any element does; undefined/null never match a value test. */
function anyScalar(v: unknown, f: (x: unknown) => boolean): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (anyScalar(x, f)) return true;
    return false;
  }
  return f(v);
}

/** What the matchers need of a regex. */
interface RegexTest {
  test(s: string): boolean;
}

function compileRegex(value: Extract<IrValue, { kind: 'Re' }>, node: IrNode, ctx: CompileContext): RegexTest {
  const t = translateRegex(value.pattern, value.flags);
  if (!t.ok) reject(ctx, node, 'TL6004', `invalid regular expression: ${t.message}`);
  const why = hostileRegex(t.value.source);
  if (why !== undefined)
    reject(ctx, node, 'TL6003', `regular expression /${value.pattern}/ rejected: ${why}`);
  const f = t.value.flags;
  // `.{n,}` / `.{n,m}` / `.{n}` (length rules: "a command line of 1,000 characters or more"): some run of n
  // characters without a line break. Tried from every start, the regex is quadratic in a value shorter
  // than n (≈ 1 ms a test on a 900-character value; ≈ 1 % of the benchmark hunt, one rule).
  const length = /^\.\{(\d+)(?:,\d*)?\}$/.exec(t.value.source);
  if (length) {
    const n = Number(length[1]);
    return { test: f.s ? (s) => s.length >= n : (s) => longestLine(s) >= n };
  }
  const re = new RegExp(t.value.source, (f.i ? 'i' : '') + (f.m ? 'm' : '') + (f.s ? 's' : ''));
  // The plain runs every match holds in order, looked for first: native indexOf costs a fraction of
  // running most regexes (`\+.*\+.*\+…` over every command line), and most values lack them.
  // Case-insensitive regexes keep only the runs without letters (any runs kept in order still hold).
  const caseless = (r: string): boolean => r.toLowerCase() === r.toUpperCase();
  const exact = f.s ? undefined : dotStarRuns(t.value.source);
  if (exact && (!f.i || exact.every(caseless)))
    return { test: (s) => (LINE_TERMINATOR.test(s) ? re.test(s) : inOrder(s, exact)) };
  const runs = regexRuns(t.value.source)?.map((b) => (f.i ? b.filter(caseless) : b));
  if (!runs || runs.some((b) => b.length === 0)) return re;
  if (runs.length === 1) {
    const only = runs[0]!;
    return { test: (s) => inOrder(s, only) && re.test(s) };
  }
  return { test: (s) => runs.some((b) => inOrder(s, b)) && re.test(s) };
}

/**
 * Regexes that are alternatives on one field (`CommandLine|re: [a, b, …]`) as one test. Those compileRegex
 * runs as a bare RegExp (no cheaper precheck: case-insensitive, no literal runs) and that agree on flags
 * are joined into one `(?:a)|(?:b)|…`: one pass over the value instead of one per regex (six regexes of
 * one rule over process command lines: ≈ 300 → 100 ns). Not joined: regexes with backreferences or named
 * groups, whose numbering or names the join would change.
 */
function compileRegexes(
  values: readonly Extract<IrValue, { kind: 'Re' }>[],
  node: IrNode,
  ctx: CompileContext,
): RegexTest {
  const tests = values.map((v) => compileRegex(v, node, ctx));
  if (tests.length === 1) return tests[0]!;
  const bare = new Map<string, RegExp[]>();
  const rest: RegexTest[] = [];
  for (const t of tests) {
    if (t instanceof RegExp && !/\\[1-9k]|\(\?<[^=!]/.test(t.source)) {
      const list = bare.get(t.flags);
      if (list) list.push(t);
      else bare.set(t.flags, [t]);
    } else rest.push(t);
  }
  for (const [flags, list] of bare)
    rest.push(list.length === 1 ? list[0]! : new RegExp(list.map((r) => `(?:${r.source})`).join('|'), flags));
  if (rest.length === 1) return rest[0]!;
  return { test: (s) => rest.some((t) => t.test(s)) };
}

/** The length of the longest run of s without a line terminator (what `.` matches without the s flag). */
function longestLine(s: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) run = 0;
    else if (++run > best) best = run;
  }
  return best;
}

/** The strings occur in s one after another, without overlapping. */
function inOrder(s: string, runs: readonly string[]): boolean {
  let at = 0;
  for (const r of runs) {
    const i = s.indexOf(r, at);
    if (i < 0) return false;
    at = i + r.length;
  }
  return true;
}

function scalarTest(value: IrValue, node: IrNode, ctx: CompileContext): ScalarTest {
  switch (value.kind) {
    case 'Num': {
      const { value: n, raw } = value;
      return (v) => numEquals(v, n, raw);
    }
    case 'Bool': {
      const b = value.value;
      const text = String(b);
      return (v) => (typeof v === 'boolean' ? v === b : typeof v === 'string' && v.toLowerCase() === text);
    }
    case 'Re': {
      const re = compileRegex(value, node, ctx);
      return (v) => {
        const s = scalarText(v);
        return s !== undefined && re.test(s);
      };
    }
    case 'Cidr': {
      const test = cidrTester(value.cidr);
      if (!test) return reject(ctx, node, 'TL6001', `'${value.cidr}' is not a CIDR network`);
      return (v) => typeof v === 'string' && test(v);
    }
    case 'Compare': {
      const { op, value: bound } = value;
      const cmp = COMPARE[op];
      return (v) => {
        const x = numericValue(v);
        return x !== undefined && cmp(x, bound);
      };
    }
    case 'FieldRef': {
      const other = value.field;
      const how = value.parts;
      return (v, ev) => {
        const s = scalarText(v)?.toLowerCase();
        if (s === undefined) return false;
        return anyScalar(fieldValue(ev, other), (o) => {
          const r = scalarText(o)?.toLowerCase();
          return r !== undefined && refHolds(s, r, how);
        });
      };
    }
    case 'TimePart': {
      const { part, value: want } = value;
      return (v) => timePart(v, part) === want;
    }
    case 'QueryExpr':
      return reject(ctx, node, 'TL6001', 'query expression placeholders can only be printed, not evaluated');
    case 'Str':
    case 'Null':
    case 'Exists':
      return reject(ctx, node, 'TL6000', `value kind ${value.kind} reached scalarTest`);
  }
}

export const COMPARE: Record<'lt' | 'lte' | 'gt' | 'gte', (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

/**
 * Keywords search every scalar value of the event. A keyword without wildcards matches anywhere in a
 * value (full-text search, as SIEM backends and other Sigma engines treat unbound values).
 */
function compileKeyword(values: readonly IrValue[], node: IrNode, ctx: CompileContext): Pred {
  const first = values[0]!;
  if (first.kind === 'Str') {
    const fold = !first.cased;
    const patterns = values.map(keywordPattern);
    // Plain keywords (`*text*`, the usual case) are looked for in the event's one joined text: a list of
    // dozens of keywords then costs one includes per keyword, not one per keyword and value.
    const needles = fold ? containsNeedles(patterns) : undefined;
    const lit = literalOf(ctx, undefined);
    if (needles) {
      // The values themselves (not their `*…*` patterns): the same objects the prefilter took literals from.
      const ids = Int32Array.from(values, (v) => lit?.(v) ?? -1);
      const line = ctx.literals?.line ?? NO_LINE;
      return (ev) => {
        let text: string | undefined;
        for (let i = 0; i < needles.length; i++) {
          if (line.absent(ids[i]!)) continue;
          text ??= ev.lowerText();
          if (text.includes(needles[i]!)) return true;
        }
        return false;
      };
    }
    const test = strBatch(patterns, fold, lit, ctx.literals?.line);
    return (ev) => {
      for (const s of allValues(ev)) if (test(fold ? s.toLowerCase() : s)) return true;
      return false;
    };
  }
  if (first.kind === 'Num' || first.kind === 'Bool') {
    const text = first.kind === 'Num' ? first.raw : String(first.value);
    return compileKeyword(
      [{ kind: 'Str', parts: [{ kind: 'Lit', text }], cased: false }, ...values.slice(1)],
      node,
      ctx,
    );
  }
  if (first.kind === 'Re') {
    const re = compileRegex(first, node, ctx);
    return (ev) => allValues(ev).some((s) => re.test(s));
  }
  return reject(ctx, node, 'TL6001', `a keyword of kind ${first.kind} cannot be evaluated`);
}

/** The needles of Str values that are all `*text*` (text without U+0000, the joining character). */
function containsNeedles(values: readonly IrValue[]): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    if (v.kind !== 'Str') return undefined;
    const t = strTest(v.parts, true);
    if (t.kind !== 'contains' || t.needle === '' || t.needle.includes('\u0000')) return undefined;
    out.push(t.needle);
  }
  return out;
}

export function keywordPattern(v: IrValue): IrValue {
  if (v.kind !== 'Str') return v;
  const parts = [...v.parts];
  if (parts[0]?.kind !== 'WildcardMulti') parts.unshift({ kind: 'WildcardMulti' });
  if (parts[parts.length - 1]?.kind !== 'WildcardMulti') parts.push({ kind: 'WildcardMulti' });
  return { ...v, parts };
}
