/**
 * Sumo Logic Cloud SIEM target: rule JSON and expressions replayed against the reference backend's
 * vectors and SigmaHQ corpus outputs (without the reference's heuristic mapping-confidence block),
 * and the Cloud SIEM expression syntax checker over every emitted expression.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SumoLogicBackend,
  sumologicCsePipeline,
  sumologicTransformations,
} from '../../src/backends/sumologic/index.js';
import { expandCidr6 } from '../../src/backends/sumologic/backend.js';
import { convertText, loadPipelines, sharedAvailable } from './support/local-convert.js';
import { checkCse } from './support/query-grammars.js';
import { corpusRun, normalizeSumo, runVectorFile, sumologicConverter } from './support/target-runs.js';

const ctx = { transformations: sumologicTransformations };
const RULE = `title: Suspicious Thing
id: 11111111-2222-3333-4444-555555555555
status: test
description: Finds it
author: Me
level: high
tags:
    - attack.execution
    - attack.t1059.001
logsource:
    category: process_creation
    product: windows
detection:
    sel:
        Image|endswith: '\\\\cmd.exe'
        CommandLine|contains: 'a.b'
    f:
        User: x
    condition: sel and not f
`;

function expressions(out: readonly string[]): string[] {
  return out.flatMap((o) =>
    (JSON.parse(o) as { rules: { expression: string }[] }).rules.map((r) => r.expression),
  );
}

test('sumologic: rule JSON with CSE expression, entities, score, ATT&CK tags and category', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const r = convertText(RULE, b, ps, {}, ctx);
  assert.ok(r.queries, r.error);
  const [out] = b.finalizeOutput(r.queries, { format: 'default' });
  const rule = (JSON.parse(out!) as { rules: Record<string, unknown>[] }).rules[0]!;
  assert.equal(
    rule['expression'],
    'baseImage matches /.*\\\\cmd\\.exe/ AND commandLine matches /.*a\\.b.*/ AND !user_username="x"',
  );
  assert.equal(rule['is_prototype'], true);
  assert.deepEqual(rule['tags'], ['_mitreAttackTactic:TA0002', '_mitreAttackTechnique:T1059.001']);
  assert.equal(rule['category'], 'Execution');
  assert.deepEqual(rule['score_mapping'], { default: 6, type: 'constant', field: null, mapping: [] });
  assert.deepEqual(
    (rule['entity_selectors'] as { entity_type: string }[]).map((e) => e.entity_type),
    ['_hostname', '_username', '_process'],
  );
  assert.deepEqual(rule['conversion_metadata'], {
    sigma_uid: '11111111-2222-3333-4444-555555555555',
    sigma_rule_commit: null,
    sigma_status: 'test',
  });
});

test('sumologic: output is deterministic unless a conversion timestamp is asked for', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const a = convertText(RULE, b, ps, {}, ctx).queries;
  const c = convertText(RULE, b, ps, {}, ctx).queries;
  assert.deepEqual(a, c);
  const t =
    convertText(RULE, b, ps, { options: { include_conversion_timestamp: 'true' } }, ctx).queries?.[0] ?? '';
  assert.match(t, /"conversion_timestamp": "\d{4}-\d\d-\d\dT/);
});

test('sumologic: Windows EventIDs get the channel prefix and vendor fields fields[] syntax', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const r = convertText(
    'title: t\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: [4624, 4625]\n        TicketOptions: x\n    condition: sel\n',
    b,
    ps,
    {},
    ctx,
  );
  assert.deepEqual(expressions(b.finalizeOutput(r.queries ?? [], { format: 'default' })), [
    'metadata_vendor="Microsoft" AND metadata_product="Windows" AND (metadata_deviceEventId in ("Security-4624", "Security-4625")) AND fields[\'EventData.TicketOptions\']="x"',
  ]);
});

test('sumologic: keywords and free-text Data values are reported, not dropped', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const kw = convertText(
    'title: t\nlogsource:\n    product: linux\ndetection:\n    k:\n        - evil\n    condition: k\n',
    b,
    ps,
    {},
    ctx,
  );
  assert.match(kw.error ?? '', /TL5001/);
  const data = convertText(
    "title: t\nlogsource:\n    product: windows\n    service: application\ndetection:\n    s:\n        Data|contains: 'Net.WebClient'\n    condition: s\n",
    b,
    ps,
    {},
    ctx,
  );
  assert.match(data.error ?? '', /Data/);
});

test('sumologic: IPv6 networks expand at hex-digit boundaries', () => {
  assert.deepEqual(expandCidr6('::1/128'), ['::1']);
  assert.deepEqual(expandCidr6('fe80::/10'), ['fe8*', 'fe9*', 'fea*', 'feb*']);
  assert.deepEqual(expandCidr6('2620:83:8000::/48'), ['2620:83:8000:*']);
  assert.deepEqual(expandCidr6('fc00::/7'), ['fc*', 'fd*']);
});

test('sumologic: syntax checker rejects malformed expressions', () => {
  assert.notDeepEqual(checkCse('a="x" AND'), []);
  assert.notDeepEqual(checkCse('a matches /x(/'), []);
  assert.notDeepEqual(checkCse('fields[\'a="x"'), []);
  assert.notDeepEqual(checkCse('a in ("x" "y")'), []);
  assert.deepEqual(checkCse('!(a="x" OR b matches /.*y.*/) AND c in ("1", 2) AND !isEmpty(d) AND e>=5'), []);
});

test('sumologic: reference vectors ≥ 95 % identical (mapping confidence aside)', (t) => {
  if (!sharedAvailable) return t.skip('../shared not found');
  const st = runVectorFile('sumologic.jsonl', sumologicConverter(), normalizeSumo);
  const pct = (100 * st.same) / st.total;
  t.diagnostic(
    `sumologic vectors: ${st.same}/${st.total} (${pct.toFixed(1)} %); differ: ${st.differs.join(', ')}`,
  );
  assert.ok(pct >= 95);
});

test('sumologic: SigmaHQ corpus ≥ 95 % identical (mapping confidence aside), expressions well-formed', (t) => {
  if (!sharedAvailable) return t.skip('../shared not found');
  const st = corpusRun('sumologic.jsonl', sumologicConverter(), normalizeSumo);
  const pct = (100 * st.same) / st.refOk;
  t.diagnostic(
    `sumologic corpus: ${st.same}/${st.refOk} identical (${pct.toFixed(1)} %); ours converts ${st.oursOk}/${st.total}, ${st.extra} the reference rejects`,
  );
  assert.equal(st.crashes.length, 0, st.crashes[0]?.error);
  assert.ok(pct >= 95);
  const problems = expressions(st.queries).flatMap((e) => checkCse(e).map((p) => `${p}: ${e.slice(0, 200)}`));
  t.diagnostic(`syntax check: ${problems.length} problems`);
  assert.deepEqual(problems.slice(0, 5), []);
});
