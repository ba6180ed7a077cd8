/**
 * The frame the three kusto pipelines share (microsoft_xdr, sentinel_asim, azure_monitor), after the
 * reference's kusto_common: choose the query table (a given table, the pipeline state, the log source
 * category, or an EventID in a `sel*` selection), drop EventID-like items, map field names through the
 * table's mapping then the generic one, run the pipeline's own value edits, and reject any field the
 * table does not have. The chosen table lands in the state key `query_table`, which the backend's
 * query layout reads (`Table\n| where …`).
 */
import type { Diagnostic, Result } from '../../../diagnostics/index.js';
import { fail, ok } from '../../../diagnostics/index.js';
import type { IrNode, IrRule } from '../../../ir/types.js';
import type { FieldMatch } from '../ir-edit.js';
import { editLeaves, walkLeaves } from '../ir-edit.js';
import type { KustoType } from '../schemas.js';

/** A field mapping target: one field, or several alternatives (the item becomes an OR over them). */
export type MappingTarget = string | readonly string[];

export interface StepContext {
  rule: IrRule;
  table: string;
  diagnostics: Diagnostic[];
}

/** One of a pipeline's own edits, run after the field mappings in the order listed. */
export type PipelineStep = (node: IrNode, ctx: StepContext) => IrNode | null;

export interface KustoPipelineSpec {
  name: string;
  description: string;
  categoryTables: Readonly<Record<string, string>>;
  /** EventID category (see EVENTID_CATEGORIES) → table, used when the rule has no category. */
  eventIdTables: Readonly<Record<string, string>>;
  tableMappings: Readonly<Record<string, Readonly<Record<string, MappingTarget>>>>;
  genericMappings: Readonly<Record<string, string>>;
  /** Columns of the tables the pipeline knows; fields outside them (and the mapping keys) are rejected. */
  tables: Readonly<Record<string, Readonly<Record<string, KustoType>>>>;
  /** Items dropped before the mappings (the event id is in the table choice, not the query). */
  dropFields: readonly string[];
  /** Edits between the generic mapping and the value edits (microsoft_xdr's ParentImage handling). */
  afterMapping?: readonly PipelineStep[];
  steps: readonly PipelineStep[];
}

export interface KustoPipelineOptions {
  /** Table forced by the user (the reference pipeline's query_table parameter). */
  queryTable?: string;
  /** Pipeline state from earlier pipelines (`query_table` set by a set_state item). */
  state?: Record<string, unknown>;
}

/** Windows event ids by kind of event (kusto_common/mappings.py). */
const EVENTID_CATEGORIES: readonly (readonly [string, readonly number[]])[] = [
  ['process', [1, 5, 10, 25, 4688, 4689, 4696]],
  ['logon', [4624, 4625, 4634, 4647, 4648, 4778, 4779, 4800, 4801, 4802, 4803]],
  ['registry', [4656, 4657, 4658, 4659, 4660, 4661, 4662, 4663, 12, 13, 14]],
  ['file', [2, 11, 15, 23, 26, 27, 28, 29, 4656, 4658, 4660, 4663]],
  ['network', [3, 22, 5140, 5145, 5156, 5157, 5158, 5159]],
  ['image_load', [7]],
  ['pipe', [17, 18]],
  ['wmi', [19, 20, 21]],
  ['service', [4697, 4698, 4699, 4700, 4701, 4702]],
  ['account', [4720, 4722, 4723, 4724, 4725, 4726, 4738, 4740, 4767]],
];

export const NO_TABLE_MESSAGE =
  'unable to determine the table to query: the log source category has no table in this pipeline ' +
  'and no EventID in a sel* selection names one (name one with -p "<pipeline>(query_table=Table)" or a set_state item for query_table)';

function tableFromEventId(value: unknown, spec: KustoPipelineSpec): string | undefined {
  const id = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(id)) return undefined;
  const cat = EVENTID_CATEGORIES.find(([, ids]) => ids.includes(id))?.[0];
  return cat === undefined ? undefined : spec.eventIdTables[cat];
}

/** SetQueryTableStateTransformation's order of priority. */
export function chooseTable(
  rule: IrRule,
  spec: KustoPipelineSpec,
  opts: KustoPipelineOptions,
): string | undefined {
  if (opts.queryTable) return opts.queryTable;
  const fromState = opts.state?.['query_table'];
  if (typeof fromState === 'string' && fromState !== '') return fromState;
  const category = rule.logsource.category;
  if (category !== undefined) return spec.categoryTables[category];
  // Only the plain items of map selections whose name starts with "sel" are looked at.
  const detection = rule.attributes['detection'];
  if (detection === null || typeof detection !== 'object') return undefined;
  for (const [name, body] of Object.entries(detection as Record<string, unknown>)) {
    if (!/^sel/i.test(name) || body === null || typeof body !== 'object' || Array.isArray(body)) continue;
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const field = key.split('|')[0];
      if (field !== 'EventID' && field !== 'EventCode') continue;
      for (const v of Array.isArray(value) ? value : [value]) {
        const t = tableFromEventId(v, spec);
        if (t) return t;
      }
    }
  }
  return undefined;
}

function mappingOf(
  field: string,
  tableMap: Readonly<Record<string, MappingTarget>>,
  generic: Readonly<Record<string, string>>,
): MappingTarget | undefined {
  if (Object.hasOwn(tableMap, field)) return tableMap[field];
  return Object.hasOwn(generic, field) ? generic[field] : undefined;
}

function mapField(
  leaf: FieldMatch,
  tableMap: Readonly<Record<string, MappingTarget>>,
  generic: Readonly<Record<string, string>>,
): FieldMatch | { node: IrNode } {
  if (leaf.value.kind === 'FieldRef') {
    // The referenced field is a field of the same event: it is mapped like the compared one.
    const ref = mappingOf(leaf.value.field, tableMap, generic);
    const refField = typeof ref === 'string' ? ref : (ref?.[0] ?? leaf.value.field);
    leaf = { ...leaf, value: { ...leaf.value, field: refField } };
  }
  const target = mappingOf(leaf.field, tableMap, generic);
  if (target === undefined) return leaf;
  if (typeof target === 'string') return { ...leaf, field: target };
  if (target.length === 1) return { ...leaf, field: target[0] ?? leaf.field };
  return { node: { kind: 'Or', children: target.map((f) => ({ ...leaf, field: f })) } };
}

/**
 * Map the fields of one condition. A value list mapped to several fields becomes an OR of the whole
 * list per field (pySigma maps the detection item, not each value).
 */
function mapCondition(
  node: IrNode,
  tableMap: Readonly<Record<string, MappingTarget>>,
  generic: Readonly<Record<string, string>>,
): IrNode {
  if (node.kind === 'And' || node.kind === 'Or') {
    const first = node.children[0];
    if (first?.kind === 'FieldMatch') {
      const t = Object.hasOwn(tableMap, first.field) ? tableMap[first.field] : undefined;
      if (Array.isArray(t) && t.length > 1 && isValueList(node)) {
        return {
          kind: 'Or',
          children: t.map((f: string) => ({
            kind: node.kind,
            children: node.children.map((c) => (c.kind === 'FieldMatch' ? { ...c, field: f } : c)),
          })),
        };
      }
    }
    return { kind: node.kind, children: node.children.map((c) => mapCondition(c, tableMap, generic)) };
  }
  if (node.kind === 'Not') return { kind: 'Not', child: mapCondition(node.child, tableMap, generic) };
  if (node.kind === 'FieldMatch') {
    const r = mapField(node, tableMap, generic);
    return 'node' in r ? r.node : r;
  }
  return node;
}

function isValueList(node: Extract<IrNode, { kind: 'And' | 'Or' }>): boolean {
  const first = node.children[0];
  return (
    first?.kind === 'FieldMatch' &&
    node.children.every(
      (c) =>
        c.kind === 'FieldMatch' &&
        c.field === first.field &&
        c.origin.key === first.origin.key &&
        c.origin.selection === first.origin.selection &&
        c.origin.span?.line === first.origin.span?.line &&
        c.origin.span?.column === first.origin.span?.column,
    )
  );
}

/** A field name as the pipeline maps it for a table (the first of several alternatives). */
export function mapFieldName(spec: KustoPipelineSpec, table: string, field: string): string {
  const t = mappingOf(field, spec.tableMappings[table] ?? {}, spec.genericMappings);
  if (t === undefined) return field;
  return typeof t === 'string' ? t : (t[0] ?? field);
}

const validCache = new WeakMap<KustoPipelineSpec, Map<string, ReadonlySet<string> | null>>();

/** The fields a table accepts after mapping: its columns, the mapping keys, and Hashes. */
export function validFields(spec: KustoPipelineSpec, table: string): ReadonlySet<string> | null {
  let perSpec = validCache.get(spec);
  if (!perSpec) validCache.set(spec, (perSpec = new Map()));
  const cached = perSpec.get(table);
  if (cached !== undefined) return cached;
  const columns = spec.tables[table];
  const set = columns ? computeValid(spec, table, columns) : null;
  perSpec.set(table, set);
  return set;
}

function computeValid(
  spec: KustoPipelineSpec,
  table: string,
  columns: Readonly<Record<string, KustoType>>,
): Set<string> {
  return new Set([
    ...Object.keys(columns),
    ...Object.keys(spec.tableMappings[table] ?? {}),
    ...Object.keys(spec.genericMappings),
    'Hashes',
  ]);
}

export interface KustoPipelineResult {
  rule: IrRule;
  state: Record<string, unknown>;
}

export function applyKustoPipeline(
  rule: IrRule,
  spec: KustoPipelineSpec,
  opts: KustoPipelineOptions = {},
): Result<KustoPipelineResult> {
  const table = chooseTable(rule, spec, opts);
  if (!table) {
    return fail([
      { code: 'TL5010', severity: 'error', message: `${spec.name}: ${NO_TABLE_MESSAGE}`, file: rule.file },
    ]);
  }
  const diagnostics: Diagnostic[] = [];
  const ctx: StepContext = { rule, table, diagnostics };
  const tableMap = spec.tableMappings[table] ?? {};
  const conditions: IrNode[] = [];
  for (const cond of rule.conditions) {
    let node: IrNode | null = editLeaves(cond, (leaf) =>
      spec.dropFields.includes(leaf.field) ? null : leaf,
    );
    if (node === null) continue;
    node = mapCondition(node, tableMap, spec.genericMappings);
    for (const step of [...(spec.afterMapping ?? []), ...spec.steps]) {
      if (node === null) break;
      node = step(node, ctx);
      if (diagnostics.some((d) => d.severity === 'error')) return fail(diagnostics);
    }
    if (node !== null) conditions.push(node);
  }
  const valid = validFields(spec, table);
  if (valid) {
    const bad = new Set<string>();
    for (const c of conditions) {
      walkLeaves(c, (leaf) => {
        if (!valid.has(leaf.field)) bad.add(leaf.field);
        if (leaf.value.kind === 'FieldRef' && !valid.has(leaf.value.field)) bad.add(leaf.value.field);
      });
    }
    if (bad.size > 0) {
      const names = [...bad];
      return fail([
        {
          code: 'TL5010',
          severity: 'error',
          message:
            `${spec.name}: ${names.length === 1 ? 'field' : 'fields'} ${names.map((n) => `'${n}'`).join(', ')} ` +
            `not in table ${table} (and not mapped to it by the pipeline)`,
          file: rule.file,
        },
      ]);
    }
  }
  const state = { ...(opts.state ?? {}), query_table: table };
  return ok({ rule: { ...rule, conditions }, state }, diagnostics);
}
