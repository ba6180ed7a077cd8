/**
 * CrowdStrike LogScale (CQL) backend: the shared printer with LogScale's token table, plus what a
 * table cannot say: plain strings become anchored case-insensitive regexes, CIDR values become a
 * `cidr()` function appended after the filter expression (and fail under an OR, as in the
 * reference), and correlations are written with groupBy/window/series.
 */
import type { Result } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode, StrPart } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import { DeferredText } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import {
  cleanParts,
  dropFirst,
  dropLast,
  endsWithMulti,
  startsWithMulti,
  StrConverter,
} from '../text/strings.js';
import { convertLogscaleCorrelation } from './correlations.js';
import { LOGSCALE_RE_ESCAPED, logscaleTable } from './table.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;

export class LogScaleBackend extends TextBackend {
  /** Plain strings in regex form; made once, as every string value of every rule goes through it. */
  private readonly regexConverter = new StrConverter({
    escapeChar: '\\',
    wildcardMulti: '.*',
    wildcardSingle: '.',
    addEscaped: LOGSCALE_RE_ESCAPED,
    filterChars: '',
  });

  constructor() {
    super('logscale', logscaleTable, { default: 'CrowdStrike LogScale (CQL) queries' }, 'default');
  }

  /** A plain string in regex form: wildcards as `.*`/`.`, regex metacharacters escaped. */
  regexValue(parts: readonly StrPart[]): string {
    const r = this.regexConverter.convert(parts);
    // Placeholders are reported by the generic path; this only runs after it accepted the value.
    return typeof r === 'string' ? r : '';
  }

  protected override printStr(
    node: FieldMatch & { value: { kind: 'Str' } },
    ctx: ConversionContext,
  ): Printed {
    const parts = cleanParts(node.value.parts);
    if (parts.some((p) => p.kind === 'Placeholder')) {
      return this.convertValueStr(parts, ctx, node);
    }
    const field = this.field(node.field);
    let pre = '^';
    let post = '$';
    let value = parts;
    if (parts.length === 1 && parts[0]?.kind === 'WildcardMulti') {
      // The reference tests "contains" first: a lone `*` is an empty unanchored regex.
      pre = '';
      post = '';
      value = [];
    } else if (endsWithMulti(parts)) {
      pre = '^';
      post = '';
      value = dropLast(parts);
      if (startsWithMulti(value)) {
        pre = '';
        value = dropFirst(value);
      }
    } else if (startsWithMulti(parts)) {
      pre = '';
      value = dropFirst(parts);
    }
    return `${field}=/${pre}${this.regexValue(value)}${post}/i`;
  }

  /**
   * Escape the regex delimiter `/` and `"` where the pattern has them unescaped (the reference
   * also escapes already-escaped ones, turning `\/` into `\\/`, which ends the literal).
   */
  protected override convertRegex(pattern: string): string {
    let out = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charAt(i);
      if (c === '\\') {
        out += c + pattern.charAt(i + 1);
        i++;
      } else out += c === '/' || c === '"' ? '\\' + c : c;
    }
    return out;
  }

  /**
   * Keywords: the reference writes the quoted value into a regex literal unescaped, so `(` or `/`
   * in a keyword break the query; we escape regex metacharacters (docs/targets/logscale.md).
   */
  protected override printKeyword(
    node: Extract<IrNode, { kind: 'Keyword' }>,
    ctx: ConversionContext,
  ): Printed {
    if (node.value.kind !== 'Str') return super.printKeyword(node, ctx);
    const parts = cleanParts(node.value.parts);
    if (parts.some((p) => p.kind === 'Placeholder')) return this.convertValueStr(parts, ctx, node);
    return `/"${this.regexValue(parts)}"/i`;
  }

  protected override printCidr(
    node: FieldMatch & { value: { kind: 'Cidr' } },
    ctx: ConversionContext,
  ): Printed {
    if (this.ancestorIs(ctx, 'Or')) {
      return this.unsupported(ctx, 'CIDR matching under OR (cidr() is a filter function)', node);
    }
    const d = new DeferredText(
      'cidr',
      node.field,
      node.value.cidr,
      (a) => `${a.op}cidr(${a.field}, subnet=${a.value})`,
      {
        plain: '',
        negated: '!',
      },
    );
    ctx.deferred.push(d);
    return d;
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    return convertLogscaleCorrelation(this, corr, rules, opts);
  }
}
