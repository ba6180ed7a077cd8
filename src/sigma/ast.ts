/**
 * The Sigma AST: what a rule file says, typed, with a source span on everything a diagnostic may point at.
 * Values are kept as written (modifiers unapplied); src/ir/lower.ts applies modifiers.
 */
import type { Span } from '../diagnostics/index.js';

export interface Located {
  span: Span;
}

/** A scalar as written in YAML. Strings keep their raw text (escapes and wildcards uninterpreted). */
export type SigmaScalar =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; raw: string; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'null'; span: Span };

export interface Modifier {
  /** Canonical name (aliases resolved: wide → utf16le, ignorecase → i, …). */
  name: string;
  /** As written. */
  written: string;
  span: Span;
}

/** `Field|mod1|mod2: value(s)`, or a keyword (field undefined). */
export interface DetectionItem {
  kind: 'DetectionItem';
  field?: string;
  /** Key as written (field and modifiers), for messages. */
  key: string;
  modifiers: Modifier[];
  values: SigmaScalar[];
  /** The value was a YAML list (even with one element). */
  isList: boolean;
  span: Span;
}

/** A map of items (AND) or a list of maps / values (OR), as pySigma models detections. */
export interface DetectionGroup {
  kind: 'DetectionGroup';
  linking: 'and' | 'or';
  items: (DetectionItem | DetectionGroup)[];
  span: Span;
}

export interface NamedDetection {
  name: string;
  span: Span;
  body: DetectionGroup;
}

export type ConditionNode =
  /** `parens`: written in parentheses (printers keep such a group even inside the same operator). */
  | { kind: 'And'; left: ConditionNode; right: ConditionNode; span: Span; parens?: boolean }
  | { kind: 'Or'; left: ConditionNode; right: ConditionNode; span: Span; parens?: boolean }
  | { kind: 'Not'; operand: ConditionNode; span: Span }
  | { kind: 'Ref'; name: string; span: Span }
  /** `1 of sel*`, `all of them`, `any of x` (`any` is 1). pattern 'them' means all selections. */
  | { kind: 'Quantified'; quantifier: 'one' | 'all'; pattern: string; span: Span };

export interface Condition {
  text: string;
  span: Span;
  /** Undefined when the condition failed to parse (a diagnostic says why). */
  ast?: ConditionNode;
}

export interface Detection {
  selections: NamedDetection[];
  conditions: Condition[];
  timeframe?: string;
  span: Span;
}

export interface Logsource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
  /** Other logsource keys, kept. */
  custom: Record<string, unknown>;
  span: Span;
}

export interface Related {
  id: string;
  type: string;
}

/** Attributes shared by rules, correlations and filters. */
export interface SigmaMeta {
  file: string;
  /** Index of the document in the file (0-based), after legacy collections are expanded. */
  index: number;
  span: Span;
  title: string;
  id?: string;
  name?: string;
  status?: string;
  description?: string;
  license?: string;
  author?: string;
  references: string[];
  date?: string;
  modified?: string;
  tags: string[];
  level?: string;
  falsepositives: string[];
  fields: string[];
  related: Related[];
  taxonomy?: string;
  scope: string[];
  /** Every top-level key not in the specification, kept as plain data. */
  custom: Record<string, unknown>;
  /** Span of each top-level key, for diagnostics. */
  keySpans: Record<string, Span>;
  /** The whole document as plain data (after legacy merges). */
  raw: Record<string, unknown>;
}

export interface SigmaRule extends SigmaMeta {
  kind: 'Rule';
  logsource: Logsource;
  detection: Detection;
}

export interface CorrelationCondition {
  bounds: { op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'; value: number }[];
  field?: string;
  percentile?: number;
}

export interface SigmaCorrelation extends SigmaMeta {
  kind: 'Correlation';
  type: string;
  rules: string[];
  groupBy: string[];
  timespan: string;
  timespanSeconds: number;
  condition?: CorrelationCondition;
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}

export interface SigmaFilter extends SigmaMeta {
  kind: 'Filter';
  logsource: Logsource;
  /** Rule ids or names the filter applies to; ['any'] for every rule. */
  rules: string[];
  detection: Detection;
}

export type SigmaDocument = SigmaRule | SigmaCorrelation | SigmaFilter;

export interface SigmaFile {
  file: string;
  documents: SigmaDocument[];
}
