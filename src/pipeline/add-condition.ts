/**
 * add_condition builds a small detection from a mapping (pySigma SigmaDetection.from_definition):
 * keys are `field|modifiers`, values a scalar or a list; items AND, list values OR (AND with |all).
 * Only the modifiers that make sense in a pipeline are accepted.
 */
import type { IrNode, IrValue, Origin, StrPart } from '../ir/types.js';
import type { ParamReader } from './params.js';
import { parseSigmaString } from './sigma-string.js';

const supported = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'cased',
  'exists',
  'expand',
  'gt',
  'gte',
  'lt',
  'lte',
  'cidr',
]);

export interface ConditionEntry {
  key: string;
  field: string;
  modifiers: string[];
  values: unknown[];
}

export function parseConditionEntries(r: ParamReader, key: string): ConditionEntry[] {
  const raw = r.any(key);
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    r.error(`parameter '${key}' must be a mapping of field names to values`, key);
    return [];
  }
  const out: ConditionEntry[] = [];
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const [field = '', ...modifiers] = k.split('|');
    for (const m of modifiers) {
      if (!supported.has(m)) r.error(`modifier '${m}' is not supported in add_condition (key '${k}')`, key);
    }
    const values = Array.isArray(v) ? (v as unknown[]) : [v];
    for (const x of values) {
      if (x !== null && !['string', 'number', 'boolean'].includes(typeof x)) {
        r.error(`value of '${k}' must be a scalar or a list of scalars`, key);
      }
    }
    out.push({ key: k, field, modifiers, values });
  }
  return out;
}

function wrapStr(parts: StrPart[], mods: readonly string[]): StrPart[] {
  const out = [...parts];
  const startsWild = out[0]?.kind === 'WildcardMulti';
  const endsWild = out[out.length - 1]?.kind === 'WildcardMulti';
  if (mods.includes('contains')) {
    if (!startsWild) out.unshift({ kind: 'WildcardMulti' });
    if (!endsWild) out.push({ kind: 'WildcardMulti' });
  } else if (mods.includes('startswith')) {
    if (!endsWild) out.push({ kind: 'WildcardMulti' });
  } else if (mods.includes('endswith')) {
    if (!startsWild) out.unshift({ kind: 'WildcardMulti' });
  }
  return out;
}

function toValue(x: unknown, mods: readonly string[]): IrValue {
  if (x === null) return { kind: 'Null' };
  if (typeof x === 'boolean')
    return mods.includes('exists') ? { kind: 'Exists', value: x } : { kind: 'Bool', value: x };
  const cmp = mods.find(
    (m): m is 'gt' | 'gte' | 'lt' | 'lte' => m === 'gt' || m === 'gte' || m === 'lt' || m === 'lte',
  );
  if (typeof x === 'number') {
    if (cmp) return { kind: 'Compare', op: cmp, value: x, raw: String(x) };
    if (!mods.some((m) => m === 'contains' || m === 'startswith' || m === 'endswith')) {
      return { kind: 'Num', value: x, raw: String(x) };
    }
  }
  const text = typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : '';
  if (mods.includes('re')) return { kind: 'Re', pattern: text, flags: { i: false, m: false, s: false } };
  if (mods.includes('cidr')) return { kind: 'Cidr', cidr: text, version: text.includes(':') ? 6 : 4 };
  return {
    kind: 'Str',
    parts: wrapStr(parseSigmaString(text, mods.includes('expand')), mods),
    cased: mods.includes('cased'),
  };
}

/** The IR of the added detection, named `name` (its origins say so and carry the item id). */
export function buildDetection(entries: readonly ConditionEntry[], name: string, itemId: string): IrNode {
  const items: IrNode[] = entries.map((e) => {
    const origin: Origin = { selection: name, key: e.key, modifiers: e.modifiers, appliedBy: [itemId] };
    const nodes: IrNode[] = e.values.map((v) =>
      e.field === ''
        ? { kind: 'Keyword', value: toValue(v, e.modifiers), origin }
        : { kind: 'FieldMatch', field: e.field, value: toValue(v, e.modifiers), origin },
    );
    if (nodes.length === 1) return nodes[0]!;
    return { kind: e.modifiers.includes('all') ? 'And' : 'Or', children: nodes };
  });
  if (items.length === 1) return items[0]!;
  return { kind: 'And', children: items };
}

/** Python string.Template.safe_substitute with the log source attributes (None prints as "None"). */
export function substituteTemplate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$(?:(\$)|([_a-z]\w*)|\{([_a-z]\w*)\})/gi, (m, dollar, a, b) => {
    if (dollar !== undefined) return '$';
    const name = (a ?? b) as string;
    if (!(name in vars)) return m;
    return vars[name] ?? 'None';
  });
}
