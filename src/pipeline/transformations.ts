/**
 * The built-in transformation types, with pySigma's names and parameters
 * (sigma/processing/transformations/*.py). Semantics follow pySigma, including its quirks, because
 * default conversions must be byte-identical to the reference; deliberate differences are listed in
 * docs/pipelines.md.
 */
import type { IrNode } from '../ir/types.js';
import { buildDetection, parseConditionEntries, substituteTemplate } from './add-condition.js';
import { leaves } from './detection-items.js';
import { envError } from './env.js';
import { parseSigmaString, strToPlain, type StrValue } from './sigma-string.js';
import { defineTransformation as def, type TransformationDef } from './transformation-def.js';
import type { ProcessingItem } from './types.js';
import {
  caseTransformation,
  convertType,
  mapString,
  queryExpressionPlaceholders,
  regexTransformation,
  replaceString,
  setValue,
  str,
  valuePlaceholders,
  wildcardPlaceholders,
} from './value-transformations.js';

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
