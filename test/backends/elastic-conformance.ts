/**
 * Conformance runner shared by the Elastic and QRadar tests: reads the reference outputs in
 * ../shared/conformance and converts the same rules with our targets (through the local driver).
 */
import { readFileSync } from 'node:fs';
import { sharedAvailable, sharedDir } from './harness.js';
import { resolve } from 'node:path';
import { deepStrictEqual } from 'node:assert/strict';
import type { Backend } from '../../src/backends/text/index.js';
import type { ConvertTextOptions, MiniPipeline } from './elastic-driver.js';
import { convertText } from './elastic-driver.js';

export const SHARED = sharedDir;
export const hasShared = sharedAvailable;

export interface Vector {
  id: string;
  target: string;
  pipeline: string | null;
  pipeline_yaml: unknown;
  output_format: string;
  rule: string;
  output?: unknown[];
  error?: string;
}

export interface Outcome {
  id: string;
  ok: boolean;
  expected: unknown;
  actual: unknown;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

function sameOutput(expected: unknown[], actual: string[]): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((e, i) => {
    const a = actual[i] ?? '';
    if (typeof e === 'string') return e === a;
    try {
      deepStrictEqual(JSON.parse(a), e);
      return true;
    } catch {
      return false;
    }
  });
}

export function runVectors(
  file: string,
  backend: Backend,
  pipelineFor: (v: Vector) => MiniPipeline[] | null,
  extra: Partial<ConvertTextOptions> = {},
): Outcome[] {
  return readJsonl<Vector>(file).map((v) => {
    const pipelines = pipelineFor(v);
    if (pipelines === null)
      return { id: v.id, ok: false, expected: v.output ?? v.error, actual: 'no pipeline' };
    let r;
    try {
      r = convertText(backend, v.rule, { ...extra, pipelines, format: v.output_format });
    } catch (e) {
      return { id: v.id, ok: false, expected: v.output ?? v.error, actual: `CRASH ${String(e)}` };
    }
    if (v.output === undefined) {
      return { id: v.id, ok: r.output === undefined, expected: v.error, actual: r.output ?? r.diagnostics };
    }
    return {
      id: v.id,
      ok: r.output !== undefined && sameOutput(v.output, r.output),
      expected: v.output,
      actual: r.output ?? r.diagnostics.map((d) => `${d.code} ${d.message}`),
    };
  });
}

export interface CorpusLine {
  path: string;
  id: string;
  output?: string[];
  error?: string;
}

export interface CorpusFigures {
  total: number;
  referenceConverts: number;
  identical: number;
  /** Reference converts, we fail (with a diagnostic). */
  weFail: number;
  /** Reference fails, we convert. */
  weConvertExtra: number;
  crashes: number;
  /** Rules where neither output nor a diagnostic came back. */
  silent: number;
  mismatches: Outcome[];
}

export function runCorpus(
  file: string,
  backend: Backend,
  pipelines: MiniPipeline[],
  extra: Partial<ConvertTextOptions> = {},
): CorpusFigures {
  const f: CorpusFigures = {
    total: 0,
    referenceConverts: 0,
    identical: 0,
    weFail: 0,
    weConvertExtra: 0,
    crashes: 0,
    silent: 0,
    mismatches: [],
  };
  for (const line of readJsonl<CorpusLine>(file)) {
    f.total++;
    const text = readFileSync(resolve(SHARED, 'corpus/sigmahq', line.path), 'utf8');
    let r;
    try {
      r = convertText(backend, text, { ...extra, pipelines, file: line.path });
    } catch (e) {
      f.crashes++;
      f.mismatches.push({ id: line.path, ok: false, expected: line.output, actual: `CRASH ${String(e)}` });
      continue;
    }
    if (r.output === undefined && !r.diagnostics.some((d) => d.severity === 'error')) f.silent++;
    if (line.output === undefined) {
      if (r.output !== undefined) f.weConvertExtra++;
      continue;
    }
    f.referenceConverts++;
    if (r.output === undefined) {
      f.weFail++;
      f.mismatches.push({
        id: line.path,
        ok: false,
        expected: line.output,
        actual: r.diagnostics.map((d) => `${d.code} ${d.message}`),
      });
    } else if (sameOutput(line.output, r.output)) f.identical++;
    else f.mismatches.push({ id: line.path, ok: false, expected: line.output, actual: r.output });
  }
  return f;
}
