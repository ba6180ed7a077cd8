/**
 * The reference backends' own test vectors (../shared/conformance/vectors/<target>.jsonl), replayed
 * through `tripline convert`. Reports the byte-identical share per target and holds implemented
 * targets to ≥ 95 %. A target joins by adding itself to targetMap in ./harness.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runVectors, sharedAvailable, sharedDir, targetMap } from './harness.js';

/** Known, deliberate differences (see docs/targets/<target>.md), listed so they stay visible. */
const knownDifferences: Record<string, string> = {
  'splunk/test_backend_splunk.py::test_splunk_exists':
    'the rule writes `exists: yes`; our YAML 1.2 reader takes `yes` as a string, not a boolean',
  'splunk/test_backend_splunk_correlations.py::test_temporal_extended_correlation_rule_stats_query':
    'temporal correlations with a boolean condition over rules are not in our correlation model yet',
};

for (const ref of Object.keys(targetMap)) {
  test(`conformance vectors: ${ref}`, (t) => {
    if (!sharedAvailable) {
      t.skip('../shared not found');
      return;
    }
    // Some reference targets have corpus outputs only (e.g. qradar-aql-fields, another pipeline).
    if (!existsSync(resolve(sharedDir, 'conformance/vectors', `${ref}.jsonl`))) {
      t.skip(`no reference vectors for ${ref}`);
      return;
    }
    const { outcomes, skipped } = runVectors(ref);
    const identical = outcomes.filter((o) => o.identical).length;
    const pct = (100 * identical) / outcomes.length;
    t.diagnostic(
      `${ref}: ${identical}/${outcomes.length} byte-identical (${pct.toFixed(1)} %), ${skipped} not replayable`,
    );
    for (const o of outcomes) {
      if (!o.identical)
        t.diagnostic(
          `differs: ${o.id}${knownDifferences[o.id] ? ` (known: ${knownDifferences[o.id]})` : ''}`,
        );
    }
    assert.ok(pct >= 95, `${ref}: ${pct.toFixed(1)} % byte-identical, need ≥ 95 %`);
  });
}
