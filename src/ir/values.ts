/**
 * Sigma values and their modifier chain → IR values. A chain is read into a plan once per distinct chain
 * (a few hundred over the SigmaHQ corpus) and the plan is shared by every item written with it, so the
 * per-value work is a few flag tests: the common `contains`/`startswith`/`endswith` value is one literal
 * between shared `*` parts.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Modifier, SigmaScalar } from '../sigma/ast.js';
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
  STAR,
  textBytes,
  utf16Chars,
  windashVariants,
} from './strings.js';
import type { CompareOp, IrValue, ReFlags, StrPart, TimePart } from './types.js';

/** What a modifier chain asks for. */
export interface ModPlan {
  /** The canonical modifier names, in order (shared: never modified). */
  names: readonly string[];
  /** `all`: the values are combined with And. */
  all: boolean;
  /** `neq`: the item is negated. */
  neq: boolean;
  /** The modifiers that act on each value (all but `all` and `neq`). */
  mods: readonly string[];
  exists: boolean;
  re: boolean;
  cidr: boolean;
  fieldref: boolean;
  flags: ReFlags;
  strMod: 'contains' | 'startswith' | 'endswith' | undefined;
  cmp: CompareOp | undefined;
  tp: TimePart | undefined;
  /** Only `cased` (or nothing): null, booleans and numbers keep their YAML type. */
  typed: boolean;
  /** Only contains/startswith/endswith/cased: the string gets `*` at the start (head) and/or end (tail). */
  simple: boolean;
  head: boolean;
  tail: boolean;
  cased: boolean;
}

const TIME_PARTS: ReadonlySet<string> = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
const SIMPLE_STRING_MODS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith', 'cased']);

function makePlan(names: readonly string[]): ModPlan {
  const mods = names.filter((m) => m !== 'all' && m !== 'neq');
  return {
    names,
    all: names.includes('all'),
    neq: names.includes('neq'),
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
    typed: mods.every((m) => m === 'cased'),
    simple: mods.every((m) => SIMPLE_STRING_MODS.has(m)),
    // `*` is added only where missing, so applying several of these in turn is applying their union.
    head: mods.includes('contains') || mods.includes('endswith'),
    tail: mods.includes('contains') || mods.includes('startswith'),
    cased: mods.includes('cased'),
  };
}

/** Plans by chain, as a trie on the canonical names; bounded, since chains come from user input. */
interface PlanNode {
  plan: ModPlan;
  next: Map<string, PlanNode> | undefined;
}
const PLANS: PlanNode = { plan: makePlan([]), next: undefined };
const MAX_PLANS = 2000;
let planCount = 0;

export function planModifiers(modifiers: readonly Modifier[]): ModPlan {
  let node = PLANS;
  for (let i = 0; i < modifiers.length; i++) {
    const name = modifiers[i]!.name;
    let next = node.next?.get(name);
    if (!next) {
      if (planCount >= MAX_PLANS) return makePlan(modifiers.map((m) => m.name));
      planCount++;
      next = { plan: makePlan(modifiers.slice(0, i + 1).map((m) => m.name)), next: undefined };
      (node.next ??= new Map()).set(name, next);
    }
    node = next;
  }
  return node.plan;
}

function valueError(
  file: string,
  diags: Diagnostic[],
  v: SigmaScalar,
  message: string,
  code: Diagnostic['code'] = 'TL3005',
): undefined {
  diags.push({ code, severity: 'error', message, file, span: v.span });
  return undefined;
}

function scalarString(v: SigmaScalar): string | undefined {
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return v.raw;
  if (v.kind === 'boolean') return v.value ? 'true' : 'false';
  return undefined;
}

/** The value(s) `v` stands for: one value, or a list when a modifier expands it (windash, base64offset). */
export function applyModifiers(
  v: SigmaScalar,
  plan: ModPlan,
  file: string,
  diags: Diagnostic[],
): IrValue | IrValue[] | undefined {
  if (plan.simple) {
    // Plain values without string modifiers keep their YAML type.
    if (v.kind === 'string')
      return { kind: 'Str', parts: wrapped(v.value, plan.head, plan.tail), cased: plan.cased };
    if (plan.typed) {
      if (v.kind === 'null') return { kind: 'Null' };
      if (v.kind === 'boolean') return { kind: 'Bool', value: v.value };
      return { kind: 'Num', value: v.value, raw: v.raw };
    }
    if (v.kind === 'null') return valueError(file, diags, v, 'null cannot be combined with string modifiers');
    return { kind: 'Str', parts: wrapped(scalarString(v)!, plan.head, plan.tail), cased: plan.cased };
  }
  return applyOther(v, plan, file, diags);
}

/** The Sigma string `s` with `*` added at the start and/or end unless already there. */
function wrapped(s: string, head: boolean, tail: boolean): StrPart[] {
  const parts = parseSigmaString(s);
  if (!head && !tail) return parts;
  // The empty string is `*` (and its list of parts is not given to wrap, which reads lists of parts).
  if (s === '') return [STAR];
  return wrap(parts, head, tail);
}

/** Every chain but the simple string ones. */
function applyOther(
  v: SigmaScalar,
  plan: ModPlan,
  file: string,
  diags: Diagnostic[],
): IrValue | IrValue[] | undefined {
  const mods = plan.mods;
  // Modifiers that replace the value's type entirely.
  if (plan.exists) {
    if (v.kind !== 'boolean') return valueError(file, diags, v, "'exists' takes true or false");
    return { kind: 'Exists', value: v.value };
  }
  if (plan.re) {
    const s = scalarString(v);
    if (s === undefined) return valueError(file, diags, v, 'a regular expression must be a string');
    const flags = { ...plan.flags };
    const t = translateRegex(s, flags);
    if (!t.ok) return valueError(file, diags, v, `invalid regular expression: ${t.message}`, 'TL3003');
    let pattern = s;
    if (plan.strMod) pattern = anchorRegex(pattern, plan.strMod);
    return { kind: 'Re', pattern, flags };
  }
  if (plan.cidr) {
    const s = scalarString(v);
    if (s === undefined || !isCidr(s))
      return valueError(file, diags, v, `'${s ?? 'null'}' is not a CIDR network`);
    return { kind: 'Cidr', cidr: s, version: s.includes(':') ? 6 : 4 };
  }
  const cmp = plan.cmp;
  if (cmp) {
    const n =
      v.kind === 'number' ? v.value : v.kind === 'string' && v.value.trim() !== '' ? Number(v.value) : NaN;
    if (!Number.isFinite(n)) return valueError(file, diags, v, 'comparison modifiers need a number');
    return { kind: 'Compare', op: cmp, value: n, raw: v.kind === 'number' ? v.raw : String(n) };
  }
  const tp = plan.tp;
  if (tp) {
    const n = v.kind === 'number' ? v.value : Number(scalarString(v));
    if (!Number.isInteger(n)) return valueError(file, diags, v, `'${tp}' needs a whole number`);
    return { kind: 'TimePart', part: tp, value: n };
  }
  if (plan.fieldref) {
    const s = scalarString(v);
    if (s === undefined || s === '') return valueError(file, diags, v, "'fieldref' takes a field name");
    const fr: IrValue = { kind: 'FieldRef', field: s };
    if (plan.strMod) fr.parts = plan.strMod;
    return fr;
  }
  if (v.kind === 'null') return valueError(file, diags, v, 'null cannot be combined with string modifiers');
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
          return valueError(file, diags, v, 'base64 encoding of strings with wildcards is not allowed');
        variants = variants.flatMap((p) => {
          const bytes = textBytes(plainText(p), utf16);
          const enc = m === 'base64' ? [base64(bytes)] : base64Offsets(bytes);
          return enc.map((t) => [{ kind: 'Lit' as const, text: t }]);
        });
        utf16 = false;
        break;
      }
      default:
        return valueError(file, diags, v, `modifier '${m}' cannot be applied here`, 'TL3002');
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
    if (head && tail) return [STAR, only, STAR];
    if (head) return [STAR, only];
    if (tail) return [only, STAR];
    return [only];
  }
  const out = [...parts];
  if (head) out.unshift(STAR);
  if (tail) out.push(STAR);
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
