/**
 * Processing conditions (pySigma sigma/processing/conditions/*): rule conditions, detection item
 * conditions and field name conditions, each type a parser for its parameters and a matcher.
 */
import type { IrNode, IrValue } from '../ir/types.js';
import { envError, type ApplyEnv, type Target } from './env.js';
import { appliedTo, someLeaf, treeFields, type DetectionItem } from './detection-items.js';
import { compilePyRegex, pyMatch, type PyRegex } from './py-regex.js';
import type { ParamReader } from './params.js';
import { parseSigmaString, partsEqual, strToPlain } from './sigma-string.js';
import type { CondExpr, ConditionGroup } from './types.js';

export interface RuleConditionDef<P = unknown> {
  parse(r: ParamReader): P;
  match(p: P, target: Target, env: ApplyEnv): boolean;
}

export interface ItemConditionDef<P = unknown> {
  parse(r: ParamReader): P;
  match(p: P, item: DetectionItem, env: ApplyEnv): boolean;
}

export interface FieldConditionDef<P = unknown> {
  parse(r: ParamReader): P;
  matchField(p: P, field: string | undefined, env: ApplyEnv): boolean;
  /** Defaults to: the item's field matches, or one of its values is a field reference that does. */
  matchItem?(p: P, item: DetectionItem, env: ApplyEnv): boolean;
}

// Type erasure for the tables: each entry's parse and match agree on P.
const rule = <P>(d: RuleConditionDef<P>): RuleConditionDef => d;
const item = <P>(d: ItemConditionDef<P>): ItemConditionDef => d;
const fieldCond = <P>(d: FieldConditionDef<P>): FieldConditionDef => d;

interface StateParams {
  key: string;
  val: unknown;
  op: 'eq' | 'ne' | 'gte' | 'gt' | 'lte' | 'lt';
}

const stateOps = ['eq', 'ne', 'gte', 'gt', 'lte', 'lt'] as const;

function parseState(r: ParamReader): StateParams {
  const key = r.str('key');
  if (!r.has('val')) r.error("missing parameter 'val'", 'val');
  const val = r.any('val');
  return { key, val, op: r.oneOf('op', stateOps, 'eq') };
}

function compare(a: unknown, b: unknown, op: StateParams['op']): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    default: {
      const comparable =
        (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
      if (!comparable) return false;
      const x = a;
      const y = b;
      return op === 'gte' ? x >= y : op === 'gt' ? x > y : op === 'lte' ? x <= y : x < y;
    }
  }
}

function matchState(p: StateParams, env: ApplyEnv): boolean {
  if (!(p.key in env.state)) return false;
  return compare(env.state[p.key], p.val, p.op);
}

type ValueTest = (v: IrValue | undefined) => boolean;

/**
 * pySigma's sigma_type(): the Sigma value a condition parameter stands for, as a test made once
 * when the pipeline is loaded (a string parameter is parsed here, not for every value compared).
 */
function valueTest(expected: unknown): ValueTest {
  if (typeof expected === 'string') {
    const parts = parseSigmaString(expected);
    return (v) => v?.kind === 'Str' && partsEqual(v.parts, parts);
  }
  if (typeof expected === 'boolean') return (v) => v?.kind === 'Bool' && v.value === expected;
  if (typeof expected === 'number') return (v) => v?.kind === 'Num' && v.value === expected;
  if (expected === null) return (v) => v?.kind === 'Null';
  return () => false;
}

function allConditionTrees(target: Target): IrNode[] {
  return target.kind === 'Rule' ? target.rule.conditions : [];
}

const levels = ['informational', 'low', 'medium', 'high', 'critical'];
const statuses = ['unsupported', 'deprecated', 'experimental', 'test', 'stable'];

interface AttrParams {
  attribute: string;
  value: unknown;
  op: 'eq' | 'ne' | 'gte' | 'gt' | 'lte' | 'lt' | 'in' | 'not_in';
}

function ruleAttribute(target: Target, name: string): unknown {
  if (target.kind === 'Rule') {
    const r = target.rule;
    const builtin: Record<string, unknown> = {
      id: r.id,
      title: r.title,
      name: r.name,
      level: r.level,
      status: r.status,
      tags: r.tags,
    };
    if (builtin[name] !== undefined) return builtin[name];
    return r.attributes[name];
  }
  const c = target.correlation;
  const builtin: Record<string, unknown> = { id: c.id, title: c.title, name: c.name, level: c.level };
  return builtin[name];
}

function matchAttribute(p: AttrParams, target: Target, env: ApplyEnv): boolean {
  const value = ruleAttribute(target, p.attribute);
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) {
    if (p.op === 'in') return value.includes(p.value);
    if (p.op === 'not_in') return !value.includes(p.value);
    return p.op === 'ne';
  }
  if (p.op === 'in' || p.op === 'not_in') {
    envError(
      env,
      'TL4103',
      `rule_attribute: operator '${p.op}' needs a list attribute, '${p.attribute}' is not one`,
    );
    return false;
  }
  const ordered = p.attribute === 'level' ? levels : p.attribute === 'status' ? statuses : undefined;
  if (ordered && typeof value === 'string') {
    const a = ordered.indexOf(value.toLowerCase());
    const b = typeof p.value === 'string' ? ordered.indexOf(p.value.toLowerCase()) : -1;
    if (b < 0) {
      envError(env, 'TL4103', `rule_attribute: '${String(p.value)}' is not a valid ${p.attribute}`);
      return false;
    }
    return compare(a, b, p.op);
  }
  if (typeof value === 'number') {
    const b = Number(p.value);
    if (Number.isNaN(b)) {
      envError(env, 'TL4103', `rule_attribute: '${String(p.value)}' is not a number`);
      return false;
    }
    return compare(value, b, p.op);
  }
  if (
    value instanceof Date ||
    ((p.attribute === 'date' || p.attribute === 'modified') && typeof value === 'string')
  ) {
    const a = value instanceof Date ? value.toISOString().slice(0, 10) : value.replaceAll('/', '-');
    if (typeof p.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.value)) {
      envError(env, 'TL4103', `rule_attribute: '${String(p.value)}' is not a date (YYYY-MM-DD)`);
      return false;
    }
    return compare(a, p.value, p.op);
  }
  if (typeof value === 'string') {
    if (p.op === 'eq') return value === String(p.value);
    if (p.op === 'ne') return value !== String(p.value);
    envError(env, 'TL4103', `rule_attribute: operator '${p.op}' is not defined for strings`);
    return false;
  }
  envError(env, 'TL4103', `rule_attribute: attribute '${p.attribute}' has a type that cannot be compared`);
  return false;
}

type LogsourceFields = {
  category?: string | undefined;
  product?: string | undefined;
  service?: string | undefined;
};

// A plain function, not a closure per call: pipelines test a logsource condition for every rule.
function logsourceMatches(p: LogsourceFields, ls: LogsourceFields): boolean {
  return (
    (p.category === undefined || p.category === ls.category) &&
    (p.product === undefined || p.product === ls.product) &&
    (p.service === undefined || p.service === ls.service)
  );
}

export const ruleConditions: Record<string, RuleConditionDef> = {
  logsource: rule({
    parse: (r) => {
      const p = {
        category: r.optStr('category'),
        product: r.optStr('product'),
        service: r.optStr('service'),
      };
      if (p.category === undefined && p.product === undefined && p.service === undefined) {
        r.error('a logsource condition needs at least one of category, product, service');
      }
      return p;
    },
    match: (p, target, env) => {
      if (target.kind === 'Rule') return logsourceMatches(p, target.rule.logsource);
      // A correlation matches when one of its (resolved) rules does.
      for (const ref of target.correlation.rules) {
        const r = env.resolveRule?.(ref);
        if (r && 'logsource' in r && logsourceMatches(p, r.logsource)) return true;
      }
      return false;
    },
  }),
  contains_detection_item: rule({
    parse: (r) => {
      const field = r.optStr('field');
      if (!r.has('value')) r.error("missing parameter 'value'", 'value');
      const value = r.any('value');
      return { field, value, matches: valueTest(value) };
    },
    match: (p, target, env) =>
      allConditionTrees(target).some(
        (t) =>
          p.field !== undefined &&
          treeFields(t, env.itemMemo).fields.has(p.field) &&
          someLeaf(t, (l) => l.kind === 'FieldMatch' && l.field === p.field && p.matches(l.value)),
      ),
  }),
  contains_field: rule({
    parse: (r) => ({ field: r.optStr('field') }),
    match: (p, target, env) =>
      allConditionTrees(target).some(
        (t) => p.field !== undefined && treeFields(t, env.itemMemo).fields.has(p.field),
      ),
  }),
  processing_item_applied: rule({
    parse: (r) => ({ id: r.str('processing_item_id') }),
    match: (p, _t, env) => env.ruleApplied.has(p.id),
  }),
  processing_state: rule({ parse: parseState, match: (p, _t, env) => matchState(p, env) }),
  is_sigma_rule: rule({ parse: () => ({}), match: (_p, t) => t.kind === 'Rule' }),
  is_sigma_correlation_rule: rule({ parse: () => ({}), match: (_p, t) => t.kind === 'Correlation' }),
  rule_attribute: rule({
    parse: (r): AttrParams => {
      const attribute = r.str('attribute');
      if (!r.has('value')) r.error("missing parameter 'value'", 'value');
      return {
        attribute,
        value: r.any('value'),
        op: r.oneOf('op', ['eq', 'ne', 'gte', 'gt', 'lte', 'lt', 'in', 'not_in'], 'eq'),
      };
    },
    match: matchAttribute,
  }),
  tag: rule({
    parse: (r) => ({ tag: r.str('tag') }),
    match: (p, t) => t.kind === 'Rule' && t.rule.tags.includes(p.tag),
  }),
};

type SlotMatcher = (value: IrValue | undefined) => boolean;

function valueCondition<P>(parse: (r: ParamReader) => P, test: (p: P) => SlotMatcher): ItemConditionDef {
  return item({
    parse: (r) => {
      const cond = r.oneOf('cond', ['any', 'all'], undefined);
      const p = parse(r);
      return { cond, p, m: test(p) };
    },
    match: (x, it) => {
      const m = x.m;
      if (x.cond === 'any') {
        for (const s of it.slots) if (m(s.value)) return true;
        return false;
      }
      for (const s of it.slots) if (!m(s.value)) return false;
      return true;
    },
  });
}

function compileParam(r: ParamReader, key: string): PyRegex | undefined {
  const src = r.str(key);
  const rx = compilePyRegex(src);
  if (typeof rx === 'string') {
    r.error(`invalid regular expression '${src}': ${rx}`, key);
    return undefined;
  }
  return rx;
}

export const detectionItemConditions: Record<string, ItemConditionDef> = {
  match_string: valueCondition(
    (r) => ({ re: compileParam(r, 'pattern'), negate: r.bool('negate', false) }),
    (p) => (v) => {
      const res = v?.kind === 'Str' && p.re !== undefined && pyMatch(p.re, strToPlain(v.parts));
      return p.negate ? !res : res;
    },
  ),
  match_value: valueCondition(
    (r) => {
      if (!r.has('value')) r.error("missing parameter 'value'", 'value');
      return { value: r.any('value') };
    },
    (p) => valueTest(p.value),
  ),
  contains_wildcard: valueCondition(
    () => ({}),
    () => (v) =>
      v?.kind === 'Str' && v.parts.some((x) => x.kind === 'WildcardMulti' || x.kind === 'WildcardSingle'),
  ),
  is_null: valueCondition(
    () => ({}),
    () => (v) => v?.kind === 'Null',
  ),
  processing_item_applied: item({
    parse: (r) => ({ id: r.str('processing_item_id') }),
    match: (p, it) => appliedTo(it.node, p.id),
  }),
  processing_state: item({ parse: parseState, match: (p, _it, env) => matchState(p, env) }),
};

interface FieldListParams {
  fields: string[];
  patterns: PyRegex[] | undefined;
}

function parseFieldList(r: ParamReader): FieldListParams {
  const fields = r.strList('fields') ?? [];
  const mode = r.oneOf('mode', ['plain', 're'], 'plain');
  if (mode === 'plain') return { fields, patterns: undefined };
  const patterns: PyRegex[] = [];
  for (const f of fields) {
    const rx = compilePyRegex(f);
    if (typeof rx === 'string') r.error(`invalid regular expression '${f}': ${rx}`, 'fields');
    else patterns.push(rx);
  }
  return { fields, patterns };
}

function includes(p: FieldListParams, field: string | undefined): boolean {
  if (field === undefined) return false;
  if (!p.patterns) return p.fields.includes(field);
  for (const rx of p.patterns) if (pyMatch(rx, field)) return true;
  return false;
}

export const fieldNameConditions: Record<string, FieldConditionDef> = {
  include_fields: fieldCond({ parse: parseFieldList, matchField: (p, f) => includes(p, f) }),
  exclude_fields: fieldCond({ parse: parseFieldList, matchField: (p, f) => !includes(p, f) }),
  processing_item_applied: fieldCond({
    parse: (r) => ({ id: r.str('processing_item_id') }),
    matchField: (p, f, env) => f !== undefined && (env.fieldApplied.get(f)?.has(p.id) ?? false),
    matchItem: (p, it) => appliedTo(it.node, p.id),
  }),
  processing_state: fieldCond({ parse: parseState, matchField: (p, _f, env) => matchState(p, env) }),
};

/** The three condition tables, by level. */
export const conditionTables = {
  rule: ruleConditions,
  detectionItem: detectionItemConditions,
  fieldName: fieldNameConditions,
} as const;

export type ConditionLevel = keyof typeof conditionTables;

// ---------------------------------------------------------------------------------------------------
// Condition expressions (rule_cond_expr, …): identifiers, not, and, or, parentheses; and/or are
// left-associative, not binds tightest (pySigma uses pyparsing's infix_notation the same way).

export function parseCondExpr(text: string): CondExpr | string {
  const tokens = text.match(/[\w-]+|\S/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  // Operators are lower-case only, as in pySigma's pyparsing grammar.
  const isKw = (t: string | undefined, kw: string): boolean => t === kw;
  const primary = (): CondExpr | string => {
    const t = peek();
    if (t === undefined) return 'unexpected end of expression';
    if (isKw(t, 'not')) {
      pos++;
      const c = primary();
      return typeof c === 'string' ? c : { kind: 'Not', child: c };
    }
    if (t === '(') {
      pos++;
      const e = orExpr();
      if (typeof e === 'string') return e;
      if (peek() !== ')') return `expected ')' but found '${peek() ?? 'end of expression'}'`;
      pos++;
      return e;
    }
    if (/^[\w-]+$/.test(t) && !isKw(t, 'and') && !isKw(t, 'or')) {
      pos++;
      return { kind: 'Ref', name: t };
    }
    return `unexpected '${t}'`;
  };
  const binary = (kw: 'and' | 'or', next: () => CondExpr | string): CondExpr | string => {
    let left = next();
    while (typeof left !== 'string' && isKw(peek(), kw)) {
      pos++;
      const right = next();
      if (typeof right === 'string') return right;
      left = { kind: kw === 'and' ? 'And' : 'Or', left, right };
    }
    return left;
  };
  const andExpr = (): CondExpr | string => binary('and', primary);
  const orExpr = (): CondExpr | string => binary('or', andExpr);
  const e = orExpr();
  if (typeof e === 'string') return e;
  if (pos < tokens.length) return `unexpected '${tokens[pos]!}'`;
  return e;
}

export function exprRefs(e: CondExpr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'Ref':
      out.add(e.name);
      break;
    case 'Not':
      exprRefs(e.child, out);
      break;
    default:
      exprRefs(e.left, out);
      exprRefs(e.right, out);
  }
  return out;
}

type Condition = ConditionGroup['conditions'][number];

/**
 * A condition test with its subject passed along rather than captured, so evaluating a group (which
 * happens for every processing item × rule, and for every detection item of field and value
 * transformations) allocates nothing.
 */
type CondTest<A> = (c: Condition, arg: A, env: ApplyEnv) => boolean;

/** Conditions by reference name, for groups written with an expression (made once per group). */
const refTables = new WeakMap<ConditionGroup, Map<string, Condition>>();

function refTable(g: ConditionGroup): Map<string, Condition> {
  let t = refTables.get(g);
  if (!t) {
    t = new Map(g.conditions.map((c) => [c.ref, c]));
    refTables.set(g, t);
  }
  return t;
}

// Both operands are always evaluated, as pySigma does: a condition may report an error.
function evalExpr<A>(
  e: CondExpr,
  byRef: Map<string, Condition>,
  test: CondTest<A>,
  arg: A,
  env: ApplyEnv,
): boolean {
  switch (e.kind) {
    case 'Ref': {
      const c = byRef.get(e.name);
      return c !== undefined && test(c, arg, env);
    }
    case 'Not':
      return !evalExpr(e.child, byRef, test, arg, env);
    case 'And': {
      const l = evalExpr(e.left, byRef, test, arg, env);
      const r = evalExpr(e.right, byRef, test, arg, env);
      return l && r;
    }
    case 'Or': {
      const l = evalExpr(e.left, byRef, test, arg, env);
      const r = evalExpr(e.right, byRef, test, arg, env);
      return l || r;
    }
  }
}

function evalWith<A>(g: ConditionGroup, test: CondTest<A>, arg: A, env: ApplyEnv): boolean {
  let res: boolean;
  if (g.expr) res = evalExpr(g.expr, refTable(g), test, arg, env);
  else {
    // Every condition is evaluated (no short cut), as in pySigma's all()/any() over a list.
    const and = g.op === 'and';
    res = and;
    for (const c of g.conditions) {
      if (test(c, arg, env) !== and) res = !and;
    }
  }
  return g.not ? !res : res;
}

const testRule: CondTest<Target> = (c, target, env) =>
  ruleConditions[c.cond.type]!.match(c.cond.params, target, env);

const testItem: CondTest<DetectionItem> = (c, it, env) =>
  detectionItemConditions[c.cond.type]!.match(c.cond.params, it, env);

const testFieldItem: CondTest<DetectionItem> = (c, it, env) => {
  const def = fieldNameConditions[c.cond.type]!;
  return def.matchItem
    ? def.matchItem(c.cond.params, it, env)
    : defaultMatchItem(def, c.cond.params, it, env);
};

const testFieldName: CondTest<string | undefined> = (c, field, env) =>
  fieldNameConditions[c.cond.type]!.matchField(c.cond.params, field, env);

export function matchRuleConditions(g: ConditionGroup, target: Target, env: ApplyEnv): boolean {
  // pySigma: an item without rule conditions always applies, even with rule_cond_not.
  if (g.conditions.length === 0) return true;
  return evalWith(g, testRule, target, env);
}

export function matchItemConditions(g: ConditionGroup, it: DetectionItem, env: ApplyEnv): boolean {
  return evalWith(g, testItem, it, env);
}

function defaultMatchItem(def: FieldConditionDef, p: unknown, it: DetectionItem, env: ApplyEnv): boolean {
  if (def.matchField(p, it.field, env)) return true;
  for (const s of it.slots) {
    if (s.value?.kind === 'FieldRef' && def.matchField(p, s.value.field, env)) return true;
  }
  return false;
}

export function matchFieldItemConditions(g: ConditionGroup, it: DetectionItem, env: ApplyEnv): boolean {
  return evalWith(g, testFieldItem, it, env);
}

/** Field-name condition groups that every condition decides from field names alone (no matchItem). */
const byNameOnly = new WeakMap<ConditionGroup, boolean>();

/**
 * Whether the group can select some detection item of tree. False only when it is certain: each
 * condition judges field names alone, the tree has no field references, and no leaf's field
 * passes; then a transformation limited by the group would leave the tree as it is.
 */
export function mayMatchFieldItems(g: ConditionGroup, tree: IrNode, env: ApplyEnv): boolean {
  let nameOnly = byNameOnly.get(g);
  if (nameOnly === undefined) {
    nameOnly = g.conditions.every((c) => fieldNameConditions[c.cond.type]?.matchItem === undefined);
    byNameOnly.set(g, nameOnly);
  }
  if (!nameOnly) return true;
  const t = treeFields(tree, env.itemMemo);
  if (t.fieldRefs || (t.keywords && evalWith(g, testFieldName, undefined, env))) return true;
  for (const f of t.fields) if (evalWith(g, testFieldName, f, env)) return true;
  return false;
}

export function matchFieldName(g: ConditionGroup, field: string | undefined, env: ApplyEnv): boolean {
  return evalWith(g, testFieldName, field, env);
}
