/**
 * The qradar_fields and qradar_payload pipelines. Most of what they do cannot be said in
 * pySigma's declarative vocabulary (IP prefixes become networks, free-text properties are
 * searched with LIKE, eventSource values become devicetype ids), so the pipelines are data that
 * name custom transformations, and `qradarTransformations` implements them over the IR.
 * Register them with the pipeline runner's custom transformations (ctx) under these names.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode, IrRule, IrValue, Origin, StrPart } from '../../ir/types.js';
import { defineTransformation, type TransformationDef } from '../../pipeline/index.js';
import {
  AQL_FIELD_MAPPING,
  EVENT_SOURCE_TYPES,
  HOST_FIELD_MAPPING,
  UNSTRUCTURED_FIELD_MAPPING,
  UNSTRUCTURED_PART_FIELD_MAPPING,
} from './mappings.js';
import { cidrOfPrefix } from './networks.js';

export interface QradarPipeline {
  name: string;
  priority: number;
  allowed_backends: string[];
  transformations: Record<string, unknown>[];
}

/** A custom transformation: rewrites the rule in place, records state, reports diagnostics. */
export type QradarTransform = (
  rule: IrRule,
  item: Record<string, unknown>,
  state: Record<string, unknown>,
) => Diagnostic[];

const BASE_ITEMS = [
  { id: 'host_fields_value', type: 'qradar_host_fields' },
  { id: 'unstructured_fields', type: 'qradar_unstructured_fields' },
  { id: 'aql_field_mapping', type: 'qradar_field_mapping' },
  { id: 'set_log_source_type', type: 'qradar_log_source_type' },
  { id: 'qradar_table', type: 'qradar_table' },
];

/** Only mapped QRadar properties: a rule with any other field fails with a diagnostic. */
export const qradarFieldsPipeline: QradarPipeline = {
  name: 'QRadar AQL: mapped fields only',
  priority: 20,
  allowed_backends: ['qradar'],
  transformations: [{ id: 'QRadar_unsupported_fields', type: 'qradar_fields_only' }, ...BASE_ITEMS],
};

/** Mapped properties, and unmapped fields searched as text in UTF8(payload). */
export const qradarPayloadPipeline: QradarPipeline = {
  name: 'QRadar AQL: unmapped fields searched in the payload',
  priority: 20,
  allowed_backends: ['qradar'],
  transformations: [
    { id: 'unsupported_value_types_for_unsupported_fields', type: 'qradar_payload_value_types' },
    { id: 'using_payload_for_unsupported_fields', type: 'qradar_payload_fields' },
    ...BASE_ITEMS,
  ],
};

export const qradarPipelines: Readonly<Record<string, QradarPipeline>> = {
  qradar_fields: qradarFieldsPipeline,
  qradar_payload: qradarPayloadPipeline,
};

type Leaf = Extract<IrNode, { kind: 'FieldMatch' | 'Keyword' }>;
type FieldMatchLeaf = Extract<IrNode, { kind: 'FieldMatch' }>;

/** Rewrite every leaf (FieldMatch/Keyword) of every condition; unchanged subtrees are kept, not copied. */
function rewriteLeaves(rule: IrRule, fn: (leaf: Leaf) => IrNode): void {
  const walk = (n: IrNode): IrNode => {
    switch (n.kind) {
      case 'And':
      case 'Or': {
        const children = mapSame(n.children, walk);
        return children === n.children ? n : { kind: n.kind, children };
      }
      case 'Not': {
        const child = walk(n.child);
        return child === n.child ? n : { kind: 'Not', child };
      }
      case 'FieldMatch':
      case 'Keyword':
        return fn(n);
      case 'Const':
        return n;
    }
  };
  rule.conditions = rule.conditions.map(walk);
}

/** xs.map(f), or xs itself when f returned every element unchanged. */
function mapSame(xs: IrNode[], f: (x: IrNode) => IrNode): IrNode[] {
  let out: IrNode[] | undefined;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = f(x);
    if (y !== x && out === undefined) out = xs.slice(0, i);
    out?.push(y);
  }
  return out ?? xs;
}

function leaves(rule: IrRule): Leaf[] {
  const out: Leaf[] = [];
  for (const c of rule.conditions) allLeaves(c, out);
  return out;
}

const fieldOf = (l: Leaf): string | undefined => (l.kind === 'FieldMatch' ? l.field : undefined);
const mapped = (f: string | undefined): boolean => f !== undefined && Object.hasOwn(AQL_FIELD_MAPPING, f);

/** The detection item a leaf came from (lowering splits one item's value list into leaves). */
function itemKey(l: Leaf): string {
  const o = l.origin;
  return `${o.selection ?? ''}\u0000${o.key ?? ''}\u0000${String(o.span?.line ?? '')}:${String(o.span?.column ?? '')}`;
}

/** itemKey(a) === itemKey(b); leaves of one item share their origin object, which settles it at once. */
function sameItemKey(a: Leaf, b: Leaf): boolean {
  return a.origin === b.origin || itemKey(a) === itemKey(b);
}

/** The value as Python's str() of the Sigma value shows it (wildcards as * and ?). */
function strOf(v: IrValue): string {
  switch (v.kind) {
    case 'Str':
      return v.parts
        .map((p) =>
          p.kind === 'Lit'
            ? p.text
            : p.kind === 'WildcardMulti'
              ? '*'
              : p.kind === 'WildcardSingle'
                ? '?'
                : `%${p.name}%`,
        )
        .join('');
    case 'Num':
      return v.raw;
    default:
      return '';
  }
}

const NUMBER_AS_STRING = /^[0-9%']*$/;

function fail(rule: IrRule, leaf: Leaf | undefined, message: string): Diagnostic {
  const d: Diagnostic = {
    code: 'TL5001',
    severity: 'error',
    message: `unsupported by target: ${message}`,
    file: rule.file,
  };
  if (leaf?.origin.span) d.span = leaf.origin.span;
  if (leaf?.origin.selection !== undefined) {
    d.path =
      leaf.origin.key !== undefined
        ? ['detection', leaf.origin.selection, leaf.origin.key]
        : ['detection', leaf.origin.selection];
  }
  return d;
}

const lit = (text: string): StrPart[] => (text === '' ? [] : [{ kind: 'Lit', text }]);
const isExpanding = (l: Leaf): boolean =>
  (l.origin.modifiers ?? []).some((m) => m === 'windash' || m === 'base64offset');

/** Lower-case the literal parts (free-text properties are searched case-insensitively). */
function lowerParts(parts: readonly StrPart[]): StrPart[] {
  return parts.map((p) => (p.kind === 'Lit' ? { kind: 'Lit', text: p.text.toLowerCase() } : p));
}

/** `contains`: wildcards at both ends unless already there. */
function containsParts(parts: readonly StrPart[]): StrPart[] {
  const out = [...parts];
  if (out[0]?.kind !== 'WildcardMulti') out.unshift({ kind: 'WildcardMulti' });
  if (out[out.length - 1]?.kind !== 'WildcardMulti' || out.length === 1) out.push({ kind: 'WildcardMulti' });
  return out;
}

function allLeaves(n: IrNode, out: Leaf[] = []): Leaf[] {
  if (n.kind === 'And' || n.kind === 'Or') for (const c of n.children) allLeaves(c, out);
  else if (n.kind === 'Not') allLeaves(n.child, out);
  else if (n.kind !== 'Const') out.push(n);
  return out;
}

function firstLeaf(n: IrNode): Leaf | undefined {
  switch (n.kind) {
    case 'And':
    case 'Or':
      // allLeaves(n)[0]: the first child holding a leaf.
      for (const c of n.children) {
        const l = firstLeaf(c);
        if (l) return l;
      }
      return undefined;
    case 'Not':
      return firstLeaf(n.child);
    case 'Const':
      return undefined;
    default:
      return n;
  }
}

/** Whether every leaf under n tests first's field and comes from first's detection item. */
function allOfItem(n: IrNode, first: FieldMatchLeaf): boolean {
  switch (n.kind) {
    case 'And':
    case 'Or':
      for (const c of n.children) if (!allOfItem(c, first)) return false;
      return true;
    case 'Not':
      return allOfItem(n.child, first);
    case 'Const':
      return true;
    case 'Keyword':
      return false;
    case 'FieldMatch':
      return n.field === first.field && sameItemKey(n, first);
  }
}

/**
 * The item's leaves under another field, marked as mapped. Leaves that shared an origin (the values
 * of one detection item) share the new one, as the generic field mappings do.
 */
function renameLeaves(n: IrNode, field: string, origins = new Map<Origin, Origin>()): IrNode {
  switch (n.kind) {
    case 'And':
    case 'Or':
      return { kind: n.kind, children: n.children.map((c) => renameLeaves(c, field, origins)) };
    case 'Not':
      return { kind: 'Not', child: renameLeaves(n.child, field, origins) };
    case 'FieldMatch': {
      let origin = origins.get(n.origin);
      if (origin === undefined) {
        origin = { ...n.origin, appliedBy: [...(n.origin.appliedBy ?? []), 'aql_field_mapping'] };
        origins.set(n.origin, origin);
      }
      const ref = n.value.kind === 'FieldRef' ? AQL_FIELD_MAPPING[n.value.field] : undefined;
      const value: IrValue =
        n.value.kind === 'FieldRef' && typeof ref === 'string' ? { ...n.value, field: ref } : n.value;
      return { kind: 'FieldMatch', field, value, origin };
    }
    default:
      return n;
  }
}

/**
 * Field mapping on detection items: a field mapped to several properties becomes an OR over
 * copies of the whole item (all its values), as the reference maps detection items.
 */
function mapFields(n: IrNode): IrNode {
  const first = n.kind === 'Not' ? undefined : firstLeaf(n);
  if (first?.kind === 'FieldMatch') {
    const to = AQL_FIELD_MAPPING[first.field];
    if (to !== undefined && allOfItem(n, first)) {
      if (typeof to === 'string') return renameLeaves(n, to);
      return { kind: 'Or', children: to.map((f) => renameLeaves(n, f)) };
    }
  }
  switch (n.kind) {
    case 'And':
    case 'Or': {
      const children = mapSame(n.children, mapFields);
      return children === n.children ? n : { kind: n.kind, children };
    }
    case 'Not': {
      const child = mapFields(n.child);
      return child === n.child ? n : { kind: 'Not', child };
    }
    case 'FieldMatch': {
      const ref = n.value.kind === 'FieldRef' ? AQL_FIELD_MAPPING[n.value.field] : undefined;
      return n.value.kind === 'FieldRef' && typeof ref === 'string'
        ? { ...n, value: { ...n.value, field: ref } }
        : n;
    }
    default:
      return n;
  }
}

/** Remove dropped (Const) items: a group left with one item is that item, as in the reference. */
function prune(n: IrNode): IrNode {
  if (n.kind === 'Not') return { kind: 'Not', child: prune(n.child) };
  if (n.kind !== 'And' && n.kind !== 'Or') return n;
  const kept = n.children.map(prune).filter((c) => c.kind !== 'Const');
  if (kept.length === 0) return { kind: 'Const', value: true };
  if (kept.length === 1 && kept[0]) return kept[0];
  return { kind: n.kind, children: kept };
}

export const qradarTransformations: Readonly<Record<string, QradarTransform>> = {
  qradar_fields_only(rule) {
    const diags: Diagnostic[] = [];
    for (const l of leaves(rule)) {
      const f = fieldOf(l);
      if (!mapped(f)) diags.push(fail(rule, l, `field '${f ?? 'None'}' is not mapped to a QRadar property`));
    }
    return diags.slice(0, 1);
  },

  qradar_payload_value_types(rule) {
    const diags: Diagnostic[] = [];
    rewriteLeaves(rule, (l) => {
      const f = fieldOf(l);
      if (mapped(f)) return l;
      const v = l.value;
      const s = strOf(v);
      let type = '';
      if (v.kind === 'Compare') type = 'Numeric comparison operation';
      else if (v.kind === 'Null' || (v.kind === 'Str' && s === '')) type = 'Null value';
      else if (v.kind === 'Num' || (v.kind === 'Str' && NUMBER_AS_STRING.test(s))) {
        // A number in free text: searched as "<field>%<number>" (the field name and the number).
        return { ...l, value: { kind: 'Str', cased: false, parts: lit(f === undefined ? s : `${f}%${s}`) } };
      } else if (v.kind === 'Bool' || (v.kind === 'Str' && (s === 'true' || s === 'false')))
        type = 'Boolean value';
      else if (v.kind === 'Re') type = 'Regular expression value';
      else if (v.kind === 'Cidr') type = 'CIDR expression';
      if (type && diags.length === 0)
        diags.push(
          fail(rule, l, `${type} for the unmapped field '${f ?? 'None'}' (searched in the payload)`),
        );
      return l;
    });
    return diags;
  },

  qradar_payload_fields(rule) {
    rewriteLeaves(rule, (l) => {
      if (l.kind !== 'FieldMatch' || mapped(l.field)) return l;
      // An expansion (windash variants) keeps a field: the whole payload.
      if (isExpanding(l)) return { ...l, field: 'Payload' };
      return { kind: 'Keyword', value: l.value, origin: l.origin };
    });
    return [];
  },

  qradar_host_fields(rule) {
    const diags: Diagnostic[] = [];
    rewriteLeaves(rule, (l) => {
      const f = fieldOf(l);
      if (f === undefined || !Object.hasOwn(HOST_FIELD_MAPPING, f) || l.value.kind !== 'Str') return l;
      const parts = l.value.parts;
      if (!parts.some((p) => p.kind !== 'Lit')) return l;
      if (parts[0]?.kind === 'WildcardMulti') {
        const op =
          parts[parts.length - 1]?.kind === 'WildcardMulti' && parts.length > 1 ? 'contains' : 'endswith';
        diags.push(fail(rule, l, `'${op}' on the host field '${f}' (use startswith or an exact address)`));
        return l;
      }
      const head = parts[parts.length - 1]?.kind === 'WildcardMulti' ? parts.slice(0, -1) : parts;
      const text = strOf({ kind: 'Str', cased: false, parts: head });
      const cidr = cidrOfPrefix(text);
      if (cidr === null) {
        diags.push(fail(rule, l, `'${text}' on the host field '${f}' is not an IPv4 or IPv6 address prefix`));
        return l;
      }
      return { ...l, value: { kind: 'Cidr', cidr, version: cidr.includes(':') ? 6 : 4 } };
    });
    return diags.slice(0, 1);
  },

  qradar_unstructured_fields(rule) {
    const diags: Diagnostic[] = [];
    const firstOfItem = new Set<string>();
    rewriteLeaves(rule, (l) => {
      const f = fieldOf(l);
      const part = f !== undefined && Object.hasOwn(UNSTRUCTURED_PART_FIELD_MAPPING, f);
      const free = part || !mapped(f) || (f !== undefined && Object.hasOwn(UNSTRUCTURED_FIELD_MAPPING, f));
      if (!free) return l;
      const key = itemKey(l);
      const first = !firstOfItem.has(key);
      firstOfItem.add(key);
      const v = l.value;
      let parts: StrPart[];
      if (v.kind === 'Num') parts = lit(v.raw);
      else if (v.kind === 'Str') {
        parts = v.parts;
        // Only the first value of an item gets the field name prefix, as in the reference.
        if (part && first && f !== undefined) {
          parts = parts[0]?.kind === 'WildcardMulti' ? [...lit(f), ...parts] : [...lit(`${f}%`), ...parts];
        }
        parts = lowerParts(parts);
      } else {
        if (diags.length === 0) {
          diags.push(
            fail(rule, l, `${v.kind} value for the free-text field '${f ?? 'None'}' (searched with LIKE)`),
          );
        }
        return l;
      }
      return { ...l, value: { kind: 'Str', cased: false, parts: containsParts(parts) } };
    });
    return diags;
  },

  qradar_field_mapping(rule, _item, state) {
    rule.conditions = rule.conditions.map(mapFields);
    const fields = rule.attributes['fields'];
    if (Array.isArray(fields)) {
      state['fields'] = fields.flatMap((f) => {
        if (typeof f !== 'string') return [];
        const to = AQL_FIELD_MAPPING[f];
        return to === undefined ? [f] : typeof to === 'string' ? [to] : [...to];
      });
    }
    return [];
  },

  qradar_log_source_type(rule, _item, state) {
    const types = Array.isArray(state['device_types']) ? (state['device_types'] as number[]) : [];
    rewriteLeaves(rule, (l) => {
      if (l.kind !== 'FieldMatch' || l.field !== 'devicetype') return l;
      const id = EVENT_SOURCE_TYPES[strOf(l.value)];
      if (id !== undefined) types.push(id);
      // The log source becomes the devicetype filter of the query, not a condition.
      return { kind: 'Const', value: true };
    });
    state['device_types'] = types;
    rule.conditions = rule.conditions.map(prune);
    return [];
  },

  qradar_table(rule, _item, state) {
    const ls = rule.logsource;
    const flow =
      ls.product === 'qflow' || ls.product === 'ipfix' || ls.service === 'netflow' || ls.category === 'flow';
    state['table'] = flow ? 'flows' : 'events';
    return [];
  },
};

/** Group-by and aggregated fields of a correlation get the same QRadar property names. */
function mapCorrelationFields(corr: IrCorrelation): void {
  const one = (f: string): string => {
    const to = AQL_FIELD_MAPPING[f];
    return typeof to === 'string' ? to : f;
  };
  corr.groupBy = corr.groupBy.map(one);
  if (corr.condition.field !== undefined) corr.condition.field = one(corr.condition.field);
}

/**
 * The QRadar transformations as pipeline transformation types (rule scope), for the pipeline
 * loader and applyPipelines: pass them as `transformations` in the load options and the context.
 */
export const qradarTransformationDefs: Readonly<Record<string, TransformationDef>> = Object.fromEntries(
  Object.entries(qradarTransformations).map(([type, fn]) => [
    type,
    defineTransformation<null>({
      scope: 'rule',
      parse: () => null,
      apply(_p, target, env) {
        if (target.kind !== 'Rule') {
          if (type === 'qradar_field_mapping') mapCorrelationFields(target.correlation);
          return;
        }
        const diags = fn(target.rule, {}, env.state);
        for (const d of diags) {
          if (env.file !== undefined && d.file === undefined) d.file = env.file;
          env.diagnostics.push(d);
          if (d.severity === 'error') env.failed = true;
        }
      },
    }),
  ]),
);
