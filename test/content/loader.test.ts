import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrors } from '../../src/diagnostics/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { loadContent } from '../../src/content/index.js';
import type { AtomicIndex } from '../../src/content/index.js';
import { detectionText, fixtureWith } from './helpers.js';

function load(text: string, extra: Record<string, string> = {}, atomics?: AtomicIndex) {
  const r = loadContent(fixtureWith(text, extra), atomics ? { atomics } : {});
  assert.ok(r.ok);
  return r;
}
const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);
const find = (ds: readonly Diagnostic[], code: string): Diagnostic => {
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `expected ${code}, got ${codes(ds).join(', ') || 'nothing'}`);
  return d;
};

test('a valid detection loads with no diagnostics and a typed block', () => {
  const r = load(detectionText());
  assert.deepEqual(r.diagnostics, []);
  const [d] = r.value.detections;
  assert.ok(d);
  assert.equal(d.kind, 'rule');
  assert.deepEqual(d.techniques, ['T1119']);
  assert.deepEqual(d.tactics, ['collection']);
  assert.equal(d.tripline.severity, 'medium');
  assert.equal(d.tripline.severityFromLevel, true);
  assert.deepEqual(
    d.tripline.enrichment.map((e) => e.name),
    ['RecursiveSearch'],
  );
  assert.deepEqual(
    d.tripline.tests.map((t) => [t.kind, t.expect.matches]),
    [
      ['positive', 1],
      ['negative', 0],
    ],
  );
  assert.deepEqual(d.tripline.tests[0]?.expect.enrichment, [{ RecursiveSearch: true }]);
  assert.equal(d.sigma.length, 1);
  assert.equal(r.value.stories[0]?.name, 'Test Story');
});

test('an unknown key in the tripline block is an error at its line and column', () => {
  const text = detectionText().replace('  triage: Look at it.\n', '  triage: Look at it.\n  traige: typo\n');
  const r = load(text);
  const d = find(r.diagnostics, 'TL8002');
  assert.equal(d.severity, 'error');
  assert.deepEqual([d.span?.line, d.span?.column], [text.split('\n').indexOf('  traige: typo') + 1, 3]);
  assert.deepEqual(d.path, ['tripline', 'traige']);
  assert.match(d.message, /did you mean 'triage'/);
});

test("keys starting with 'x_' are allowed and kept", () => {
  const r = load(
    detectionText().replace('  triage: Look at it.\n', '  triage: Look at it.\n  x_owner: team-a\n'),
  );
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value.detections[0]?.tripline.custom, { x_owner: 'team-a' });
});

test('a technique id not in the pinned ATT&CK table is an error on the tag', () => {
  const text = detectionText({ tags: ['attack.collection', 'attack.t1119', 'attack.t1999'] });
  const d = find(load(text).diagnostics, 'TL8016');
  assert.equal(d.severity, 'error');
  assert.equal(d.span?.line, text.split('\n').indexOf('  - attack.t1999') + 1);
  assert.deepEqual(d.path, ['tags', 2]);
});

test('a technique outside the claimed tactics is a warning; a malformed tag an error', () => {
  const r = load(detectionText({ tags: ['attack.exfiltration', 'attack.t1119', 'attack.T1005'] }));
  assert.equal(find(r.diagnostics, 'TL8017').severity, 'warning');
  assert.equal(find(r.diagnostics, 'TL8025').severity, 'error');
});

test('a missing story reference is an error', () => {
  const text = detectionText().replace('stories: [Test Story]', 'stories: [No Such Story]');
  const d = find(load(text).diagnostics, 'TL8012');
  assert.equal(d.span?.line, text.split('\n').findIndex((l) => l.includes('No Such Story')) + 1);
});

test('a missing data source reference is an error', () => {
  const text = detectionText().replace('[Sysmon EventID 1]', '[Sysmon EventID 99]');
  find(load(text).diagnostics, 'TL8013');
});

test('a detection without a negative test is an error', () => {
  const text = detectionText().replace(/ {4}- name: miss[\s\S]*$/, '');
  find(load(text).diagnostics, 'TL8019');
});

test('expecting an enrichment flag the detection does not define is an error', () => {
  const text = detectionText().replace('- RecursiveSearch: true', '- MassCopy: true');
  const d = find(load(text).diagnostics, 'TL8020');
  assert.equal(d.span?.line, text.split('\n').findIndex((l) => l.includes('MassCopy')) + 1);
});

test('enrichment selections with unknown modifiers are errors', () => {
  const text = detectionText().replace(
    "CommandLine|contains: ['-Recurse'",
    "CommandLine|contians: ['-Recurse'",
  );
  find(load(text).diagnostics, 'TL8022');
});

test('dataset files are resolved against the content root; missing files and bad lines are errors', () => {
  const withDataset = (name: string): string =>
    detectionText().replace(
      "      events:\n        - {Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c dir /s *.docx'}",
      `      dataset: datasets/${name}`,
    );
  const ok = load(withDataset('good.jsonl'), { 'datasets/good.jsonl': '{"CommandLine": "cmd /c dir /s"}\n' });
  assert.deepEqual(ok.diagnostics, []);
  assert.match(ok.value.detections[0]?.tripline.tests[0]?.datasetPath ?? '', /datasets[/\\]good\.jsonl$/);
  find(load(withDataset('absent.jsonl')).diagnostics, 'TL8014');
  const bad = load(withDataset('bad.jsonl'), { 'datasets/bad.jsonl': '{"a": 1}\n{not json\n' });
  const d = find(bad.diagnostics, 'TL8015');
  assert.equal(d.span?.line, 2);
});

test('a positive test must expect at least one match; a negative test none', () => {
  const text = detectionText().replace('matches: 1', 'matches: 0');
  find(load(text).diagnostics, 'TL8026');
  const neg = detectionText().replace(/( {4}- name: miss[\s\S]*)$/, '$1      expect: {matches: 2}\n');
  find(load(neg).diagnostics, 'TL8026');
});

test('wrong types and values in the block are reported with their path', () => {
  const text = detectionText()
    .replace('confidence: medium', 'confidence: certain')
    .replace('type: TTP', 'type: 3');
  const r = load(text);
  assert.deepEqual(find(r.diagnostics, 'TL8005').path, ['tripline', 'confidence']);
  assert.deepEqual(find(r.diagnostics, 'TL8004').path, ['tripline', 'type']);
});

test('a file without a tripline block, or with two, is an error', () => {
  const none = detectionText().replace(/tripline:[\s\S]*$/, '');
  find(load(none).diagnostics, 'TL8010');
  const two = `${detectionText()}---\n${detectionText().replace('0d7e8f1a', '1d7e8f1a')}`;
  find(load(two).diagnostics, 'TL8011');
});

test('Sigma errors in the rule part come from the Sigma front end with positions', () => {
  const text = detectionText().replace("CommandLine|contains: 'dir /s'", "CommandLine|contians: 'dir /s'");
  const r = load(text);
  const d = find(r.diagnostics, 'TL3001');
  assert.equal(d.span?.line, text.split('\n').findIndex((l) => l.includes('contians')) + 1);
  assert.ok(hasErrors(r.diagnostics));
});

test("a correlation detection needs 'type: Correlation' and resolves its base rule in the same file", () => {
  const base = `title: Base
id: 2e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b
name: base_rule
logsource:
  category: firewall
detection:
  selection:
    dst_port: 25
  condition: selection
---
`;
  const corr = detectionText()
    .replace(
      /logsource:[\s\S]*?falsepositives:/,
      'correlation:\n  type: event_count\n  rules: [base_rule]\n  group-by: [dst_ip]\n  timespan: 1h\n  condition: {gte: 10}\nfalsepositives:',
    )
    .replace('type: TTP', 'type: Correlation');
  const r = load(base + corr);
  assert.deepEqual(codes(r.diagnostics), []);
  const d = r.value.detections[0];
  assert.equal(d?.kind, 'correlation');
  assert.equal(d?.primary, 1);
  assert.deepEqual(d?.logsource, { category: 'firewall' });
  const wrong = load(base + corr.replace('type: Correlation', 'type: TTP'));
  find(wrong.diagnostics, 'TL8027');
});

test('atomic GUIDs are checked against an Atomic Red Team index when one is given', () => {
  const atomics: AtomicIndex = {
    dir: '/atomics',
    tests: [],
    byGuid: new Map([
      [
        'cb379146-53f1-43e0-b884-7ce2c635ff5b',
        {
          guid: 'cb379146-53f1-43e0-b884-7ce2c635ff5b',
          technique: 'T1119',
          name: 'Automated Collection Command Prompt',
        },
      ],
    ]),
  };
  const withAtomic = (guid: string, name = 'Automated Collection Command Prompt'): string =>
    detectionText().replace(
      '  tests:\n',
      `  atomics:\n    - {guid: ${guid}, technique: T1119, name: ${name}}\n  tests:\n`,
    );
  assert.deepEqual(load(withAtomic('cb379146-53f1-43e0-b884-7ce2c635ff5b'), {}, atomics).diagnostics, []);
  find(load(withAtomic('cb379146-53f1-43e0-b884-7ce2c635ff5c'), {}, atomics).diagnostics, 'TL8024');
  find(
    load(withAtomic('cb379146-53f1-43e0-b884-7ce2c635ff5b', 'Renamed'), {}, atomics).diagnostics,
    'TL8029',
  );
  // Without an index only the form is checked.
  assert.deepEqual(load(withAtomic('cb379146-53f1-43e0-b884-7ce2c635ff5c')).diagnostics, []);
});

test('a missing content folder fails with TL8028', () => {
  const r = loadContent('/no/such/folder');
  assert.equal(r.ok, false);
  assert.deepEqual(codes(r.diagnostics), ['TL8028']);
});

test('a story that is not valid YAML is reported with its position and left out', () => {
  const r = load(detectionText(), { 'stories/broken.yml': 'name: [unclosed\nversion: 1\n' });
  const d = r.diagnostics.find((x) => x.file?.endsWith('broken.yml'));
  assert.ok(d, codes(r.diagnostics).join(', '));
  assert.equal(d.severity, 'error');
  assert.ok(d.span);
  assert.equal(r.value.stories.length, 1);
});
