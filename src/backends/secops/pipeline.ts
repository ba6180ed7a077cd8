/**
 * The secops_udm pipeline: UDM event types from the logsource (or from EventID values in `sel*`
 * selections), field mappings per event type with a common fallback, UDM field validation, enum
 * value conversion and hash-algorithm stripping. Written as one custom rule transformation because
 * the mapping depends on rule-level state (the event types) that pySigma's vocabulary cannot state.
 */
import type { IrNode, IrRule, StrPart } from '../../ir/types.js';
import type { TransformationDef } from '../../pipeline/index.js';
import { defineTransformation } from '../../pipeline/index.js';
import { envError } from '../../pipeline/env.js';
import {
  CATEGORY_EVENT_TYPES,
  COMMON_FIELDS,
  EXTENDED_FIELDS,
  EVENT_ID_TYPES,
  EVENT_TYPE_GROUP,
  FIELDS_BY_GROUP,
  PRODUCT_EVENT_TYPES,
  SERVICE_EVENT_TYPES,
  isValidUdmField,
} from './mappings.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;

/** Rule state key holding the UDM event types (an array, in discovery order). */
export const SECOPS_EVENT_TYPES = 'secops.event_types';
export const SECOPS_PREPEND_METADATA = 'secops.prepend_metadata';

const ENUMS: Record<string, Record<string, string>> = {
  'network.direction': {
    Inbound: 'INBOUND',
    Outbound: 'OUTBOUND',
    Broadcast: 'BROADCAST',
    true: 'OUTBOUND',
    false: 'INBOUND',
  },
};

function plain(parts: readonly StrPart[]): string {
  return parts.map((p) => (p.kind === 'Lit' ? p.text : '')).join('');
}

function valueText(n: FieldMatch): string | undefined {
  if (n.value.kind === 'Str') return plain(n.value.parts);
  if (n.value.kind === 'Num') return n.value.raw;
  return undefined;
}

function walk(node: IrNode, f: (n: FieldMatch) => IrNode): IrNode {
  switch (node.kind) {
    case 'FieldMatch':
      return f(node);
    case 'And':
    case 'Or':
      return { kind: node.kind, children: node.children.map((c) => walk(c, f)) };
    case 'Not':
      return { kind: 'Not', child: walk(node.child, f) };
    default:
      return node;
  }
}

function leaves(node: IrNode, out: FieldMatch[] = []): FieldMatch[] {
  if (node.kind === 'FieldMatch') out.push(node);
  else if (node.kind === 'And' || node.kind === 'Or') for (const c of node.children) leaves(c, out);
  else if (node.kind === 'Not') leaves(node.child, out);
  return out;
}

/**
 * Fields of the other event groups, consulted before the common mapping. The reference reaches
 * the same result by accident (its mapping table accumulates every group it has seen during a
 * run); stating it keeps our output independent of rule order. Later groups win.
 */
const OTHER_GROUPS: Readonly<Record<string, string>> = {
  ...FIELDS_BY_GROUP.authentication,
  ...FIELDS_BY_GROUP.registry,
  ...FIELDS_BY_GROUP.file,
  ...FIELDS_BY_GROUP.network,
  ...FIELDS_BY_GROUP.process,
};

/** Logsource names → event type, later tables winning as in the reference's merged dict. */
const LOGSOURCE_EVENT_TYPES: Readonly<Record<string, string>> = {
  ...CATEGORY_EVENT_TYPES,
  ...SERVICE_EVENT_TYPES,
  ...PRODUCT_EVENT_TYPES,
};

export function eventTypesOf(rule: IrRule): string[] {
  const ls = rule.logsource;
  const all = LOGSOURCE_EVENT_TYPES;
  const fromLs =
    (ls.category !== undefined ? all[ls.category] : undefined) ??
    (ls.service !== undefined ? all[ls.service] : undefined) ??
    (ls.product !== undefined ? all[ls.product] : undefined);
  if (fromLs !== undefined) return [fromLs];
  const types: string[] = [];
  for (const c of rule.conditions) {
    for (const l of leaves(c)) {
      if (l.field !== 'EventID' || !/^sel/.test(l.origin.selection ?? '')) continue;
      const t = EVENT_ID_TYPES[valueText(l) ?? ''];
      if (t !== undefined && !types.includes(t)) types.push(t);
    }
  }
  return types;
}

/**
 * The field in the groups of these event types, the first type's group winning (the reference
 * merges the groups' tables for each rule; looking them up in turn gives the same answer).
 */
function groupField(field: string, types: readonly string[]): string | undefined {
  for (const t of types) {
    const group = EVENT_TYPE_GROUP[t];
    if (group === undefined) continue;
    const table = FIELDS_BY_GROUP[group];
    if (Object.hasOwn(table, field)) return table[field];
  }
  return undefined;
}

/** The UDM field for a Sigma field in a rule with these event types (e.g. correlation group-by). */
export function udmField(field: string, types: readonly string[]): string {
  return (
    groupField(field, types) ?? OTHER_GROUPS[field] ?? COMMON_FIELDS[field] ?? EXTENDED_FIELDS[field] ?? field
  );
}

/** Apply the UDM mapping; a string is the failure message (invalid UDM field). */
export function secopsUdmRule(
  rule: IrRule,
  state: Record<string, unknown>,
  prependMetadata = true,
): IrRule | string {
  const types = eventTypesOf(rule);
  state[SECOPS_EVENT_TYPES] = types;
  state[SECOPS_PREPEND_METADATA] ??= prependMetadata;
  let failure: string | undefined;
  const conditions = rule.conditions.map((c) =>
    walk(c, (n) => {
      const mapped =
        groupField(n.field, types) ??
        OTHER_GROUPS[n.field] ??
        COMMON_FIELDS[n.field] ??
        EXTENDED_FIELDS[n.field] ??
        n.field;
      if (failure === undefined && !isValidUdmField(mapped))
        failure = `Field ${mapped} is not a valid UDM field`;
      let out: FieldMatch = { ...n, field: mapped };
      const en = ENUMS[mapped];
      if (en !== undefined && out.value.kind === 'Str') {
        const v = en[plain(out.value.parts)];
        if (v !== undefined) out = { ...out, value: { ...out.value, parts: [{ kind: 'Lit', text: v }] } };
      }
      if (mapped === 'hash' && out.value.kind === 'Str') {
        // Keep what follows the last `|` (algorithm lists like `SHA1=…|MD5=…`), wildcards included.
        const parts = out.value.parts;
        let cut = -1;
        parts.forEach((p, i) => {
          if (p.kind === 'Lit' && p.text.includes('|')) cut = i;
        });
        if (cut >= 0) {
          const p = parts[cut] as { kind: 'Lit'; text: string };
          const rest = p.text.slice(p.text.lastIndexOf('|') + 1);
          out = {
            ...out,
            value: {
              ...out.value,
              parts: [...(rest ? [{ kind: 'Lit' as const, text: rest }] : []), ...parts.slice(cut + 1)],
            },
          };
        }
      }
      return out;
    }),
  );
  if (failure !== undefined) return `Invalid UDM field: ${failure}`;
  return { ...rule, conditions };
}

/** The `secops_udm` transformation type (rule scope), given to the pipeline loader through its context. */
export const secopsTransformations: Readonly<Record<string, TransformationDef>> = {
  secops_udm: defineTransformation({
    scope: 'rule',
    parse: (r) => ({ prependMetadata: r.bool('prepend_metadata', true) }),
    apply: (p, target, env) => {
      if (target.kind !== 'Rule') return;
      const out = secopsUdmRule(target.rule, env.state, p.prependMetadata);
      if (typeof out === 'string') envError(env, 'TL4101', out);
      else target.rule.conditions = out.conditions;
    },
  }),
};

/** secops_udm_pipeline(prepend_metadata=…) as pipeline data. */
export function secopsUdmPipeline(prependMetadata = true): Record<string, unknown> {
  return {
    name: 'Google SecOps UDM Pipeline',
    priority: 20,
    allowed_backends: ['secops'],
    transformations: [{ id: 'secops_udm', type: 'secops_udm', prepend_metadata: prependMetadata }],
  };
}
