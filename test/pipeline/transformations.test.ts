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
