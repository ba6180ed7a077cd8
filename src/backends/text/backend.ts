/**
 * The backend contract every target implements, and TextBackend: the shared implementation for
 * text query languages (printer + finalization), which a target subclasses with its token table.
 *
 * Conversion of one rule: for each condition, print the tree (one context per condition), then
 * finalize the query (deferred parts, then the output format's per-query step). The whole output is
 * finalized once more per format (e.g. savedsearches.conf wraps all stanzas in one text).
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, hasErrors, ok } from '../../diagnostics/index.js';
import type { IrCorrelation, IrRule } from '../../ir/types.js';
import type { ConversionContext } from './context.js';
import { createContext } from './context.js';
import type { Printed } from './printer.js';
import { TextPrinter, isDeferred } from './printer.js';
import type { TokenTable } from './token-table.js';

export interface BackendConvertOptions {
  /** Output format name (one of the backend's formats). */
  format: string;
  /** Multi-line output, one clause per line. */
  pretty?: boolean;
  /** Backend options (-O key=value). */
  options?: Readonly<Record<string, string>>;
  /** Pipeline state after the pipelines ran on this rule. */
  state?: Record<string, unknown>;
  /** The rule's `fields` after the pipelines' field mappings. */
  fields?: readonly string[];
  /** Ids of the pipeline items whose rule conditions matched this rule, in the order they ran. */
  applied?: readonly string[];
  /** ATT&CK names for outputs that describe tactics and techniques (Elastic Security rules). */
  attack?: AttackLookup;
}

/** ATT&CK lookups a caller passes in (backends do not depend on the ATT&CK table). */
export interface AttackLookup {
  /** Tactic id (TA0011) for a shortname (command-and-control). */
  tacticId(shortname: string): string | undefined;
  /** Technique or sub-technique name for an id (T1568, T1059.001). */
  techniqueName(id: string): string | undefined;
}

/** A rule already converted, as a correlation sees its referenced rules. */
export interface ConvertedRule {
  rule: IrRule;
  /** The rule's queries with deferred parts, before per-format finalization. */
  queries: string[];
}

export interface Backend {
  /** Target name as used on the command line (`-t splunk`). */
  readonly target: string;
  /** Output formats: name → one-line description. The first is not necessarily the default. */
  readonly formats: Readonly<Record<string, string>>;
  readonly defaultFormat: string;
  /**
   * Convert one rule (pipelines already applied). `queries` are finalized for the format;
   * `raw` are the same queries before per-format finalization (what correlations embed).
   */
  convertRule(rule: IrRule, opts: BackendConvertOptions): Result<{ queries: string[]; raw: string[] }>;
  /** Convert a correlation over already converted rules; absent means correlations are unsupported. */
  convertCorrelation?(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]>;
  /** Assemble the output of a whole run (finalize_output_<format>): a list, or one text. */
  finalizeOutput(queries: string[], opts: BackendConvertOptions): string[] | string;
}

/** The main expression and the deferred parts of one condition, before finalization. */
export interface QueryParts {
  /** The printed expression; a Deferred when the whole condition was deferred. */
  main: string | null;
  ctx: ConversionContext;
}

export class TextBackend extends TextPrinter implements Backend {
  constructor(
    readonly target: string,
    table: TokenTable,
    readonly formats: Readonly<Record<string, string>> = { default: 'plain queries' },
    readonly defaultFormat = 'default',
  ) {
    super(table);
  }

  convertRule(rule: IrRule, opts: BackendConvertOptions): Result<{ queries: string[]; raw: string[] }> {
    const diagnostics: Diagnostic[] = [];
    const queries: string[] = [];
    const raw: string[] = [];
    rule.conditions.forEach((cond, conditionIndex) => {
      const ctx = createContext({
        rule,
        conditionIndex,
        state: { ...(opts.state ?? {}) },
        options: opts.options ?? {},
        pretty: opts.pretty ?? false,
        ...(opts.fields ? { fields: opts.fields } : {}),
        ...(opts.applied ? { applied: opts.applied } : {}),
      });
      const printed = this.print(cond, ctx);
      // The reference emits nothing for a condition whose every part was dropped.
      if (!hasErrors(ctx.diagnostics) && printed !== null) {
        const q = this.finalizeQuery(printed, ctx);
        if (q !== null && !hasErrors(ctx.diagnostics)) {
          raw.push(q);
          const f = this.finalizeQueryFormat(q, ctx, opts.format);
          if (f !== null) queries.push(f);
        }
      }
      diagnostics.push(...ctx.diagnostics);
    });
    const all = dedupe(diagnostics);
    if (hasErrors(all)) return fail(all);
    return ok({ queries, raw }, all);
  }

  /**
   * TextQueryBackend.finalize_query: append deferred parts after the main query. Returns null when
   * finalization failed (a diagnostic is in ctx).
   */
  finalizeQuery(printed: Printed, ctx: ConversionContext): string | null {
    const t = this.table;
    const main = printed === null || isDeferred(printed) ? null : printed;
    const query = this.queryExpression(main ?? t.deferredOnlyQuery ?? '', ctx);
    if (ctx.deferred.length === 0) return query;
    if (t.deferredStart === undefined || t.deferredSeparator === undefined) {
      return this.unsupported(ctx, 'deferred query parts');
    }
    const sep = t.deferredSeparator;
    return query + t.deferredStart + ctx.deferred.map((d) => d.render()).join(sep);
  }

  /** query_expression: wrap the main expression (e.g. a table prefix). */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook for subclasses
  protected queryExpression(query: string, ctx: ConversionContext): string {
    return query;
  }

  /** finalize_query_<format>: per-query output step. Null (with a diagnostic) on failure. */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook for subclasses
  finalizeQueryFormat(query: string, ctx: ConversionContext, format: string): string | null {
    return query;
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook for subclasses
  finalizeOutput(queries: string[], opts: BackendConvertOptions): string[] | string {
    return queries;
  }
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.message}|${d.span?.line ?? ''}|${d.span?.column ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
