import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, applied, rule } from './helpers.js';

test('replace_string works on the plain text and keeps wildcards; Python group references', () => {
  const out = applied(
    rule(`
sel:
    CommandLine|contains: 'C:/Windows/System32'
    Size: 42
    Count: 17
condition: sel`),
    `
transformations:
  - type: replace_string
    regex: '^\\*C:/(\\w+)/'
    replacement: '*%SystemRoot%/\\1-'
  - type: replace_string
    regex: '4'
    replacement: 'four'
`,
  );
  // A number the regex changes becomes a string; one it leaves alone stays a number.
  assert.deepEqual(out, ['and(CommandLine="*%SystemRoot%/Windows-System32*", Size="four2", Count=17)']);
});

test('replace_string doubles lone backslashes so Windows paths survive the re-parse', () => {
  const r = apply(
    rule(`
sel:
    Image|endswith: '\\cmd.exe'
condition: sel`),
    `
transformations:
  - type: replace_string
    regex: 'cmd'
    replacement: 'pwsh'
`,
  );
  assert.ok(r.ok);
  const leaf = r.value.rule.conditions[0]!;
  assert.ok(leaf.kind === 'FieldMatch' && leaf.value.kind === 'Str');
  assert.deepEqual(leaf.value.parts, [{ kind: 'WildcardMulti' }, { kind: 'Lit', text: '\\pwsh.exe' }]);
});

test('replace_string with skip_special leaves wildcards alone', () => {
  const out = applied(
    rule(`
sel:
    CommandLine: 'a*b?c'
condition: sel`),
    `
transformations:
  - type: replace_string
    regex: '.'
    replacement: 'x'
    skip_special: true
`,
  );
  assert.deepEqual(out, ['CommandLine="x*x?x"']);
});

test('map_string to a list splices the new values into the item', () => {
  const out = applied(
    rule(`
sel:
    Level: [warn, info]
condition: sel`),
    `
transformations:
  - type: map_string
    mapping:
      warn: [warning, wrn]
`,
  );
  assert.deepEqual(out, ['or(Level="warning", Level="wrn", Level="info")']);
});

test('set_value, convert_type and case', () => {
  const out = applied(
    rule(`
sel:
    A: 5
    B: Hello
    C: '17'
    D: MiXeD
condition: sel`),
    `
transformations:
  - type: set_value
    value: 1
    field_name_conditions: [{type: include_fields, fields: [B]}]
  - type: convert_type
    target_type: str
    field_name_conditions: [{type: include_fields, fields: [A]}]
  - type: convert_type
    target_type: num
    field_name_conditions: [{type: include_fields, fields: [C]}]
  - type: case
    method: upper
    field_name_conditions: [{type: include_fields, fields: [D]}]
`,
  );
  assert.deepEqual(out, ['and(A="5", B=1, C=17, D="MIXED")']);
});

test('convert_type to num fails on text that is not an integer', () => {
  const r = apply(
    rule(`
sel:
    C: abc
condition: sel`),
    `
transformations:
  - type: convert_type
    target_type: num
`,
  );
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]?.code, 'TL4103');
});

test('regex turns strings into case-insensitive bracket patterns or flagged patterns', () => {
  const out = applied(
    rule(`
sel:
    A|startswith: 'a.b'
    B: 'x'
condition: sel`),
    `
transformations:
  - type: regex
    field_name_conditions: [{type: include_fields, fields: [A]}]
  - type: regex
    method: ignore_case_flag
    field_name_conditions: [{type: include_fields, fields: [B]}]
`,
  );
  assert.deepEqual(out, ['and(A=/[aA]\\.[bB].*/, B=/x/i)']);
});

const placeholderRule = rule(`
sel:
    User|expand: '%admins%'
    Host|expand: 'srv-%site%'
condition: sel`);

test('value_placeholders expands variables into alternatives (cartesian, first varies slowest)', () => {
  const out = applied(
    placeholderRule,
    `
vars:
  admins: [root, admin]
  site: 7
transformations:
  - type: value_placeholders
`,
  );
  assert.deepEqual(out, ['and(or(User="root", User="admin"), Host="srv-7")']);
});

test('value_placeholders reports a missing variable', () => {
  const r = apply(placeholderRule, `transformations: [{type: value_placeholders, include: [admins]}]`);
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]?.code, 'TL4103');
  assert.match(r.diagnostics[0]?.message ?? '', /admins/);
});

test('wildcard_placeholders with include only touches the listed placeholders', () => {
  const out = applied(placeholderRule, `transformations: [{type: wildcard_placeholders, include: [site]}]`);
  assert.deepEqual(out, ['and(User="%admins%", Host="srv-*")']);
});

test('query_expression_placeholders turns whole-placeholder values into query expressions', () => {
  const r = apply(
    rule(`
sel:
    User|expand: '%admins%'
condition: sel`),
    `
transformations:
  - type: query_expression_placeholders
    expression: '{field} in list {id}'
    mapping:
      admins: admin_list
`,
  );
  assert.ok(r.ok);
  const leaf = r.value.rule.conditions[0]!;
  assert.ok(leaf.kind === 'FieldMatch');
  assert.deepEqual(leaf.value, { kind: 'QueryExpr', expr: '{field} in list {id}', id: 'admin_list' });
  const mixed = apply(
    placeholderRule,
    `transformations: [{type: query_expression_placeholders, expression: x}]`,
  );
  assert.equal(mixed.ok, false);
});

test('windash expansions are one value: string transformations skip them like pySigma', () => {
  const out = applied(
    rule(`
sel:
    CommandLine|windash|contains: '-enc'
    Image: '-x'
condition: sel`),
    `
transformations:
  - type: replace_string
    regex: '-'
    replacement: '+'
`,
  );
  assert.equal(out.length, 1);
  assert.match(out[0]!, /CommandLine="\*-enc\*"/);
  assert.match(out[0]!, /Image="\+x"/);
});

test('replace_string round-trips escaped wildcards and backslashes like pySigma', () => {
  const r = apply(
    rule(`
sel:
    A: 'one\\\\value'
    B: 'lit\\*value'
condition: sel`),
    `
transformations:
  - type: replace_string
    regex: value
    replacement: test
`,
  );
  assert.ok(r.ok);
  const c = r.value.rule.conditions[0]!;
  assert.ok(c.kind === 'And');
  const [a, b] = c.children;
  assert.ok(a?.kind === 'FieldMatch' && b?.kind === 'FieldMatch');
  // 'one\\value' is one literal backslash; 'lit\*value' a literal star, not a wildcard.
  assert.deepEqual(a.value, { kind: 'Str', parts: [{ kind: 'Lit', text: 'one\\test' }], cased: false });
  assert.deepEqual(b.value, { kind: 'Str', parts: [{ kind: 'Lit', text: 'lit*test' }], cased: false });
});
