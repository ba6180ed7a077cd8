import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPipelineObject, loadPipelineYaml } from '../../src/pipeline/index.js';

function errors(yaml: string): { code: string; line?: number; column?: number; message: string }[] {
  const r = loadPipelineYaml(yaml, 'p.yml');
  assert.equal(r.ok, false, 'expected the pipeline to be rejected');
  return r.diagnostics.map((d) => {
    assert.equal(d.file, 'p.yml');
    const e: { code: string; line?: number; column?: number; message: string } = {
      code: d.code,
      message: d.message,
    };
    if (d.span) {
      e.line = d.span.line;
      e.column = d.span.column;
    }
    return e;
  });
}

test('a full pipeline loads with name, priority, vars, items, conditions, postprocessing, finalizers', () => {
  const r = loadPipelineYaml(
    `name: My pipeline
priority: 20
allowed_backends: [splunk]
vars:
  admins: [root]
transformations:
  - id: map
    type: field_name_mapping
    mapping:
      Image: process.executable
    rule_conditions:
      a: {type: logsource, product: windows}
      b: {type: tag, tag: attack.t1059}
    rule_cond_expr: a and not b
    field_name_cond_op: or
    field_name_cond_not: true
    field_name_conditions:
      - type: include_fields
        fields: [Image]
postprocessing:
  - type: embed
    prefix: "("
    suffix: ")"
finalizers:
  - type: concat
    separator: " OR "
`,
    'my.yml',
  );
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const p = r.value;
  assert.equal(p.name, 'My pipeline');
  assert.equal(p.priority, 20);
  assert.deepEqual(p.allowedBackends, ['splunk']);
  assert.deepEqual(p.vars, { admins: ['root'] });
  assert.equal(p.items.length, 1);
  const item = p.items[0]!;
  assert.equal(item.id, 'map');
  assert.equal(item.explicitId, true);
  assert.deepEqual(
    item.ruleConditions.conditions.map((c) => c.ref),
    ['a', 'b'],
  );
  assert.deepEqual(item.ruleConditions.expr, {
    kind: 'And',
    left: { kind: 'Ref', name: 'a' },
    right: { kind: 'Not', child: { kind: 'Ref', name: 'b' } },
  });
  assert.equal(item.fieldNameConditions.op, 'or');
  assert.equal(item.fieldNameConditions.not, true);
  assert.deepEqual(item.source.span && [item.source.span.line, item.source.span.column], [7, 5]);
  assert.equal(p.postprocessing[0]?.type, 'embed');
  assert.equal(p.finalizers[0]?.type, 'concat');
});

test('items without id get stable generated ids; the file name is the default pipeline name', () => {
  const r = loadPipelineYaml(
    'transformations:\n  - type: set_state\n    key: a\n    val: 1\n',
    'dir/custom.yaml',
  );
  assert.ok(r.ok);
  assert.equal(r.value.name, 'custom');
  assert.equal(r.value.items[0]?.id, 'custom#1');
  assert.equal(r.value.items[0]?.explicitId, false);
});

test('unknown transformation type points at the type value', () => {
  const e = errors(`transformations:
  - type: field_name_mapping
    mapping: {a: b}
  - type: field_name_mappin
    mapping: {a: b}
`);
  assert.deepEqual(
    e.map((x) => [x.code, x.line, x.column]),
    [['TL4003', 4, 11]],
  );
  assert.match(e[0]!.message, /field_name_mappin/);
});

test('missing, mistyped and unexpected parameters are TL4004 at the parameter', () => {
  const e = errors(`transformations:
  - type: field_name_prefix
  - type: set_state
    key: [not, a, string]
    val: 1
  - type: drop_detection_item
    bogus: 1
`);
  assert.deepEqual(
    e.map((x) => [x.code, x.line]),
    [
      ['TL4004', 2],
      ['TL4004', 4],
      ['TL4004', 7],
    ],
  );
  assert.match(e[0]!.message, /prefix/);
});

test('unknown condition types and bad condition parameters', () => {
  const e = errors(`transformations:
  - type: drop_detection_item
    rule_conditions:
      - type: logsourc
        product: windows
    detection_item_conditions:
      - type: match_string
        pattern: "("
        cond: any
    field_name_conditions:
      - type: include_fields
        fields: [a]
        mode: glob
`);
  assert.deepEqual(
    e.map((x) => [x.code, x.line]),
    [
      ['TL4005', 4],
      ['TL4006', 8],
      ['TL4006', 13],
    ],
  );
});

test('a value condition needs cond: any or all, as in pySigma', () => {
  const e = errors(`transformations:
  - type: drop_detection_item
    detection_item_conditions:
      - type: is_null
`);
  assert.equal(e[0]?.code, 'TL4006');
});

test('condition expressions: syntax, unknown and unreferenced identifiers, exclusivity with op', () => {
  const base = (extra: string): string => `transformations:
  - type: set_state
    key: a
    val: 1
    rule_conditions:
      x: {type: is_sigma_rule}
      y: {type: is_sigma_correlation_rule}
${extra}`;
  assert.equal(errors(base('    rule_cond_expr: x and (y\n'))[0]?.code, 'TL4007');
  assert.match(errors(base('    rule_cond_expr: x or z\n'))[0]!.message, /'z' not found/);
  assert.match(errors(base('    rule_cond_expr: x\n'))[0]!.message, /y/);
  assert.equal(errors(base('    rule_cond_expr: x or y\n    rule_cond_op: or\n'))[0]?.code, 'TL4007');
  const list = errors(`transformations:
  - type: set_state
    key: a
    val: 1
    rule_conditions: [{type: is_sigma_rule}]
    rule_cond_expr: "1"
`);
  assert.equal(list[0]?.code, 'TL4007');
});

test('YAML syntax errors and non-mapping documents', () => {
  const e = errors('transformations:\n  - type: [unclosed\n');
  assert.equal(e[0]?.code, 'TL4001');
  assert.equal(typeof e[0]?.line, 'number');
  assert.equal(errors('- just\n- a list\n')[0]?.code, 'TL4002');
  const unknownKey = errors('name: x\ntransformation: []\n');
  assert.deepEqual(
    unknownKey.map((x) => [x.code, x.line]),
    [['TL4002', 2]],
  );
});

test('postprocessing and finalizer types are checked', () => {
  const e = errors(`postprocessing:
  - type: embedd
  - type: json
    json_template: "{not json"
finalizers:
  - type: concatenate
`);
  assert.deepEqual(
    e.map((x) => [x.code, x.line]),
    [
      ['TL4008', 2],
      ['TL4008', 4],
      ['TL4008', 6],
    ],
  );
});

test('loadPipelineObject takes the same structure as data, and function-valued parameters', () => {
  const r = loadPipelineObject(
    {
      name: 'builtin',
      priority: 10,
      transformations: [
        { type: 'field_name_transform', transform_func: (f: string) => f.toLowerCase(), mapping: { A: 'x' } },
      ],
    },
    'fallback',
  );
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(r.value.name, 'builtin');
  assert.equal(r.value.items[0]?.id, 'builtin#1');
  const bad = loadPipelineObject({ transformations: [{ type: 'nope' }] }, 'x');
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.diagnostics[0]?.path, ['transformations', 0, 'type']);
  assert.equal(bad.diagnostics[0]?.span, undefined);
});

test('nested items are loaded and checked recursively', () => {
  const e = errors(`transformations:
  - type: nest
    items:
      - type: set_state
        key: a
        val: 1
      - type: unknown_inner
`);
  assert.deepEqual(
    e.map((x) => [x.code, x.line]),
    [['TL4003', 7]],
  );
});

test('an unknown *_cond_op is a warning and links with and, as pySigma does', () => {
  const r = loadPipelineYaml(
    'transformations:\n  - type: set_state\n    key: a\n    val: 1\n    rule_cond_op: OR\n    rule_conditions: [{type: is_sigma_rule}]\n',
    'p.yml',
  );
  assert.ok(r.ok);
  assert.equal(r.diagnostics[0]?.code, 'TL4007');
  assert.equal(r.diagnostics[0]?.severity, 'warning');
  assert.equal(r.diagnostics[0]?.span?.line, 5);
  assert.equal(r.value.items[0]?.ruleConditions.op, 'and');
});

test('PyYAML booleans: yes/no are booleans, y/n are strings', () => {
  const r = loadPipelineYaml('vars:\n  a: yes\n  b: n\n  c: Off\n', 'p.yml');
  assert.ok(r.ok);
  assert.deepEqual(r.value.vars, { a: true, b: 'n', c: false });
});
