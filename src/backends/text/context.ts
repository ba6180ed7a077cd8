/**
 * Per-conversion state: one context per condition of a rule (pySigma's ConversionState). Nothing of
 * this lives in module or class statics, so conversions can run concurrently and repeatably.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { IrNode, IrRule } from '../../ir/types.js';

/**
 * A query part that cannot live inside the boolean expression and is appended after it
 * (SPL `| regex …`, `| where …`). Created while printing; negated by an enclosing NOT.
 */
export interface Deferred {
  /** Backend-defined tag, so a finalizer can treat some kinds specially. */
  readonly kind: string;
  negated: boolean;
  render(): string;
}

/** A deferred part written from a template with an operator that depends on negation. */
export class DeferredText implements Deferred {
  negated = false;
  constructor(
    readonly kind: string,
    readonly field: string,
    readonly value: string,
    private readonly template: (a: { field: string; op: string; value: string }) => string,
    private readonly operators: { plain: string; negated: string },
  ) {}

  render(): string {
    const op = this.negated ? this.operators.negated : this.operators.plain;
    return this.template({ field: this.field, op, value: this.value });
  }
}

export interface ConversionContext {
  rule: IrRule;
  /** Index of the condition being converted (a rule may have several). */
  conditionIndex: number;
  /** Pipeline state (set_state, data_model_set, fields …), read by finalizers. */
  state: Record<string, unknown>;
  /** Backend options (-O key=value). */
  options: Readonly<Record<string, string>>;
  /** The rule's `fields` list after field mappings (for table/projection output). */
  fields: readonly string[];
  /** Ids of the pipeline items whose rule conditions matched the rule (pySigma's applied items). */
  applied: readonly string[];
  deferred: Deferred[];
  diagnostics: Diagnostic[];
  /** Ancestors of the node being printed, outermost first (pySigma's parent chain). */
  ancestors: IrNode[];
  pretty: boolean;
  /** Group nesting depth, for --pretty indentation. */
  depth: number;
  /** Backend scratch space (e.g. per-field counters); fresh for every condition. */
  scratch: Map<string, unknown>;
}

export interface ContextInit {
  rule: IrRule;
  conditionIndex?: number;
  state?: Record<string, unknown>;
  options?: Readonly<Record<string, string>>;
  pretty?: boolean;
  fields?: readonly string[];
  applied?: readonly string[];
}

export function createContext(init: ContextInit): ConversionContext {
  return {
    rule: init.rule,
    conditionIndex: init.conditionIndex ?? 0,
    state: init.state ?? {},
    options: init.options ?? {},
    fields: init.fields ?? fieldsAttribute(init.rule),
    applied: init.applied ?? [],
    deferred: [],
    diagnostics: [],
    ancestors: [],
    pretty: init.pretty ?? false,
    depth: 0,
    scratch: new Map(),
  };
}

function fieldsAttribute(rule: IrRule): string[] {
  const f = rule.attributes['fields'];
  return Array.isArray(f) ? f.map(String) : [];
}
