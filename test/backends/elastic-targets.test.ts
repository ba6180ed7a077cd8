/**
 * Behaviour of the Elastic and QRadar targets through the public conversion API (what
 * `tripline convert -t …` prints): escaping, null handling, formats, correlations, pipelines and
 * the diagnostics for what a target cannot express.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupTactic, lookupTechnique } from '../../src/attack/index.js';
import { convertSigmaText } from '../../src/backends/convert.js';
import type { ConvertOptions } from '../../src/backends/convert.js';

const attack = {
  tacticId: (s: string) => lookupTactic(s)?.id,
  techniqueName: (id: string) => lookupTechnique(id)?.name,
};

function rule(
  detection: string,
  extra = '',
  logsource = 'category: test_category\n    product: test_product',
): string {
  return `title: Test\nid: 5f2b5a6e-1b1a-4f3e-9a4e-0c1d2e3f4a5b\nstatus: test\n${extra}logsource:\n    ${logsource}\ndetection:\n${detection}`;
}

function convert(text: string, o: Omit<ConvertOptions, 'target'> & { target: string }): string[] {
  const r = convertSigmaText(text, { withoutPipeline: o.pipelines === undefined, attack, ...o });
  if (!r.ok) assert.fail(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return Array.isArray(r.value) ? r.value : [r.value];
}

function codes(text: string, o: ConvertOptions): string[] {
  const r = convertSigmaText(text, o);
  assert.equal(r.ok, false, 'conversion should fail');
  return r.diagnostics.map((d) => d.code);
}

test('lucene: reserved characters, spaces and wildcards are escaped, the empty string is quoted', () => {
  const q = convert(
    rule(
      "    sel:\n        a: 'x y:(z)'\n        b: ''\n        c|endswith: '\\cmd.exe'\n    condition: sel\n",
    ),
    {
      target: 'elastic-lucene',
    },
  );
  assert.deepEqual(q, ['a:x\\ y\\:\\(z\\) AND b:"" AND c:*\\\\cmd.exe']);
});

test('lucene: null and not-null use _exists_, IPv6 networks escape their colons', () => {
  const q = convert(
    rule(
      "    sel:\n        a: null\n    f:\n        b: null\n    net:\n        ip|cidr: '::1/128'\n    condition: sel and not f and net\n",
    ),
    { target: 'elastic-lucene' },
  );
  assert.deepEqual(q, ['(NOT _exists_:a) AND _exists_:b AND ip:\\:\\:1\\/128']);
});

test('lucene: an already escaped slash in a regular expression stays one escape', () => {
  const q = convert(rule("    sel:\n        a|re: 'x\\/y/z'\n    condition: sel\n"), {
    target: 'elastic-lucene',
  });
  assert.deepEqual(q, ['a:/x\\/y\\/z/']);
});

test('eql: IP addresses and empty strings compare with ==, cased values with ==, nulls with ?field', () => {
  const q = convert(
    rule(
      "    sel:\n        ip: 10.1.2.3\n        e: ''\n        c|cased: 'CaSe'\n    f:\n        n: null\n    condition: sel and not f\n",
    ),
    { target: 'elastic-eql' },
  );
  assert.deepEqual(q, ['any where (ip=="10.1.2.3" and e=="" and c == "CaSe") and ?n != null']);
});

test('eql: regular expressions and literal wildcards are valid EQL strings', () => {
  const q = convert(rule("    sel:\n        a|re: '\\d+\\.exe'\n        b: 'x\\*y'\n    condition: sel\n"), {
    target: 'elastic-eql',
  });
  assert.deepEqual(q, ['any where a regex~ "\\\\d+\\\\.exe" and b:"x*y"']);
});

test('esql: index from the pipeline state, wildcard values as like with escaped literal stars', () => {
  const pipeline = JSON.stringify({
    name: 'idx',
    priority: 10,
    transformations: [{ id: 'i', type: 'set_state', key: 'index', val: ['logs-b-*', 'logs-a-*'] }],
  });
  const q = convert(rule("    sel:\n        a: 'x\\**'\n        b: 'y'\n    condition: sel\n"), {
    target: 'elastic-esql',
    pipelines: [{ file: 'p.yml', text: pipeline }],
  });
  assert.deepEqual(q, [
    'from logs-a-*,logs-b-* metadata _id, _index, _version | where starts_with(a, "x*") and b=="y"',
  ]);
  const q2 = convert(rule("    sel:\n        a: '*x\\*y*'\n    condition: sel\n"), {
    target: 'elastic-esql',
  });
  assert.deepEqual(q2, ['from * metadata _id, _index, _version | where a like "*x\\\\*y*"']);
});

test('esql: keywords cannot be expressed and say so', () => {
  const c = codes(rule('    keywords:\n        - evil\n    condition: keywords\n'), {
    target: 'elastic-esql',
    withoutPipeline: true,
  });
  assert.ok(c.includes('TL5001'));
});

test('siem_rule_ndjson: a Kibana Security rule with metadata, ATT&CK threat and the query', () => {
  const text = rule(
    '    sel:\n        a: b\n    condition: sel\n',
    'description: Finds b\nreferences:\n    - https://example.org\nfalsepositives:\n    - Admins\nlevel: high\ntags:\n    - attack.execution\n    - attack.t1059.001\n',
  );
  const [out] = convert(text, { target: 'elastic-lucene', format: 'siem_rule_ndjson' });
  const r = JSON.parse(out ?? '') as Record<string, unknown>;
  assert.equal(r['name'], 'SIGMA - Test');
  assert.equal(r['description'], 'Finds b');
  assert.equal(r['severity'], 'high');
  assert.equal(r['risk_score'], 73);
  assert.deepEqual(r['references'], ['https://example.org']);
  assert.deepEqual(r['false_positives'], ['Admins']);
  assert.equal(r['language'], 'lucene');
  assert.equal(r['query'], 'a:b');
  assert.ok(Array.isArray(r['index']));
  const threat = r['threat'] as {
    tactic: { id: string };
    technique: { id: string; subtechnique: { id: string }[] }[];
  }[];
  assert.equal(threat[0]?.tactic.id, 'TA0002');
  assert.equal(threat[0]?.technique[0]?.id, 'T1059');
  assert.equal(threat[0]?.technique[0]?.subtechnique[0]?.id, 'T1059.001');
});

test('kibana_ndjson: the saved search embeds the query in parseable searchSourceJSON', () => {
  const [out] = convert(rule('    sel:\n        a: b\n    condition: sel\n'), {
    target: 'elastic-lucene',
    format: 'kibana_ndjson',
  });
  const r = JSON.parse(out ?? '') as { attributes: { kibanaSavedObjectMeta: { searchSourceJSON: string } } };
  const src = JSON.parse(r.attributes.kibanaSavedObjectMeta.searchSourceJSON) as {
    query: { query_string: { query: string } };
  };
  assert.equal(src.query.query_string.query, 'a:b');
});

const base = (name: string, value: string): string =>
  `title: ${name}\nname: ${name}\nstatus: test\nlogsource:\n    category: test\ndetection:\n    sel:\n        a: ${value}\n    condition: sel\n`;

test('eql: temporal_ordered correlations become a sequence with maxspan', () => {
  const corr =
    'title: C\nstatus: test\ncorrelation:\n    type: temporal_ordered\n    rules:\n        - r1\n        - r2\n    group-by:\n        - host\n    timespan: 10m\n';
  const q = convert(`${base('r1', 'x')}---\n${base('r2', 'y')}---\n${corr}`, { target: 'elastic-eql' });
  assert.deepEqual(q, ['sequence by host with maxspan=10m \n [any where a:"x"] \n [any where a:"y"] ']);
});

test('esql: value_sum correlations aggregate with sum() per time bucket; temporal_ordered is refused', () => {
  const corr = (type: string): string =>
    `title: C\nstatus: test\ncorrelation:\n    type: ${type}\n    rules:\n        - r1\n    group-by:\n        - host\n    timespan: 1h\n    condition:\n        gt: 100\n        field: bytes\n`;
  const q = convert(`${base('r1', 'x')}---\n${corr('value_sum')}`, { target: 'elastic-esql' });
  assert.deepEqual(q, [
    'from * metadata _id, _index, _version | where a=="x"\n| eval timebucket=date_trunc(1hours, @timestamp) | stats value_sum=sum(bytes) by timebucket, host\n| where value_sum > 100',
  ]);
  const c = codes(
    `${base('r1', 'x')}---\n${base('r2', 'y')}---\n${corr('temporal_ordered').replace('        - r1\n', '        - r1\n        - r2\n')}`,
    {
      target: 'elastic-esql',
    },
  );
  assert.ok(c.includes('TL5001'));
});

test('qradar: devicetype from the log source, LIKE lower-cased, quotes doubled, IP prefixes as INCIDR', () => {
  const q = convert(
    rule(
      "    sel:\n        CommandLine|contains: 'Invoke-X'\n        ServiceName: \"it's\"\n        DestinationIp|startswith: '10.1.'\n    condition: sel\n",
      '',
      'product: windows\n    service: security',
    ),
    { target: 'qradar', pipelines: ['qradar_payload'] },
  );
  assert.deepEqual(q, [
    "SELECT * FROM events WHERE devicetype=12 AND LOWER(Command) LIKE '%invoke-x%' AND \"Service Name\"='it''s' AND INCIDR('10.1.0.0/16', destinationip)",
  ]);
});

test('qradar: unmapped fields are searched in the payload, or refused by qradar_fields', () => {
  const text = rule("    sel:\n        Unknown: 'Value'\n    condition: sel\n");
  assert.deepEqual(convert(text, { target: 'qradar', pipelines: ['qradar_payload'] }), [
    "SELECT * FROM events WHERE LOWER(UTF8(payload)) LIKE '%value%'",
  ]);
  assert.ok(codes(text, { target: 'qradar', pipelines: ['qradar_fields'] }).includes('TL5001'));
});

test('qradar: a rule that only names its log source has nothing to search and says so', () => {
  const text = rule(
    "    sel:\n        eventSource: 'WindowsAuthServer'\n    condition: sel\n",
    '',
    'category: test_category',
  );
  assert.ok(codes(text, { target: 'qradar', pipelines: ['qradar_payload'] }).includes('TL5001'));
});

test('every Elastic and QRadar target writes multi-line output with --pretty', () => {
  const text = rule(
    '    a:\n        x: 1\n    b:\n        y: 2\n    c:\n        z: 3\n    condition: a and (b or c)\n',
  );
  for (const target of ['elastic-lucene', 'elastic-eql', 'elastic-esql', 'qradar']) {
    const [q] = convert(text, { target, pretty: true });
    assert.ok(q?.includes('\n'), `${target}: ${q ?? ''}`);
  }
});
