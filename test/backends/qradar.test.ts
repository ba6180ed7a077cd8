import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QradarBackend } from '../../src/backends/qradar/backend.js';
import { qradarPipelines, qradarTransformationDefs } from '../../src/backends/qradar/pipelines.js';
import type { MiniPipeline } from './elastic-driver.js';
import type { Vector } from './elastic-conformance.js';
import { SHARED, hasShared, runCorpus, runVectors } from './elastic-conformance.js';

const dump = process.env['TL_CONFORMANCE_DUMP'];
function dumpMismatches(name: string, rows: readonly unknown[]): void {
  if (dump) writeFileSync(resolve(dump, `${name}.jsonl`), rows.map((r) => JSON.stringify(r) + '\n').join(''));
}

function pipelineFor(v: Vector): MiniPipeline[] | null {
  if (v.pipeline === null) return [];
  // The reference's pipeline names.
  const name =
    v.pipeline === 'qradar-aql-fields'
      ? 'qradar_fields'
      : v.pipeline === 'qradar-aql-payload'
        ? 'qradar_payload'
        : v.pipeline;
  const p = qradarPipelines[name];
  return p ? [p] : null;
}

const custom = qradarTransformationDefs;

test('qradar-aql: reference vectors', (t) => {
  if (!hasShared) return t.skip('../shared not found');
  const out = runVectors(
    resolve(SHARED, 'conformance/vectors/qradar-aql.jsonl'),
    new QradarBackend(),
    pipelineFor,
    {
      custom,
    },
  );
  const good = out.filter((o) => o.ok).length;
  t.diagnostic(`qradar-aql vectors: ${String(good)}/${String(out.length)} identical`);
  dumpMismatches(
    'vectors-qradar-aql',
    out.filter((x) => !x.ok),
  );
  assert.ok(good / out.length >= 0.95, `${String(good)}/${String(out.length)}`);
});

for (const [corpus, pipeline] of [
  ['qradar-aql', 'qradar_payload'],
  ['qradar-aql-fields', 'qradar_fields'],
] as const) {
  test(`${corpus}: SigmaHQ corpus with ${pipeline}`, (t) => {
    if (!hasShared) return t.skip('../shared not found');
    const p = qradarPipelines[pipeline];
    assert.ok(p);
    const f = runCorpus(resolve(SHARED, 'conformance/corpus', `${corpus}.jsonl`), new QradarBackend(), [p], {
      custom,
    });
    t.diagnostic(
      `${corpus}: ${String(f.identical)}/${String(f.referenceConverts)} identical, we fail ${String(f.weFail)}, ` +
        `extra ${String(f.weConvertExtra)}, crashes ${String(f.crashes)}, silent ${String(f.silent)}`,
    );
    dumpMismatches(`corpus-${corpus}`, f.mismatches);
    assert.equal(f.crashes, 0);
    assert.equal(f.silent, 0);
    assert.ok(f.identical / f.referenceConverts >= 0.95);
  });
}
