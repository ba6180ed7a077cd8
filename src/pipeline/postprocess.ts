/**
 * Query postprocessing (pySigma sigma/processing/postprocessing.py) and finalizers
 * (finalization.py): backends call these after printing. Jinja2 templates (`template`) are not
 * supported: they report TL4104 rather than emitting something different from the reference.
 */
import { stringify } from 'yaml';
import { fail, ok, type Diagnostic, type Result } from '../diagnostics/index.js';
import type { IrCorrelation, IrRule } from '../ir/types.js';
import type { PipelineContext } from './apply.js';
import { orderedPipelines } from './apply.js';
import { matchRuleConditions } from './conditions.js';
import { newItemMemo } from './detection-items.js';
import type { ApplyEnv, Target } from './env.js';
import { ensureAscii } from '../util/ascii-json.js';
import { compilePyRegex, pySub } from './py-regex.js';
import type { ApplyOutput, Finalizer, Pipeline, PostprocessingItem } from './types.js';

/** How Python's str() / format() would show a plain value. */
function pyStr(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return JSON.stringify(v);
}

function optStr(v: unknown): string {
  return v === undefined || v === null ? '' : pyStr(v);
}

function err(
  message: string,
  source: { file?: string; span?: { line: number; column: number } },
): Diagnostic {
  const d: Diagnostic = { code: 'TL4104', severity: 'error', message };
  if (source.file !== undefined) d.file = source.file;
  if (source.span) d.span = source.span;
  return d;
}

/** Python str.format with {query}, {rule.attr} and {pipeline.state[key]} / {pipeline.state.key}. */
function simpleTemplate(
  template: string,
  query: string,
  target: Target,
  state: Record<string, unknown>,
): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, expr: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const e = (expr ?? '').trim();
    if (e === 'query') return query;
    const rule = /^rule\.(\w+)$/.exec(e);
    if (rule) {
      const obj = (target.kind === 'Rule' ? target.rule : target.correlation) as unknown as Record<
        string,
        unknown
      >;
      const v = obj[rule[1]!] ?? (target.kind === 'Rule' ? target.rule.attributes[rule[1]!] : undefined);
      return pyStr(v);
    }
    const st = /^pipeline\.state(?:\[['"]?([^\]'"]+)['"]?\]|\.(\w+))$/.exec(e);
    if (st) {
      const v = state[st[1] ?? st[2]!];
      return pyStr(v);
    }
    return m;
  });
}

/** Python's json.dumps with default separators (", " and ": ") and ASCII escaping. */
export function pyJsonDumps(value: unknown, indent?: number): string {
  const ascii = ensureAscii(JSON.stringify(value, null, indent));
  if (indent !== undefined) return ascii;
  // Re-space outside strings only.
  let out = '';
  let inStr = false;
  for (let i = 0; i < ascii.length; i++) {
    const c = ascii[i]!;
    out += c;
    if (inStr) {
      if (c === '\\') out += ascii[++i] ?? '';
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === ',' || c === ':') out += ' ';
  }
  return out;
}

function replaceQueryPlaceholder(v: unknown, query: string): unknown {
  if (Array.isArray(v)) return v.map((x) => replaceQueryPlaceholder(x, query));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceQueryPlaceholder(x, query)]));
  }
  return v === '%QUERY%' ? query : v;
}

function postEnv(applied: ApplyOutput<unknown>, ctx: PipelineContext): ApplyEnv {
  const env: ApplyEnv = {
    state: applied.state,
    vars: {},
    ruleApplied: new Set(applied.applied),
    fieldApplied: new Map(),
    fieldMappings: new Map(),
    itemMemo: newItemMemo(),
    fields: applied.fields,
    diagnostics: [],
    failed: false,
  };
  if (ctx.resolveRule) env.resolveRule = ctx.resolveRule;
  return env;
}

function runPost(
  items: readonly PostprocessingItem[],
  query: string,
  target: Target,
  env: ApplyEnv,
): { query: string; error?: Diagnostic } {
  let q = query;
  for (const item of items) {
    if (!matchRuleConditions(item.ruleConditions, target, env)) continue;
    const p = item.params;
    switch (item.type) {
      case 'embed':
        q = optStr(p.prefix) + q + optStr(p.suffix);
        break;
      case 'simple_template':
        q = simpleTemplate(String(p.template), q, target, env.state);
        break;
      case 'json':
        q = pyJsonDumps(replaceQueryPlaceholder(JSON.parse(String(p.json_template)), q));
        break;
      case 'replace': {
        const rx = compilePyRegex(String(p.pattern));
        if (typeof rx === 'string') return { query: q, error: err(rx, item.source) };
        q = pySub(rx, String(p.replacement), q);
        break;
      }
      case 'nest': {
        const r = runPost(item.items ?? [], q, target, env);
        if (r.error) return r;
        q = r.query;
        break;
      }
      case 'template':
        return {
          query: q,
          error: err('Jinja2 query templates (postprocessing type template) are not supported', item.source),
        };
    }
  }
  return { query: q };
}

/** Apply the pipelines' postprocessing items to one query of a rule (after printing). */
export function postprocessQuery(
  query: string,
  rule: IrRule | IrCorrelation,
  applied: ApplyOutput<unknown>,
  pipelines: readonly Pipeline[],
  ctx: PipelineContext = {},
): Result<string> {
  const items = orderedPipelines(pipelines).postprocessing;
  // Most pipelines have no postprocessing: skip building the environment for every query.
  if (items.length === 0) return ok(query);
  const target: Target =
    'conditions' in rule ? { kind: 'Rule', rule } : { kind: 'Correlation', correlation: rule };
  const r = runPost(items, query, target, postEnv(applied, ctx));
  return r.error ? fail(r.error) : ok(r.query);
}

function runFinalizer(f: Finalizer, input: unknown): { out: unknown; error?: Diagnostic } {
  const p = f.params;
  switch (f.type) {
    case 'concat': {
      const list = Array.isArray(input) ? input.map(String) : [String(input)];
      const sep = typeof p.separator === 'string' ? p.separator : '\n';
      return { out: optStr(p.prefix) + list.join(sep) + optStr(p.suffix) };
    }
    case 'json':
      return { out: pyJsonDumps(input, typeof p.indent === 'number' ? p.indent : undefined) };
    case 'yaml':
      return { out: stringify(input, { indent: typeof p.indent === 'number' ? p.indent : 2 }) };
    case 'nested': {
      let out = input;
      for (const n of f.finalizers ?? []) {
        const r = runFinalizer(n, out);
        if (r.error) return r;
        out = r.out;
      }
      return { out };
    }
    case 'template':
      return { out: input, error: err('Jinja2 finalizer templates are not supported', f.source) };
  }
}

/** Join all queries of a conversion with the pipelines' finalizers; undefined when there are none. */
export function finalizeQueries(
  queries: readonly string[],
  pipelines: readonly Pipeline[],
): Result<string | undefined> {
  const fs = orderedPipelines(pipelines).finalizers;
  if (fs.length === 0) return ok(undefined);
  let out: unknown = [...queries];
  for (const f of fs) {
    const r = runFinalizer(f, out);
    if (r.error) return fail(r.error);
    out = r.out;
  }
  return ok(typeof out === 'string' ? out : pyJsonDumps(out));
}
