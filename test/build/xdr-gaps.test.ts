/**
 * Detections over logs that Defender XDR does not collect are unsupported on Sentinel and Defender
 * with one readable reason (which log, why, what to do), in the report and on the site.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSite } from '../../src/site/index.js';
import { shippedBuild } from './helpers.js';

test('shipped detections without a Defender XDR table say which log XDR lacks, not a converter option', () => {
  const b = shippedBuild();
  const gaps = b.catalogue.detections.filter((d) => d.targets.sentinel?.status === 'unsupported');
  assert.ok(gaps.length > 0, 'the shipped library has detections over PowerShell, Security, System and firewall logs');
  for (const d of gaps) {
    for (const t of ['sentinel', 'defender'] as const) {
      const reason = d.targets[t]?.reason ?? [];
      assert.match(reason[0] ?? '', /^no Defender XDR table for log source [\w/]+: .+ deploy this detection on a target/, `${d.source} ${t}`);
      assert.ok(!reason.some((r) => r.includes('query_table') || r.includes('-p "')), `${d.source} ${t}: ${reason.join('; ')}`);
    }
  }
  const ps = gaps.find((d) => d.logsource.category === 'ps_script');
  assert.match(ps?.targets.sentinel?.reason[0] ?? '', /script block logging .*event 4104/);
  // A correlation's reason is its base rule's missing table, not the consequence (a missing base rule).
  const corr = gaps.find((d) => d.kind === 'correlation');
  assert.ok(corr, 'a correlation over firewall logs is among them');
  assert.ok(!corr.targets.sentinel?.reason.some((r) => r.startsWith('correlation refers to rule')));
  const text = readFileSync(join(b.out, 'build-report.txt'), 'utf8');
  assert.match(text, /sentinel: unsupported: no Defender XDR table for log source windows\/security: the Windows Security event log/);
  const site = renderSite(b.catalogue);
  const page = site.get(`detections/${b.catalogue.detections.find((d) => d === ps)?.slug ?? ''}.html`) ?? '';
  assert.match(page, /<li>no Defender XDR table for log source windows\/ps_script: PowerShell script block logging/);
});
