/**
 * The elastic-lucene target: Elasticsearch query_string queries, plain or wrapped as Kibana saved
 * searches, Security rules or query DSL.
 */
import type { IrNode } from '../../ir/types.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { escapeRegex } from '../text/strings.js';
import { ElasticTextBackend } from './common.js';
import { formatOptions } from './options.js';
import type { AttackResolver } from './rule-formats.js';
import { dslLucene, kibanaSavedSearch, siemRule, siemRuleNdjson } from './rule-formats.js';
import { luceneTable } from './tables.js';

type FieldMatchOf<K extends string> = Extract<IrNode, { kind: 'FieldMatch' }> & { value: { kind: K } };

export const luceneFormats = {
  default: 'plain Elasticsearch query_string (Lucene) queries',
  kibana_ndjson: 'Kibana saved searches (NDJSON import file)',
  dsl_lucene: 'Elasticsearch query DSL with the Lucene query embedded',
  siem_rule: 'Elastic Security rules for the Kibana create-rule API (JSON)',
  siem_rule_ndjson: 'Elastic Security rules for the rules import (NDJSON)',
} as const;

export class LuceneBackend extends ElasticTextBackend {
  protected override notNullExpression = (field: string): string => `_exists_:${field}`;

  constructor(private readonly attack?: AttackResolver) {
    super('elastic-lucene', luceneTable, luceneFormats);
  }

  /** IPv6 networks: the colons of the address are escaped, the field separator is not. */
  protected override printCidr(node: FieldMatchOf<'Cidr'>, ctx: ConversionContext): Printed {
    const p = super.printCidr(node, ctx);
    if (typeof p !== 'string' || !node.value.cidr.includes(':')) return p;
    return p.replaceAll(':', '\\:').replace('\\:', ':');
  }

  /**
   * A `/` ends a Lucene regular expression: escape every slash that is not escaped yet. The
   * reference escapes already escaped slashes again (`\/` → `\\/`), which ends the expression
   * early (a deliberate difference, see docs/targets/elastic.md).
   */
  protected override convertRegex(pattern: string, flags: { i: boolean; m: boolean; s: boolean }): string {
    let out = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charAt(i);
      if (c === '\\' && i + 1 < pattern.length) {
        out += c + pattern.charAt(++i);
      } else out += c === '/' ? '\\/' : c;
    }
    return escapeRegex(out, flags, {
      escaped: [],
      escapeChar: '\\',
      escapeEscapeChar: false,
      flagPrefix: true,
    });
  }

  override finalizeQueryFormat(query: string, ctx: ConversionContext, format: string): string | null {
    switch (format) {
      case 'default':
        return query;
      case 'kibana_ndjson':
        return JSON.stringify(kibanaSavedSearch(ctx.rule, query));
      case 'dsl_lucene':
        return JSON.stringify(dslLucene(query));
      case 'siem_rule':
        return JSON.stringify(siemRule(ctx.rule, query, 'lucene', formatOptions(ctx, this.attack)));
      case 'siem_rule_ndjson':
        return JSON.stringify(siemRuleNdjson(ctx.rule, query, 'lucene', formatOptions(ctx, this.attack)));
      default:
        this.report(ctx, 'TL5006', `unknown output format '${format}' for elastic-lucene`);
        return null;
    }
  }
}
