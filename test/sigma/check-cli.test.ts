import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/cli.js';

function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-check-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(
    join(dir, 'good.yml'),
    'title: Good\nid: 1b6a3f4e-2d5c-4a7b-8e9f-0a1b2c3d4e5f\nlogsource: {product: windows}\ndetection:\n    sel: {EventID: 1}\n    condition: sel\n',
  );
  writeFileSync(
    join(dir, 'sub/bad.yaml'),
    'title: Bad\nlogsource: {product: windows}\ndetection:\n    sel:\n        Image|contians: x\n    condition: sel\n',
  );
  writeFileSync(join(dir, 'sub/binary.yml'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(dir, 'notes.txt'), 'not a rule');
  return dir;
}

test('check --format json: counts and diagnostics with file, line, column, path; exit 1 on errors', async () => {
  const dir = fixtureDir();
  const c = capture();
  const code = await main(['check', '--format', 'json', dir], c.io);
  assert.equal(code, 1);
  const out = JSON.parse(c.out()) as {
    files: number;
    rules: number;
    correlations: number;
    filters: number;
    diagnostics: {
      code: string;
      severity: string;
      file: string;
      line: number;
      column: number;
      path: string;
    }[];
  };
  assert.equal(out.files, 3);
  assert.equal(out.rules, 2);
  assert.equal(out.correlations, 0);
  const mod = out.diagnostics.find((d) => d.code === 'TL3001');
  assert.ok(mod);
  assert.equal(mod.file, join(dir, 'sub/bad.yaml'));
  assert.deepEqual([mod.line, mod.column, mod.path], [5, 15, 'detection.sel.Image|contians']);
  assert.ok(out.diagnostics.some((d) => d.code === 'TL1003' && d.file.endsWith('binary.yml')));
});

test('check: exit 0 on valid rules, 2 on usage errors; text output has a code frame', async () => {
  const dir = fixtureDir();
  const ok = capture();
  assert.equal(await main(['check', join(dir, 'good.yml')], ok.io), 0);
  const usage = capture();
  assert.equal(await main(['check', '--format', 'xml', dir], usage.io), 2);
  assert.equal(await main(['check'], capture().io), 2);
  const text = capture();
  assert.equal(await main(['check', dir], text.io), 1);
  assert.match(text.out(), /bad\.yaml\(5,15\): error TL3001: unknown modifier 'contians'/);
  assert.match(text.out(), /\n\s+5 \| {9}Image\|contians: x\n\s+\| {15}\^+/);
});

test('check --format sarif is SARIF 2.1.0', async () => {
  const c = capture();
  await main(['check', '--format', 'sarif', fixtureDir()], c.io);
  const sarif = JSON.parse(c.out()) as { version: string; runs: { results: { ruleId: string }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'TL3001'));
});

test('check on a content folder: the library loads, references resolve, every detection converts or says why', async () => {
  const c = capture();
  const code = await main(['check', '--format', 'json', 'content'], c.io);
  const out = JSON.parse(c.out()) as { rules: number; diagnostics: { code: string; severity: string }[] };
  assert.equal(code, 0, JSON.stringify(out.diagnostics.filter((d) => d.severity === 'error')));
  assert.ok(out.rules >= 37, `only ${out.rules} detections`);
  // Conversion gaps are named per target, never silent.
  for (const d of out.diagnostics) assert.notEqual(d.severity, 'error');
});
