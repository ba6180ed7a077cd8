/**
 * Shared conformance harness: replays the reference backends' outputs in ../shared/conformance
 * against our targets. A target joins by adding a line to `targetMap`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Converter, convertSigmaText } from '../../src/backends/convert.js';
import type { ConvertOptions, PipelineRef } from '../../src/backends/convert.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { lookupTactic, lookupTechnique } from '../../src/attack/index.js';

/** ATT&CK names as the CLI passes them (Elastic Security rules embed them). */
const attack = {
  tacticId: (s: string) => lookupTactic(s)?.id,
  techniqueName: (id: string) => lookupTechnique(id)?.name,
};

export const repoRoot = resolve(import.meta.dirname, '../../..');
// A worktree sits one level deeper than the main checkout; TRIPLINE_SHARED overrides.
export const sharedDir =
  process.env['TRIPLINE_SHARED'] ??
  [resolve(repoRoot, '../shared'), resolve(repoRoot, '../../shared')].find((d) => existsSync(d)) ??
  resolve(repoRoot, '../shared');
export const sharedAvailable = existsSync(sharedDir);

export interface TargetMapping {
  /** Our target name. */
  target: string;
  /** Reference pipeline name → ours (same name when absent). */
  pipelines?: Record<string, string>;
  /** The reference's default pipelines for the corpus run (our names). */
  corpusPipelines: string[];
  /** Backend options of the corpus run. */
  corpusOptions?: Record<string, string>;
  /** Output format of the corpus run. */
  corpusFormat?: string;
}

/** Reference target name (file name in conformance/) → our target. One line per target. */
export const targetMap: Record<string, TargetMapping> = {
  splunk: { target: 'splunk', corpusPipelines: ['splunk_windows'] },
  'elasticsearch-lucene': { target: 'elastic-lucene', corpusPipelines: ['ecs_windows'] },
  'elasticsearch-eql': { target: 'elastic-eql', corpusPipelines: ['ecs_windows'] },
  'elasticsearch-esql': { target: 'elastic-esql', corpusPipelines: ['ecs_windows'] },
  'qradar-aql': {
    target: 'qradar',
    pipelines: { 'qradar-aql-fields': 'qradar_fields', 'qradar-aql-payload': 'qradar_payload' },
    corpusPipelines: ['qradar_payload'],
  },
  'qradar-aql-fields': { target: 'qradar', corpusPipelines: ['qradar_fields'] },
  kusto: { target: 'kusto', corpusPipelines: ['microsoft_xdr'] },
};

interface Vector {
  id: string;
  rule: string;
  pipeline: string | null;
  /** Pipeline YAML text, or the pipeline as an object (some vectors store the parsed dict). */
  pipeline_yaml: string | Record<string, unknown> | null;
  backend_options?: { kwargs?: Record<string, unknown> };
  output_format: string;
  output?: string[] | string;
  error?: string;
  replay: string;
  /** The output embeds a conversion timestamp: compare with ISO-8601 timestamps masked. */
  volatile?: boolean;
}

const ISO_8601 = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** JSON text of an output with timestamps masked when the vector is volatile. */
function comparable(output: unknown, volatile: boolean): string {
  const text = JSON.stringify(output);
  return volatile ? text.replace(ISO_8601, '<timestamp>') : text;
}

export interface VectorOutcome {
  id: string;
  identical: boolean;
  expected: unknown;
  actual: unknown;
}

/**
 * Outputs compare byte for byte; an expected item that is an object (the reference returned a
 * dict, e.g. a Kibana rule) compares with our item parsed as JSON.
 */
function sameOutput(expected: string[] | string, actual: unknown): boolean {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return true;
  if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return false;
  return expected.every((e: unknown, i) => {
    const a: unknown = actual[i];
    if (typeof e !== 'object' || typeof a !== 'string') return false;
    try {
      return JSON.stringify(JSON.parse(a)) === JSON.stringify(e);
    } catch {
      return false;
    }
  });
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export function runVectors(ref: string): { outcomes: VectorOutcome[]; skipped: number } {
  const m = targetMap[ref];
  if (!m) throw new Error(`no mapping for ${ref}`);
  const vectors = readJsonl<Vector>(resolve(sharedDir, 'conformance/vectors', `${ref}.jsonl`));
  const outcomes: VectorOutcome[] = [];
  let skipped = 0;
  for (const v of vectors) {
    if (v.replay !== 'ok') {
      skipped++;
      continue;
    }
    const pipelines: PipelineRef[] = [];
    // 'custom' names the pipeline given inline in pipeline_yaml.
    if (v.pipeline && !(v.pipeline === 'custom' && v.pipeline_yaml))
      for (const p of v.pipeline.split('+')) pipelines.push(m.pipelines?.[p] ?? p);
    if (v.pipeline_yaml) {
      // JSON is YAML: a stored dict loads like the file it came from.
      const text = typeof v.pipeline_yaml === 'string' ? v.pipeline_yaml : JSON.stringify(v.pipeline_yaml);
      pipelines.push({ file: `${v.id}.yml`, text });
    }
    const options: Record<string, string> = {};
    for (const [k, val] of Object.entries(v.backend_options?.kwargs ?? {})) options[k] = String(val);
    const opts: ConvertOptions = { target: m.target, format: v.output_format, pipelines, options, attack };
    if (pipelines.length === 0) opts.withoutPipeline = true;
    const r = convertSigmaText(v.rule, opts, 'vector.yml');
    const actual = r.ok ? r.value : { error: r.diagnostics.map((d) => `${d.code}: ${d.message}`) };
    const vol = v.volatile === true;
    const identical =
      v.output !== undefined
        ? r.ok &&
          (vol ? comparable(r.value, true) === comparable(v.output, true) : sameOutput(v.output, r.value))
        : !r.ok;
    outcomes.push({ id: v.id, identical, expected: v.output ?? { error: v.error }, actual });
  }
  return { outcomes, skipped };
}

interface CorpusEntry {
  path: string;
  id: string;
  output?: string[];
  error?: string;
}

export interface CorpusOutcome {
  path: string;
  /** The reference converted it. */
  refOk: boolean;
  ours: string[] | null;
  expected: string[] | null;
  identical: boolean;
  error?: string;
}

export function runCorpus(ref: string): CorpusOutcome[] {
  const m = targetMap[ref];
  if (!m) throw new Error(`no mapping for ${ref}`);
  const entries = readJsonl<CorpusEntry>(resolve(sharedDir, 'conformance/corpus', `${ref}.jsonl`));
  const opts: ConvertOptions = { target: m.target, pipelines: m.corpusPipelines, attack };
  if (m.corpusOptions) opts.options = m.corpusOptions;
  if (m.corpusFormat) opts.format = m.corpusFormat;
  const conv = Converter.create(opts);
  if (!conv.ok) throw new Error(conv.diagnostics.map((d) => d.message).join('; '));
  const out: CorpusOutcome[] = [];
  for (const e of entries) {
    const file = resolve(sharedDir, 'corpus/sigmahq', e.path);
    const parsed = parseSigmaText(readFileSync(file, 'utf8'), e.path);
    const run = conv.value.convertFiles([parsed.file]);
    const doc = run.docs[0];
    const ours = doc?.output ?? null;
    const expected = e.output ?? null;
    const o: CorpusOutcome = {
      path: e.path,
      refOk: expected !== null,
      ours,
      expected,
      identical: expected !== null && ours !== null && JSON.stringify(ours) === JSON.stringify(expected),
    };
    const err = doc?.diagnostics.find((d) => d.severity === 'error');
    if (err) o.error = `${err.code}: ${err.message}`;
    out.push(o);
  }
  return out;
}
