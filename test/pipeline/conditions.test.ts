import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, applied, rule } from './helpers.js';

const taggedRule = rule(
  `
sel:
    Image|endswith: x.exe
    CommandLine|contains: [foo, bar]
    ParentImage: null
condition: sel`,
  'tags:\n    - attack.execution\n    - attack.t1059\nlevel: high\ndate: 2024-03-01\nauthor: someone\n',
);

/** Which of the named set_state items ran (each item sets its own key). */
function ran(ruleYaml: string, items: Record<string, string>): string[] {
  const yaml =
    'transformations:\n' +
    Object.entries(items)
      .map(([k, cond]) => `  - type: set_state\n    key: ${k}\n    val: 1\n${cond.replace(/^/gm, '    ')}\n`)
      .join('');
  const r = apply(ruleYaml, yaml);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return Object.keys(r.value.state).sort();
}

test('logsource: only the attributes given must match', () => {
  assert.deepEqual(
    ran(taggedRule, {
      a: 'rule_conditions: [{type: logsource, product: windows}]',
      b: 'rule_conditions: [{type: logsource, product: windows, category: process_creation}]',
      c: 'rule_conditions: [{type: logsource, product: linux}]',
      d: 'rule_conditions: [{type: logsource, service: sysmon}]',
    }),
    ['a', 'b'],
  );
});

test('rule condition linking: default and, rule_cond_op or, rule_cond_not, expressions', () => {
  const win = '{type: logsource, product: windows}';
  const lin = '{type: logsource, product: linux}';
  assert.deepEqual(
    ran(taggedRule, {
      and_: `rule_conditions: [${win}, ${lin}]`,
      or_: `rule_conditions: [${win}, ${lin}]\nrule_cond_op: or`,
      not_: `rule_conditions: [${lin}]\nrule_cond_not: true`,
      expr: `rule_conditions: {w: ${win}, l: ${lin}}\nrule_cond_expr: w and not l`,
      none: 'rule_cond_not: true',
    }),
    ['expr', 'none', 'not_', 'or_'],
  );
});

test('tag, rule_attribute (level order, dates, strings), is_sigma_rule, contains_detection_item, contains_field', () => {
  assert.deepEqual(
    ran(taggedRule, {
      tag: 'rule_conditions: [{type: tag, tag: attack.t1059}]',
      tag_no: 'rule_conditions: [{type: tag, tag: attack.t1003}]',
      lvl: 'rule_conditions: [{type: rule_attribute, attribute: level, value: medium, op: gte}]',
      lvl_no: 'rule_conditions: [{type: rule_attribute, attribute: level, value: critical, op: gte}]',
      date: "rule_conditions: [{type: rule_attribute, attribute: date, value: '2024-01-01', op: gt}]",
      author: 'rule_conditions: [{type: rule_attribute, attribute: author, value: someone}]',
      tags_in: 'rule_conditions: [{type: rule_attribute, attribute: tags, value: attack.execution, op: in}]',
      sigma: 'rule_conditions: [{type: is_sigma_rule}]',
      corr: 'rule_conditions: [{type: is_sigma_correlation_rule}]',
      item: 'rule_conditions: [{type: contains_detection_item, field: CommandLine, value: "*foo*"}]',
      item_no: 'rule_conditions: [{type: contains_detection_item, field: CommandLine, value: foo}]',
      field: 'rule_conditions: [{type: contains_field, field: ParentImage}]',
    }),
    ['author', 'date', 'field', 'item', 'lvl', 'sigma', 'tag', 'tags_in'],
  );
});

test('processing_item_applied and processing_state rule conditions see earlier items', () => {
  const r = apply(
    taggedRule,
    `
transformations:
  - id: first
    type: set_state
    key: mode
    val: 3
  - id: never
    type: set_state
    key: other
    val: 1
    rule_conditions: [{type: logsource, product: linux}]
  - type: set_state
    key: saw_first
    val: 1
    rule_conditions: [{type: processing_item_applied, processing_item_id: first}]
  - type: set_state
    key: saw_never
    val: 1
    rule_conditions: [{type: processing_item_applied, processing_item_id: never}]
  - type: set_state
    key: mode_gt_2
    val: 1
    rule_conditions: [{type: processing_state, key: mode, val: 2, op: gt}]
`,
  );
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.value.state).sort(), ['mode', 'mode_gt_2', 'saw_first']);
});

test('detection item conditions: match_string any/all, is_null, contains_wildcard, negation', () => {
  const out = applied(
    taggedRule,
    `
transformations:
  - type: field_name_suffix
    suffix: _any_f
    detection_item_conditions: [{type: match_string, pattern: '\\*f', cond: any}]
  - type: field_name_suffix
    suffix: _all_star
    detection_item_conditions: [{type: match_string, pattern: '\\*', cond: all}]
  - type: field_name_suffix
    suffix: _null
    detection_item_conditions: [{type: is_null, cond: any}]
  - type: field_name_suffix
    suffix: _nowild
    detection_item_conditions: [{type: contains_wildcard, cond: any}]
    detection_item_cond_not: true
`,
  );
  assert.deepEqual(out, [
    'and(Image_all_star="*x.exe", or(CommandLine_any_f_all_star="*foo*", CommandLine_any_f_all_star="*bar*"), ParentImage_null_nowild=null)',
  ]);
});

test('field name conditions: include/exclude plain and regex, linking and negation', () => {
  const out = applied(
    taggedRule,
    `
transformations:
  - type: field_name_prefix
    prefix: a.
    field_name_conditions:
      - {type: include_fields, fields: ['.*Image$'], mode: re}
      - {type: exclude_fields, fields: [ParentImage]}
  - type: field_name_prefix
    prefix: b.
    field_name_conditions:
      - {type: include_fields, fields: [CommandLine]}
      - {type: include_fields, fields: [ParentImage]}
    field_name_cond_op: or
    field_name_cond_not: true
`,
  );
  assert.deepEqual(out, [
    'and(b.a.Image="*x.exe", or(CommandLine="*foo*", CommandLine="*bar*"), ParentImage=null)',
  ]);
});

test('include_fields regexes are anchored at the start only (Python re.match)', () => {
  const out = applied(
    taggedRule,
    `
transformations:
  - type: field_name_prefix
    prefix: m.
    field_name_conditions: [{type: include_fields, fields: ['Image'], mode: re}]
`,
  );
  assert.match(out[0]!, /m\.Image=/);
  assert.match(out[0]!, /ParentImage=null/);
});

test('processing_item_applied on detection items and field names follows the mapped items', () => {
  const out = applied(
    taggedRule,
    `
transformations:
  - id: map_img
    type: field_name_mapping
    mapping: {Image: process.executable}
  - type: replace_string
    regex: x
    replacement: y
    detection_item_conditions: [{type: processing_item_applied, processing_item_id: map_img}]
  - type: field_name_suffix
    suffix: .text
    field_name_conditions: [{type: processing_item_applied, processing_item_id: map_img}]
`,
  );
  assert.deepEqual(out, [
    'and(process.executable.text="*y.eye", or(CommandLine="*foo*", CommandLine="*bar*"), ParentImage=null)',
  ]);
});

test('processing_state in detection item and field name conditions', () => {
  const out = applied(
    taggedRule,
    `
transformations:
  - type: set_state
    key: dm
    val: on
  - type: field_name_prefix
    prefix: dm.
    detection_item_conditions: [{type: processing_state, key: dm, val: true}]
    field_name_conditions: [{type: processing_state, key: dm, val: true}]
`,
  );
  assert.deepEqual(out, [
    'and(dm.Image="*x.exe", or(dm.CommandLine="*foo*", dm.CommandLine="*bar*"), dm.ParentImage=null)',
  ]);
});

test('rule_attribute with an operator the type cannot take is an error', () => {
  const r = apply(
    taggedRule,
    `transformations: [{type: set_state, key: a, val: 1, rule_conditions: [{type: rule_attribute, attribute: author, value: x, op: gt}]}]`,
  );
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]?.code, 'TL4103');
});
