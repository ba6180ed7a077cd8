import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { runBuild, slugify } from '../../src/build/index.js';
import { contentDir, parseConf } from './helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const HOSTILE_TITLES = [
  '../../../../tmp/evil',
  '..\\..\\windows\\system32\\evil',
  '/etc/passwd',
  'CON',
  '<script>alert(1)</script>',
  'x]\n[injected stanza]\nsearch = | delete',
  '....',
  '',
  'é'.repeat(300),
];

function hostileRules(dir: string): void {
  HOSTILE_TITLES.forEach((title, i) => {
    const text = [
      `title: ${JSON.stringify(title)}`,
      `id: ${JSON.stringify(i % 2 ? `../../id-${i}/../x` : `0000000${i}-0000-4000-8000-000000000000`)}`,
      'status: test',
      'level: high',
      'tags: [attack.execution, attack.t1059]',
      'logsource: {product: windows, category: process_creation}',
      `detection: {selection: {CommandLine|contains: "evil${i}\\"; drop"}, condition: selection}`,
    ].join('\n');
    writeFileSync(join(dir, `rule-${i}.yml`), text);
  });
}

test('slugs never hold separators, dots-only names or odd characters', () => {
  for (const t of HOSTILE_TITLES) {
    const s = slugify(t);
    assert.match(s, /^[a-z0-9][a-z0-9_-]*$/, JSON.stringify(t));
    assert.ok(s.length <= 80);
  }
});

test('hostile titles and ids produce safe file names inside the output folder, and a well-formed Splunk app', () => {
  const rules = mkdtempSync(join(tmpdir(), 'tripline-hostile-'));
  hostileRules(rules);
  const root = mkdtempSync(join(tmpdir(), 'tripline-hostile-out-'));
  const out = join(root, 'dist');
  const r = runBuild(undefined, { out, rules: [rules] });
  assert.ok(r.ok, r.diagnostics.map((d) => d.message).join('\n'));
  assert.equal(r.value.catalogue.detections.length, HOSTILE_TITLES.length);
  // Nothing was written next to the output folder.
  assert.deepEqual(readdirSync(root), ['dist']);
  for (const f of walk(out)) {
    const rel = relative(out, f);
    assert.ok(!rel.startsWith('..'), rel);
    for (const part of rel.split(sep)) assert.match(part, /^[\w.-]+$/, rel);
  }
  const sigma = readdirSync(join(out, 'packages/sigma'));
  assert.equal(new Set(sigma).size, HOSTILE_TITLES.length, 'one distinct file per rule');
  const conf = parseConf(readFileSync(join(out, 'packages/splunk/tripline_detections/default/savedsearches.conf'), 'utf8'));
  assert.ok(![...conf.keys()].includes('injected stanza'), 'a title cannot open a stanza');
  assert.equal(conf.size, HOSTILE_TITLES.length);
});

test('a rebuild with unchanged inputs reconverts nothing; changing one detection reconverts only it', () => {
  const work = mkdtempSync(join(tmpdir(), 'tripline-incr-'));
  const content = join(work, 'content');
  mkdirSync(content);
  cpSync(contentDir, content, { recursive: true });
  const out = join(work, 'dist');
  const first = runBuild(content, { out });
  assert.ok(first.ok);
  const n = first.value.catalogue.detections.length;
  const targets = first.value.catalogue.targets.length;
  const c1 = first.value.report.conversions;
  assert.equal(c1.converted + c1.cached, n * targets);
  // Sentinel and Defender share one KQL conversion.
  assert.equal(c1.cached, n);

  const ndjson = readFileSync(join(out, 'packages/elastic/rules.ndjson'), 'utf8');
  const second = runBuild(content, { out });
  assert.ok(second.ok);
  assert.equal(second.value.report.conversions.converted, 0);
  assert.equal(second.value.report.conversions.cached, n * targets);
  assert.equal(readFileSync(join(out, 'packages/elastic/rules.ndjson'), 'utf8'), ndjson, 'cached results write the same packages');

  const file = join(content, 'detections/collection/renamed-7zip-execution.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: /m, 'description: Changed. '));
  const third = runBuild(content, { out });
  assert.ok(third.ok);
  assert.equal(third.value.report.conversions.converted, targets - 1);
  assert.ok(third.value.report.conversions.reconverted.every((x) => x.startsWith('detections/collection/renamed-7zip-execution.yml ')));
  const rule = third.value.catalogue.detections.find((d) => d.source.endsWith('renamed-7zip-execution.yml'));
  assert.match(rule?.description ?? '', /^Changed\. /);
});
