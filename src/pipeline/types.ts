/**
 * Processing pipelines: pySigma's model (sigma/processing/pipeline.py) over our IR.
 *
 * A pipeline is data: a name, a priority, processing items, variables. A processing item names a
 * transformation type, its parameters (already validated and parsed by the type's `parse`), and three
 * condition groups (rule, detection item, field name) with pySigma's linking rules. Loading
 * (loader.ts) turns YAML or plain objects into this shape; applying (apply.ts) runs it over an IR rule.
 */
import type { Span, YamlPath } from '../diagnostics/index.js';
import type { TransformationDef } from './transformation-def.js';

/** Where an item came from, so a diagnostic can point at the pipeline file. */
export interface SourceRef {
  file?: string;
  path: YamlPath;
  span?: Span;
}

/** A parsed condition: its type, its validated parameters, where it was written. */
export interface ConditionSpec {
  type: string;
  params: unknown;
  source: SourceRef;
}

/** `rule_cond_expr` & co. parsed: identifiers refer to keys of the conditions mapping. */
export type CondExpr =
  | { kind: 'Ref'; name: string }
  | { kind: 'And'; left: CondExpr; right: CondExpr }
  | { kind: 'Or'; left: CondExpr; right: CondExpr }
  | { kind: 'Not'; child: CondExpr };

/**
 * The conditions of one level (rule, detection item or field name). Written as a list (linked by
 * `op`, default and) or as a mapping whose keys an expression (`*_cond_expr`) combines.
 */
export interface ConditionGroup {
  conditions: { ref: string; cond: ConditionSpec }[];
  op: 'and' | 'or';
  not: boolean;
  expr?: CondExpr;
}

export interface ProcessingItem {
  /** The item's `id`, or a generated one (`<pipeline>#<n>`) when it has none. */
  id: string;
  /** Whether `id` was written in the pipeline (only those count for `processing_item_applied`). */
  explicitId: boolean;
  type: string;
  /** The transformation type's implementation, bound at load time (so applying needs no lookup). */
  transformation: TransformationDef;
  /** Parameters as parsed by the transformation type's `parse`. */
  params: unknown;
  ruleConditions: ConditionGroup;
  detectionItemConditions: ConditionGroup;
  fieldNameConditions: ConditionGroup;
  source: SourceRef;
}

/** A query postprocessing item (`postprocessing:`): applied by backends to each finished query. */
export interface PostprocessingItem {
  id: string;
  explicitId: boolean;
  type: 'embed' | 'simple_template' | 'template' | 'json' | 'replace' | 'nest';
  params: Record<string, unknown>;
  /** `nest`: the nested items. */
  items?: PostprocessingItem[];
  ruleConditions: ConditionGroup;
  source: SourceRef;
}

/** A finalizer (`finalizers:`): joins all queries of a conversion into one output. */
export interface Finalizer {
  type: 'concat' | 'json' | 'yaml' | 'template' | 'nested';
  params: Record<string, unknown>;
  finalizers?: Finalizer[];
  source: SourceRef;
}

export interface Pipeline {
  name: string;
  /** Pipelines apply in ascending priority (pySigma's convention: 10 backend, 20 user, …). */
  priority: number;
  items: ProcessingItem[];
  postprocessing: PostprocessingItem[];
  finalizers: Finalizer[];
  /** Variables for `value_placeholders`. Later pipelines override earlier ones. */
  vars: Record<string, unknown>;
  /** Targets the pipeline is meant for; absent or empty means any. */
  allowedBackends?: string[];
  file?: string;
}

/** What applying pipelines to a rule yields. */
export interface ApplyOutput<T> {
  rule: T;
  /** Pipeline state (`set_state`), read by backends (e.g. index names, data model). */
  state: Record<string, unknown>;
  /** Ids of items whose rule conditions matched, in the order they ran. */
  applied: string[];
  /** The rule's `fields` list after field transformations (add_field, field_name_mapping, …). */
  fields: string[];
  /** Original field name → field names it was mapped to (for unmapped-field reports). */
  fieldMappings: Record<string, string[]>;
}
