import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/cli.js';
import { repoRoot } from '../helpers/shared.js';

interface TestJson {
  tests: number;
  passed: number;
  failed: number;
  results: {
    detection: string;
    test: string;
    pass: boolean;
    failures: { reason: string; message: string }[];
  }[];
}

test('tripline test content/: every test of the shipped library passes (exit 0)', async () => {
  const c = capture();
  const code = await main(['test', '--format', 'json', join(repoRoot, 'content')], c.io);
  const out = JSON.parse(c.out()) as TestJson;
  assert.deepEqual(
    out.results.filter((r) => !r.pass).map((r) => `${r.detection} ${r.test}: ${JSON.stringify(r.failures)}`),
    [],
  );
  assert.equal(code, 0);
  assert.ok(out.tests >= 2 * 37);
});

test('tripline test: a wrong expectation fails with the reason (match count, enrichment flag), exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-content-'));
  cpSync(join(repoRoot, 'content'), dir, { recursive: true });
  // Flip one expected match count and one expected enrichment flag in the flagship detection.
  const flagship = join(dir, 'detections/collection/t1119-automated-collection-sensitive-files.yml');
  let text = readFileSync(flagship, 'utf8');
  const before = text;
  text = text.replace(/RecursiveSearch: true/, 'RecursiveSearch: false');
  assert.notEqual(text, before, 'fixture changed: update the test');
  writeFileSync(flagship, text);
  const c = capture();
  const code = await main(['test', '--format', 'json', dir], c.io);
  assert.equal(code, 1);
  const out = JSON.parse(c.out()) as TestJson;
  const failed = out.results.filter((r) => !r.pass);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.failures[0]!.reason, 'enrichment');
  assert.match(failed[0]!.failures[0]!.message, /RecursiveSearch is true, expected false/);
  const text2 = capture();
  assert.equal(await main(['test', dir], text2.io), 1);
  assert.match(text2.out(), /FAIL .*\n\s+- hit 1 .*RecursiveSearch/);
});
