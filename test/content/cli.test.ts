import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadContent } from '../../src/content/index.js';
import { contentDir, repoRoot, sharedDir } from './helpers.js';
import { capture } from '../helpers/cli.js';

test('tripline coverage prints coverage by tactic and writes a Navigator layer', async () => {
  const c = capture(repoRoot);
  const layerPath = join(mkdtempSync(join(tmpdir(), 'tripline-cov-')), 'layer.json');
  assert.equal(await main(['coverage', contentDir, '--navigator', layerPath], c.io), 0, c.err());
  assert.match(c.out(), /^Collection\s+\d+ \/ \d+/m);
  assert.match(c.out(), /T1119\s+Automated Collection \(\d+\)/);
  const layer = JSON.parse(readFileSync(layerPath, 'utf8')) as {
    versions: { layer: string };
    techniques: { techniqueID: string }[];
  };
  assert.equal(layer.versions.layer, '4.5');
  assert.ok(layer.techniques.some((t) => t.techniqueID === 'T1119'));
});

test('tripline coverage --format json reports techniques and, with --atomics, atomics with and without a detection', async (t) => {
  const shared = sharedDir();
  if (!shared) {
    t.skip('../shared not found');
    return;
  }
  const c = capture(repoRoot);
  const code = await main(
    ['coverage', contentDir, '--format', 'json', '--atomics', join(shared, 'data/atomic-red-team/atomics')],
    c.io,
  );
  assert.equal(code, 0, c.err());
  const r = JSON.parse(c.out()) as {
    techniques: { id: string }[];
    atomics: {
      withDetection: { guid: string; via: string }[];
      withoutDetection: unknown[];
      unknownLinks: unknown[];
    };
  };
  assert.ok(r.techniques.some((x) => x.id === 'T1119'));
  const flagship = r.atomics.withDetection.find((a) => a.guid === 'cb379146-53f1-43e0-b884-7ce2c635ff5b');
  assert.equal(flagship?.via, 'link');
  assert.ok(r.atomics.withoutDetection.length > 0);
  assert.deepEqual(r.atomics.unknownLinks, []);
});

test('tripline coverage exits 2 on a bad --format and 1 on a missing folder', async () => {
  assert.equal(await main(['coverage', contentDir, '--format', 'xml'], capture(repoRoot).io), 2);
  const c = capture(repoRoot);
  assert.equal(await main(['coverage', '/no/such/content'], c.io), 1);
  assert.match(c.err(), /TL8028/);
});

test('tripline new detection scaffolds a file that loads without errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-new-'));
  const c = capture(dir);
  assert.equal(await main(['new', 'detection', '--technique', 'T1003.001', '-o', 'out'], c.io), 0, c.err());
  const files = readdirSync(join(dir, 'out'));
  assert.deepEqual(files, ['t1003-001-lsass-memory-activity.yml']);
  const text = readFileSync(join(dir, 'out', files[0]!), 'utf8');
  assert.match(text, /- attack\.credential-access\n\s+- attack\.t1003\.001/);
  const r = loadContent(join(dir, 'out'));
  assert.ok(r.ok);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(r.value.detections[0]?.techniques[0], 'T1003.001');
  // A second run would overwrite: refused.
  assert.equal(await main(['new', 'detection', '--technique', 'T1003.001', '-o', 'out'], capture(dir).io), 1);
});

test('tripline new rejects unknown techniques and missing arguments as usage errors', async () => {
  const c = capture(repoRoot);
  assert.equal(await main(['new', 'detection', '--technique', 'T9999', '-o', '-'], c.io), 2);
  assert.match(c.err(), /TL8016/);
  assert.equal(await main(['new', 'detection', '-o', '-'], capture(repoRoot).io), 2);
  assert.equal(await main(['new', 'story', '--technique', 'T1119'], capture(repoRoot).io), 2);
  const d = capture(repoRoot);
  assert.equal(
    await main(['new', 'detection', '--technique', 'T1119', '--title', 'My Rule', '-o', '-'], d.io),
    0,
  );
  assert.match(d.out(), /^title: 'My Rule'/);
});
