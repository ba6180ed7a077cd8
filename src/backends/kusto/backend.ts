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
import { parseSigmaString } from '../../ir/strings.js';
import { cleanParts, containsSpecial, dropFirst, dropLast, pyNumber } from '../text/strings.js';
import { convertKustoCorrelation } from './correlations.js';
import type { KustoType, TableSchema } from './schemas.js';
import { ASIM_TABLES, AZURE_MONITOR_TABLES, XDR_TABLES } from './schemas.js';
import { kustoTable } from './table.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;
type Keyword = Extract<IrNode, { kind: 'Keyword' }>;
type FieldMatchOf<K extends string> = FieldMatch & { value: { kind: K } };

export const kustoFormats = { default: 'Kusto Query Language queries' } as const;

/** Pipeline state key holding the table a query reads (set by the kusto pipelines). */
export const QUERY_TABLE = 'query_table';

const RE_SPECIAL = new Set('.*+?^$[](){}\\|');

/** The literal runs of a value between its wildcards. */
function literalRuns(parts: readonly StrPart[]): string[] {
  const runs: string[] = [];
  let cur: string | null = null;
  for (const p of parts) {
    if (p.kind === 'Lit') cur = (cur ?? '') + p.text;
    else if (cur !== null) {
      runs.push(cur);
      cur = null;
    }
  }
  if (cur !== null) runs.push(cur);
  return runs;
}

const ALL_TABLES: Readonly<Record<string, TableSchema>> = {
  ...XDR_TABLES,
  ...ASIM_TABLES,
  ...AZURE_MONITOR_TABLES,
};
const NUMERIC: ReadonlySet<KustoType> = new Set(['int', 'long', 'real']);

/** The value as a decimal integer when it is one plain run of digits. */
function numericText(parts: readonly StrPart[]): string | null {
  const p = cleanParts(parts);
  const only = p[0];
  if (p.length !== 1 || only?.kind !== 'Lit' || !/^-?\d{1,15}$/.test(only.text)) return null;
  return only.text;
}

/** How many clauses printIn writes for a list: one `in~` for the plain values, one per wildcard value. */
function inListClauses(node: Extract<IrNode, { kind: 'And' | 'Or' }>): number {
  let plain = 0;
  let wild = 0;
  for (const c of node.children) {
    if (c.kind === 'FieldMatch' && c.value.kind === 'Str' && containsSpecial(cleanParts(c.value.parts)))
      wild++;
    else plain++;
  }
  return (plain > 0 ? 1 : 0) + wild;
}

export class KustoBackend extends TextBackend {
  constructor() {
    super('kusto', kustoTable, kustoFormats, 'default');
  }

  /** KQL's `not` is a function: the reference writes `not(expr)` and `not((a or b))`. */
  protected override printNot(node: Extract<IrNode, { kind: 'Not' }>, ctx: ConversionContext): Printed {
    const child = node.child;
    // A windash/base64offset expansion was one detection item for the reference: no extra group.
    const inner =
      (child.kind === 'And' || child.kind === 'Or' || child.kind === 'Not') && !this.isExpansion(child)
        ? this.printGroup(child, ctx)
        : this.print(child, ctx);
    if (inner === null) return null;
    if (isDeferred(inner)) {
      inner.negated = !inner.negated;
      return inner;
    }
    return `${this.table.notToken}(${inner})`;
  }

  /**
   * --pretty leaves an IN list ungrouped inside the other operator; a KQL list with wildcard values
   * prints several clauses (`f in~ (…) or f startswith …`), which do need the parentheses.
   */
  protected override noGroupNeeded(outer: IrNode, inner: IrNode, ctx?: ConversionContext): boolean {
    if (ctx?.pretty && (inner.kind === 'And' || inner.kind === 'Or') && inner.kind !== outer.kind) {
      return this.decideIn(inner, undefined) && inListClauses(inner) === 1;
    }
    return super.noGroupNeeded(outer, inner, ctx);
  }

  /**
   * The column's type in the declared schema of the queried table, when `-O typed=true` asks the
   * backend to write values by column type (undefined otherwise, or for an unknown table/column).
   */
  protected columnType(field: string, ctx: ConversionContext): KustoType | undefined {
    if (ctx.options['typed'] !== 'true') return undefined;
    const table = ctx.state[QUERY_TABLE];
    return typeof table === 'string' ? ALL_TABLES[table]?.[field] : undefined;
  }

  /** `=~` is defined for strings only; numbers compare with `==` (`=~ "n"` on a string column when typed). */
  protected override printNum(node: FieldMatchOf<'Num'>, ctx: ConversionContext): Printed {
    const n = pyNumber(node.value.value, node.value.raw);
    if (this.columnType(node.field, ctx) === 'string') return `${this.field(node.field)} =~ "${n}"`;
    return `${this.field(node.field)} == ${n}`;
  }

  /** Typed mode: KQL strings are never null, only empty, so null on a string column is isempty(). */
  protected override printNull(node: FieldMatchOf<'Null'>, ctx: ConversionContext): Printed {
    if (this.columnType(node.field, ctx) === 'string') return `isempty(${this.field(node.field)})`;
    return super.printNull(node, ctx);
  }

  /** Typed mode: a number written as a string compares as a number on a numeric column. */
  protected override printStr(node: FieldMatchOf<'Str'>, ctx: ConversionContext): Printed {
    const digits = numericText(node.value.parts);
    if (digits !== null && NUMERIC.has(this.columnType(node.field, ctx) ?? 'string')) {
      return `${this.field(node.field)} == ${digits}`;
    }
    return super.printStr(node, ctx);
  }

  /**
   * KQL strings have no wildcards, so an escaped literal `*` needs no escape: the reference removes
   * the backslash before every `*` of the converted value (reproduced, including after an escaped
   * backslash, for byte compatibility).
   */
  override convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    const v = super.convertValueStr(parts, ctx, node);
    // Only a backslash that escapes the `*` goes: after an escaped backslash the reference's blind
    // replacement left `\*`, an invalid escape in a KQL string (a deliberate difference).
    if (v === null || !v.includes('\\*')) return v;
    return v.replace(/(?<!\\)((?:\\\\)*)\\\*/g, '$1*');
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
    // Typed mode: a list of numbers on a numeric column is `in (1, 2)`; in~ compares strings only.
    if (isOr && NUMERIC.has(this.columnType(first.field, ctx) ?? 'string')) {
      const nums = leaves.map((l) =>
        l.value.kind === 'Num'
          ? pyNumber(l.value.value, l.value.raw)
          : l.value.kind === 'Str'
            ? numericText(l.value.parts)
            : null,
      );
      if (nums.every((x) => x !== null)) return `${field} in (${nums.join(', ')})`;
    }
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
      if (parts.some((p) => p.kind === 'Placeholder')) return this.convertValueStr(parts, ctx, leaf);
      if (containsSpecial(dropLast(dropFirst(parts)))) {
        const pieces: string[] = [];
        // Each literal run is read back as Sigma text (`\\` becomes one backslash), as the reference does.
        for (const text of literalRuns(parts)) {
          const s = this.convertValueStr(parseSigmaString(text), ctx, leaf);
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

  /**
   * A plain value as a regular expression (for values with a wildcard inside): the reference escapes
   * only `.*+?^$[](){}\\|`, then the usual regex escaping for the KQL string applies.
   */
  protected override strRegex(parts: readonly StrPart[]): string {
    let rx = '';
    for (const p of parts) {
      if (p.kind === 'Lit') for (const ch of p.text) rx += RE_SPECIAL.has(ch) ? '\\' + ch : ch;
      else if (p.kind === 'WildcardMulti') rx += '.*';
      else if (p.kind === 'WildcardSingle') rx += '.';
    }
    return this.convertRegex(rx, { i: false, m: false, s: false });
  }

  /**
   * A keyword (value without a field) searches every column: `* contains "x"`, or `* matches regex`
   * when wildcards sit inside the value. The reference writes the bare value, which KQL rejects in a
   * where clause (a deliberate difference).
   */
  protected override printKeyword(node: Keyword, ctx: ConversionContext): Printed {
    const v = node.value;
    if (v.kind === 'Str') {
      const parts = cleanParts(v.parts);
      let inner = parts;
      if (inner[0]?.kind === 'WildcardMulti') inner = inner.slice(1);
      if (inner[inner.length - 1]?.kind === 'WildcardMulti') inner = inner.slice(0, -1);
      if (!containsSpecial(inner)) {
        const value = this.convertValueStr(inner, ctx, node);
        return value === null ? null : `* contains ${value}`;
      }
      if (inner.some((p) => p.kind === 'Placeholder')) return this.convertValueStr(inner, ctx, node);
      return `* matches regex "${this.strRegex(parts)}"`;
    }
    if (v.kind === 'Num') return `* contains "${pyNumber(v.value, v.raw)}"`;
    if (v.kind === 'Re') {
      const flags = this.flagTokens(ctx, v.flags, node);
      if (!flags) return null;
      return `* matches regex "${this.convertRegex(v.pattern, v.flags)}"`;
    }
    return super.printKeyword(node, ctx);
  }

  /** The reference's postprocessing: `Table\n| where <expr>` once a table is known. */
  protected override queryExpression(query: string, ctx: ConversionContext): string {
    const table = ctx.state[QUERY_TABLE];
    if (typeof table !== 'string' || table === '') return query;
    // --pretty: the clauses of the where line are indented under it.
    const body = ctx.pretty ? query.replaceAll('\n', '\n    ') : query;
    return `${table}\n| where ${body}`;
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    return convertKustoCorrelation(corr, rules, opts);
  }
}
