/**
 * The reference backends over the SigmaHQ corpus (../shared/conformance/corpus/<target>.jsonl):
 * where the reference converts a rule we must produce the same bytes (≥ 95 %), nothing may crash,
 * and rules the reference rejects but we convert are listed as improvements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCorpus, sharedAvailable, targetMap } from './harness.js';

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
