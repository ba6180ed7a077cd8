/**
 * The built-in transformation types, with pySigma's names and parameters
 * (sigma/processing/transformations/*.py). Semantics follow pySigma, including its quirks, because
 * default conversions must be byte-identical to the reference; deliberate differences are listed in
 * docs/pipelines.md.
 */
import type { IrNode, IrValue, StrPart } from '../ir/types.js';
import { buildDetection, parseConditionEntries, substituteTemplate } from './add-condition.js';
import { leaves } from './detection-items.js';
import { envError } from './env.js';
import type { ParamReader } from './params.js';
import { compilePyRegex, pyEscape, pySub, type PyRegex } from './py-regex.js';
import {
  expandPlaceholders,
  hasPlaceholder,
  insertPlaceholders,
  mergeParts,
  parseSigmaString,
  pyNumberText,
  strToPlain,
  type StrValue,
} from './sigma-string.js';
import { defineTransformation as def, type TransformationDef } from './transformation-def.js';
import type { ProcessingItem } from './types.js';

function regexParam(r: ParamReader, key: string): PyRegex | undefined {
  const src = r.str(key);
  const rx = compilePyRegex(src);
  if (typeof rx === 'string') {
    r.error(`invalid regular expression '${src}': ${rx}`, key);
    return undefined;
  }
  return rx;
}

function str(parts: StrPart[], cased: boolean): StrValue {
  return { kind: 'Str', parts: mergeParts(parts), cased };
}

// ---------------------------------------------------------------------------------------------- fields

interface FieldMapParams {
  mapping: Map<string, string | string[]>;
}

const fieldNameMapping = def<FieldMapParams>({
  scope: 'field',
  parse: (r) => ({ mapping: r.strMapping('mapping') }),
  // A null key (`~:` in YAML, '' in data) maps keywords, as pySigma's None key does.
  mapField: (p, field) => p.mapping.get(field ?? ''),
});

const fieldNamePrefixMapping = def<FieldMapParams>({
  scope: 'field',
  parse: (r) => ({ mapping: r.strMapping('mapping') }),
  mapField: (p, field) => {
    if (field === undefined) return undefined;
    for (const [src, dest] of p.mapping) {
      if (field.startsWith(src)) {
        const rest = field.slice(src.length);
        return typeof dest === 'string' ? dest + rest : dest.map((d) => d + rest);
      }
    }
    return undefined;
  },
});

interface FieldFunctionParams {
  mapping: Map<string, string | string[]>;
  fn: (field: string | undefined) => string;
  applyKeyword: boolean;
}

/** field_name_transform takes a function, so it only exists in pipelines defined in code. */
const fieldNameTransform = def<FieldFunctionParams>({
  scope: 'field',
  parse: (r) => {
    const fn = r.any('transform_func');
    if (typeof fn !== 'function') r.error("parameter 'transform_func' must be a function", 'transform_func');
    return {
      mapping: r.strMapping('mapping', false),
      fn: typeof fn === 'function' ? (fn as (f: string | undefined) => string) : (f) => f ?? '',
      applyKeyword: r.bool('apply_keyword', false),
    };
  },
  mapField: (p, field) => {
    if (field === undefined && !p.applyKeyword) return undefined;
    return (field !== undefined ? p.mapping.get(field) : undefined) ?? p.fn(field);
  },
});

const fieldNameSuffix = def<{ suffix: string }>({
  scope: 'field',
  parse: (r) => ({ suffix: r.str('suffix') }),
  mapField: (p, field) => (field === undefined ? undefined : field + p.suffix),
});

const fieldNamePrefix = def<{ prefix: string }>({
  scope: 'field',
  parse: (r) => ({ prefix: r.str('prefix') }),
  mapField: (p, field) => (field === undefined ? undefined : p.prefix + field),
});

const addField = def<{ fields: string[] }>({
  scope: 'rule',
  parse: (r) => ({ fields: r.strList('field') ?? [] }),
  apply: (p, _t, env) => {
    env.fields.push(...p.fields);
  },
});

const removeField = def<{ fields: string[] }>({
  scope: 'rule',
  parse: (r) => ({ fields: r.strList('field') ?? [] }),
  apply: (p, _t, env) => {
    // Python's list.remove: the first occurrence only.
    for (const f of p.fields) {
      const i = env.fields.indexOf(f);
      if (i >= 0) env.fields.splice(i, 1);
    }
  },
});

const setField = def<{ fields: string[] }>({
  scope: 'rule',
  parse: (r) => ({ fields: r.strList('fields') ?? [] }),
  apply: (p, _t, env) => {
    env.fields.splice(0, env.fields.length, ...p.fields);
  },
});

// ----------------------------------------------------------------------------------- rule and state

const changeLogsource = def<{ category?: string; product?: string; service?: string }>({
  scope: 'rule',
  parse: (r) => {
    const out: { category?: string; product?: string; service?: string } = {};
    const c = r.optStr('category');
    const p = r.optStr('product');
    const s = r.optStr('service');
    if (c !== undefined) out.category = c;
    if (p !== undefined) out.product = p;
    if (s !== undefined) out.service = s;
    return out;
  },
  apply: (p, t) => {
    if (t.kind === 'Rule') t.rule.logsource = { ...p };
  },
});

const setState = def<{ key: string; val: unknown }>({
  scope: 'rule',
  parse: (r) => {
    const key = r.str('key');
    if (!r.has('val')) r.error("missing parameter 'val'", 'val');
    return { key, val: r.any('val') };
  },
  apply: (p, _t, env) => {
    env.state[p.key] = p.val;
  },
});

const setCustomAttribute = def<{ attribute: string; value: unknown }>({
  scope: 'rule',
  parse: (r) => {
    const attribute = r.str('attribute');
    if (!r.has('value')) r.error("missing parameter 'value'", 'value');
    return { attribute, value: r.any('value') };
  },
  apply: (p, t) => {
    if (t.kind === 'Rule') t.rule.attributes = { ...t.rule.attributes, [p.attribute]: p.value };
  },
});

const ruleFailure = def<{ message: string }>({
  scope: 'rule',
  parse: (r) => ({ message: r.str('message') }),
  apply: (p, _t, env) => envError(env, 'TL4101', p.message),
});

const detectionItemFailure = def<{ message: string }>({
  scope: 'item',
  parse: (r) => ({ message: r.str('message') }),
  applyItem: (p, item, env) => {
    envError(env, 'TL4102', p.message, item.origin.span);
    return undefined;
  },
});

const strictFieldMappingFailure = def<Record<string, never>>({
  scope: 'rule',
  parse: () => ({}),
  apply: (_p, t, env) => {
    if (t.kind !== 'Rule') return;
    const targets = new Set([...env.fieldMappings.values()].flat());
    const unmapped = new Set<string>();
    for (const tree of t.rule.conditions) {
      for (const l of leaves(tree)) {
        if (l.kind === 'FieldMatch' && !env.fieldMappings.has(l.field) && !targets.has(l.field))
          unmapped.add(l.field);
      }
    }
    if (unmapped.size > 0) {
      envError(env, 'TL4105', `The following fields are not mapped: ${[...unmapped].join(', ')}`);
    }
  },
});

interface AddConditionParams {
  entries: ReturnType<typeof parseConditionEntries>;
  name: string | undefined;
  template: boolean;
  negated: boolean;
}

const addCondition = def<AddConditionParams>({
  scope: 'rule',
  parse: (r) => ({
    entries: parseConditionEntries(r, 'conditions'),
    name: r.optStr('name'),
    template: r.bool('template', false),
    negated: r.bool('negated', false),
  }),
  apply: (p, t, env) => {
    if (t.kind !== 'Rule') return;
    const item = env.item!;
    let entries = p.entries;
    if (p.template) {
      const ls = t.rule.logsource;
      const vars = { category: ls.category, product: ls.product, service: ls.service };
      const sub = (v: unknown): unknown => (typeof v === 'string' ? substituteTemplate(v, vars) : v);
      entries = entries.map((e) => ({ ...e, values: e.values.map(sub) }));
    }
    const added = buildDetection(entries, p.name ?? `_cond_${item.id}`, item.id);
    // pySigma rewrites each condition to "<added> and (<condition>)" and parses it again.
    t.rule.conditions = t.rule.conditions.map((c) => ({
      kind: 'And',
      children: [p.negated ? { kind: 'Not', child: added } : added, c],
    }));
  },
});

// ---------------------------------------------------------------------------------- detection items

const dropDetectionItem = def<Record<string, never>>({
  scope: 'item',
  parse: () => ({}),
  applyItem: () => null,
});

interface HashesParams {
  algos: string[];
  prefix: string;
  dropAlgoPrefix: boolean;
}

const hashLengths: Record<number, string> = { 32: 'MD5', 40: 'SHA1', 64: 'SHA256', 128: 'SHA512' };

const hashesFields = def<HashesParams>({
  scope: 'item',
  parse: (r) => ({
    algos: r.strList('valid_hash_algos') ?? [],
    prefix: r.optStr('field_prefix') ?? '',
    dropAlgoPrefix: r.bool('drop_algo_prefix', false),
  }),
  applyItem: (p, item, env) => {
    if (!item.slots.every((s) => s.value?.kind === 'Str')) return undefined;
    const byField = new Map<string, string[]>();
    for (const s of item.slots) {
      const plain = strToPlain((s.value as StrValue).parts);
      const parts = plain.includes('|') ? plain.split('|') : plain.split('=');
      let algo: string;
      let value: string;
      if (parts.length === 2) {
        algo = parts[0]!.replace(/^\*+/, '').toUpperCase();
        value = parts[1]!;
      } else {
        value = parts[0]!;
        algo = hashLengths[value.length] ?? '';
      }
      if (!p.algos.includes(algo)) continue;
      const field = p.prefix + (p.dropAlgoPrefix ? '' : algo);
      byField.set(field, [...(byField.get(field) ?? []), value]);
    }
    if (byField.size === 0) {
      envError(
        env,
        'TL4103',
        `No valid hash algorithm found in Hashes field. Please use one of the following: ${p.algos.join(', ')}`,
        item.origin.span,
      );
      return undefined;
    }
    const items: IrNode[] = [];
    for (const [field, values] of byField) {
      if (field === '') continue;
      const origin = { ...item.origin, key: field, modifiers: [] };
      const nodes: IrNode[] = values.map((v) =>
        field === 'keyword'
          ? { kind: 'Keyword', value: str(parseSigmaString(v), false), origin }
          : { kind: 'FieldMatch', field, value: str(parseSigmaString(v), false), origin },
      );
      items.push(nodes.length === 1 ? nodes[0]! : { kind: 'Or', children: nodes });
    }
    if (items.length === 1) return items[0]!;
    return { kind: 'Or', children: items };
  },
});

// --------------------------------------------------------------------------------------------- values

interface ReplaceParams {
  re: PyRegex | undefined;
  replacement: string;
  skipSpecial: boolean;
  interpretSpecial: boolean;
}

function replacePlain(p: ReplaceParams, text: string): string {
  return p.re ? pySub(p.re, p.replacement, text) : text;
}

const replaceString = def<ReplaceParams>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({
    re: regexParam(r, 'regex'),
    replacement: r.str('replacement'),
    skipSpecial: r.bool('skip_special', false),
    interpretSpecial: r.bool('interpret_special', false),
  }),
  applyValue: (p, v) => {
    let s: StrValue;
    if (v.kind === 'Num') s = str([{ kind: 'Lit', text: pyNumberText(v.value) }], false);
    else if (v.kind === 'Str') s = v;
    else return undefined;
    if (p.skipSpecial) {
      const parts: StrPart[] = [];
      for (const part of s.parts) {
        if (part.kind !== 'Lit') {
          parts.push(part);
          continue;
        }
        const replaced = replacePlain(p, part.text);
        if (p.interpretSpecial) parts.push(...parseSigmaString(replaced));
        else parts.push({ kind: 'Lit', text: replaced });
      }
      return [str(parts, s.cased)];
    }
    const replaced = replacePlain(p, strToPlain(s.parts));
    // pySigma doubles backslashes not before a wildcard, then parses the text as a Sigma string.
    const escaped = replaced.replace(/\\(?![*?])/g, '\\\\');
    let parts = parseSigmaString(escaped);
    if (hasPlaceholder(s.parts)) parts = insertPlaceholders(parts);
    return [str(parts, s.cased)];
  },
});

const mapString = def<{ mapping: Map<string, string | string[]> }>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({ mapping: r.strMapping('mapping') }),
  applyValue: (p, v) => {
    if (v.kind !== 'Str') return undefined;
    const m = p.mapping.get(strToPlain(v.parts));
    if (m === undefined) return undefined;
    const list = typeof m === 'string' ? [m] : m;
    return list.map((x) => str(parseSigmaString(x), false));
  },
});

const regexTransformation = def<{ method: 'plain' | 'ignore_case_flag' | 'ignore_case_brackets' }>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({
    method: r.oneOf('method', ['plain', 'ignore_case_flag', 'ignore_case_brackets'], 'ignore_case_brackets'),
  }),
  applyValue: (p, v, _f, env) => {
    if (v.kind !== 'Str') return undefined;
    if (v.parts.length === 0) return [v];
    let pattern = '';
    for (const part of v.parts) {
      switch (part.kind) {
        case 'Lit':
          for (const c of part.text) {
            pattern +=
              p.method === 'ignore_case_brackets' && /\p{L}/u.test(c)
                ? `[${c.toLowerCase()}${c.toUpperCase()}]`
                : pyEscape(c);
          }
          break;
        case 'WildcardMulti':
          pattern += '.*';
          break;
        case 'WildcardSingle':
          pattern += '.';
          break;
        case 'Placeholder':
          envError(
            env,
            'TL4103',
            `Placeholder '${part.name}' can't be converted to a regular expression. Please use a placeholder resolution transformation before.`,
          );
          return undefined;
      }
    }
    return [{ kind: 'Re', pattern, flags: { i: p.method === 'ignore_case_flag', m: false, s: false } }];
  },
});

function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

const caseTransformation = def<{ method: 'lower' | 'upper' | 'snake_case' }>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({ method: r.oneOf('method', ['lower', 'upper', 'snake_case'], 'lower') }),
  applyValue: (p, v) => {
    if (v.kind !== 'Str') return undefined;
    const f =
      p.method === 'lower'
        ? (s: string): string => s.toLowerCase()
        : p.method === 'upper'
          ? (s: string): string => s.toUpperCase()
          : snakeCase;
    return [
      str(
        v.parts.map((x) => (x.kind === 'Lit' ? { kind: 'Lit', text: f(x.text) } : x)),
        v.cased,
      ),
    ];
  },
});

function toIrValue(x: unknown): IrValue | undefined {
  if (typeof x === 'string') return str(parseSigmaString(x), false);
  if (typeof x === 'boolean') return { kind: 'Bool', value: x };
  if (typeof x === 'number') return { kind: 'Num', value: x, raw: String(x) };
  if (x === null) return { kind: 'Null' };
  return undefined;
}

const setValue = def<{ value: IrValue }>({
  scope: 'value',
  expansions: 'replace',
  parse: (r) => {
    const raw = r.any('value');
    if (raw === undefined) r.error("missing parameter 'value'", 'value');
    const force = r.has('force_type') ? r.oneOf('force_type', ['str', 'num'], undefined) : undefined;
    let value: IrValue | undefined;
    if (force === undefined) {
      value = toIrValue(raw ?? null);
    } else if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      r.error(`force_type '${force}' is only allowed for string and numeric values`, 'force_type');
    } else if (force === 'str') {
      value = str(parseSigmaString(typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw)), false);
    } else {
      const n = typeof raw === 'number' ? raw : parsePyInt(String(raw));
      if (n === undefined) r.error(`Value '${String(raw)}' can't be converted to number`, 'value');
      else value = { kind: 'Num', value: n, raw: String(n) };
    }
    if (value === undefined && force === undefined) r.error(`unsupported value type for set_value`, 'value');
    return { value: value ?? { kind: 'Null' } };
  },
  applyValue: (p) => [p.value],
});

/** int() of a string as Python does it for SigmaNumber (floats in strings are rejected). */
function parsePyInt(s: string): number | undefined {
  const t = s.trim().replaceAll('_', '');
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

const convertType = def<{ target: 'str' | 'num' }>({
  scope: 'value',
  expansions: 'map',
  parse: (r) => ({ target: r.oneOf('target_type', ['str', 'num'], undefined) }),
  applyValue: (p, v, _f, env) => {
    if (v.kind === 'Null') return undefined;
    if (p.target === 'str') {
      if (v.kind === 'Str') return [v];
      if (v.kind === 'Num') return [str([{ kind: 'Lit', text: pyNumberText(v.value) }], false)];
      if (v.kind === 'Bool') return [str([{ kind: 'Lit', text: v.value ? 'True' : 'False' }], false)];
      return undefined;
    }
    if (v.kind === 'Num') return [v];
    const text =
      v.kind === 'Str' ? strToPlain(v.parts) : v.kind === 'Bool' ? (v.value ? 'True' : 'False') : undefined;
    const n = text === undefined ? undefined : parsePyInt(text);
    if (n === undefined) {
      envError(env, 'TL4103', `Value '${text ?? v.kind}' can't be converted to number`);
      return undefined;
    }
    return [{ kind: 'Num', value: n, raw: String(n) }];
  },
});

// ------------------------------------------------------------------------------------- placeholders

interface PlaceholderParams {
  include: string[] | undefined;
  exclude: string[] | undefined;
}

function parseIncludeExclude(r: ParamReader): PlaceholderParams {
  const include = r.strList('include', false);
  const exclude = r.strList('exclude', false);
  if (include !== undefined && exclude !== undefined) {
    r.error('Placeholder transformation include and exclude lists can only be used exclusively!');
  }
  return { include, exclude };
}

function handles(p: PlaceholderParams): (name: string) => boolean {
  return (name) =>
    (p.include === undefined && p.exclude === undefined) ||
    (p.include !== undefined && p.include.includes(name)) ||
    (p.exclude !== undefined && !p.exclude.includes(name));
}

function placeholderTransformation(
  alternatives: (name: string, env: Parameters<ValueFn>[3]) => StrPart[][] | undefined,
): TransformationDef {
  return def<PlaceholderParams>({
    scope: 'value',
    expansions: 'skip',
    parse: parseIncludeExclude,
    applyValue: (p, v, _f, env) => {
      if (v.kind !== 'Str' || !hasPlaceholder(v.parts, handles(p))) return undefined;
      let failed = false;
      const h = handles(p);
      const out = expandPlaceholders(v.parts, (name) => {
        if (!h(name)) return [[{ kind: 'Placeholder', name }]];
        const alts = failed ? undefined : alternatives(name, env);
        if (alts === undefined) {
          failed = true;
          return [];
        }
        return alts;
      });
      if (failed) return undefined;
      return out.map((parts) => str(parts, v.cased));
    },
  });
}

type ValueFn = Extract<TransformationDef, { scope: 'value' }>['applyValue'];

const wildcardPlaceholders = placeholderTransformation(() => [[{ kind: 'WildcardMulti' }]]);

const valuePlaceholders = placeholderTransformation((name, env) => {
  if (!(name in env.vars)) {
    envError(env, 'TL4103', `Placeholder replacement variable '${name}' doesn't exists.`);
    return undefined;
  }
  const raw = env.vars[name];
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) {
    envError(env, 'TL4103', `Replacement variable '${name}' contains value which is not a string or number.`);
    return undefined;
  }
  return list.map((x) => parseSigmaString(String(x)));
});

interface QueryExprParams extends PlaceholderParams {
  expression: string;
  mapping: Map<string, string | string[]>;
}

const queryExpressionPlaceholders = def<QueryExprParams>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({
    ...parseIncludeExclude(r),
    expression: r.optStr('expression') ?? '',
    mapping: r.strMapping('mapping', false),
  }),
  applyValue: (p, v, _f, env) => {
    if (v.kind !== 'Str' || !hasPlaceholder(v.parts)) return undefined;
    const only = v.parts.length === 1 ? v.parts[0] : undefined;
    if (only?.kind !== 'Placeholder') {
      envError(
        env,
        'TL4103',
        'Placeholder query expression transformation only allows placeholder-only strings.',
      );
      return undefined;
    }
    if (!handles(p)(only.name)) return undefined;
    const mapped = p.mapping.get(only.name);
    const id = typeof mapped === 'string' && mapped !== '' ? mapped : only.name;
    return [{ kind: 'QueryExpr', expr: p.expression, id }];
  },
});

// ----------------------------------------------------------------------------------------------- nest

interface NestParams {
  items: ProcessingItem[];
}

/** `nest` holds items parsed by the loader (it needs the loader's item parser, see loader.ts). */
export const nestTransformation = def<NestParams>({
  scope: 'rule',
  parse: (r) => {
    const items = r.any('items');
    if (!Array.isArray(items)) r.error("Nested processing transformation requires an 'items' key.", 'items');
    return { items: Array.isArray(items) ? (items as ProcessingItem[]) : [] };
  },
  apply: (p, t, env) => {
    env.applyItems?.(p.items, t, env);
  },
});

export const builtinTransformations: Readonly<Record<string, TransformationDef>> = {
  field_name_mapping: fieldNameMapping,
  field_name_prefix_mapping: fieldNamePrefixMapping,
  field_name_transform: fieldNameTransform,
  drop_detection_item: dropDetectionItem,
  hashes_fields: hashesFields,
  field_name_suffix: fieldNameSuffix,
  field_name_prefix: fieldNamePrefix,
  wildcard_placeholders: wildcardPlaceholders,
  value_placeholders: valuePlaceholders,
  query_expression_placeholders: queryExpressionPlaceholders,
  add_condition: addCondition,
  change_logsource: changeLogsource,
  add_field: addField,
  remove_field: removeField,
  set_field: setField,
  replace_string: replaceString,
  map_string: mapString,
  set_state: setState,
  regex: regexTransformation,
  set_value: setValue,
  convert_type: convertType,
  rule_failure: ruleFailure,
  detection_item_failure: detectionItemFailure,
  strict_field_mapping_failure: strictFieldMappingFailure,
  set_custom_attribute: setCustomAttribute,
  nest: nestTransformation,
  case: caseTransformation,
};
