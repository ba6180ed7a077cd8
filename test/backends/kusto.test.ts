/**
 * The kusto target as a user sees it: KQL for Sigma rules through the three pipelines, errors for
 * rules no table fits, correlations, --pretty; every query checked with Microsoft's Kusto parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KustoConvertOptions } from '../../src/backends/kusto/driver.js';
import { convertSigmaText } from '../../src/backends/convert.js';
import { convertKustoText } from '../../src/backends/kusto/driver.js';
import { KqlChecker } from './kusto-kql-checker.js';

const checker = new KqlChecker();

function rule(detection: string, category = 'process_creation', extra = ''): string {
  return `title: t\nlogsource:\n    category: ${category}\n    product: windows\n${extra}detection:\n${detection}`;
}

/** Queries of the single document, asserting conversion succeeded and the KQL is valid. */
function kql(text: string, opts: KustoConvertOptions = {}): string[] {
  const r = convertKustoText(text, 't.yml', opts);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const out: string[] = [];
  for (const d of r.value) {
    assert.ok(d.result.ok, JSON.stringify(d.result.diagnostics));
    for (const q of d.result.value) {
      const problems = checker.check(q).filter((p) => p.kind === 'syntax' || p.kind === 'name');
      assert.deepEqual(problems, [], q);
      out.push(q);
    }
  }
  return out;
}

function errors(text: string, opts: KustoConvertOptions = {}): string[] {
  const r = convertKustoText(text, 't.yml', opts);
  if (!r.ok) return r.diagnostics.map((d) => `${d.code} ${d.message}`);
  return r.value.flatMap((d) =>
    d.result.ok ? [] : d.result.diagnostics.map((x) => `${x.code} ${x.message}`),
  );
}

test('process_creation reads DeviceProcessEvents with Defender column names and =~ for strings', () => {
  const [q] = kql(
    rule("    sel:\n        Image|endswith: '\\cmd.exe'\n        CommandLine: whoami\n    condition: sel\n"),
  );
  assert.equal(
    q,
    'DeviceProcessEvents\n| where FolderPath endswith "\\\\cmd.exe" and ProcessCommandLine =~ "whoami"',
  );
});

test('value lists become in~ with wildcard values beside it; numbers compare with ==', () => {
  const [q] = kql(
    rule(
      '    sel:\n        CommandLine:\n            - a\n            - b\n            - c*\n        ProcessId: 4\n    condition: sel\n',
    ),
  );
  assert.equal(
    q,
    'DeviceProcessEvents\n| where (ProcessCommandLine in~ ("a", "b") or ProcessCommandLine startswith "c") and ProcessId == 4',
  );
});

test('negations are written not(...) and a wildcard inside a value becomes matches regex', () => {
  const [q] = kql(
    rule(
      "    sel:\n        Image: 'C:\\Temp\\x*y.exe'\n    f:\n        CommandLine|contains: x\n    condition: sel and not f\n",
    ),
  );
  assert.equal(
    q,
    'DeviceProcessEvents\n| where FolderPath matches regex "C:\\\\\\\\Temp\\\\\\\\x.*y\\\\.exe" and (not(ProcessCommandLine contains "x"))',
  );
});

test('CIDR values use ipv4_is_in_range on the mapped column', () => {
  const [q] = kql(
    rule("    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel\n", 'network_connection'),
  );
  assert.equal(q, 'DeviceNetworkEvents\n| where ipv4_is_in_range(RemoteIP, "10.0.0.0/8")');
});

test('registry hives are spelled out and DOMAIN\\user splits into account name and domain', () => {
  const [reg] = kql(
    rule(
      "    sel:\n        TargetObject|startswith: 'HKLM\\Software\\x'\n    condition: sel\n",
      'registry_set',
    ),
  );
  assert.equal(
    reg,
    'DeviceRegistryEvents\n| where RegistryKey startswith "HKEY_LOCAL_MACHINE\\\\Software\\\\x"',
  );
  const [user] = kql(rule("    sel:\n        User: 'CORP\\alice'\n    condition: sel\n"));
  assert.equal(user, 'DeviceProcessEvents\n| where AccountName =~ "alice" and AccountDomain =~ "CORP"');
});

test('a rule whose log source has no table fails with an explanation, not a guess', () => {
  const msgs = errors(rule('    sel:\n        Foo: bar\n    condition: sel\n', 'pipe_created'));
  assert.equal(msgs.length, 1);
  assert.match(msgs[0] ?? '', /^TL5010 .*unable to determine the table/);
});

test('without a category an EventID in a sel* selection chooses the table; -O query_table overrides', () => {
  const text =
    'title: t\nlogsource:\n    product: windows\ndetection:\n    selection:\n        EventID: 4624\n        LogonType: 10\n    condition: selection\n';
  assert.deepEqual(kql(text), ['DeviceLogonEvents\n| where LogonType == 10']);
  const custom = convertKustoText(text, 't.yml', { options: { query_table: 'MyTable' } });
  assert.ok(custom.ok);
  assert.deepEqual(custom.value[0]?.result.ok && custom.value[0].result.value, [
    'MyTable\n| where LogonType == 10',
  ]);
});

test('a field the table lacks is rejected, naming the field and the table', () => {
  const msgs = errors(rule('    sel:\n        NoSuchField: x\n    condition: sel\n'));
  assert.match(msgs[0] ?? '', /'NoSuchField' not in table DeviceProcessEvents/);
});

test('sentinel_asim and azure_monitor pipelines choose their own tables and fields', () => {
  const text = rule(
    "    sel:\n        Image|endswith: '\\cmd.exe'\n        ParentImage|endswith: '\\winword.exe'\n    condition: sel\n",
  );
  assert.deepEqual(kql(text, { pipeline: 'sentinel_asim' }), [
    'imProcessCreate\n| where TargetProcessName endswith "\\\\cmd.exe" and (ParentProcessName endswith "\\\\winword.exe" or ActingProcessName endswith "\\\\winword.exe")',
  ]);
  assert.deepEqual(kql(text, { pipeline: 'azure_monitor' }), [
    'SecurityEvent\n| where NewProcessName endswith "\\\\cmd.exe" and ParentProcessName endswith "\\\\winword.exe"',
  ]);
});

test('keywords search every column instead of a bare string KQL rejects', () => {
  const [q] = kql(
    rule("    keywords:\n        - 'mimikatz'\n        - 'sek*lsa'\n    condition: keywords\n"),
  );
  assert.equal(q, 'DeviceProcessEvents\n| where * contains "mimikatz" or * matches regex "sek.*lsa"');
});

test('--pretty writes one clause per line under the where', () => {
  const [q] = kql(
    rule(
      "    sel:\n        Image|endswith: '\\a.exe'\n        CommandLine|contains:\n            - x\n            - y\n    condition: sel\n",
    ),
    { pretty: true },
  );
  assert.equal(
    q,
    'DeviceProcessEvents\n| where FolderPath endswith "\\\\a.exe"\n    and (\n      ProcessCommandLine contains "x"\n      or ProcessCommandLine contains "y"\n    )',
  );
});

const correlation = `title: whoami
name: whoami_exec
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
---
title: net
name: net_exec
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\net.exe'
    condition: selection
---
title: burst
correlation:
    type: event_count
    rules:
        - whoami_exec
    group-by:
        - User
    timespan: 5m
    condition:
        gte: 10
---
title: sequence
correlation:
    type: temporal_ordered
    rules:
        - whoami_exec
        - net_exec
    group-by:
        - User
    timespan: 1h
`;

test('event_count correlations summarize over bin() with mapped group-by fields and warn about bins', () => {
  const r = convertKustoText(correlation, 'c.yml', {});
  assert.ok(r.ok);
  const burst = r.value[2]?.result;
  assert.ok(burst?.ok);
  assert.equal(
    burst.value[0],
    'DeviceProcessEvents\n| where FolderPath endswith "\\\\whoami.exe"\n| extend sigma_rule = "whoami_exec"\n' +
      '| summarize event_count = count() by bin(Timestamp, 5m), AccountName\n| where event_count >= 10',
  );
  assert.ok(burst.diagnostics.some((d) => d.code === 'TL5004'));
  for (const d of r.value)
    for (const q of d.result.ok ? d.result.value : []) assert.deepEqual(checker.check(q), [], q);
});

test('sliding windows self-join the events within the span; the query is valid KQL', () => {
  const r = convertKustoText(correlation, 'c.yml', { options: { correlation_window: 'sliding' } });
  assert.ok(r.ok);
  const seq = r.value[3]?.result;
  assert.ok(seq?.ok);
  const q = seq.value[0] ?? '';
  assert.match(q, /^let sigma_events = materialize\(union/);
  assert.match(q, /\| where Timestamp_w between \(Timestamp \.\. \(Timestamp \+ 1h\)\)/);
  assert.match(q, /first_1 <= first_2/);
  assert.deepEqual(checker.check(q), []);
  assert.ok(!seq.diagnostics.some((d) => d.message.includes('fixed time bins')));
});

test('tripline convert -t kusto: default pipeline, named pipelines with parameters, correlations', () => {
  const one = convertSigmaText(rule("    sel:\n        User: 'CORP\\bob'\n    condition: sel\n"), {
    target: 'kusto',
  });
  assert.ok(one.ok, JSON.stringify(one.diagnostics));
  assert.deepEqual(one.value, [
    'DeviceProcessEvents\n| where AccountName =~ "bob" and AccountDomain =~ "CORP"',
  ]);
  const custom = convertSigmaText(rule('    sel:\n        CommandLine: x\n    condition: sel\n'), {
    target: 'kusto',
    pipelines: ["microsoft_365_defender_pipeline(query_table='DeviceEvents')"],
  });
  assert.ok(custom.ok, JSON.stringify(custom.diagnostics));
  assert.deepEqual(custom.value, ['DeviceEvents\n| where InitiatingProcessCommandLine =~ "x"']);
  const corr = convertSigmaText(correlation, { target: 'kusto' });
  assert.ok(corr.ok, JSON.stringify(corr.diagnostics));
  const burst = (corr.value as string[]).find((q) => q.includes('event_count'));
  assert.match(burst ?? '', /by bin\(Timestamp, 5m\), AccountName\n\| where event_count >= 10$/);
});

test('a kusto_pipeline item in a user pipeline file selects the pipeline and table', () => {
  const yaml =
    'name: mine\npriority: 10\ntransformations:\n  - type: kusto_pipeline\n    pipeline: sentinel_asim\n    query_table: imFileEvent\n';
  const r = convertSigmaText(
    rule("    sel:\n        Image|endswith: '\\x.exe'\n    condition: sel\n", 'blah'),
    {
      target: 'kusto',
      pipelines: [{ file: 'mine.yml', text: yaml }],
    },
  );
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.value, ['imFileEvent\n| where TargetFilePath endswith "\\\\x.exe"']);
});

test('-O typed=true writes values by column type where the reference form is ill-typed', () => {
  const text = rule(
    '    sel:\n        DestinationPort:\n            - 4444\n            - 8080\n    condition: sel\n',
    'network_connection',
  );
  assert.deepEqual(kql(text), ['DeviceNetworkEvents\n| where RemotePort in~ ("4444", "8080")']);
  assert.ok(checker.check(kql(text)[0] ?? '').some((p) => p.kind === 'type'));
  const typed = kql(text, { options: { typed: 'true' } });
  assert.deepEqual(typed, ['DeviceNetworkEvents\n| where RemotePort in (4444, 8080)']);
  assert.deepEqual(checker.check(typed[0] ?? ''), []);
  const level = kql(rule('    sel:\n        IntegrityLevel: 1\n    condition: sel\n'), {
    options: { typed: 'true' },
  });
  assert.deepEqual(level, ['DeviceProcessEvents\n| where ProcessIntegrityLevel =~ "1"']);
  const empty = rule('    sel:\n        CommandLine: null\n    condition: sel\n');
  assert.deepEqual(kql(empty), ['DeviceProcessEvents\n| where isnull(ProcessCommandLine)']);
  assert.deepEqual(kql(empty, { options: { typed: 'true' } }), [
    'DeviceProcessEvents\n| where isempty(ProcessCommandLine)',
  ]);
  assert.deepEqual(checker.check(level[0] ?? ''), []);
});
