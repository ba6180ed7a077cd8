/**
 * QRadar correlations as one aggregated AQL search: the referenced rules' WHERE clauses ORed,
 * `GROUP BY` the group-by fields, `HAVING` on the aggregate, over `LAST <timespan>`. AQL aggregates
 * over the whole window it searches (not sliding windows), which a TL5004 warning says.
 * event_count, value_count, value_sum and value_avg; temporal and temporal_ordered need per-rule
 * typing AQL cannot express in one search (TL5001).
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { CorrelationOp, IrCorrelation } from '../../ir/types.js';
import type { ConvertedRule } from '../text/backend.js';
import type { TextPrinter } from '../text/printer.js';

const OPS: Record<CorrelationOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '=', neq: '!=' };
const UNITS: Record<string, [string, number]> = {
  m: ['MINUTES', 1],
  h: ['HOURS', 1],
  d: ['DAYS', 1],
  w: ['DAYS', 7],
};

function unsupported(corr: IrCorrelation, what: string): Diagnostic {
  return {
    code: 'TL5001',
    severity: 'error',
    message: `unsupported by target: ${what} (correlation '${corr.title}')`,
  };
}

/** `LAST n MINUTES|HOURS|DAYS` for a Sigma timespan; seconds only in whole minutes. */
function lastClause(raw: string): string | null {
  const m = /^(\d+)([smhdw])$/.exec(raw);
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === 's') return n % 60 === 0 ? `LAST ${String(n / 60)} MINUTES` : null;
  const u = UNITS[m[2] ?? ''];
  return u ? `LAST ${String(n * u[1])} ${u[0]}` : null;
}

export function convertAqlCorrelation(
  printer: TextPrinter,
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  whereOf: (rule: ConvertedRule) => string[],
  table: string,
): Result<string[]> {
  if (Object.keys(corr.aliases).length > 0)
    return fail([unsupported(corr, 'correlation field aliases in AQL')]);
  const last = lastClause(corr.timespanRaw);
  if (last === null)
    return fail([unsupported(corr, `timespan '${corr.timespanRaw}' in AQL (LAST n MINUTES)`)]);
  const wheres = rules.flatMap(whereOf);
  const where = wheres.length === 1 ? (wheres[0] ?? '') : wheres.map((w) => `(${w})`).join(' OR ');
  const field = corr.condition.field === undefined ? undefined : printer.field(corr.condition.field);
  let aggregate: string;
  switch (corr.type) {
    case 'event_count':
      aggregate = 'COUNT(*)';
      break;
    case 'value_count':
    case 'value_sum':
    case 'value_avg':
      if (field === undefined)
        return fail([unsupported(corr, `${corr.type} correlation without condition.field`)]);
      aggregate = `${corr.type === 'value_count' ? 'UNIQUECOUNT' : corr.type === 'value_sum' ? 'SUM' : 'AVG'}(${field})`;
      break;
    default:
      return fail([unsupported(corr, `${corr.type} correlation in AQL`)]);
  }
  const name = corr.type;
  const groupBy = corr.groupBy.map((f) => printer.field(f));
  const select = [...groupBy, `${aggregate} AS ${name}`].join(', ');
  const group = groupBy.length > 0 ? ` GROUP BY ${groupBy.join(', ')}` : '';
  const having = corr.condition.bounds.map((b) => `${name} ${OPS[b.op]} ${String(b.value)}`).join(' AND ');
  const warning: Diagnostic = {
    code: 'TL5004',
    severity: 'warning',
    message: `QRadar correlation '${corr.title}' aggregates over the whole ${last} search, not in sliding ${corr.timespanRaw} windows`,
  };
  return ok([`SELECT ${select} FROM ${table} WHERE ${where}${group} HAVING ${having} ${last}`], [warning]);
}
