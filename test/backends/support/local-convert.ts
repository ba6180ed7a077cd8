/**
 * A minimal conversion driver for the Sumo Logic, SecOps and LogScale tests until `tripline
 * convert` (src/backends/convert.ts) and src/pipeline land: parse → lower → mini pipeline → print.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Backend, BackendConvertOptions } from '../../../src/backends/text/backend.js';
import { lowerRule } from '../../../src/ir/lower.js';
import type { Pipeline, PipelineContext } from '../../../src/pipeline/index.js';
import { applyPipelines, loadPipelineObject } from '../../../src/pipeline/index.js';
import { parseSigmaText } from '../../../src/sigma/parse.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
// In a git worktree (/work/wt/<name>) the shared folder sits one level further up.
export const SHARED =
  [resolve(ROOT, '../shared'), resolve(ROOT, '../../shared')].find((p) => existsSync(p)) ??
  resolve(ROOT, '../shared');
export const sharedAvailable = existsSync(SHARED);

export interface LocalResult {
  queries?: string[];
  error?: string;
}

/** Load pipeline data objects (pySigma vocabulary) with the target's own transformation types. */
export function loadPipelines(data: readonly unknown[], ctx: PipelineContext = {}): Pipeline[] {
  return data.map((d) => {
    const r = loadPipelineObject(
      d,
      '<builtin>',
      ctx.transformations ? { transformations: ctx.transformations } : {},
    );
    if (!r.ok) throw new Error(`pipeline does not load: ${r.diagnostics.map((x) => x.message).join('; ')}`);
    return r.value;
  });
}

export function convertText(
  text: string,
  backend: Backend,
  pipelines: readonly Pipeline[],
  opts: Partial<BackendConvertOptions> = {},
  ctx: PipelineContext = {},
): LocalResult {
  const parsed = parseSigmaText(text, '<input>');
  const errs = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length > 0) return { error: `parse: ${errs.map((d) => d.message).join('; ')}` };
  const out: string[] = [];
  for (const doc of parsed.file.documents) {
    if (doc.kind !== 'Rule') continue;
    const low = lowerRule(doc);
    if (!low.ok) return { error: `lower: ${low.diagnostics.map((d) => d.message).join('; ')}` };
    const p = applyPipelines(low.value, pipelines, ctx);
    if (!p.ok) return { error: `pipeline: ${p.diagnostics.map((d) => d.message).join('; ')}` };
    const r = backend.convertRule(p.value.rule, {
      format: opts.format ?? backend.defaultFormat,
      ...opts,
      state: p.value.state,
      applied: p.value.applied,
    });
    if (!r.ok) return { error: `convert: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}` };
    out.push(...r.value.queries);
  }
  return { queries: out };
}

export interface CorpusCase {
  path: string;
  id: string;
  output?: string | string[];
  error?: string;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface CorpusStats {
  total: number;
  refOk: number;
  same: number;
  oursOk: number;
  extra: number;
  diffs: { path: string; want: string; got: string }[];
  crashes: { path: string; error: string }[];
}

/** Convert every corpus rule and compare with the reference outputs. */
export function runCorpus(
  jsonl: string,
  convert: (text: string) => LocalResult,
  normalize: (s: string) => string = (s) => s,
  join: (qs: string[]) => string | string[] = (qs) => qs,
): CorpusStats {
  const cases = readJsonl<CorpusCase>(resolve(SHARED, 'conformance/corpus', jsonl));
  const st: CorpusStats = { total: 0, refOk: 0, same: 0, oursOk: 0, extra: 0, diffs: [], crashes: [] };
  for (const c of cases) {
    st.total++;
    const text = readFileSync(resolve(SHARED, 'corpus/sigmahq', c.path), 'utf8');
    let got: LocalResult;
    try {
      got = convert(text);
    } catch (e) {
      st.crashes.push({ path: c.path, error: String(e instanceof Error ? e.stack : e) });
      continue;
    }
    const ok = got.queries !== undefined && got.queries.length > 0;
    if (ok) st.oursOk++;
    if (c.output === undefined) {
      if (ok) st.extra++;
      continue;
    }
    st.refOk++;
    const want = JSON.stringify(c.output);
    const mine = ok ? JSON.stringify(join(got.queries ?? [])) : `ERROR ${got.error ?? ''}`;
    if (normalize(want) === normalize(mine)) st.same++;
    else st.diffs.push({ path: c.path, want, got: mine });
  }
  return st;
}

export interface VectorCase {
  id: string;
  backend_options: { args: unknown[]; kwargs: Record<string, unknown> };
  pipeline: string | null;
  output_format: string;
  rule: string;
  output?: string | string[] | null;
  error?: string | null;
  replay?: string;
  volatile?: string | null;
}

export function readVectors(name: string): VectorCase[] {
  return readJsonl<VectorCase>(resolve(SHARED, 'conformance/vectors', name));
}

/** Mask ISO-8601 timestamps (volatile vectors embed the conversion time). */
export function maskTimestamps(s: string): string {
  return s.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?/g, '<TS>');
}
