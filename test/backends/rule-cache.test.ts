/**
 * RuleCache: one lowering per rule, and one pipeline application per rule among the targets of a run
 * whose pipelines are the same objects (the three Elastic targets' ecs_windows), with the same output
 * as converting each target on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApplyOutput, Pipeline } from '../../src/pipeline/index.js';
import type { IrRule } from '../../src/ir/types.js';
import type { Result } from '../../src/diagnostics/index.js';
import { Converter, RuleCache, convertManyTargets } from '../../src/backends/convert.js';
import { listTargets } from '../../src/backends/registry.js';
import type { SigmaFile } from '../../src/sigma/ast.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { walkFiles } from '../../src/util/files.js';
import { sharedAvailable, sharedDir } from './harness.js';

class CountingCache extends RuleCache {
  computed = 0;
  override applied(
    rule: IrRule,
    pipelines: readonly Pipeline[],
    apply: () => Result<ApplyOutput<IrRule>>,
  ): Result<ApplyOutput<IrRule>> {
    return super.applied(rule, pipelines, () => {
      this.computed++;
      return apply();
    });
  }
}

const RULE = `title: Encoded PowerShell
id: 3b6ab547-8ec2-4991-b9d2-2b06702a48d7
status: test
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\powershell.exe'
    CommandLine|contains: ' -enc '
  condition: selection
level: high
`;

const elastic = ['elastic-lucene', 'elastic-eql', 'elastic-esql'];

function converter(target: string): Converter {
  const c = Converter.create({ target });
  assert.ok(c.ok, `cannot set up ${target}`);
  return c.value;
}

test('the Elastic targets apply their shared default pipeline once per rule', () => {
  const file = parseSigmaText(RULE, 'rule.yml').file;
  const convs = [...elastic, 'splunk', 'kusto'].map(converter);
  const cache = new CountingCache(convs);
  const shared = convs.map((c) => c.convertFiles([file], cache).output);
  // One application for the three Elastic targets, one each for splunk and kusto.
  assert.equal(cache.computed, 3);
  assert.deepEqual(
    shared,
    convs.map((c) => c.convertFiles([file]).output),
  );
});

test('explicit pipelines are shared only when they resolve to the same built-in', () => {
  const file = parseSigmaText(RULE, 'rule.yml').file;
  const convs = [['ecs_windows'], ['ecs_windows_old'], ['ecs_windows']].flatMap((pipelines) =>
    elastic.map((target) => {
      const c = Converter.create({ target, pipelines });
      assert.ok(c.ok);
      return c.value;
    }),
  );
  const cache = new CountingCache(convs);
  for (const c of convs) c.convertFiles([file], cache);
  assert.equal(cache.computed, 2);
});

test('RuleCache shares among the converters given, member by member, until each took its result', () => {
  const file = parseSigmaText(RULE, 'rule.yml').file;
  const doc = file.documents[0];
  assert.ok(doc?.kind === 'Rule');
  const [a, b, c] = elastic.map(converter);
  const cache = new RuleCache([a!, b!, c!, converter('splunk')]);
  const rule = cache.lowered(doc);
  assert.equal(cache.lowered(doc), rule);
  assert.ok(rule.ok);
  let n = 0;
  const apply = (): Result<ApplyOutput<IrRule>> => {
    n++;
    return { ok: false, diagnostics: [] } as unknown as Result<ApplyOutput<IrRule>>;
  };
  const p = a!.pipelines;
  cache.applied(rule.value, [...p], apply);
  cache.applied(rule.value, [...p], apply);
  cache.applied(rule.value, [...p], apply);
  assert.equal(n, 1);
  // All three took it: a fourth call computes again.
  cache.applied(rule.value, p, apply);
  assert.equal(n, 2);
  // Lists that no two converters share are never kept.
  cache.applied(rule.value, converter('splunk').pipelines, apply);
  cache.applied(rule.value, converter('splunk').pipelines, apply);
  cache.applied(rule.value, [], apply);
  assert.equal(n, 5);
  // Without converters, only lowerings are shared.
  const lonely = new RuleCache();
  lonely.applied(rule.value, p, apply);
  lonely.applied(rule.value, p, apply);
  assert.equal(n, 7);
});

test('all targets in one run give what each target gives alone (SigmaHQ sample)', (t) => {
  if (!sharedAvailable) {
    t.skip('../shared not found');
    return;
  }
  const files: SigmaFile[] = walkFiles(
    [resolve(sharedDir, 'corpus/sigmahq/rules/windows/process_creation')],
    ['.yml'],
  )
    .files.slice(0, 150)
    .map((f) => parseSigmaText(readFileSync(f, 'utf8'), f).file);
  const targets = listTargets().map((d) => d.name);
  const together = convertManyTargets(
    files,
    targets.map((target) => ({ target })),
  );
  targets.forEach((target, i) => {
    const r = together[i];
    assert.ok(r?.ok);
    const alone = converter(target).convertFiles(files);
    assert.deepEqual(r.value.output, alone.output, target);
    assert.deepEqual(r.value.docs, alone.docs, target);
  });
});
