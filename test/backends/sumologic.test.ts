/**
 * Sumo Logic Cloud SIEM target: rule JSON and expressions replayed against the reference backend's
 * vectors and SigmaHQ corpus outputs (byte for byte, mapping-confidence block included; only the
 * reference's conversion timestamp is left out), and the Cloud SIEM expression syntax checker over
 * every emitted expression.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SumoLogicBackend,
  sumologicCsePipeline,
  sumologicTransformations,
} from '../../src/backends/sumologic/index.js';
import { expandCidr6 } from '../../src/backends/sumologic/backend.js';
import { pyRound3, scoreMapping } from '../../src/backends/sumologic/confidence.js';
import { PyJsonWriter, deepFreeze, indentedItems } from '../../src/backends/sumologic/pyjson.js';
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
  const meta = rule['conversion_metadata'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(meta), [
    'sigma_uid',
    'sigma_rule_commit',
    'sigma_status',
    'mapping_confidence',
  ]);
  assert.equal(meta['sigma_uid'], '11111111-2222-3333-4444-555555555555');
});

interface Confidence {
  overall_score: number;
  threshold_used: number;
  field_mappings: { sigma_field: string; cse_field: string; confidence: number }[];
  warnings: string[];
  blocked: boolean;
  has_vendor_mapping: boolean;
}

/** The block of a rule's JSON (one rule per query before finalizeOutput wraps them in `rules`). */
function confidenceOf(out: string): Confidence {
  const rule = JSON.parse(out) as { conversion_metadata: { mapping_confidence: Confidence } };
  return rule.conversion_metadata.mapping_confidence;
}

test('sumologic: mapping confidence scores every mapping of the used fields, as the reference lists them', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const out = convertText(RULE, b, ps, {}, ctx).queries?.[0] ?? '';
  const c = confidenceOf(out);
  // Every applied item's entries whose CSE field the rule uses, in pipeline order: an entry is
  // listed even when another item already renamed the field (Image twice, every *User* that lands
  // on user_username, ProcessName on baseImage).
  assert.deepEqual(
    c.field_mappings.map((m) => [m.sigma_field, m.cse_field, m.confidence]),
    [
      ['CommandLine', 'commandLine', 0.691],
      ['Image', 'baseImage', 0.694],
      ['User', 'user_username', 0.85],
      ['TargetUserName', 'user_username', 0.61],
      ['SubjectUserName', 'user_username', 0.61],
      ['Image', 'baseImage', 0.694],
      ['User', 'user_username', 0.85],
      ['User', 'user_username', 0.85],
      ['Username', 'user_username', 0.95],
      ['UserName', 'user_username', 0.708],
      ['SourceUser', 'user_username', 0.618],
      ['SubjectUserName', 'user_username', 0.61],
      ['ProcessName', 'baseImage', 0.737],
    ],
  );
  // Python floats: 1.0 and 0.25, never 1 or .25.
  assert.match(out, /"data_preservation": 1\.0,/);
  assert.match(out, /"threshold_used": 0\.25,/);
  assert.equal(c.blocked, false);
});

test('sumologic: the run output nests the rules texts as json.dumps does, from any backend instance', () => {
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const queries = convertText(RULE, new SumoLogicBackend(), ps, {}, ctx).queries ?? [];
  // As when worker threads convert and the main thread assembles.
  const [out] = new SumoLogicBackend().finalizeOutput([...queries, ...queries], { format: 'default' });
  const rules = (JSON.parse(out!) as { rules: unknown[] }).rules;
  assert.equal(rules.length, 2);
  assert.deepEqual(rules[0], JSON.parse(queries[0]!));
  assert.match(out!, /^\{\n {4}"rules": \[\n {8}\{\n {12}"content_type": "RULE",/);
  assert.match(out!, /\n {32}"data_preservation": 1\.0,\n/);
  assert.match(out!, /\n {8}\},\n {8}\{\n/);
  assert.match(out!, /\n {8}\}\n {4}\]\n\}$/);
});

test('sumologic: rules whose mean mapping confidence is below min_confidence are refused, not dropped', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  // A generic category with a field no mapping knows scores 0.
  const rule =
    "title: t\nlogsource:\n    category: proxy\ndetection:\n    sel:\n        cs-uri|contains: '/ipfs/'\n    condition: sel\n";
  const refused = convertText(rule, b, ps, {}, ctx);
  assert.match(refused.error ?? '', /TL5001 .*confidence 0\.000 is below the threshold 0\.250/);
  const allowed = convertText(rule, b, ps, { options: { min_confidence: '0' } }, ctx);
  assert.ok(allowed.queries, allowed.error);
  const c = confidenceOf(allowed.queries[0]!);
  assert.equal(c.overall_score, 0);
  assert.deepEqual(c.warnings, [
    "Field 'cs-uri' is not mapped to CSE schema and may not exist in Cloud SIEM logs",
  ]);
  const off = convertText(rule, b, ps, { options: { include_confidence_metadata: 'false' } }, ctx);
  assert.ok(off.queries, off.error);
  assert.doesNotMatch(off.queries[0]!, /mapping_confidence/);
});

test('sumologic: only fields of top-level selection maps are scored (lists of maps are not)', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  const rule =
    'title: t\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        - CommandLine: a\n        - Image: b\n    condition: sel\n';
  const r = convertText(rule, b, ps, {}, ctx);
  assert.ok(r.queries, r.error);
  const c = confidenceOf(r.queries[0]!);
  assert.deepEqual(c.field_mappings, []);
  assert.equal(c.overall_score, 1);
  assert.match(r.queries[0]!, /"overall_score": 1\.0,/);
});

test('sumologic: mapping scores follow the reference (known pairs, schema misses, rounding)', () => {
  assert.equal(scoreMapping('EventID', 'metadata_deviceEventId').confidence, 0.95);
  const status = scoreMapping('Status', 'action');
  assert.equal(status.confidence, 0.455);
  assert.deepEqual(status.factors, {
    semantic_similarity: 0,
    data_preservation: 1,
    type_compatibility: 0.4,
    field_specificity: 0.5,
  });
  // `application` is not a schema field (the schema has `Application`): flagged and penalized.
  assert.deepEqual(scoreMapping('LogonProcessName', 'application').warnings, [
    "CSE field 'application' not found in schema",
  ]);
  assert.match(scoreMapping('SourceIp', 'srcDevice_ip').warnings[0] ?? '', /enrichment-only/);
  // round(x, 3) ties go to the even digit, as in Python.
  assert.equal(pyRound3(0.0625), 0.062);
  assert.equal(pyRound3(0.6875), 0.688);
  assert.equal(pyRound3(0.69375), 0.694);
});

test('sumologic: the mean score is taken over the scores themselves (0.7735 rounds to 0.773)', () => {
  const b = new SumoLogicBackend();
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  // Scores 0.95, 0.689, 1.0 and 0.455: Python's mean is 0.7734999…, round(…, 3) = 0.773.
  const rule =
    "title: t\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: 'ConsoleLogin'\n        errorMessage: 'Failed authentication'\n    condition: selection\n";
  const r = convertText(rule, b, ps, {}, ctx);
  assert.ok(r.queries, r.error);
  const c = confidenceOf(r.queries[0]!);
  assert.deepEqual(
    c.field_mappings.map((m) => m.confidence),
    [0.95, 0.689, 1, 0.455],
  );
  assert.match(r.queries[0]!, /"overall_score": 0\.773,/);
});

test('sumologic: rule JSON is written as json.dumps(indent=4, ensure_ascii) writes it', () => {
  const w = new PyJsonWriter(new Set(['f']));
  const shared = deepFreeze({ f: 1, g: [1, 'x'] });
  const v = {
    s: 'é "q" \\ \n \u007f \u{1f600} \ud800',
    n: [1, 0.5, -0, 1e21],
    f: 1,
    nested: { f: 0, empty: [], none: {}, skip: undefined, nil: null, t: true },
    a: [shared, { in: shared }],
    b: shared,
  };
  const text = w.dumps(v);
  assert.equal(w.dumps(v), text);
  const viaStringify = JSON.stringify(v, null, 4).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // Python floats under the float keys only.
  assert.equal(text, viaStringify.replace(/"f": (\d+)(?=,?\n)/g, '"f": $1.0'));
  assert.match(text, /"s": "\\u00e9 \\"q\\" \\\\ \\n \\u007f \\ud83d\\ude00 \\ud800"/);
  assert.equal(new PyJsonWriter().dumps({ big: 1e21, x: 2 }), '{\n    "big": 1e+21,\n    "x": 2\n}');
});

test('sumologic: the run output indents the rules texts (ASCII or not) as json.dumps does', () => {
  const reference = (texts: string[], depth: number): string => {
    const pad = ' '.repeat(4 * (depth + 1));
    return texts.map((t) => pad + t.replaceAll('\n', '\n' + pad)).join(',\n');
  };
  const cases = [
    [],
    [''],
    ['{\n    "a": 1\n}', '[]', '\n\n', 'x\n'],
    ['{\n    "a": "é"\n}', '{}'],
    ['\n'.repeat(50) + 'y'.repeat(3000)],
  ];
  for (const texts of cases) {
    for (const depth of [0, 1, 3]) {
      assert.equal(indentedItems(texts, depth, '<', '>'), `<${reference(texts, depth)}>`);
    }
  }
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

test('sumologic: reference vectors ≥ 95 % byte-identical', (t) => {
  if (!sharedAvailable) return t.skip('../shared not found');
  const st = runVectorFile('sumologic.jsonl', sumologicConverter(), normalizeSumo);
  const pct = (100 * st.same) / st.total;
  t.diagnostic(
    `sumologic vectors: ${st.same}/${st.total} (${pct.toFixed(1)} %); differ: ${st.differs.join(', ')}`,
  );
  assert.ok(pct >= 95);
});

test('sumologic: SigmaHQ corpus ≥ 95 % byte-identical, expressions well-formed', (t) => {
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
