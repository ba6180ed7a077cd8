/**
 * The IR: one boolean tree of predicates per rule, shared by the evaluation engine and every query printer.
 *
 * Lowering (src/ir/lower.ts) applies all value modifiers, so consumers never see modifier names:
 * `contains` is a Str with wildcards at both ends, `windash`/`base64offset` are Or nodes over the variants,
 * `neq` is a Not, `all` is an And. The tree keeps the shape of the Sigma condition (no flattening) because
 * byte-compatible printers parenthesize by that shape; `normalize()` gives a flattened copy for the engine.
 */
import type { Span } from '../diagnostics/index.js';

/** One piece of a Sigma string: literal text, `*`, `?`, or a `%placeholder%` (only with `expand`). */
export type StrPart =
  | { kind: 'Lit'; text: string }
  | { kind: 'WildcardMulti' }
  | { kind: 'WildcardSingle' }
  | { kind: 'Placeholder'; name: string };

export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export type IrValue =
  /** A string with wildcards. `cased` means case-sensitive matching was asked for. */
  | { kind: 'Str'; parts: StrPart[]; cased: boolean }
  /** `raw` keeps the number as written, so printers do not reformat it. */
  | { kind: 'Num'; value: number; raw: string }
  | { kind: 'Bool'; value: boolean }
  /** YAML null: the field is absent or null. */
  | { kind: 'Null' }
  | { kind: 'Re'; pattern: string; flags: ReFlags }
  | { kind: 'Cidr'; cidr: string; version: 4 | 6 }
  | { kind: 'Compare'; op: CompareOp; value: number; raw: string }
  /** `|exists: true/false` */
  | { kind: 'Exists'; value: boolean }
  /** `|fieldref`: the value of another field of the same event. */
  | { kind: 'FieldRef'; field: string; parts?: 'contains' | 'startswith' | 'endswith' }
  /** `|minute` … `|year`: the date part of the field's timestamp equals value. */
  | { kind: 'TimePart'; part: TimePart; value: number }
  /** A query expression placeholder inserted by a pipeline (`query_expression_placeholders`). */
  | { kind: 'QueryExpr'; expr: string; id: string };

export interface ReFlags {
  i: boolean;
  m: boolean;
  s: boolean;
}

/** Where a predicate came from, for diagnostics and provenance. */
export interface Origin {
  /** Selection name in the detection (undefined for keywords at the top level). */
  selection?: string;
  /** Field key as written, with modifiers, e.g. `CommandLine|contains|all`. */
  key?: string;
  span?: Span;
  /** Modifiers as written (after aliases resolved), for printers that need them (e.g. the windash hint). */
  modifiers?: readonly string[];
  /** Names of pipeline items that changed this node (provenance). */
  appliedBy?: string[];
}

export type IrNode =
  | { kind: 'And'; children: IrNode[] }
  | { kind: 'Or'; children: IrNode[] }
  | { kind: 'Not'; child: IrNode }
  /** field (as mapped) compared with value. */
  | { kind: 'FieldMatch'; field: string; value: IrValue; origin: Origin }
  /** A keyword: value searched in the whole event (any string field / full text). */
  | { kind: 'Keyword'; value: IrValue; origin: Origin }
  /** Constant, produced when a pipeline drops every item of a branch (printers drop it; engine evaluates). */
  | { kind: 'Const'; value: boolean };

export type IrKind = IrNode['kind'];
export type IrValueKind = IrValue['kind'];

export interface IrLogsource {
  category?: string;
  product?: string;
  service?: string;
}

/** A rule lowered to the IR. Only detection semantics live here; metadata stays on the Sigma AST. */
export interface IrRule {
  /** The rule id, or a stable id derived from file and index when the rule has none. */
  id: string;
  name?: string;
  title: string;
  level?: string;
  logsource: IrLogsource;
  /** One tree per condition; several conditions in a rule are alternatives (OR). */
  conditions: IrNode[];
  tags: string[];
  status?: string;
  /** File the rule came from (may be '<input>'). */
  file: string;
  /** Every top-level attribute of the rule document as plain data (for pipeline rule_attribute conditions). */
  attributes: Record<string, unknown>;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export type CorrelationOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface IrCorrelationCondition {
  /** One or more bounds, all of which must hold (e.g. gte 5 and lt 10). */
  bounds: { op: CorrelationOp; value: number }[];
  /** value_count / value_sum / value_avg / value_percentile: the field aggregated. */
  field?: string;
  /** value_percentile: which percentile (0–100). */
  percentile?: number;
}

export interface IrCorrelation {
  id: string;
  name?: string;
  title: string;
  level?: string;
  type: CorrelationType;
  /** Referenced rules (by id or name), in the order written (temporal_ordered uses it). */
  rules: string[];
  groupBy: string[];
  /** Window in seconds. */
  timespan: number;
  /** The timespan as written, e.g. `5m`, for printers. */
  timespanRaw: string;
  condition: IrCorrelationCondition;
  /** alias name → (rule id or name → field in that rule's events). */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}
