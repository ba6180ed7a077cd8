/**
 * The elastic-eql target: Event Query Language queries (`any where …`), plain, for the
 * `_eql/search` API, or as Elastic Security rules.
 */
import type { IrCorrelation, IrNode, StrPart } from '../../ir/types.js';
import type { Result } from '../../diagnostics/index.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { cleanParts, containsSpecial, escapeRegex } from '../text/strings.js';
import { ElasticTextBackend, isIpAddress } from './common.js';
import { convertEqlCorrelation } from './eql-correlations.js';
import { formatOptions } from './options.js';
import type { AttackResolver } from './rule-formats.js';
import { siemRule, siemRuleNdjson } from './rule-formats.js';
import { eqlTable } from './tables.js';

type FieldMatchOf<K extends string> = Extract<IrNode, { kind: 'FieldMatch' }> & { value: { kind: K } };

export const eqlFormats = {
  default: 'plain EQL queries',
  eqlapi: 'EQL queries as request bodies for the _eql/search API',
  siem_rule: 'Elastic Security EQL rules for the Kibana create-rule API (JSON)',
  siem_rule_ndjson: 'Elastic Security EQL rules for the rules import (NDJSON)',
} as const;

const EQL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function eqlEscape(text: string): string {
  return text.replace(/[\\"\n\r\t]/g, (c) => EQL_ESCAPES[c] ?? c);
}

export class EqlBackend extends ElasticTextBackend {
  protected override notNullExpression = (field: string): string => `?${field} != null`;

  constructor(private readonly attack?: AttackResolver) {
    super('elastic-eql', eqlTable, eqlFormats);
  }

  /** Empty strings and IP addresses are compared with `==` (`:` would treat them as patterns). */
  protected override printStr(node: FieldMatchOf<'Str'>, ctx: ConversionContext): Printed {
    const parts = cleanParts(node.value.parts);
    const text = parts.map((p) => (p.kind === 'Lit' ? p.text : '')).join('');
    if (!containsSpecial(parts) && (text === '' || isIpAddress(text))) {
      const v = this.convertValueStr(parts, ctx, node);
      return v === null ? null : `${this.field(node.field)}==${v}`;
    }
    return super.printStr(node, ctx);
  }

  /**
   * EQL strings know only the escapes \\b \\t \\n \\f \\r \\" \\' \\\\ and `:` patterns cannot
   * escape a wildcard: a literal `*` or `?` is written as the wildcard itself (a slightly wider
   * match). The reference writes `\\*`, which Elasticsearch rejects (docs/targets/elastic.md).
   */
  override convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    let out = '';
    for (const p of parts) {
      if (p.kind === 'Lit') out += eqlEscape(p.text);
      else if (p.kind === 'WildcardMulti') out += '*';
      else if (p.kind === 'WildcardSingle') out += '?';
      else {
        this.report(ctx, 'TL5003', `placeholder '%${p.name}%' was not replaced by any pipeline`, node);
        return null;
      }
    }
    return `"${out}"`;
  }

  /** A regular expression inside an EQL string: only the string's own escaping applies. */
  protected override convertRegex(pattern: string, flags: { i: boolean; m: boolean; s: boolean }): string {
    return escapeRegex(eqlEscape(pattern), flags, {
      escaped: [],
      escapeChar: '\\',
      escapeEscapeChar: false,
      flagPrefix: true,
    });
  }

  override finalizeQueryFormat(query: string, ctx: ConversionContext, format: string): string | null {
    const q = `any where ${query}`;
    switch (format) {
      case 'default':
        return q;
      case 'eqlapi':
        return JSON.stringify({ query: q });
      case 'siem_rule':
        return JSON.stringify(siemRule(ctx.rule, q, 'eql', formatOptions(ctx, this.attack)));
      case 'siem_rule_ndjson':
        return JSON.stringify(siemRuleNdjson(ctx.rule, q, 'eql', formatOptions(ctx, this.attack)));
      default:
        this.report(ctx, 'TL5006', `unknown output format '${format}' for elastic-eql`);
        return null;
    }
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    return convertEqlCorrelation(corr, rules, opts);
  }
}
