/**
 * Byte compatibility with the reference Kusto backend (pySigma-backend-kusto): its own test vectors
 * and its output over the SigmaHQ corpus with microsoft_xdr (the default) and sentinel_asim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { convertKustoText } from '../../src/backends/kusto/driver.js';
import { convertFile, haveShared, readJsonl, shared } from './kusto-corpus.js';

interface Vector {
  id: string;
  pipeline: string | null;
  rule: string;
  output?: string[];
  error?: string;
}

interface CorpusLine {
  path: string;
  output?: string[];
  error?: string;
}

/** `microsoft_xdr_pipeline(query_table='X')` → pipeline name and backend options. */
function pipelineOf(p: string | null): { pipeline: string | null; options: Record<string, string> } {
  if (p === null) return { pipeline: null, options: {} };
  const m = /^(\w+)(?:\((.*)\))?$/.exec(p);
  const options: Record<string, string> = {};
  for (const kv of (m?.[2] ?? '').split(',').filter(Boolean)) {
    const [k = '', v = ''] = kv.split('=');
    options[k.trim()] = v.trim().replace(/^'|'$/g, '');
  }
  return { pipeline: m?.[1] ?? p, options };
}

test('reference test vectors: ≥ 95 % byte-identical, rejections rejected', (t) => {
  const file = join(shared, 'conformance/vectors/kusto.jsonl');
  if (!haveShared || !existsSync(file)) return t.skip('../shared not found');
  let same = 0;
  let converted = 0;
  const differ: string[] = [];
  for (const v of readJsonl<Vector>(file)) {
    const { pipeline, options } = pipelineOf(v.pipeline);
    const r = convertKustoText(v.rule, 'vector.yml', { pipeline, options });
    const out = r.ok ? r.value.flatMap((d) => (d.result.ok ? d.result.value : ['ERR'])) : ['ERR'];
    if (v.error !== undefined) {
      assert.ok(
        out.every((o) => o === 'ERR'),
        `${v.id}: the reference rejects it, we convert it`,
      );
      continue;
    }
    converted++;
    if (JSON.stringify(out) === JSON.stringify(v.output)) same++;
    else differ.push(v.id);
  }
  const pct = (100 * same) / converted;
  t.diagnostic(`vectors: ${same}/${converted} byte-identical (${pct.toFixed(2)} %)`);
  assert.ok(pct >= 95, `only ${pct.toFixed(2)} % identical; differ: ${differ.join(', ')}`);
});

for (const [name, pipeline] of [
  ['kusto.jsonl', 'microsoft_xdr'],
  ['kusto-sentinel-asim.jsonl', 'sentinel_asim'],
] as const) {
  test(`SigmaHQ corpus with ${pipeline}: ≥ 95 % byte-identical where the reference converts, no crash`, (t) => {
    const file = join(shared, 'conformance/corpus', name);
    if (!haveShared || !existsSync(file)) return t.skip('../shared not found');
    let same = 0;
    let converted = 0;
    let improvements = 0;
    for (const line of readJsonl<CorpusLine>(file)) {
      const out = convertFile(join(shared, 'corpus/sigmahq', line.path), { pipeline });
      if (line.error !== undefined) {
        if (!out.every((o) => o.startsWith('ERR:'))) improvements++;
        continue;
      }
      converted++;
      if (JSON.stringify(out) === JSON.stringify(line.output)) same++;
    }
    const pct = (100 * same) / converted;
    t.diagnostic(
      `${pipeline}: ${same}/${converted} identical (${pct.toFixed(2)} %), ${improvements} converted that the reference rejects`,
    );
    assert.ok(pct >= 95, `only ${pct.toFixed(2)} % identical`);
  });
}
