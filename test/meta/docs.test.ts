import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticsMarkdown } from '../../src/diagnostics/docs.js';
import { catalog } from '../../src/diagnostics/index.js';
import { repoRoot } from '../helpers/shared.js';

test('docs/diagnostics.md lists every code of the catalog (run npm run docs:diagnostics)', () => {
  const doc = readFileSync(join(repoRoot, 'docs/diagnostics.md'), 'utf8');
  assert.equal(doc, diagnosticsMarkdown());
});

test('codes are TLnnnn and live in the file of their phase', () => {
  for (const code of Object.keys(catalog)) assert.match(code, /^TL[1-9]\d{3}$/);
});

test('README names the two commands a newcomer runs', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /npm test/);
});
