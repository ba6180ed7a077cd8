/**
 * The elastic-eql target: Event Query Language queries (`any where …`), plain, for the
 * `_eql/search` API, or as Elastic Security rules.
 */
import type { IrCorrelation, IrNode } from '../../ir/types.js';
import type { Result } from '../../diagnostics/index.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { cleanParts, containsSpecial } from '../text/strings.js';
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
