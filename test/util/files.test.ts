import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { walkFiles } from '../../src/util/files.js';

// Names chosen so that folder order and full-path order differ ('-' sorts before '/').
const root = mkdtempSync(join(tmpdir(), 'tripline-walk-'));
for (const f of ['a/x.yml', 'a-b/y.YAML', 'a/b/z.yml', 'a/b-c.yml', 'a/n.txt', 'c.yml', 'a/b/d/e.yaml']) {
  mkdirSync(join(root, f, '..'), { recursive: true });
  writeFileSync(join(root, f), 'x: 1\n');
}

test('walkFiles: paths as path.join writes them, sorted as full paths', () => {
  const expected = ['a-b/y.YAML', 'a/b-c.yml', 'a/b/d/e.yaml', 'a/b/z.yml', 'a/x.yml', 'c.yml'];
  const r = walkFiles([root], ['.yml', '.yaml']);
  assert.deepEqual(
    r.files,
    expected.map((f) => join(root, f)),
  );
  assert.deepEqual(r.missing, []);
  for (const given of [`${root}/`, `${root}//./`, `${root}/a/..`]) {
    assert.deepEqual(walkFiles([given], ['.yml', '.yaml']).files, r.files, given);
  }
  const rel = relative(process.cwd(), root);
  assert.deepEqual(
    walkFiles([`./${rel}/`], ['.yml']).files,
    ['a/b-c.yml', 'a/b/z.yml', 'a/x.yml', 'c.yml'].map((f) => join(rel, f)),
  );
});

test('walkFiles: files named explicitly are kept as given, whatever their extension; missing paths listed', () => {
  const txt = `${root}//a/n.txt`;
  const r = walkFiles([join(root, 'a-b'), txt, join(root, 'nope')], ['.yml']);
  assert.deepEqual(r.files, [txt]);
  assert.deepEqual(r.missing, [join(root, 'nope')]);
});
