/**
 * ES|QL correlations with the reference's `stats` method: the referenced rules' conditions ORed
 * into one `where`, an `event_type` column for temporal correlations, `date_trunc` time buckets,
 * `stats … by timebucket, <group-by>` and a `where` on the aggregate. value_sum, value_avg and
 * value_percentile, which the reference lacks, follow the same frame; temporal_ordered cannot be
 * expressed with stats and gets a diagnostic.
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { CorrelationOp, IrCorrelation } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { TextPrinter } from '../text/printer.js';
import { esqlFrom, preprocessIndices } from './esql-index.js';

const OPS: Record<CorrelationOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '==', neq: '!=' };
const UNITS: Record<string, string> = {
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
  M: 'months',
  y: 'years',
};

function unsupported(corr: IrCorrelation, what: string): Diagnostic {
  return {
    code: 'TL5001',
    severity: 'error',
    message: `unsupported by target: ${what} (correlation '${corr.title}')`,
  };
}

export function convertEsqlCorrelation(
  printer: TextPrinter,
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  indices: readonly string[],
  opts: BackendConvertOptions,
): Result<string[]> {
  if (Object.keys(corr.aliases).length > 0) {
    return fail([unsupported(corr, 'correlation field aliases in ES|QL (all rules share one query)')]);
  }
  const m = /^(\d+)([smhdwMy])$/.exec(corr.timespanRaw);
  const unit = m ? UNITS[m[2] ?? ''] : undefined;
  if (!m || unit === undefined) return fail([unsupported(corr, `timespan '${corr.timespanRaw}' in ES|QL`)]);
  const timespan = `${m[1] ?? ''}${unit}`;

  const queries = rules.flatMap((r) => r.queries.map((q) => ({ q, r })));
  const search = queries.length === 1 ? (queries[0]?.q ?? '') : queries.map(({ q }) => `(${q})`).join(' or ');
  const index = preprocessIndices(
    indices.flatMap((i) => i.split(',')).includes('*') ? ['*'] : indices.flatMap((i) => i.split(',')),
  );
  const from = esqlFrom(index, opts.state?.['metadata']);

  const groupBy = corr.groupBy.map((f) => printer.field(f));
  const by = ` by timebucket${groupBy.map((f) => `, ${f}`).join('')}`;
  const extra: string[] = [];
  for (const r of rules) {
    const fields = r.rule.attributes['fields'];
    if (!Array.isArray(fields)) continue;
    for (const f of fields) {
      if (typeof f === 'string' && !corr.groupBy.includes(f) && !extra.includes(f)) extra.push(f);
    }
  }
  const values = extra.map((f) => `, ${printer.field(f)}=values(${printer.field(f)})`).join('');
  const bucket = `| eval timebucket=date_trunc(${timespan}, @timestamp) | stats `;

  const field = corr.condition.field;
  const needField = (): string | null => (field === undefined ? null : printer.field(field));
  let name: string;
  let aggregate: string;
  let typing = '';
  switch (corr.type) {
    case 'event_count':
      name = 'event_count';
      aggregate = 'count()';
      break;
    case 'value_count':
    case 'value_sum':
    case 'value_avg':
    case 'value_percentile': {
      const f = needField();
      if (f === null) return fail([unsupported(corr, `${corr.type} correlation without condition.field`)]);
      name = corr.type;
      aggregate =
        corr.type === 'value_count'
          ? `count_distinct(${f})`
          : corr.type === 'value_sum'
            ? `sum(${f})`
            : corr.type === 'value_avg'
              ? `avg(${f})`
              : `percentile(${f}, ${String(corr.condition.percentile ?? 50)})`;
      break;
    }
    case 'temporal': {
      name = 'event_type_count';
      aggregate = 'count_distinct(event_type)';
      const cases = queries.map(({ q, r }) => `${q}, "${r.rule.name ?? r.rule.id}"`).join(', ');
      typing = `\n| eval event_type=case(${cases})`;
      break;
    }
    case 'temporal_ordered':
      return fail([unsupported(corr, 'temporal_ordered correlation in ES|QL (use elastic-eql: sequence)')]);
  }
  const cond = corr.condition.bounds.map((b) => `${name} ${OPS[b.op]} ${String(b.value)}`).join(' and ');
  return ok([`${from}${search}${typing}\n${bucket}${name}=${aggregate}${values}${by}\n| where ${cond}`]);
}
