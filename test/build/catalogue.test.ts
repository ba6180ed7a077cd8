import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildCatalogue } from '../../src/build/index.js';
import { shippedBuild } from './helpers.js';

const t1119 = () => {
  const d = shippedBuild().catalogue.detections.find((x) => x.source.endsWith('t1119-automated-collection-sensitive-files.yml'));
  assert.ok(d);
  return d;
};

test('enrichment flags are rendered natively per target or the target is reported degraded, never faked', () => {
  const d = t1119();
  const q = (t: keyof typeof d.targets): string => d.targets[t]?.queries.join('\n') ?? '';
  for (const f of d.enrichment.map((e) => e.name)) {
    assert.match(q('sentinel'), new RegExp(`\\| extend ${f} = \\(`));
    assert.match(q('splunk'), new RegExp(`\\| eval ${f}=if\\(searchmatch\\(`));
    assert.match(q('elastic'), new RegExp(`\\| eval ${f} = \\(`));
    assert.match(q('logscale'), new RegExp(`\\| case \\{ .* \\| ${f} := "true"; \\* \\| ${f} := "false" \\}`));
  }
  for (const t of ['qradar', 'secops', 'sumologic'] as const) {
    const r = d.targets[t];
    assert.equal(r?.status, 'degraded', t);
    assert.ok(r?.reason.some((x) => x.startsWith('enrichment not rendered: RecursiveSearch')), t);
    assert.doesNotMatch(q(t), /RecursiveSearch/);
  }
});

test('tables come from the conversion output', () => {
  const d = t1119();
  assert.deepEqual(d.targets.sentinel?.tables, ['DeviceProcessEvents']);
  assert.ok(d.targets.qradar?.tables.includes('devicetype=12'));
  assert.ok((d.targets.secops?.tables ?? []).some((t) => t.includes('PROCESS_LAUNCH')));
});

test('the catalogue carries the detection page material and computed stories', () => {
  const cat = shippedBuild().catalogue;
  const d = t1119();
  assert.ok(d.techniques.some((t) => t.id === 'T1119' && t.name === 'Automated Collection' && t.tactics.includes('collection')));
  assert.ok(d.atomics.length >= 4 && d.atomics.every((a) => a.telemetry.length > 0));
  assert.ok(d.tests.some((t) => t.kind === 'positive') && d.tests.some((t) => t.kind === 'negative'));
  assert.ok(d.triage && d.falsepositives.length > 0);
  // Sigma text without the tripline block, still a Sigma rule.
  const docs = parseAllDocuments(d.sigma);
  assert.ok(Array.isArray(docs));
  for (const doc of docs) assert.equal(doc.get('tripline'), undefined);
  assert.equal(docs[0]?.get('id'), d.id);
  const story = cat.stories.find((s) => s.name === 'Collection and Staging');
  assert.ok(story && story.detections.length >= 7);
  assert.ok(story.techniques.length > 0 && story.dataSources.length > 0);
  const onDisk = JSON.parse(readFileSync(join(shippedBuild().out, 'index.json'), 'utf8')) as typeof cat;
  assert.equal(onDisk.detections.length, cat.detections.length);
  assert.equal(onDisk.totals.byTarget.splunk?.converted, cat.totals.byTarget.splunk?.converted);
});

test('plain Sigma rules build without a tripline block; unknown targets are refused', () => {
  const bad = buildCatalogue(undefined, { rules: [], targets: ['splunk', 'nosuch'] });
  assert.equal(bad.ok, false);
  assert.equal(bad.diagnostics[0]?.code, 'TL8101');
  const missing = buildCatalogue(undefined, { rules: ['/nonexistent/rules'] });
  assert.equal(missing.ok, false);
  assert.equal(missing.diagnostics[0]?.code, 'TL8100');
});
