import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printIr } from '../../src/ir/print.js';
import type { IrNode } from '../../src/ir/types.js';
import { applyPipelines, findItem, unmappedFields } from '../../src/pipeline/index.js';
import { apply, applied, lower, pipeline, rule } from './helpers.js';

const procRule = rule(`
sel:
    Image|endswith: x.exe
    CommandLine: foo
condition: sel`);

function leafAt(n: IrNode, ...path: number[]): IrNode {
  let cur = n;
  for (const i of path) {
    assert.ok(cur.kind === 'And' || cur.kind === 'Or');
    cur = cur.children[i]!;
  }
  return cur;
}

test('field_name_mapping one-to-one renames the field and records provenance', () => {
  const r = apply(
    procRule,
    `
transformations:
  - id: ecs
    type: field_name_mapping
    mapping:
      Image: process.executable
`,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.conditions.map(printIr), [
    'and(process.executable="*x.exe", CommandLine="foo")',
  ]);
  const mapped = leafAt(r.value.rule.conditions[0]!, 0);
  assert.ok(mapped.kind === 'FieldMatch');
  assert.deepEqual(mapped.origin.appliedBy, ['ecs']);
  const untouched = leafAt(r.value.rule.conditions[0]!, 1);
  assert.ok(untouched.kind === 'FieldMatch' && untouched.origin.appliedBy === undefined);
  assert.deepEqual(r.value.fieldMappings, { Image: ['process.executable'] });
  assert.deepEqual(r.value.applied, ['ecs']);
  assert.deepEqual(unmappedFields(r.value), ['CommandLine']);
  // Provenance leads back to the item and where it was written.
  const p = pipeline(
    'transformations:\n  - id: ecs\n    type: field_name_mapping\n    mapping: {Image: img}\n',
    'ecs.yml',
  );
  const src = findItem([p], 'ecs')?.source;
  assert.deepEqual([src?.file, src?.span?.line], ['ecs.yml', 2]);
});

test('field_name_mapping one-to-many makes an Or of the whole item per field, in mapping order', () => {
  const out = applied(
    rule(`
sel:
    CommandLine|contains: [a, b]
    Image: y
condition: sel`),
    `
transformations:
  - type: field_name_mapping
    mapping:
      CommandLine: [cmd1, cmd2]
`,
  );
  assert.deepEqual(out, ['and(or(or(cmd1="*a*", cmd1="*b*"), or(cmd2="*a*", cmd2="*b*")), Image="y")']);
});

test('field_name_mapping maps field references in values', () => {
  const out = applied(
    rule(`
sel:
    User|fieldref: TargetUser
condition: sel`),
    `
transformations:
  - type: field_name_mapping
    mapping:
      TargetUser: user.target.name
      User: user.name
`,
  );
  assert.deepEqual(out, ['user.name=fieldref(user.target.name)']);
});

test('field_name_prefix_mapping uses the first matching prefix', () => {
  const out = applied(
    rule(`
sel:
    Event.ID: 1
    Event.Channel: Security
    Other: 2
condition: sel`),
    `
transformations:
  - type: field_name_prefix_mapping
    mapping:
      Event.: winlog.event_data.
      Ev: never
`,
  );
  assert.deepEqual(out, ['and(winlog.event_data.ID=1, winlog.event_data.Channel="Security", Other=2)']);
});

test('field_name_prefix and field_name_suffix honour field name conditions', () => {
  const out = applied(
    procRule,
    `
transformations:
  - type: field_name_prefix
    prefix: "win."
    field_name_conditions:
      - type: include_fields
        fields: [Image]
  - type: field_name_suffix
    suffix: ".keyword"
    field_name_conditions:
      - type: exclude_fields
        fields: ['^win\\.']
        mode: re
`,
  );
  assert.deepEqual(out, ['and(win.Image="*x.exe", CommandLine.keyword="foo")']);
});

test('drop_detection_item inside a selection leaves the other item alone (no And of one)', () => {
  const out = applied(
    procRule,
    `
transformations:
  - type: drop_detection_item
    field_name_conditions:
      - type: include_fields
        fields: [CommandLine]
`,
  );
  assert.deepEqual(out, ['Image="*x.exe"']);
});

test('drop_detection_item emptying a whole selection leaves a neutral constant in the condition', () => {
  const out = applied(
    rule(`
sel:
    Image|endswith: x.exe
filter:
    EventID: 4688
condition: sel and not filter`),
    `
transformations:
  - type: drop_detection_item
    field_name_conditions:
      - type: include_fields
        fields: [EventID]
`,
  );
  assert.deepEqual(out, ['and(Image="*x.exe", true)']);
  const orOut = applied(
    rule(`
sel:
    Image|endswith: x.exe
other:
    EventID: 4688
condition: sel or other`),
    `
transformations:
  - type: drop_detection_item
    field_name_conditions:
      - type: include_fields
        fields: [EventID]
`,
  );
  assert.deepEqual(orOut, ['or(Image="*x.exe", false)']);
});

test('add_condition puts the new detection first, as "<added> and (<condition>)"', () => {
  const out = applied(
    rule(`
sel1:
    Image|endswith: x.exe
sel2:
    CommandLine: foo
condition: sel1 or sel2`),
    `
transformations:
  - id: eid
    type: add_condition
    conditions:
      EventID: 1
      Channel: [a, b]
`,
  );
  assert.deepEqual(out, [
    'and(and(EventID=1, or(Channel="a", Channel="b")), or(Image="*x.exe", CommandLine="foo"))',
  ]);
});

test('add_condition negated, with modifiers and logsource templates', () => {
  const out = applied(
    procRule,
    `
transformations:
  - type: add_condition
    negated: true
    template: true
    conditions:
      source|startswith: "$product-\${category}-$service-$$"
`,
  );
  assert.deepEqual(out, [
    'and(not(source="windows-process_creation-None-$*"), and(Image="*x.exe", CommandLine="foo"))',
  ]);
});

test('change_logsource replaces the whole log source and later logsource conditions see it', () => {
  const r = apply(
    procRule,
    `
transformations:
  - type: change_logsource
    product: windows
    service: sysmon
    rule_conditions:
      - type: logsource
        category: process_creation
  - id: sysmon_only
    type: set_state
    key: src
    val: sysmon
    rule_conditions:
      - type: logsource
        service: sysmon
`,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.logsource, { product: 'windows', service: 'sysmon' });
  assert.deepEqual(r.value.state, { src: 'sysmon' });
});

test('replace_string works on the plain text and keeps wildcards; Python group references', () => {
  const out = applied(
    rule(`
sel:
    CommandLine|contains: 'C:/Windows/System32'
    Size: 42
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
  assert.deepEqual(out, ['and(CommandLine="*%SystemRoot%/Windows-System32*", Size="four2")']);
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

test('rule_failure and detection_item_failure become errors with the configured message', () => {
  const r = apply(
    procRule,
    `
transformations:
  - type: rule_failure
    message: this target has no process events
    rule_conditions:
      - type: logsource
        category: process_creation
`,
  );
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]?.code, 'TL4101');
  assert.match(r.diagnostics[0]?.message ?? '', /^this target has no process events/);
  assert.equal(r.diagnostics[0]?.file, 'rule.yml');

  const d = apply(
    procRule,
    `
transformations:
  - type: detection_item_failure
    message: CommandLine is not available
    field_name_conditions:
      - type: include_fields
        fields: [CommandLine]
`,
  );
  assert.equal(d.ok, false);
  assert.equal(d.diagnostics[0]?.code, 'TL4102');
  // The span is the detection item's position in the rule file.
  assert.equal(d.diagnostics[0]?.span?.line, 10);
});

test('add_field, remove_field, set_field and field mappings act on the rule field list', () => {
  const r = apply(
    rule(
      `
sel:
    Image: x
condition: sel`,
      'fields:\n    - Image\n    - User\n',
    ),
    `
transformations:
  - type: add_field
    field: [CommandLine, Image]
  - type: remove_field
    field: User
  - type: field_name_mapping
    mapping:
      Image: process.executable
`,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.fields, ['process.executable', 'CommandLine', 'process.executable']);
  const s = apply(procRule, `transformations: [{type: set_field, fields: [a, b]}]`);
  assert.ok(s.ok);
  assert.deepEqual(s.value.fields, ['a', 'b']);
});

test('hashes_fields splits Hashes values into one item per algorithm', () => {
  // As in pySigma, the text is split on '=': the leading wildcard of |contains goes with the algorithm name.
  const out = applied(
    rule(`
sel:
    Hashes|contains:
        - 'SHA1=5F1CBC3D99558307BC1250D084FA968521482025'
        - 'MD5=987B65CD9B9F4E9A1AFD8F8B48CF64A7'
        - 'IMPHASH=0000'
condition: sel`),
    `
transformations:
  - type: hashes_fields
    valid_hash_algos: [MD5, SHA1, SHA256]
    field_prefix: File
`,
  );
  assert.deepEqual(out, [
    'or(FileSHA1="5F1CBC3D99558307BC1250D084FA968521482025*", FileMD5="987B65CD9B9F4E9A1AFD8F8B48CF64A7*")',
  ]);
});

test('set_custom_attribute is visible to later rule_attribute conditions', () => {
  const r = apply(
    procRule,
    `
transformations:
  - type: set_custom_attribute
    attribute: table
    value: DeviceProcessEvents
  - type: set_state
    key: t
    val: yes
    rule_conditions:
      - type: rule_attribute
        attribute: table
        value: DeviceProcessEvents
`,
  );
  assert.ok(r.ok);
  assert.equal(r.value.rule.attributes.table, 'DeviceProcessEvents');
  assert.deepEqual(r.value.state, { t: true });
});

test('nest applies its items only when the outer rule conditions match', () => {
  const p = `
transformations:
  - type: nest
    rule_conditions:
      - type: logsource
        product: windows
    items:
      - id: inner_map
        type: field_name_mapping
        mapping: {Image: img}
      - type: set_state
        key: nested
        val: 1
`;
  const r = apply(procRule, p);
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.conditions.map(printIr), ['and(img="*x.exe", CommandLine="foo")']);
  assert.deepEqual(r.value.state, { nested: 1 });
  assert.deepEqual(r.value.applied, ['pipeline#1', 'inner_map', 'pipeline#1#2']);
  const linux = apply(procRule.replace('product: windows', 'product: linux'), p);
  assert.ok(linux.ok);
  assert.deepEqual(linux.value.state, {});
});

test('strict_field_mapping_failure names the fields no mapping touched', () => {
  const r = apply(
    procRule,
    `
transformations:
  - type: field_name_mapping
    mapping: {Image: img}
  - type: strict_field_mapping_failure
`,
  );
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]?.code, 'TL4105');
  assert.match(r.diagnostics[0]?.message ?? '', /CommandLine/);
  assert.doesNotMatch(r.diagnostics[0]?.message ?? '', /img/);
});

test('applyPipelines never changes its input and orders pipelines by priority', () => {
  const ir = lower(procRule);
  const before = structuredClone(ir);
  const late = pipeline(`
name: late
priority: 50
transformations:
  - type: field_name_suffix
    suffix: _b
`);
  const early = pipeline(`
name: early
priority: 10
transformations:
  - type: field_name_suffix
    suffix: _a
`);
  const r = applyPipelines(ir, [late, early]);
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.conditions.map(printIr), ['and(Image_a_b="*x.exe", CommandLine_a_b="foo")']);
  assert.deepEqual(ir, before);
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

test('a null key maps keywords to a field (substring search) and adds keyword conditions', () => {
  const out = applied(
    rule(`
keywords:
    - evil
    - 'bad*'
condition: keywords`),
    `
transformations:
  - type: add_condition
    conditions:
      ~: ParentProcessGuid
  - type: field_name_mapping
    mapping:
      ~: message
`,
  );
  // The added keyword is mapped too, since add_condition ran first.
  assert.deepEqual(out, ['and(message="*ParentProcessGuid*", or(message="*evil*", message="*bad*"))']);
});
