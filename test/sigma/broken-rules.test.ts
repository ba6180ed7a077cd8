import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSigmaText, validateDocument } from '../../src/sigma/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

function check(text: string): Diagnostic[] {
  const out = parseSigmaText(text, 'rule.yml');
  return [...out.diagnostics, ...out.file.documents.flatMap(validateDocument)];
}

function find(ds: Diagnostic[], code: string): Diagnostic {
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `expected ${code}, got ${JSON.stringify(ds.map((x) => [x.code, x.message]))}`);
  return d;
}

const base = (detection: string, extra = ''): string =>
  `title: Test rule
id: 5f8ad2b5-6c8e-4b7b-9f3e-0d5b7a1f2c3d
status: test
${extra}logsource:
    product: windows
    category: process_creation
detection:
${detection}
level: high
`;

test('valid rule: no diagnostics', () => {
  assert.deepEqual(check(base('    sel:\n        Image|endswith: \\\\cmd.exe\n    condition: sel')), []);
});

test('unknown modifier: error at the modifier, with a suggestion', () => {
  const d = find(check(base('    sel:\n        Image|contians: cmd\n    condition: sel')), 'TL3001');
  assert.equal(d.severity, 'error');
  assert.deepEqual([d.span?.line, d.span?.column], [9, 15]);
  assert.match(d.message, /contains/);
});

test('undefined selection in condition: error at the reference', () => {
  const d = find(check(base('    sel:\n        Image: x\n    condition: sel and not filter')), 'TL2002');
  assert.deepEqual([d.span?.line, d.span?.column], [10, 28]);
});

test('condition syntax error: error at the offending token', () => {
  const d = find(check(base('    sel:\n        Image: x\n    condition: sel and (sel or')), 'TL2001');
  assert.equal(d.span?.line, 10);
  const e = find(check(base('    sel:\n        Image: x\n    condition: sel sel')), 'TL2001');
  assert.deepEqual([e.span?.line, e.span?.column], [10, 20]);
});

test('bad indentation: a YAML error on the right line', () => {
  const text =
    'title: t\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Image: x\n      bad: y\n    condition: sel\n';
  const d = check(text).find((x) => x.severity === 'error');
  assert.ok(d);
  assert.ok(['TL1001', 'TL1031'].includes(d.code), d.code);
  assert.equal(d.span?.line, 7);
});

test('invalid correlation type: error at the type value', () => {
  const text = `title: c
correlation:
    type: event_cnt
    rules: [a]
    timespan: 5m
    condition:
        gte: 3
`;
  const d = find(check(text), 'TL1020');
  assert.deepEqual([d.span?.line, d.span?.column], [3, 11]);
});

test('missing detection: error', () => {
  const d = find(check('title: t\nlogsource:\n    product: windows\n'), 'TL1032');
  assert.equal(d.severity, 'error');
});

test('invalid UUID: error at the id line', () => {
  const d = find(
    check(base('    sel:\n        Image: x\n    condition: sel').replace('5f8ad2b5-6c8e', 'zz8ad2b5-6c8e')),
    'TL1013',
  );
  assert.equal(d.span?.line, 2);
});

test('duplicate keys: error on the second key', () => {
  const d = find(check(base('    sel:\n        Image: x\n        Image: y\n    condition: sel')), 'TL1002');
  assert.equal(d.span?.line, 10);
});

test('lint: unused selection, all of a single selection, wildcard inside contains, invalid regex', () => {
  const ds = check(
    base(
      "    sel:\n        CommandLine|contains: '*foo'\n    unused:\n        A: b\n    re:\n        X|re: 'a(b'\n    condition: all of sel and re",
    ),
  );
  assert.equal(find(ds, 'TL2003').severity, 'warning');
  assert.equal(find(ds, 'TL2004').severity, 'warning');
  assert.equal(find(ds, 'TL3004').severity, 'warning');
  assert.equal(find(ds, 'TL3003').severity, 'error');
});

test('modifier combinations that make no sense are errors', () => {
  for (const key of [
    'X|cidr|contains',
    'X|gt|startswith',
    'X|exists|contains',
    'X|i',
    'X|contains|endswith',
    'X|base64offset',
  ]) {
    const ds = check(base(`    sel:\n        ${key}: '1'\n    condition: sel`));
    assert.ok(
      ds.some((d) => d.code === 'TL3002' && d.severity === 'error'),
      `${key}: ${JSON.stringify(ds)}`,
    );
  }
});

test('dates, tags, status and level', () => {
  const ds = check(
    base(
      '    sel:\n        A: b\n    condition: sel',
      "date: 2024-13-01\nmodified: '2024/01/02'\ntags:\n    - attack.t1059.001\n    - Attack.T1059\n    - attack.nonsense\n",
    ).replace('status: test', 'status: production'),
  );
  assert.equal(ds.filter((d) => d.code === 'TL1017' && d.severity === 'error').length, 1);
  assert.equal(ds.filter((d) => d.code === 'TL1017' && d.severity === 'warning').length, 1);
  assert.ok(ds.some((d) => d.code === 'TL1018'));
  assert.ok(ds.some((d) => d.code === 'TL1019'));
  assert.ok(ds.some((d) => d.code === 'TL1015'));
});

test('legacy aggregation in condition is reported as such', () => {
  find(check(base('    sel:\n        A: b\n    condition: sel | count() by Host > 5')), 'TL2007');
});

test('multi-document files: rule, correlation and filter side by side; legacy global/repeat', () => {
  const out = parseSigmaText(
    `title: base
name: base_rule
logsource: {product: windows, service: security}
detection:
    sel:
        EventID: 4625
    condition: sel
---
title: many failures
correlation:
    type: event_count
    rules: [base_rule]
    group-by: [IpAddress]
    timespan: 10m
    condition: {gte: 10}
---
title: drop admins
logsource: {product: windows}
filter:
    rules: [base_rule]
    selection:
        User: admin
    condition: not selection
`,
    'multi.yml',
  );
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(
    out.file.documents.map((d) => d.kind),
    ['Rule', 'Correlation', 'Filter'],
  );
  const legacy = parseSigmaText(
    `action: global
title: shared
logsource: {product: windows}
detection:
    condition: sel
---
detection:
    sel: {EventID: 1}
---
action: repeat
detection:
    sel: {EventID: 2}
`,
    'legacy.yml',
  );
  assert.deepEqual(legacy.diagnostics, []);
  assert.equal(legacy.file.documents.length, 2);
  assert.ok(legacy.file.documents.every((d) => d.kind === 'Rule' && d.title === 'shared'));
});

test('hostile input: binary, invalid UTF-8, alias bomb, deep nesting, empty', async () => {
  const { parseSigmaBytes } = await import('../../src/sigma/index.js');
  assert.equal(parseSigmaBytes(Buffer.from([0x74, 0, 1, 2]), 'b.yml').diagnostics[0]?.code, 'TL1003');
  assert.equal(
    parseSigmaBytes(Buffer.from([0x74, 0xff, 0xfe, 0x41]), 'u.yml').diagnostics[0]?.code,
    'TL1003',
  );
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill('*' + String.fromCharCode(96 + i))
        .join(',')}]`,
    );
  const b = parseSigmaText(bomb.join('\n') + '\n', 'bomb.yml');
  assert.ok(
    b.diagnostics.some((d) => d.code === 'TL1006'),
    JSON.stringify(b.diagnostics),
  );
  const deep = parseSigmaText('a: ' + '['.repeat(5000) + ']'.repeat(5000), 'deep.yml');
  assert.ok(deep.diagnostics.some((d) => d.severity === 'error'));
  assert.equal(parseSigmaText('', 'e.yml').diagnostics[0]?.code, 'TL1004');
});

test('YAML 1.1 booleans (yes/no/on/off) are booleans, as PyYAML reads them; quoted they stay strings', () => {
  for (const fast of [true, false]) {
    // A flow mapping forces the full parser; block style takes the fast path.
    const detection = fast
      ? "    sel:\n        A|exists: yes\n        B: 'no'\n    condition: sel"
      : "    sel: {A|exists: yes, B: 'no'}\n    condition: sel";
    const out = parseSigmaText(base(detection), 'b.yml');
    const doc = out.file.documents[0];
    assert.ok(doc?.kind === 'Rule');
    const items = doc.detection.selections[0]!.body.items;
    assert.deepEqual(
      items.map((i) => (i.kind === 'DetectionItem' ? i.values.map((v) => v.kind) : [])),
      [['boolean'], ['string']],
    );
  }
});
