/**
 * The per-application state that pySigma keeps on the pipeline object (state, applied ids, field
 * tracking), here in an explicit context created for each applyPipelines call.
 */
import type { Diagnostic, DiagnosticCode, Span } from '../diagnostics/index.js';
import type { IrCorrelation, IrRule } from '../ir/types.js';
import type { ItemMemo } from './detection-items.js';
import type { ProcessingItem } from './types.js';

/** What a transformation or rule condition sees: a rule or a correlation, mutable working copy. */
export type Target = { kind: 'Rule'; rule: IrRule } | { kind: 'Correlation'; correlation: IrCorrelation };

export interface ApplyEnv {
  state: Record<string, unknown>;
  vars: Readonly<Record<string, unknown>>;
  /** Items whose transformation ran on the rule (pySigma: rule.was_processed_by). */
  ruleApplied: Set<string>;
  /** Field name → items that produced it (pySigma: field_name_applied_ids). */
  fieldApplied: Map<string, Set<string>>;
  fieldMappings: Map<string, string[]>;
  fields: string[];
  /** Detection item identification, memoized per call (IR nodes are immutable). */
  itemMemo: ItemMemo;
  diagnostics: Diagnostic[];
  /** Set when a transformation failed; application stops. */
  failed: boolean;
  /** For logsource conditions on correlations: the rules a correlation refers to. */
  resolveRule?: (ref: string) => IrRule | IrCorrelation | undefined;
  /** The item being applied (for messages and provenance). */
  item?: ProcessingItem | undefined;
  file?: string;
  /** Apply nested items (the `nest` transformation); set by apply.ts to avoid an import cycle. */
  applyItems?: (items: readonly ProcessingItem[], target: Target, env: ApplyEnv) => void;
}

/**
 * Report a failure while applying: the diagnostic points at the rule (file, and the detection item's
 * span when there is one), the message names the pipeline item and where it was written.
 */
export function envError(env: ApplyEnv, code: DiagnosticCode, message: string, span?: Span): void {
  const item = env.item;
  let where = '';
  if (item) {
    const at = item.source.span ? `(${item.source.span.line},${item.source.span.column})` : '';
    where = ` [pipeline item ${item.id}${item.source.file !== undefined ? ` in ${item.source.file}${at}` : ''}]`;
  }
  const d: Diagnostic = { code, severity: 'error', message: message + where };
  if (env.file !== undefined) d.file = env.file;
  if (span) d.span = span;
  env.diagnostics.push(d);
  env.failed = true;
}
