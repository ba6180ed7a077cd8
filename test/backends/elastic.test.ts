import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EqlBackend } from '../../src/backends/elastic/eql.js';
import { EsqlBackend } from '../../src/backends/elastic/esql.js';
import { LuceneBackend } from '../../src/backends/elastic/lucene.js';
import { elasticPipelines } from '../../src/backends/elastic/pipelines.js';
import { elasticTransformations } from '../../src/backends/elastic/transformations.js';
import { pyJson, type AttackResolver } from '../../src/backends/elastic/rule-formats.js';
import type { Backend } from '../../src/backends/text/index.js';
import { lookupTactic, lookupTechnique } from '../../src/attack/index.js';
import type { MiniPipeline } from './elastic-driver.js';
import type { Vector } from './elastic-conformance.js';
import { SHARED, hasShared, runCorpus, runVectors } from './elastic-conformance.js';

/** The threat block of Security rules needs ATT&CK names; the tests use the pinned table. */
const attack: AttackResolver = {
  tacticId: (s) => lookupTactic(s)?.id,
  techniqueName: (id) => lookupTechnique(id)?.name,
};

const targets: [string, string, () => Backend][] = [
  ['elasticsearch-lucene', 'elasticsearch-lucene', () => new LuceneBackend(attack)],
  ['elasticsearch-eql', 'elasticsearch-eql', () => new EqlBackend(attack)],
  ['elasticsearch-esql', 'elasticsearch-esql', () => new EsqlBackend(attack)],
];

function pipelineFor(v: Vector): MiniPipeline[] | null {
  if (v.pipeline === null) return [];
  if (v.pipeline === 'custom') return [v.pipeline_yaml as MiniPipeline];
  const p = elasticPipelines[v.pipeline];
  return p ? [p] : null;
}

const dump = process.env['TL_CONFORMANCE_DUMP'];
function dumpMismatches(name: string, rows: readonly unknown[]): void {
  if (dump) writeFileSync(resolve(dump, `${name}.jsonl`), rows.map((r) => JSON.stringify(r) + '\n').join(''));
}

for (const [vectors, corpus, make] of targets) {
  test(`${vectors}: reference vectors`, (t) => {
    if (!hasShared) return t.skip('../shared not found');
    const out = runVectors(resolve(SHARED, 'conformance/vectors', `${vectors}.jsonl`), make(), pipelineFor, {
      custom: elasticTransformations,
    });
    const good = out.filter((o) => o.ok).length;
    t.diagnostic(`${vectors} vectors: ${String(good)}/${String(out.length)} identical`);
    dumpMismatches(
      `vectors-${vectors}`,
      out.filter((x) => !x.ok),
    );
    assert.ok(good / out.length >= 0.95, `${String(good)}/${String(out.length)}`);
  });

  test(`${corpus}: SigmaHQ corpus with ecs_windows`, (t) => {
    if (!hasShared) return t.skip('../shared not found');
    const ecs = elasticPipelines['ecs_windows'];
    assert.ok(ecs);
    const f = runCorpus(resolve(SHARED, 'conformance/corpus', `${corpus}.jsonl`), make(), [ecs], {
      custom: elasticTransformations,
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

test('elastic: rule JSON escapes non-ASCII as Python json.dumps does, DEL (U+007F) included', () => {
  assert.equal(pyJson(['a\u007fé', 'ok']), '["a\\u007f\\u00e9", "ok"]');
});
