import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFiles } from '../../src/sigma/index.js';
import { readYamlFull } from '../../src/sigma/yaml-reader.js';
import { readYamlFast } from '../../src/sigma/yaml-fast.js';
import type { YNode } from '../../src/sigma/yaml-reader.js';
import { lowerRule } from '../../src/ir/index.js';
import { walkFiles } from '../../src/util/files.js';
import { corpusDir, hasShared, SKIP_SHARED } from '../helpers/shared.js';

const VALID_DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'];

test('SigmaHQ corpus: no error diagnostic on the valid rule folders, and every rule lowers to IR', (t) => {
  if (!hasShared) return t.skip(SKIP_SHARED);
  const { files } = walkFiles(
    VALID_DIRS.map((d) => join(corpusDir, d)),
    ['.yml', '.yaml'],
  );
  assert.ok(files.length > 3500, `only ${files.length} files`);
  const res = checkFiles(files);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.slice(0, 10).map((d) => `${d.file ?? ''}(${d.span?.line ?? 0}): ${d.code} ${d.message}`),
    [],
  );
  assert.equal(res.rules, files.length);
  let lowered = 0;
  for (const d of res.files.flatMap((f) => f.documents)) {
    if (d.kind !== 'Rule') continue;
    const r = lowerRule(d);
    assert.ok(r.ok, `${d.file}: ${JSON.stringify(r.diagnostics)}`);
    lowered++;
  }
  assert.equal(lowered, res.rules);
});

test('SigmaHQ corpus, every folder (deprecated, unsupported, regression info files…): no crash', (t) => {
  if (!hasShared) return t.skip(SKIP_SHARED);
  const { files } = walkFiles([corpusDir], ['.yml', '.yaml']);
  const res = checkFiles(files);
  assert.equal(res.files.length, files.length);
  for (const d of res.diagnostics) {
    assert.ok(d.file, 'every diagnostic names its file');
    assert.match(d.code, /^TL\d{4}$/);
  }
});

function norm(n: YNode | undefined): unknown {
  if (!n) return n;
  if (n.kind === 'scalar')
    return { v: n.value, span: n.span, q: n.quoted, p: n.plain, off: n.offset, raw: n.plain ? n.raw : '' };
  if (n.kind === 'seq') return { span: n.span, items: n.items.map(norm) };
  return { span: n.span, e: n.entries.map((e) => [e.key, e.keySpan, norm(e.value)]) };
}

test('fast YAML reader equals the full parser on every corpus file it accepts', (t) => {
  if (!hasShared) return t.skip(SKIP_SHARED);
  const { files } = walkFiles([corpusDir], ['.yml', '.yaml']);
  let accepted = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const fast = readYamlFast(text);
    if (!fast) continue;
    accepted++;
    const full = readYamlFull(text, f);
    assert.deepEqual(
      full.diagnostics.filter((d) => d.severity === 'error'),
      [],
      `fast reader accepted invalid ${f}`,
    );
    assert.deepEqual(
      fast.filter((d) => d.root).map((d) => norm(d.root)),
      full.docs.filter((d) => d.root).map((d) => norm(d.root)),
      f,
    );
  }
  // The fast path must actually carry the corpus; otherwise the speed claim is false.
  assert.ok(accepted > files.length * 0.95, `fast path took ${accepted}/${files.length}`);
});
