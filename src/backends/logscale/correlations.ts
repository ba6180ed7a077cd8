/**
 * LogScale correlations: the referenced rules' filters, then `bucket()` over the timespan grouped by
 * the group-by fields, then `test()` on the aggregate. Temporal correlations tag each rule's
 * events with `event_type` inside a `case {}` and count distinct tags. Buckets are fixed time bins,
 * not sliding windows (TL5004 says so).
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { CorrelationOp, IrCorrelation } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { TextPrinter } from '../text/printer.js';

const OPS: Record<CorrelationOp, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' };

/** Sigma timespan → LogScale relative time (months are `mon`). */
export function logscaleSpan(raw: string): string {
  return raw.endsWith('M') ? raw.slice(0, -1) + 'mon' : raw;
}

/** A rule's query without a leading pipe when the whole filter was deferred. */
function body(q: string): string {
  return q.startsWith('| ') ? q.slice(2) : q;
}

function ruleKey(r: ConvertedRule): string {
  return r.rule.name ?? r.rule.id;
}

export function convertLogscaleCorrelation(
  printer: TextPrinter,
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- same signature as other targets
  opts: BackendConvertOptions,
): Result<string[]> {
  const diags: Diagnostic[] = [];
  const span = logscaleSpan(corr.timespanRaw);
  const groups = corr.groupBy.map((f) => printer.field(f));
  const fieldArg = groups.length > 0 ? `field=[${groups.join(', ')}], ` : '';
  const tests = (name: string): string =>
    corr.condition.bounds.map((b) => `| test(${name} ${OPS[b.op]} ${String(b.value)})`).join('\n');
  const bucket = (fn: string): string => `| bucket(span=${span}, limit=max, ${fieldArg}function=${fn})`;
  const unsupported = (what: string): Result<string[]> =>
    fail([{ code: 'TL5001', severity: 'error', message: `unsupported by target: ${what}`, file: corr.id }]);

  const single = (): string | null => {
    const qs = rules.flatMap((r) => r.queries.map(body));
    if (qs.length === 0) return null;
    return qs.length === 1 ? qs[0]! : qs.map((q) => `(${q})`).join(' or ');
  };

  switch (corr.type) {
    case 'event_count': {
      const q = single();
      if (q === null) return unsupported('correlation over rules without queries');
      return ok([`${q}\n${bucket('count(as=event_count)')}\n${tests('event_count')}`], diags);
    }
    case 'value_count':
    case 'value_sum':
    case 'value_avg': {
      const q = single();
      const f = corr.condition.field;
      if (q === null || f === undefined) return unsupported(`${corr.type} correlation without a field`);
      const fn =
        corr.type === 'value_count'
          ? `count(field=${printer.field(f)}, distinct=true, as=value_count)`
          : corr.type === 'value_sum'
            ? `sum(field=${printer.field(f)}, as=value_sum)`
            : `avg(field=${printer.field(f)}, as=value_avg)`;
      return ok([`${q}\n${bucket(fn)}\n${tests(corr.type)}`], diags);
    }
    case 'value_percentile': {
      const q = single();
      const f = corr.condition.field;
      if (q === null || f === undefined) return unsupported('value_percentile correlation without a field');
      const p = corr.condition.percentile ?? 50;
      const fn = `percentile(field=${printer.field(f)}, percentiles=[${String(p)}], as=value_percentile)`;
      return ok([`${q}\n${bucket(fn)}\n${tests(`value_percentile_${String(p)}`)}`], diags);
    }
    case 'temporal':
    case 'temporal_ordered': {
      if (corr.type === 'temporal_ordered') {
        diags.push({
          code: 'TL5004',
          severity: 'warning',
          message: 'temporal_ordered is written as temporal: LogScale buckets do not keep event order',
          file: corr.id,
        });
      }
      const clauses: string[] = [];
      for (const r of rules) {
        const key = ruleKey(r);
        const aliasPart = Object.entries(corr.aliases)
          .map(([alias, m]) => {
            const f = m[r.rule.name ?? ''] ?? m[r.rule.id];
            return f === undefined ? '' : ` | ${alias} := ${printer.field(f)}`;
          })
          .join('');
        for (const q of r.queries) clauses.push(`${body(q)} | event_type := "${key}"${aliasPart}`);
      }
      const n = rules.length;
      return ok(
        [
          `case {\n${clauses.join(';\n')}\n}\n` +
            `${bucket('count(field=event_type, distinct=true, as=event_type_count)')}\n` +
            `| test(event_type_count >= ${String(n)})`,
        ],
        diags,
      );
    }
  }
}
