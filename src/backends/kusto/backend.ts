/**
 * The Microsoft KQL target: the KQL token table plus what a table cannot say —
 * `not(…)` around every negation, `==` for numbers (`=~` is for strings only), IN lists that keep
 * plain values in `in~ (…)` and write wildcard values beside it, and the query layout
 * `Table\n| where …` once a pipeline chose the table.
 */
import type { Result } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode, StrPart } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { isDeferred } from '../text/printer.js';
import { cleanParts, containsSpecial, dropFirst, dropLast, pyNumber } from '../text/strings.js';
import { convertKustoCorrelation } from './correlations.js';
import { kustoTable } from './table.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;
type FieldMatchOf<K extends string> = FieldMatch & { value: { kind: K } };

export const kustoFormats = { default: 'Kusto Query Language queries' } as const;

export const kustoOptions = {
  query_table: 'table to query instead of the one the pipeline chooses from the log source',
} as const;

/** Pipeline state key holding the table a query reads (set by the kusto pipelines). */
export const QUERY_TABLE = 'query_table';

export class KustoBackend extends TextBackend {
  constructor() {
    super('kusto', kustoTable, kustoFormats, 'default');
  }

  /** KQL's `not` is a function: the reference writes `not(expr)` and `not((a or b))`. */
  protected override printNot(node: Extract<IrNode, { kind: 'Not' }>, ctx: ConversionContext): Printed {
    const child = node.child;
    const inner =
      child.kind === 'And' || child.kind === 'Or' || child.kind === 'Not'
        ? this.printGroup(child, ctx)
        : this.print(child, ctx);
    if (inner === null) return null;
    if (isDeferred(inner)) {
      inner.negated = !inner.negated;
      return inner;
    }
    return `${this.table.notToken}(${inner})`;
  }

  /** `=~` is defined for strings only; numbers compare with `==`. */
  protected override printNum(node: FieldMatchOf<'Num'>, ctx: ConversionContext): Printed {
    void ctx;
    const v = node.value as Extract<FieldMatch['value'], { kind: 'Num' }>;
    return `${this.field(node.field)} == ${pyNumber(v.value, v.raw)}`;
  }

  /**
   * KQL strings have no wildcards, so an escaped literal `*` needs no escape: the reference removes
   * the backslash before every `*` of the converted value (reproduced, including after an escaped
   * backslash, for byte compatibility).
   */
  override convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    const v = super.convertValueStr(parts, ctx, node);
    return v === null ? null : v.replaceAll('\\*', '*');
  }

  /**
   * An OR (AND) of one field's values: plain values and numbers go into one `in~` (`has_all`) list;
   * each wildcard value is written beside it with its own operator, joined by or (and). A value with
   * a wildcard inside becomes an AND of `contains` over its literal pieces.
   */
  protected override printIn(node: Extract<IrNode, { kind: 'And' | 'Or' }>, ctx: ConversionContext): Printed {
    const t = this.table;
    const isOr = node.kind === 'Or';
    const op = isOr ? 'in~' : 'has_all';
    const join = isOr ? t.orToken : t.andToken;
    const leaves = node.children.filter((c): c is FieldMatch => c.kind === 'FieldMatch');
    const first = leaves[0];
    if (first === undefined) return null;
    const field = this.field(first.field);
    const plain: string[] = [];
    const wild: string[] = [];
    for (const leaf of leaves) {
      const v = leaf.value;
      if (v.kind === 'Num') {
        plain.push(`"${pyNumber(v.value, v.raw)}"`);
        continue;
      }
      if (v.kind !== 'Str') continue;
      const parts = cleanParts(v.parts);
      if (!containsSpecial(parts)) {
        const s = this.convertValueStr(parts, ctx, leaf);
        if (s === null) return null;
        plain.push(s);
        continue;
      }
      if (containsSpecial(dropLast(dropFirst(parts)))) {
        const pieces: string[] = [];
        for (const p of parts) {
          if (p.kind !== 'Lit') continue;
          const s = this.convertValueStr([p], ctx, leaf);
          if (s === null) return null;
          pieces.push(t.containsExpression?.({ field, value: s, regex: '' }) ?? '');
        }
        wild.push(`(${pieces.join(' and ')})`);
      } else {
        const p = this.printStr(leaf as FieldMatchOf<'Str'>, ctx);
        if (p === null || isDeferred(p)) return p;
        wild.push(p);
      }
    }
    const parts: string[] = [];
    if (plain.length > 0) parts.push(`${field} ${op} (${plain.join(', ')})`);
    parts.push(...wild);
    return parts.join(ctx.pretty ? this.joiner(join, ctx) : ` ${join} `);
  }

  /** The reference's postprocessing: `Table\n| where <expr>` once a table is known. */
  protected override queryExpression(query: string, ctx: ConversionContext): string {
    const table = ctx.options[QUERY_TABLE] ?? ctx.state[QUERY_TABLE];
    if (typeof table !== 'string' || table === '') return query;
    return `${table}\n| where ${query}`;
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    return convertKustoCorrelation(corr, rules, opts);
  }
}
