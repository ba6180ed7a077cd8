/**
 * The elastic-esql target: ES|QL queries `from <index> metadata … | where …`, plain, as Kibana
 * saved searches or as Elastic Security rules; correlations with `stats … by` over time buckets.
 */
import type { Result } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode, StrPart } from '../../ir/types.js';
import { containsSpecial } from '../text/strings.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { ElasticTextBackend } from './common.js';
import { convertEsqlCorrelation } from './esql-correlations.js';
import { formatOptions } from './options.js';
import type { AttackResolver } from './rule-formats.js';
import { esqlKibanaSearch, esqlSiemRule, esqlSiemRuleNdjson } from './rule-formats.js';
import { DEFAULT_INDEX, esqlFrom, esqlIndex } from './esql-index.js';
import { esqlTable } from './tables.js';

export const esqlFormats = {
  default: 'plain ES|QL queries',
  kibana_ndjson: 'Kibana saved ES|QL searches (NDJSON import file)',
  siem_rule: 'Elastic Security ES|QL rules for the Kibana create-rule API (JSON)',
  siem_rule_ndjson: 'Elastic Security ES|QL rules for the rules import (NDJSON)',
} as const;

type FieldMatchOf<K extends string> = Extract<IrNode, { kind: 'FieldMatch' }> & { value: { kind: K } };

/** Marks a field name to be written as TO_LOWER(field) (see EsqlBackend.field). */
const LOWER = '\u0000lower:';

function lowered(node: FieldMatchOf<'Str'>): FieldMatchOf<'Str'> {
  const parts = node.value.parts.map((p) =>
    p.kind === 'Lit' ? { kind: 'Lit' as const, text: p.text.toLowerCase() } : p,
  );
  return { ...node, field: LOWER + node.field, value: { ...node.value, parts } };
}

const ESQL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '*': '\\\\*',
  '?': '\\\\?',
};
const STRING_SPECIAL = /[\\"\n\r\t]/g;
const PATTERN_SPECIAL = /[\\"\n\r\t*?]/g;

export class EsqlBackend extends ElasticTextBackend {
  /**
   * The `from` index each converted rule used (by rule id), for correlations that combine rules:
   * the converter hands correlations the rules as lowered, before the pipelines ran.
   */
  private readonly ruleIndex = new Map<string, string>();

  constructor(private readonly attack?: AttackResolver) {
    super('elastic-esql', esqlTable, esqlFormats);
  }

  /**
   * ES|QL strings know only the escapes \\t \\n \\r \\" \\\\. A literal `*` or `?` needs escaping
   * only in a `like` pattern, where the pattern's own backslash is written `\\\\`. The reference
   * writes `\\*` everywhere, which ES|QL rejects (docs/targets/elastic.md).
   */
  override convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    const pattern = containsSpecial(parts);
    let out = '';
    for (const p of parts) {
      if (p.kind === 'Lit') {
        out += p.text.replace(pattern ? PATTERN_SPECIAL : STRING_SPECIAL, (c) => ESQL_ESCAPES[c] ?? c);
      } else if (p.kind === 'WildcardMulti') out += '*';
      else if (p.kind === 'WildcardSingle') out += '?';
      else {
        this.report(ctx, 'TL5003', `placeholder '%${p.name}%' was not replaced by any pipeline`, node);
        return null;
      }
    }
    return `"${out}"`;
  }

  /** `-O case_insensitive=true`: compare lower-cased fields with lower-cased values (Sigma semantics). */
  private caseInsensitive(ctx: ConversionContext): boolean {
    return ctx.options['case_insensitive'] === 'true';
  }

  override field(name: string): string {
    return name.startsWith(LOWER) ? `TO_LOWER(${super.field(name.slice(LOWER.length))})` : super.field(name);
  }

  protected override printStr(node: FieldMatchOf<'Str'>, ctx: ConversionContext): Printed {
    return super.printStr(this.caseInsensitive(ctx) ? lowered(node) : node, ctx);
  }

  protected override printIn(node: Extract<IrNode, { kind: 'And' | 'Or' }>, ctx: ConversionContext): Printed {
    if (!this.caseInsensitive(ctx)) return super.printIn(node, ctx);
    const children = node.children.map((c) =>
      c.kind === 'FieldMatch' && c.value.kind === 'Str' && !c.value.cased
        ? lowered(c as FieldMatchOf<'Str'>)
        : c,
    );
    return super.printIn({ ...node, children }, ctx);
  }

  override finalizeQueryFormat(query: string, ctx: ConversionContext, format: string): string | null {
    const index = esqlIndex(ctx.state);
    this.ruleIndex.set(ctx.rule.id, index);
    const q = esqlFrom(index, ctx.state['metadata']) + query;
    switch (format) {
      case 'default':
        return q;
      case 'kibana_ndjson':
        return JSON.stringify(esqlKibanaSearch(ctx.rule, q, index));
      case 'siem_rule':
        return JSON.stringify(esqlSiemRule(ctx.rule, q, formatOptions(ctx, this.attack)));
      case 'siem_rule_ndjson':
        return JSON.stringify(esqlSiemRuleNdjson(ctx.rule, q, formatOptions(ctx, this.attack)));
      default:
        this.report(ctx, 'TL5006', `unknown output format '${format}' for elastic-esql`);
        return null;
    }
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    const indices = rules.map((r) => this.ruleIndex.get(r.rule.id) ?? DEFAULT_INDEX);
    return convertEsqlCorrelation(this, corr, rules, indices, opts);
  }
}
