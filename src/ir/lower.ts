/**
 * Sigma AST → IR. Applies every value modifier and resolves the condition against the selections,
 * keeping pySigma's tree shape: a selection map is an And of its items, a list of maps an Or, a value list
 * an Or (And with `all`), `1 of x*` an Or over the matching selections; And/Or with a single child
 * collapse to the child, chains of the same operator are flat (as pyparsing's infix notation builds them).
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import type { Result } from '../diagnostics/index.js';
import type {
  ConditionNode,
  DetectionGroup,
  DetectionItem,
  NamedDetection,
  SigmaCorrelation,
  SigmaFilter,
  SigmaRule,
  SigmaScalar,
} from '../sigma/ast.js';
import { matchSelections } from '../sigma/condition.js';
import { packed } from '../sigma/packed.js';
import { translateRegex } from '../sigma/regex.js';
import { isCidr } from '../sigma/validate.js';
import {
  base64,
  base64Offsets,
  hasSpecial,
  insertPlaceholders,
  mergeLits,
  parseSigmaString,
  plainText,
  textBytes,
  utf16Chars,
  windashVariants,
} from './strings.js';
import type {
  CompareOp,
  IrCorrelation,
  IrNode,
  IrRule,
  IrValue,
  Origin,
  StrPart,
  TimePart,
} from './types.js';

export function ruleId(doc: { id?: string; file: string; index: number }): string {
  return doc.id ?? `${doc.file}#${doc.index}`;
}

export function lowerRule(rule: SigmaRule): Result<IrRule> {
  const diags: Diagnostic[] = [];
  const conditions = lowerConditions(
    rule.detection.selections,
    rule.detection.conditions.map((c) => c.ast),
    rule.file,
    diags,
  );
  if (conditions === undefined || diags.some((d) => d.severity === 'error')) return fail(diags);
  const ir: IrRule = {
    id: ruleId(rule),
    title: rule.title,
    logsource: pickLogsource(rule.logsource),
    conditions,
    tags: rule.tags,
    file: rule.file,
    attributes: rule.raw,
  };
  if (rule.name !== undefined) ir.name = rule.name;
  if (rule.level !== undefined) ir.level = rule.level;
  if (rule.status !== undefined) ir.status = rule.status;
  return ok(ir, diags);
}

/** A filter's detection as IR (one tree; the engine negates nothing: the condition says what to keep out). */
export function lowerFilter(filter: SigmaFilter): Result<IrNode[]> {
  const diags: Diagnostic[] = [];
  const conditions = lowerConditions(
    filter.detection.selections,
    filter.detection.conditions.map((c) => c.ast),
    filter.file,
    diags,
  );
  if (conditions === undefined || diags.some((d) => d.severity === 'error')) return fail(diags);
  return ok(conditions, diags);
}

export function lowerCorrelation(c: SigmaCorrelation): Result<IrCorrelation> {
  const ir: IrCorrelation = {
    id: ruleId(c),
    title: c.title,
    type: c.type as IrCorrelation['type'],
    rules: c.rules,
    groupBy: c.groupBy,
    timespan: c.timespanSeconds,
    timespanRaw: c.timespan,
    condition: c.condition ?? { bounds: [{ op: 'gte', value: c.rules.length }] },
    aliases: c.aliases,
    generate: c.generate,
  };
  if (c.name !== undefined) ir.name = c.name;
  if (c.level !== undefined) ir.level = c.level;
  return ok(ir);
}

function pickLogsource(ls: SigmaRule['logsource']): IrRule['logsource'] {
  const out: IrRule['logsource'] = {};
  if (ls.category !== undefined) out.category = ls.category;
  if (ls.product !== undefined) out.product = ls.product;
  if (ls.service !== undefined) out.service = ls.service;
  return out;
}

function lowerConditions(
  selections: readonly NamedDetection[],
  conditions: readonly (ConditionNode | undefined)[],
  file: string,
  diags: Diagnostic[],
): IrNode[] | undefined {
  const byName = new Map(selections.map((s) => [s.name, s]));
  const names = selections.map((s) => s.name);
  const out: IrNode[] = [];
  for (const c of conditions) {
    if (!c) return undefined;
    const lowerSel = (name: string): IrNode | undefined => {
      const s = byName.get(name);
      return s ? lowerGroup(s.body, name, file, diags) : undefined;
    };
    const walk = (n: ConditionNode): IrNode | undefined => {
      switch (n.kind) {
        case 'And':
        case 'Or': {
          const kids: IrNode[] = [];
          // Flatten chains of the same operator written without parentheses, as pyparsing does;
          // `a and (b and c)` stays nested, as it does for pySigma.
          const collect = (x: ConditionNode): boolean => {
            if (x.kind === n.kind && x.parens !== true) {
              return collect(x.left) && collect(x.right);
            }
            const l = walk(x);
            if (l) kids.push(l);
            return true;
          };
          collect(n.left);
          collect(n.right);
          return combine(n.kind, packed(kids));
        }
        case 'Not': {
          const inner = walk(n.operand);
          return inner ? { kind: 'Not', child: inner } : undefined;
        }
        case 'Ref': {
          const l = lowerSel(n.name);
          if (!l && !byName.has(n.name)) {
            diags.push({
              code: 'TL2002',
              severity: 'error',
              message: `undefined selection '${n.name}'`,
              file,
              span: n.span,
            });
          }
          return l;
        }
        case 'Quantified': {
          const matched = matchSelections(n.pattern, names);
          if (matched.length === 0) {
            diags.push({
              code: 'TL2005',
              severity: 'error',
              message: `'${n.pattern}' matches no selection`,
              file,
              span: n.span,
            });
            return undefined;
          }
          const kids = matched.map(lowerSel).filter((x): x is IrNode => x !== undefined);
          return combine(n.quantifier === 'all' ? 'And' : 'Or', packed(kids));
        }
      }
    };
    const tree = walk(c);
    if (!tree) return undefined;
    out.push(tree);
  }
  return packed(out);
}

function combine(kind: 'And' | 'Or', children: IrNode[]): IrNode | undefined {
  if (children.length === 0) return undefined;
  if (children.length === 1) return children[0];
  return { kind, children };
}

function lowerGroup(
  g: DetectionGroup,
  selection: string,
  file: string,
  diags: Diagnostic[],
): IrNode | undefined {
  const kids: IrNode[] = [];
  for (const it of g.items) {
    const l =
      it.kind === 'DetectionGroup'
        ? lowerGroup(it, selection, file, diags)
        : lowerItem(it, selection, file, diags);
    if (l) kids.push(l);
  }
  return combine(g.linking === 'and' ? 'And' : 'Or', packed(kids));
}

interface ItemCtx {
  item: DetectionItem;
  file: string;
  diags: Diagnostic[];
}

function valueError(
  ctx: ItemCtx,
  v: SigmaScalar,
  message: string,
  code: Diagnostic['code'] = 'TL3005',
): undefined {
  ctx.diags.push({ code, severity: 'error', message, file: ctx.file, span: v.span });
  return undefined;
}

function lowerItem(
  item: DetectionItem,
  selection: string,
  file: string,
  diags: Diagnostic[],
): IrNode | undefined {
  const ctx: ItemCtx = { item, file, diags };
  const mods = item.modifiers.map((m) => m.name);
  const origin: Origin = { selection, key: item.key, span: item.span, modifiers: mods };
  const valueMods = mods.filter((m) => m !== 'all' && m !== 'neq');
  // The modifier chain is read once per item, not once per value (items can list hundreds of values).
  const plan = planModifiers(valueMods);
  // Each written value becomes one value or several (an expansion: windash, base64offset → an Or).
  const lowered: (IrValue | IrValue[])[] = [];
  for (const v of item.values) {
    const r = applyModifiers(v, plan, ctx);
    if (r === undefined) return undefined;
    lowered.push(r);
  }
  const leaf = (value: IrValue): IrNode =>
    item.field === undefined
      ? { kind: 'Keyword', value, origin }
      : { kind: 'FieldMatch', field: item.field, value, origin };
  const perValue: IrNode[] = lowered.map((vs) =>
    !Array.isArray(vs) ? leaf(vs) : vs.length === 1 ? leaf(vs[0]!) : { kind: 'Or', children: vs.map(leaf) },
  );
  let node: IrNode | undefined;
  if (perValue.length === 0) {
    if (item.field === undefined) {
      diags.push({
        code: 'TL3007',
        severity: 'error',
        message: 'an empty keyword list matches nothing',
        file,
        span: item.span,
      });
      return undefined;
    }
    node = leaf({ kind: 'Null' });
  } else node = combine(mods.includes('all') ? 'And' : 'Or', perValue);
  if (node && mods.includes('neq')) node = { kind: 'Not', child: node };
  return node;
}

function scalarString(v: SigmaScalar): string | undefined {
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return v.raw;
  if (v.kind === 'boolean') return v.value ? 'true' : 'false';
  return undefined;
}

const TIME_PARTS: ReadonlySet<string> = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
/** Modifiers that only wrap a string in wildcards or set case: the common case, lowered without copies. */
const SIMPLE_STRING_MODS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith', 'cased']);

/** What a modifier chain asks for, worked out once per detection item. */
interface ModPlan {
  mods: readonly string[];
  exists: boolean;
  re: boolean;
  cidr: boolean;
  fieldref: boolean;
  flags: { i: boolean; m: boolean; s: boolean };
  strMod: 'contains' | 'startswith' | 'endswith' | undefined;
  cmp: CompareOp | undefined;
  tp: TimePart | undefined;
  /** Some modifier other than `cased`: the value is a string whatever its YAML type. */
  stringy: boolean;
  /** Only contains/startswith/endswith/cased: no part merging needed. */
  simple: boolean;
}

function planModifiers(mods: readonly string[]): ModPlan {
  return {
    mods,
    exists: mods.includes('exists'),
    re: mods.includes('re'),
    cidr: mods.includes('cidr'),
    fieldref: mods.includes('fieldref'),
    flags: { i: mods.includes('i'), m: mods.includes('m'), s: mods.includes('s') },
    strMod: mods.find(
      (m): m is 'contains' | 'startswith' | 'endswith' =>
        m === 'contains' || m === 'startswith' || m === 'endswith',
    ),
    cmp: mods.find((m): m is CompareOp => m === 'lt' || m === 'lte' || m === 'gt' || m === 'gte'),
    tp: mods.find((m): m is TimePart => TIME_PARTS.has(m)),
    stringy: mods.some((m) => m !== 'cased'),
    simple: mods.every((m) => SIMPLE_STRING_MODS.has(m)),
  };
}

/** The value(s) `v` stands for: one value, or a list when a modifier expands it (windash, base64offset). */
function applyModifiers(v: SigmaScalar, plan: ModPlan, ctx: ItemCtx): IrValue | IrValue[] | undefined {
  const mods = plan.mods;
  // Modifiers that replace the value's type entirely.
  if (plan.exists) {
    if (v.kind !== 'boolean') return valueError(ctx, v, "'exists' takes true or false");
    return { kind: 'Exists', value: v.value };
  }
  if (plan.re) {
    const s = scalarString(v);
    if (s === undefined) return valueError(ctx, v, 'a regular expression must be a string');
    const flags = { ...plan.flags };
    const t = translateRegex(s, flags);
    if (!t.ok) return valueError(ctx, v, `invalid regular expression: ${t.message}`, 'TL3003');
    let pattern = s;
    if (plan.strMod) pattern = anchorRegex(pattern, plan.strMod);
    return { kind: 'Re', pattern, flags };
  }
  if (plan.cidr) {
    const s = scalarString(v);
    if (s === undefined || !isCidr(s)) return valueError(ctx, v, `'${s ?? 'null'}' is not a CIDR network`);
    return { kind: 'Cidr', cidr: s, version: s.includes(':') ? 6 : 4 };
  }
  const cmp = plan.cmp;
  if (cmp) {
    const n =
      v.kind === 'number' ? v.value : v.kind === 'string' && v.value.trim() !== '' ? Number(v.value) : NaN;
    if (!Number.isFinite(n)) return valueError(ctx, v, 'comparison modifiers need a number');
    return { kind: 'Compare', op: cmp, value: n, raw: v.kind === 'number' ? v.raw : String(n) };
  }
  const tp = plan.tp;
  if (tp) {
    const n = v.kind === 'number' ? v.value : Number(scalarString(v));
    if (!Number.isInteger(n)) return valueError(ctx, v, `'${tp}' needs a whole number`);
    return { kind: 'TimePart', part: tp, value: n };
  }
  if (plan.fieldref) {
    const s = scalarString(v);
    if (s === undefined || s === '') return valueError(ctx, v, "'fieldref' takes a field name");
    const fr: IrValue = { kind: 'FieldRef', field: s };
    if (plan.strMod) fr.parts = plan.strMod;
    return fr;
  }
  // Plain values without string modifiers keep their YAML type.
  if (!plan.stringy || mods.length === 0) {
    if (v.kind === 'null') return { kind: 'Null' };
    if (v.kind === 'boolean') return { kind: 'Bool', value: v.value };
    if (v.kind === 'number') return { kind: 'Num', value: v.value, raw: v.raw };
  }
  if (v.kind === 'null') return valueError(ctx, v, 'null cannot be combined with string modifiers');
  if (plan.simple) {
    // parseSigmaString never yields empty or adjacent literals and wrap adds only wildcards, so the
    // merge below would change nothing.
    let parts = parseSigmaString(scalarString(v)!);
    let cased = false;
    for (const m of mods) {
      if (m === 'contains') parts = wrap(parts, true, true);
      else if (m === 'startswith') parts = wrap(parts, false, true);
      else if (m === 'endswith') parts = wrap(parts, true, false);
      else cased = true;
    }
    return { kind: 'Str', parts, cased };
  }
  let variants: StrPart[][] = [parseSigmaString(scalarString(v)!)];
  let utf16 = false;
  let cased = false;
  for (const m of mods) {
    switch (m) {
      case 'contains':
        variants = variants.map((p) => wrap(p, true, true));
        break;
      case 'startswith':
        variants = variants.map((p) => wrap(p, false, true));
        break;
      case 'endswith':
        variants = variants.map((p) => wrap(p, true, false));
        break;
      case 'windash':
        variants = variants.flatMap(windashVariants);
        break;
      case 'expand':
        variants = variants.map(insertPlaceholders);
        break;
      case 'cased':
        cased = true;
        break;
      case 'utf16le':
      case 'utf16be':
      case 'utf16': {
        const order = m === 'utf16be' ? 'be' : 'le';
        variants = variants.map((p) =>
          p.map((x) =>
            x.kind === 'Lit'
              ? { kind: 'Lit' as const, text: (m === 'utf16' ? '\xff\xfe' : '') + utf16Chars(x.text, order) }
              : x,
          ),
        );
        utf16 = true;
        break;
      }
      case 'base64':
      case 'base64offset': {
        if (variants.some(hasSpecial))
          return valueError(ctx, v, 'base64 encoding of strings with wildcards is not allowed');
        variants = variants.flatMap((p) => {
          const bytes = textBytes(plainText(p), utf16);
          const enc = m === 'base64' ? [base64(bytes)] : base64Offsets(bytes);
          return enc.map((t) => [{ kind: 'Lit' as const, text: t }]);
        });
        utf16 = false;
        break;
      }
      default:
        return valueError(ctx, v, `modifier '${m}' cannot be applied here`, 'TL3002');
    }
  }
  return variants.map((parts) => ({ kind: 'Str', parts: mergeLits(parts), cased }));
}

/** `parts` with `*` added at the start and/or the end unless one is already there (a new array). */
function wrap(parts: StrPart[], before: boolean, after: boolean): StrPart[] {
  const head = before && parts[0]?.kind !== 'WildcardMulti';
  // On an empty string the `*` just added at the start is also the last part.
  const last = head && parts.length === 0 ? 'WildcardMulti' : parts[parts.length - 1]?.kind;
  const tail = after && last !== 'WildcardMulti';
  // The lowered rules are all kept in memory during a conversion: the usual single literal gets an array
  // literal of the right size rather than a copy grown by unshift and push.
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only) {
    if (head && tail) return [{ kind: 'WildcardMulti' }, only, { kind: 'WildcardMulti' }];
    if (head) return [{ kind: 'WildcardMulti' }, only];
    if (tail) return [only, { kind: 'WildcardMulti' }];
    return [only];
  }
  const out = [...parts];
  if (head) out.unshift({ kind: 'WildcardMulti' });
  if (tail) out.push({ kind: 'WildcardMulti' });
  return out;
}

/** `re` combined with contains/startswith/endswith: open the regex at the side(s) the modifier says. */
function anchorRegex(re: string, mod: string): string {
  let r = re;
  if (topLevelAlternation(r)) r = `(?:${r})`;
  const endsUnescaped = (suffix: string): boolean => {
    if (!r.endsWith(suffix)) return false;
    const head = r.slice(0, r.length - suffix.length);
    return (head.length - head.replace(/\\+$/, '').length) % 2 === 0;
  };
  const openEnded = !endsUnescaped('.*') && !endsUnescaped('$');
  if ((mod === 'contains' || mod === 'endswith') && !r.startsWith('.*') && !r.startsWith('^')) r = '.*' + r;
  if ((mod === 'contains' || mod === 'startswith') && openEnded) r = r + '.*';
  return r;
}

function topLevelAlternation(re: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}
