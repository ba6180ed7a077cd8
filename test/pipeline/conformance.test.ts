import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { applyPipelines, loadPipelineObject, loadPipelineYaml } from '../../src/pipeline/index.js';
import { sharedDir } from '../helpers/shared.js';
import { lower } from './helpers.js';

const shared = sharedDir;
const vectorsDir = join(shared, 'conformance', 'vectors');

interface Vector {
  id: string;
  rule: string;
  rule_source?: string;
  pipeline_yaml: unknown;
}

function vectorsWithPipelines(): Vector[] {
  const out: Vector[] = [];
  for (const f of readdirSync(vectorsDir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    for (const line of readFileSync(join(vectorsDir, f), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const v = JSON.parse(line) as Vector;
      if (v.pipeline_yaml !== null && v.pipeline_yaml !== undefined) out.push(v);
    }
  }
  return out;
}

test('every pipeline of the reference test suites loads (as YAML text and as data)', (t) => {
  if (!existsSync(vectorsDir)) {
    t.skip('../shared not found');
    return;
  }
  const vectors = vectorsWithPipelines();
  assert.ok(vectors.length > 0, 'the vectors should contain custom pipelines');
  for (const v of vectors) {
    const text = typeof v.pipeline_yaml === 'string' ? v.pipeline_yaml : stringify(v.pipeline_yaml);
    const r = loadPipelineYaml(text, `${v.id}.yml`);
    assert.ok(r.ok, `${v.id}: ${JSON.stringify(r.diagnostics)}`);
    if (typeof v.pipeline_yaml !== 'string') {
      const o = loadPipelineObject(v.pipeline_yaml, v.id);
      assert.ok(o.ok, `${v.id}: ${JSON.stringify(o.diagnostics)}`);
    }
  }
});

test('the reference set_state pipelines give the state their backends read', (t) => {
  if (!existsSync(vectorsDir)) {
    t.skip('../shared not found');
    return;
  }
  let checked = 0;
  for (const v of vectorsWithPipelines()) {
    if (v.rule_source !== undefined && v.rule_source !== 'yaml') continue;
    const text = typeof v.pipeline_yaml === 'string' ? v.pipeline_yaml : stringify(v.pipeline_yaml);
    const p = loadPipelineYaml(text, 'p.yml');
    assert.ok(p.ok);
    const spec = (typeof v.pipeline_yaml === 'string' ? undefined : v.pipeline_yaml) as
      | {
          transformations: {
            type: string;
            key: string;
            val: unknown;
            rule_conditions?: { category?: string }[];
          }[];
        }
      | undefined;
    if (!spec) continue;
    let ruleText = v.rule;
    // Correlation vectors carry several documents; the first rule is enough here.
    if (ruleText.includes('\n---')) ruleText = ruleText.split('\n---')[0]!;
    if (!/\ndetection:/.test(ruleText)) continue;
    const ir = lower(ruleText);
    const r = applyPipelines(ir, [p.value]);
    assert.ok(r.ok);
    const expected = spec.transformations.find(
      (x) =>
        x.type === 'set_state' &&
        (x.rule_conditions?.[0]?.category ?? ir.logsource.category) === ir.logsource.category,
    );
    if (expected) {
      assert.deepEqual(r.value.state[expected.key], expected.val, v.id);
      checked++;
    }
  }
  assert.ok(checked > 0, 'no vector was checked');
});
