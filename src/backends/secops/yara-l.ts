/**
 * YARA-L 2.0 rule text. Single-event rules follow the reference's layout byte for byte (meta from
 * the rule, `events:` with `$event1`, `conditions:` section as the reference writes it).
 * Correlations (absent from the reference) become multi-event rules: one event variable per
 * referenced rule, the group-by fields joined through match variables, `match: … over <window>`,
 * an outcome with the aggregate, and a `condition:` on it.
 */
import type { Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { CorrelationOp, IrCorrelation, IrRule } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import type { SecOpsBackend } from './backend.js';
import { eventTypesOf, udmField } from './pipeline.js';

function attr(rule: { attributes: Record<string, unknown> }, key: string): unknown {
  return rule.attributes[key];
}

/** Python str() of a scalar attribute (None when missing). */
function pyStr(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
}

/** A YARA-L string literal body: quotes, backslashes and line breaks escaped. */
function esc(s: string): string {
  return s.replace(/[\\"]/g, (c) => '\\' + c).replace(/\r?\n/g, '\\n');
}

/**
 * The reference's layout; `strict` makes it valid YARA-L: an identifier rule name and escaped meta
 * strings (the reference writes titles with `-`, `/` or spaces and unescaped quotes as they are).
 */
export function yaraLRule(rule: IrRule, query: string, strict = false): string {
  const q = strict ? esc : (x: string): string => x;
  const name = rule.title.toLowerCase().replaceAll(' ', '_');
  const lines = query
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fps = list(attr(rule, 'falsepositives'));
  return (
    `\nrule ${strict ? ident(name) : name} {\n` +
    `  meta:\n` +
    `    id = "${q(pyStr(attr(rule, 'id')))}"\n` +
    `    title = "${q(rule.title)}"\n` +
    `    description = "${q(pyStr(attr(rule, 'description')))}"\n` +
    `    author = "${q(pyStr(attr(rule, 'author')))}"\n` +
    `    reference = "${q(list(attr(rule, 'references')).join(', '))}"\n` +
    `    date = "${q(pyStr(attr(rule, 'date')))}"\n` +
    `    tags = "${q(rule.tags.join(', '))}"\n` +
    `    severity = "${q(pyStr(attr(rule, 'level')))}"\n` +
    `    falsepositives = "${q(fps.length > 0 ? fps.join(', ') : 'Unknown')}" \n\n` +
    `  events:\n    ${lines.join('\n    ')}\n    \n` +
    `  conditions: \n    $event1\n}\n    `
  );
}

const OPS: Record<CorrelationOp, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '!=' };

/** YARA-L windows: s, m, h, d. */
function window(seconds: number): string {
  if (seconds % 86400 === 0) return `${String(seconds / 86400)}d`;
  if (seconds % 3600 === 0) return `${String(seconds / 3600)}h`;
  if (seconds % 60 === 0) return `${String(seconds / 60)}m`;
  return `${String(seconds)}s`;
}

function ident(s: string): string {
  return s.replace(/\W/g, '_');
}

export function yaraLCorrelation(
  backend: SecOpsBackend,
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- same signature as other targets
  opts: BackendConvertOptions,
): Result<string[]> {
  if (rules.length === 0) {
    return fail([
      {
        code: 'TL5008',
        severity: 'error',
        message: 'correlation refers to no converted rule',
        file: corr.id,
      },
    ]);
  }
  const events: string[] = [];
  const vars: string[] = [];
  for (const [i, r] of rules.entries()) {
    const v = `$e${String(i + 1)}`;
    const qs = backend.printWithVariable(backend.mappedRule(r.rule), v);
    if (qs === null || qs.length === 0) {
      return fail([
        {
          code: 'TL5001',
          severity: 'error',
          message: `unsupported by target: rule ${r.rule.id} in a YARA-L correlation`,
          file: corr.id,
        },
      ]);
    }
    vars.push(v);
    events.push(qs.length === 1 ? qs[0]! : qs.map((q) => `(${q})`).join(' OR '));
  }
  const groupVars: string[] = [];
  for (const g of corr.groupBy) {
    const gv = `$${ident(g)}`;
    groupVars.push(gv);
    for (const [i, r] of rules.entries()) {
      const alias = corr.aliases[g];
      const f = alias ? (alias[r.rule.name ?? ''] ?? alias[r.rule.id] ?? g) : g;
      events.push(`${gv} = ${vars[i]!}.${udmField(f, eventTypesOf(r.rule))}`);
    }
  }
  const bounds = (name: string): string =>
    corr.condition.bounds.map((b) => `${name} ${OPS[b.op]} ${String(b.value)}`).join(' and ');
  let outcome = '';
  let condition: string;
  const v1 = vars[0] ?? '$e1';
  switch (corr.type) {
    case 'event_count':
      condition = bounds(`#${v1.slice(1)}`);
      break;
    case 'value_count': {
      const f = corr.condition.field ?? '';
      outcome = `    $value_count = count_distinct(${v1}.${udmField(f, eventTypesOf(rules[0]!.rule))})\n`;
      condition = `${v1} and ${bounds('$value_count')}`;
      break;
    }
    case 'value_sum':
    case 'value_avg': {
      const f = corr.condition.field ?? '';
      const fn = corr.type === 'value_sum' ? 'sum' : 'avg';
      outcome = `    $${corr.type} = ${fn}(${v1}.${udmField(f, eventTypesOf(rules[0]!.rule))})\n`;
      condition = `${v1} and ${bounds(`$${corr.type}`)}`;
      break;
    }
    case 'temporal':
    case 'temporal_ordered': {
      if (corr.type === 'temporal_ordered') {
        for (let i = 1; i < vars.length; i++)
          events.push(
            `${vars[i - 1]!}.metadata.event_timestamp.seconds <= ${vars[i]!}.metadata.event_timestamp.seconds`,
          );
      }
      condition = vars.join(' and ');
      break;
    }
    case 'value_percentile':
      return fail([
        {
          code: 'TL5001',
          severity: 'error',
          message: 'unsupported by target: value_percentile correlations in YARA-L',
          file: corr.id,
        },
      ]);
  }
  const match =
    groupVars.length > 0 ? `  match:\n    ${groupVars.join(', ')} over ${window(corr.timespan)}\n\n` : '';
  const text =
    `rule ${ident(corr.name ?? corr.title.toLowerCase())} {\n` +
    `  meta:\n    id = "${esc(corr.id)}"\n    title = "${esc(corr.title)}"\n    severity = "${corr.level ?? 'None'}"\n\n` +
    `  events:\n    ${events.join('\n    ')}\n\n` +
    match +
    (outcome ? `  outcome:\n${outcome}\n` : '') +
    `  condition:\n    ${condition}\n}\n`;
  return ok([text]);
}
