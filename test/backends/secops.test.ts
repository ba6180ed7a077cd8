/**
 * Google SecOps target: UDM search and YARA-L 2.0 output replayed against the reference backend's
 * vectors and SigmaHQ corpus outputs, multi-event correlations, and the UDM / YARA-L syntax checker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecOpsBackend, secopsTransformations, secopsUdmPipeline } from '../../src/backends/secops/index.js';
import type { ConvertedRule } from '../../src/backends/text/backend.js';
import { lowerCorrelation, lowerRule } from '../../src/ir/lower.js';
import { applyPipelines } from '../../src/pipeline/index.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { convertText, loadPipelines, sharedAvailable } from './support/local-convert.js';
import { checkUdm, checkYaraL } from './support/query-grammars.js';
import { corpusRun, runVectorFile, secopsConverter } from './support/target-runs.js';

const ctx = { transformations: secopsTransformations };
const rule = (detection: string, logsource = 'category: process_creation\n    product: windows'): string =>
  `title: My Rule\nid: 11111111-2222-3333-4444-555555555555\nlevel: high\nlogsource:\n    ${logsource}\ndetection:\n${detection}`;

test('secops: UDM fields per event type, lists as one nocase regex, negations as !=', () => {
  const b = new SecOpsBackend();
  const ps = loadPipelines([secopsUdmPipeline(false)], ctx);
  const r = convertText(
    rule(
      "    sel:\n        Image|endswith: ['\\\\a.exe', '\\\\b.exe']\n    f:\n        CommandLine: x\n    condition: sel and not f",
    ),
    b,
    ps,
    {},
    ctx,
  );
  assert.deepEqual(r.queries, [
    'target.process.file.full_path = /\\\\a\\.exe|\\\\b\\.exe/ nocase AND target.process.command_line != "x" nocase',
  ]);
});

test('secops: metadata.event_type is prepended; an unknown field fails with the pipeline diagnostic', () => {
  const b = new SecOpsBackend();
  const ps = loadPipelines([secopsUdmPipeline(true)], ctx);
  const r = convertText(rule('    sel:\n        CommandLine: x\n    condition: sel'), b, ps, {}, ctx);
  assert.deepEqual(r.queries, [
    '(metadata.event_type = "PROCESS_LAUNCH") AND (target.process.command_line = "x" nocase)',
  ]);
  const bad = convertText(rule('    sel:\n        FooBar: x\n    condition: sel'), b, ps, {}, ctx);
  assert.match(bad.error ?? '', /FooBar is not a valid UDM field/);
});

test('secops: yara_l wraps the events in a complete rule that passes the YARA-L checker', () => {
  const b = new SecOpsBackend();
  const ps = loadPipelines([secopsUdmPipeline(true)], ctx);
  const r = convertText(
    rule('    sel:\n        CommandLine|contains: x\n    condition: sel'),
    b,
    ps,
    { format: 'yara_l' },
    ctx,
  );
  const q = r.queries?.[0] ?? '';
  assert.match(q, /^\nrule my_rule \{\n {2}meta:\n {4}id = "11111111-2222-3333-4444-555555555555"/);
  assert.match(
    q,
    /\$event1\.metadata\.event_type = "PROCESS_LAUNCH"\n {4}\$event1\.target\.process\.command_line = \/x\/ nocase/,
  );
  assert.deepEqual(checkYaraL(q), []);
});

test('secops: correlations become multi-event YARA-L rules with match over the window', () => {
  const b = new SecOpsBackend();
  const ps = loadPipelines([secopsUdmPipeline(false)], ctx);
  const text =
    rule('    sel:\n        CommandLine: a\n    condition: sel').replace(
      'title: My Rule',
      'title: Base\nname: base',
    ) +
    '\n---\ntitle: Many\nid: 99999999-2222-3333-4444-555555555555\ncorrelation:\n    type: event_count\n    rules: [base]\n    group-by: [User]\n    timespan: 10m\n    condition:\n        gte: 5\n';
  const parsed = parseSigmaText(text, 'c.yml');
  const rules: ConvertedRule[] = [];
  let out: string[] = [];
  let udmOk = true;
  for (const d of parsed.file.documents) {
    if (d.kind === 'Rule') {
      const low = lowerRule(d);
      assert.ok(low.ok);
      const a = applyPipelines(low.value, ps, ctx);
      assert.ok(a.ok);
      rules.push({ rule: a.value.rule, queries: [] });
    } else if (d.kind === 'Correlation') {
      const c = lowerCorrelation(d);
      assert.ok(c.ok);
      const r = b.convertCorrelation(c.value, rules, { format: 'yara_l' });
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      out = r.value;
      udmOk = b.convertCorrelation(c.value, rules, { format: 'default' }).ok;
    }
  }
  assert.equal(
    out[0],
    'rule many {\n  meta:\n    id = "99999999-2222-3333-4444-555555555555"\n    title = "Many"\n    severity = "None"\n\n' +
      '  events:\n    $e1.target.process.command_line = "a" nocase\n    $User = $e1.target.user.userid\n\n' +
      '  match:\n    $User over 10m\n\n  condition:\n    #e1 >= 5\n}\n',
  );
  assert.deepEqual(checkYaraL(out[0]), []);
  // UDM search has no multi-event form: the correlation is reported as unsupported there.
  assert.equal(udmOk, false);
});

test('secops: syntax checker rejects malformed UDM', () => {
  assert.notDeepEqual(checkUdm('a = "x" AND'), []);
  assert.notDeepEqual(checkUdm('a = /x(/ nocase'), []);
  assert.notDeepEqual(checkUdm('() AND (a = "x")'), []);
  assert.notDeepEqual(checkUdm('a = x.*y nocase'), []);
  assert.notDeepEqual(checkUdm('net.ip_in_range_cidr(a)'), []);
  assert.deepEqual(
    checkUdm('(a = "x" nocase OR b != /y/ nocase) AND net.ip_in_range_cidr(principal.ip, "10.0.0.0/8")'),
    [],
  );
});

test('secops: reference vectors ≥ 95 % byte-identical', (t) => {
  if (!sharedAvailable) return t.skip('../shared not found');
  const st = runVectorFile('secops-yaral.jsonl', secopsConverter());
  const pct = (100 * st.same) / st.total;
  t.diagnostic(
    `secops vectors: ${st.same}/${st.total} (${pct.toFixed(1)} %); differ: ${st.differs.join(', ')}`,
  );
  assert.ok(pct >= 95);
});

const check = (format: string, q: string): string[] => (format === 'yara_l' ? checkYaraL(q) : checkUdm(q));

for (const [file, format] of [
  ['secops-udm.jsonl', 'default'],
  ['secops-yaral.jsonl', 'yara_l'],
] as const) {
  test(`secops: SigmaHQ corpus (${format}) ≥ 95 % byte-identical, no crash`, (t) => {
    if (!sharedAvailable) return t.skip('../shared not found');
    const st = corpusRun(file, secopsConverter(format));
    const pct = (100 * st.same) / st.refOk;
    t.diagnostic(
      `${file}: ${st.same}/${st.refOk} identical (${pct.toFixed(1)} %); ours converts ${st.oursOk}/${st.total} (reference ${st.refOk}), ${st.extra} the reference rejects`,
    );
    assert.equal(st.crashes.length, 0, st.crashes[0]?.error);
    assert.ok(pct >= 95);
    // Reference-compatible output keeps the reference's syntax defects (docs/targets/secops.md).
    const bad = st.queries.filter((q) => check(format, q).length > 0).length;
    t.diagnostic(
      `syntax check (reference-compatible mode): ${bad}/${st.queries.length} queries with problems`,
    );
  });

  test(`secops: with strict_syntax every corpus query (${format}) passes the syntax checker`, (t) => {
    if (!sharedAvailable) return t.skip('../shared not found');
    const st = corpusRun(file, secopsConverter(format, true));
    assert.equal(st.crashes.length, 0, st.crashes[0]?.error);
    const problems = st.queries.flatMap((q) => check(format, q).map((e) => `${e}: ${q.slice(0, 200)}`));
    t.diagnostic(
      `strict ${format}: ${st.queries.length} queries, ${problems.length} problems, ${st.same}/${st.refOk} still identical`,
    );
    assert.deepEqual(problems.slice(0, 5), []);
  });
}
