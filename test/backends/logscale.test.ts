/**
 * LogScale (CQL) target: the reference backend's vectors and SigmaHQ corpus outputs replayed through
 * the Falcon pipeline and our printer, correlations, and the CQL syntax checker over every query.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LogScaleBackend,
  crowdstrikeFalconPipeline,
  crowdstrikeFdrPipeline,
} from '../../src/backends/logscale/index.js';
import type { ConvertedRule } from '../../src/backends/text/backend.js';
import { lowerCorrelation, lowerRule } from '../../src/ir/lower.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { convertText, loadPipelines, sharedAvailable } from './support/local-convert.js';
import { checkLogscale } from './support/query-grammars.js';
import { corpusRun, logscaleConverter, runVectorFile } from './support/target-runs.js';

const rule = (detection: string, logsource = 'category: process_creation\n    product: windows'): string =>
  `title: t\nlogsource:\n    ${logsource}\ndetection:\n${detection}`;

test('logscale: plain strings become anchored case-insensitive regexes', () => {
  const b = new LogScaleBackend();
  const r = convertText(
    rule(
      "    sel:\n        a: 'x.exe'\n        b|contains: 'y'\n        c|startswith: 'z'\n    condition: sel",
    ),
    b,
    [],
  );
  assert.deepEqual(r.queries, ['a=/^x\\.exe$/i b=/y/i c=/^z/i']);
});

test('logscale: OR binds tighter than the implicit AND, NOT of a group keeps parentheses', () => {
  const b = new LogScaleBackend();
  const r = convertText(
    rule('    sel:\n        a: [1, 2]\n    f:\n        b: x\n        c: y\n    condition: sel and not f'),
    b,
    [],
  );
  assert.deepEqual(r.queries, ['a=1 or a=2 not (b=/^x$/i c=/^y$/i)']);
});

test('logscale: CIDR is a cidr() stage after the filter; under OR it is reported, not dropped', () => {
  const b = new LogScaleBackend();
  const ok = convertText(
    rule('    sel:\n        ip|cidr: 10.0.0.0/8\n        a: x\n    condition: sel'),
    b,
    [],
  );
  assert.deepEqual(ok.queries, ['a=/^x$/i| cidr(ip, subnet=10.0.0.0/8)']);
  const bad = convertText(
    rule('    sel:\n        ip|cidr: 10.0.0.0/8\n    s2:\n        a: x\n    condition: sel or s2'),
    b,
    [],
  );
  assert.match(bad.error ?? '', /TL5001/);
});

test('logscale: Falcon pipeline adds event types and fails on fields Falcon lacks', () => {
  const b = new LogScaleBackend();
  const falcon = loadPipelines([crowdstrikeFalconPipeline]);
  const r = convertText(
    rule("    sel:\n        ParentImage|endswith: '\\\\winword.exe'\n    condition: sel"),
    b,
    falcon,
  );
  assert.deepEqual(r.queries, [
    'event_platform=/^Win$/i #event_simpleName=/^ProcessRollup2$/i or #event_simpleName=/^SyntheticProcessRollup2$/i ParentBaseFileName=/^winword\\.exe$/i',
  ]);
  const fail = convertText(rule('    sel:\n        ParentCommandLine: x\n    condition: sel'), b, falcon);
  assert.match(fail.error ?? '', /does not support the ParentCommandLine field/);
});

test('logscale: FDR pipeline maps process fields with plain event_simpleName', () => {
  const b = new LogScaleBackend();
  const fdr = loadPipelines([crowdstrikeFdrPipeline]);
  const r = convertText(rule("    sel:\n        Image|endswith: '\\\\cmd.exe'\n    condition: sel"), b, fdr);
  assert.deepEqual(r.queries, [
    'event_simpleName=/^ProcessRollup2$/i or event_simpleName=/^SyntheticProcessRollup2$/i ImageFileName=/\\\\cmd\\.exe$/i',
  ]);
});

function correlate(text: string): string[] {
  const b = new LogScaleBackend();
  const parsed = parseSigmaText(text, 'c.yml');
  const rules: ConvertedRule[] = [];
  let out: string[] = [];
  for (const d of parsed.file.documents) {
    if (d.kind === 'Rule') {
      const low = lowerRule(d);
      assert.ok(low.ok);
      const r = b.convertRule(low.value, { format: 'default' });
      assert.ok(r.ok);
      rules.push({ rule: low.value, queries: r.value.raw });
    } else if (d.kind === 'Correlation') {
      const c = lowerCorrelation(d);
      assert.ok(c.ok);
      const r = b.convertCorrelation(c.value, rules, { format: 'default' });
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      out = r.value;
    }
  }
  return out;
}

const BASE =
  'title: Base\nname: base\nlogsource:\n    category: test\ndetection:\n    sel:\n        a: v\n    condition: sel\n---\n';

test('logscale: event_count and value_count correlations use bucket() and test()', () => {
  assert.deepEqual(
    correlate(
      `${BASE}title: C\ncorrelation:\n    type: event_count\n    rules: [base]\n    group-by: [host]\n    timespan: 15m\n    condition:\n        gte: 10\n`,
    ),
    [
      'a=/^v$/i\n| bucket(span=15m, limit=max, field=[host], function=count(as=event_count))\n| test(event_count >= 10)',
    ],
  );
  assert.deepEqual(
    correlate(
      `${BASE}title: C\ncorrelation:\n    type: value_count\n    rules: [base]\n    group-by: [host]\n    timespan: 2M\n    condition:\n        lt: 3\n        field: user name\n`,
    ),
    [
      'a=/^v$/i\n| bucket(span=2mon, limit=max, field=[host], function=count(field="user name", distinct=true, as=value_count))\n| test(value_count < 3)',
    ],
  );
});

test('logscale: temporal correlations tag events in case {} and count distinct tags', () => {
  const two = `${BASE}title: B2\nname: b2\nlogsource:\n    category: test\ndetection:\n    sel:\n        b: w\n    condition: sel\n---\n`;
  const q = correlate(
    `${two}title: T\ncorrelation:\n    type: temporal\n    rules: [base, b2]\n    group-by: [host]\n    timespan: 5m\n`,
  );
  assert.deepEqual(q, [
    'case {\na=/^v$/i | event_type := "base";\nb=/^w$/i | event_type := "b2"\n}\n| bucket(span=5m, limit=max, field=[host], function=count(field=event_type, distinct=true, as=event_type_count))\n| test(event_type_count >= 2)',
  ]);
  assert.deepEqual(checkLogscale(q[0]!), []);
});

test('logscale: syntax checker rejects malformed CQL', () => {
  assert.notDeepEqual(checkLogscale('a=/^x$/i or'), []);
  assert.notDeepEqual(checkLogscale('a=/(x/i'), []);
  assert.notDeepEqual(checkLogscale('a=/x/q'), []);
  assert.notDeepEqual(checkLogscale('a=/x/ | cidr(a, subnet=1.2.3.4/8, mask=1)'), []);
  assert.notDeepEqual(checkLogscale('frobnicate(a)'), []);
  assert.deepEqual(checkLogscale('"field name"=/^v$/i not (b=1 or c!=*)'), []);
});

test('logscale: reference vectors ≥ 95 % byte-identical', (t) => {
  if (!sharedAvailable) return t.skip('../shared not found');
  const st = runVectorFile('logscale.jsonl', logscaleConverter());
  const pct = (100 * st.same) / st.total;
  t.diagnostic(
    `logscale vectors: ${st.same}/${st.total} (${pct.toFixed(1)} %); differ: ${st.differs.join(', ')}`,
  );
  assert.ok(pct >= 95);
});

test('logscale: SigmaHQ corpus ≥ 95 % byte-identical, no crash, every query well-formed', (t) => {
  if (!sharedAvailable) return t.skip('../shared not found');
  const st = corpusRun('logscale.jsonl', logscaleConverter());
  const pct = (100 * st.same) / st.refOk;
  t.diagnostic(
    `logscale corpus: ${st.same}/${st.refOk} identical (${pct.toFixed(1)} %); ours converts ${st.oursOk}/${st.total}, ${st.extra} the reference rejects`,
  );
  assert.equal(st.crashes.length, 0, st.crashes[0]?.error);
  assert.ok(pct >= 95);
  const bad = st.queries.flatMap((q) => checkLogscale(q).map((e) => `${e}: ${q.slice(0, 200)}`));
  t.diagnostic(`syntax check: ${st.queries.length} queries, ${bad.length} problems`);
  assert.deepEqual(bad.slice(0, 5), []);
});
