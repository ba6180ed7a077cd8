/**
 * Splunk correlations with the `stats` method of the reference backend: search (one rule, or a
 * multisearch tagging each event with its rule), `bin _time`, `stats … by _time <group-by>`, then a
 * `search` on the aggregate. temporal_ordered and value_sum/avg/percentile, which the reference
 * lacks, follow the same frame.
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { CorrelationOp, IrCorrelation } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { TextPrinter } from '../text/printer.js';

const OPS: Record<CorrelationOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '==', neq: '!=' };

export function convertSplunkCorrelation(
  printer: TextPrinter,
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- same signature as every target's correlations
  opts: BackendConvertOptions,
): Result<string[]> {
  const diagnostics: Diagnostic[] = [
    {
      code: 'TL5004',
      severity: 'warning',
      message:
        `Splunk correlation '${corr.title}' counts events in fixed time bins (bin _time span=${timespan(corr)}), ` +
        'not in a sliding window: events on both sides of a bin edge are not correlated',
    },
  ];
  const search = correlationSearch(corr, rules);
  const groupby = corr.groupBy.length > 0 ? ' ' + corr.groupBy.map((f) => printer.field(f)).join(' ') : '';
  const bin = `| bin _time span=${timespan(corr)}\n`;
  const bounds =
    corr.condition.bounds.length > 0
      ? corr.condition.bounds
      : [{ op: 'gte' as const, value: corr.type.startsWith('temporal') ? corr.rules.length : 1 }];
  const cond = (name: string): string =>
    '| search ' + bounds.map((b) => `${name} ${OPS[b.op]} ${b.value}`).join(' ');
  const field = corr.condition.field;
  const needField = (): string | null => {
    if (field !== undefined) return field;
    diagnostics.push({
      code: 'TL5001',
      severity: 'error',
      message: `unsupported by target: ${corr.type} correlation without condition.field`,
    });
    return null;
  };
  let aggregate: string;
  let condition: string;
  switch (corr.type) {
    case 'event_count':
      aggregate = `${bin}| stats count as event_count by _time${groupby}`;
      condition = cond('event_count');
      break;
    case 'value_count': {
      const f = needField();
      if (f === null) return fail(diagnostics);
      aggregate = `${bin}| stats dc(${f}) as value_count by _time${groupby}`;
      condition = cond('value_count');
      break;
    }
    case 'temporal':
      aggregate = `${bin}| stats dc(event_type) as event_type_count by _time${groupby}`;
      condition = cond('event_type_count');
      break;
    case 'temporal_ordered': {
      // First time of each rule's events per bin; the order holds when those times ascend.
      const firsts = rules.map(
        (r, i) => ` min(eval(if(event_type="${ruleId(r)}", _time, null()))) as event_type_time_${i + 1}`,
      );
      aggregate = `${bin}| stats dc(event_type) as event_type_count${firsts.join('')} by _time${groupby}`;
      const order = rules
        .slice(1)
        .map((_, i) => `event_type_time_${i + 1}<=event_type_time_${i + 2}`)
        .join(' AND ');
      condition = cond('event_type_count') + (order ? `\n| where ${order}` : '');
      diagnostics.push({
        code: 'TL5004',
        severity: 'warning',
        message: `temporal_ordered on Splunk compares the first event of each rule within a bin, not every ordering`,
      });
      break;
    }
    case 'value_sum':
    case 'value_avg':
    case 'value_percentile': {
      const f = needField();
      if (f === null) return fail(diagnostics);
      const fn =
        corr.type === 'value_sum'
          ? 'sum'
          : corr.type === 'value_avg'
            ? 'avg'
            : `perc${corr.condition.percentile ?? 50}`;
      aggregate = `${bin}| stats ${fn}(${f}) as ${corr.type} by _time${groupby}`;
      condition = cond(corr.type);
      break;
    }
  }
  return ok([`${search}\n\n${aggregate}\n\n${condition}`], diagnostics);
}

function ruleId(r: ConvertedRule): string {
  return r.rule.name ?? r.rule.id;
}

function timespan(corr: IrCorrelation): string {
  const m = /^(\d+)M$/.exec(corr.timespanRaw);
  return m ? `${m[1] ?? ''}mon` : corr.timespanRaw;
}

function correlationSearch(corr: IrCorrelation, rules: readonly ConvertedRule[]): string {
  const only = rules[0];
  if (rules.length === 1 && only?.queries.length === 1) return only.queries[0] ?? '';
  const parts: string[] = [];
  for (const r of rules) {
    const norm = Object.entries(corr.aliases)
      .flatMap(([alias, map]) =>
        Object.entries(map)
          .filter(([ref]) => ref === r.rule.id || ref === r.rule.name)
          .map(([, f]) => ` | rename ${f} as ${alias}`),
      )
      .join('');
    for (const q of r.queries) parts.push(`[ search ${q} | eval event_type="${ruleId(r)}"${norm} ]`);
  }
  return `| multisearch\n${parts.join('\n')}`;
}
