/**
 * The reference backends over the SigmaHQ corpus (../shared/conformance/corpus/<target>.jsonl):
 * where the reference converts a rule we must produce the same bytes (≥ 95 %), nothing may crash,
 * and rules the reference rejects but we convert are listed as improvements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { Converter } from '../../src/backends/convert.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { walkFiles } from '../../src/util/files.js';
import { runCorpus, sharedAvailable, sharedDir, targetMap } from './harness.js';

for (const ref of Object.keys(targetMap)) {
  test(`corpus conformance: ${ref}`, (t) => {
    if (!sharedAvailable) {
      t.skip('../shared not found');
      return;
    }
    // runCorpus throws only on a crash (an internal error); user-facing failures are diagnostics.
    const outcomes = runCorpus(ref);
    const converted = outcomes.filter((o) => o.refOk);
    const identical = converted.filter((o) => o.identical).length;
    const pct = (100 * identical) / converted.length;
    t.diagnostic(
      `${ref}: ${identical}/${converted.length} byte-identical where the reference converts (${pct.toFixed(2)} %)`,
    );
    for (const o of converted)
      if (!o.identical) t.diagnostic(`differs: ${o.path}${o.error ? ` — ${o.error}` : ''}`);
    for (const o of outcomes) if (!o.refOk && o.ours) t.diagnostic(`improvement: ${o.path}`);
    for (const o of outcomes)
      if (!o.refOk && !o.ours) t.diagnostic(`rejected by both: ${o.path} — ${o.error ?? ''}`);
    assert.ok(pct >= 95, `${ref}: ${pct.toFixed(2)} % byte-identical, need ≥ 95 %`);
  });
}

test('no crash on any file of the SigmaHQ corpus, deprecated and unsupported rules included', (t) => {
  if (!sharedAvailable) {
    t.skip('../shared not found');
    return;
  }
  const files = walkFiles([resolve(sharedDir, 'corpus/sigmahq')], ['.yml', '.yaml']).files.filter(
    (f) => !f.includes(`${sep}regression_data${sep}`),
  );
  for (const target of new Set(Object.values(targetMap).map((m) => m.target))) {
    const c = Converter.create({ target });
    assert.ok(c.ok);
    let converted = 0;
    for (const f of files) {
      // A thrown exception is a crash and fails the test; failures must be diagnostics.
      const run = c.value.convertFiles([parseSigmaText(readFileSync(f, 'utf8'), f).file]);
      converted += run.docs.filter((d) => d.output !== undefined).length;
    }
    t.diagnostic(`${target}: ${converted} documents converted from ${files.length} files`);
    // How many convert depends on the target's log sources; what must hold is that none crashed.
    assert.ok(converted > 0, `${target}: nothing converted`);
  }
});
