/**
 * Sigma correlations in KQL. The referenced rules' queries are unioned (each tagged with its rule in
 * `sigma_rule`), then aggregated with `summarize` per group-by fields and time window:
 * - default: fixed windows, `bin(Timestamp, span)`, the way sigma-cli backends count; events on both
 *   sides of a bin edge are not correlated, so a TL5004 warning says so;
 * - `-O correlation_window=sliding`: a window opening at every event (a self-join of the events on
 *   the group-by fields within the span), which is Sigma's semantics at a higher query cost.
 * The reference Kusto backend converts no correlations.
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { CorrelationOp, IrCorrelation } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';

const OPS: Record<CorrelationOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '==', neq: '!=' };

export const correlationOptions = {
  correlation_window: 'bin (fixed windows, default) or sliding (a window opening at every event)',
  timestamp_field:
    'time column of the queried tables (default Timestamp for Defender XDR tables, else TimeGenerated)',
} as const;

function ruleName(r: ConvertedRule): string {
  return r.rule.name ?? r.rule.id;
}

/** KQL timespan literal for a Sigma timespan (s, m, h, d; M as 30 days, y as 365 days). */
export function kqlTimespan(raw: string, seconds: number): string {
  const m = /^(\d+)([smhd])$/.exec(raw);
  if (m) return `${m[1] ?? ''}${m[2] ?? ''}`;
  return `${seconds}s`;
}

function tableOf(query: string): string {
  return query.split('\n', 1)[0]?.trim() ?? '';
}

function quote(s: string): string {
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function convertKustoCorrelation(
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  opts: BackendConvertOptions,
): Result<string[]> {
  const diagnostics: Diagnostic[] = [];
  const o = opts.options ?? {};
  const error = (message: string): Result<string[]> =>
    fail([{ code: 'TL5001', severity: 'error', message: `unsupported by target: ${message}` }]);
  if (rules.length === 0) {
    return fail([
      {
        code: 'TL5008',
        severity: 'error',
        message: `correlation '${corr.title}' refers to no converted rule`,
      },
    ]);
  }
  const window = o['correlation_window'] ?? 'bin';
  if (window !== 'bin' && window !== 'sliding') {
    return fail([
      {
        code: 'TL5007',
        severity: 'error',
        message: `correlation_window must be bin or sliding, not '${window}'`,
      },
    ]);
  }
  const firstQuery = rules[0]?.queries[0] ?? '';
  const ts =
    o['timestamp_field'] ?? (tableOf(firstQuery).startsWith('Device') ? 'Timestamp' : 'TimeGenerated');
  const span = kqlTimespan(corr.timespanRaw, corr.timespan);

  // Group-by fields: an alias takes each rule's own field under one name.
  const groupBy = corr.groupBy;
  const aliasFor = (r: ConvertedRule): string[] =>
    Object.entries(corr.aliases).flatMap(([alias, map]) => {
      const f = map[r.rule.id] ?? (r.rule.name !== undefined ? map[r.rule.name] : undefined);
      return f !== undefined && f !== alias ? [`${alias} = ${f}`] : [];
    });

  const parts: string[] = [];
  for (const r of rules) {
    for (const q of r.queries) {
      const extend = [`sigma_rule = ${quote(ruleName(r))}`, ...aliasFor(r)];
      parts.push(`${q}\n| extend ${extend.join(', ')}`);
    }
  }
  const source =
    parts.length === 1
      ? (parts[0] ?? '')
      : `union\n${parts.map((p) => `(${p.replaceAll('\n', '\n  ')})`).join(',\n')}`;

  const bounds =
    corr.condition.bounds.length > 0
      ? corr.condition.bounds
      : [{ op: 'gte' as const, value: corr.type.startsWith('temporal') ? corr.rules.length : 1 }];
  const field = corr.condition.field;
  let name: string;
  let agg: (side: string) => string | null;
  switch (corr.type) {
    case 'event_count':
      name = 'event_count';
      agg = () => 'count()';
      break;
    case 'value_count':
      name = 'value_count';
      agg = (side) => (field === undefined ? null : `dcount(${field}${side})`);
      break;
    case 'temporal':
    case 'temporal_ordered':
      name = 'rule_count';
      agg = (side) => `dcount(sigma_rule${side})`;
      break;
    case 'value_sum':
      name = 'value_sum';
      agg = (side) => (field === undefined ? null : `sum(${field}${side})`);
      break;
    case 'value_avg':
      name = 'value_avg';
      agg = (side) => (field === undefined ? null : `avg(${field}${side})`);
      break;
    case 'value_percentile':
      name = 'value_percentile';
      agg = (side) =>
        field === undefined ? null : `percentile(${field}${side}, ${corr.condition.percentile ?? 50})`;
      break;
  }
  if (agg('') === null) return error(`${corr.type} correlation without condition.field`);
  // dcount is an estimate; the exact count_distinct is used instead.
  const exact = (s: string | null): string => (s ?? '').replace(/^dcount\(/, 'count_distinct(');
  const condition = bounds.map((b) => `${name} ${OPS[b.op]} ${b.value}`).join(' and ');
  const ordered = corr.type === 'temporal_ordered';
  const orderNames = rules.map((r) => ruleName(r));
  const firstTimes = (side: string): string =>
    orderNames
      .map((n, i) => `, first_${i + 1} = minif(${ts}${side}, sigma_rule${side} == ${quote(n)})`)
      .join('');
  const orderCondition = orderNames
    .slice(1)
    .map((_, i) => ` and first_${i + 1} <= first_${i + 2}`)
    .join('');

  let query: string;
  if (window === 'bin') {
    const by = [`bin(${ts}, ${span})`, ...groupBy].join(', ');
    query =
      `${source}\n| summarize ${name} = ${exact(agg(''))}${ordered ? firstTimes('') : ''} by ${by}\n` +
      `| where ${condition}${ordered ? orderCondition : ''}`;
    diagnostics.push({
      code: 'TL5004',
      severity: 'warning',
      message:
        `KQL correlation '${corr.title}' aggregates in fixed time bins (bin(${ts}, ${span})), not a sliding window: ` +
        'events on both sides of a bin edge are not correlated (use -O correlation_window=sliding)',
    });
  } else {
    // Every event opens a window [t, t + span]; the events of the same group inside it are counted.
    const keys = groupBy.length > 0 ? groupBy : ['sigma_window_key'];
    const keyed = groupBy.length > 0 ? '' : '\n| extend sigma_window_key = 1';
    const right = [
      `${ts}_w = ${ts}`,
      `sigma_rule_w = sigma_rule`,
      ...(field ? [`${field}_w = ${field}`] : []),
      ...keys,
    ].join(', ');
    query =
      `let sigma_events = materialize(${source.replaceAll('\n', '\n  ')}${keyed.replaceAll('\n', '\n  ')});\n` +
      `sigma_events\n` +
      `| join kind=inner (sigma_events | project ${right}) on ${keys.join(', ')}\n` +
      `| where ${ts}_w between (${ts} .. (${ts} + ${span}))\n` +
      `| summarize ${name} = ${exact(agg('_w'))}${ordered ? firstTimes('_w') : ''} by ${ts}, ${keys.join(', ')}\n` +
      `| where ${condition}${ordered ? orderCondition : ''}`;
  }
  if (ordered) {
    diagnostics.push({
      code: 'TL5004',
      severity: 'warning',
      message: `temporal_ordered in KQL compares the first event of each rule within a window, not every ordering`,
    });
  }
  return ok([query], diagnostics);
}
