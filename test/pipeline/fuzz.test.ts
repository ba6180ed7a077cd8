import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { applyPipelines, loadPipelineObject, loadPipelineYaml } from '../../src/pipeline/index.js';
import { lower, rule } from './helpers.js';

/** Every transformation and condition type once, so mutations reach every parser. */
const base = `
name: all
priority: 5
vars: {v: [a, b]}
transformations:
  - {id: m, type: field_name_mapping, mapping: {Image: [a, b], CommandLine: c}}
  - {type: field_name_prefix_mapping, mapping: {Com: x}}
  - {type: field_name_prefix, prefix: p.}
  - {type: field_name_suffix, suffix: .s}
  - {type: drop_detection_item, field_name_conditions: [{type: include_fields, fields: [Z]}]}
  - {type: hashes_fields, valid_hash_algos: [MD5], field_name_conditions: [{type: include_fields, fields: [Hashes]}]}
  - {type: add_condition, conditions: {E: 1, "F|contains": [x, y]}, negated: false, template: true}
  - {type: change_logsource, category: c, product: p, service: s}
  - {type: replace_string, regex: 'a(b)', replacement: '\\1', skip_special: true, interpret_special: true}
  - {type: map_string, mapping: {a: [b, c]}}
  - {type: set_value, value: 3, force_type: str}
  - {type: convert_type, target_type: str}
  - {type: case, method: upper}
  - {type: regex, method: plain}
  - {type: value_placeholders, include: [v]}
  - {type: wildcard_placeholders, exclude: [w]}
  - {type: query_expression_placeholders, expression: '{field}', mapping: {v: x}}
  - {type: set_state, key: k, val: 1}
  - {type: set_custom_attribute, attribute: a, value: 1}
  - {type: add_field, field: f}
  - {type: remove_field, field: [f]}
  - {type: set_field, fields: [g]}
  - {type: nest, items: [{type: set_state, key: n, val: 2}]}
  - type: set_state
    key: conds
    val: 1
    rule_conditions:
      a: {type: logsource, product: windows}
      b: {type: contains_detection_item, field: Image, value: x}
      c: {type: contains_field, field: Image}
      d: {type: processing_item_applied, processing_item_id: m}
      e: {type: processing_state, key: k, val: 1, op: gte}
      f: {type: is_sigma_rule}
      g: {type: is_sigma_correlation_rule}
      h: {type: rule_attribute, attribute: level, value: low, op: gt}
      i: {type: tag, tag: attack.t1}
    rule_cond_expr: a and (b or c) and not (d and e) or f and not g or h or i
  - type: drop_detection_item
    detection_item_conditions:
      - {type: match_string, pattern: '^x', cond: any, negate: true}
      - {type: match_value, value: 1, cond: all}
      - {type: contains_wildcard, cond: any}
      - {type: is_null, cond: all}
      - {type: processing_item_applied, processing_item_id: m}
      - {type: processing_state, key: k, val: 1}
    detection_item_cond_op: or
    field_name_conditions:
      - {type: exclude_fields, fields: ['^x'], mode: re}
      - {type: processing_item_applied, processing_item_id: m}
      - {type: processing_state, key: k, val: 1}
    field_name_cond_not: true
postprocessing:
  - {type: embed, prefix: a, suffix: b}
  - {type: nest, items: [{type: replace, pattern: a, replacement: b}]}
finalizers:
  - {type: nested, finalizers: [{type: concat}, {type: json, indent: 2}]}
`;

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const replacements: unknown[] = [
  null,
  0,
  -1,
  1.5,
  true,
  '',
  'x',
  '(',
  '%v%',
  [],
  [1],
  ['a', 2],
  {},
  { type: 'x' },
  { a: null },
];

function mutate(v: unknown, rnd: () => number): unknown {
  if (rnd() < 0.08) return replacements[Math.floor(rnd() * replacements.length)];
  if (Array.isArray(v)) return v.map((x) => mutate(x, rnd));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (rnd() > 0.03) out[k] = mutate(x, rnd);
    return out;
  }
  return v;
}

const ruleText = rule(
  `
sel:
    Image|endswith: x.exe
    CommandLine|expand: '%v%'
    Hashes: 'MD5=0123456789abcdef0123456789abcdef'
keywords:
    - evil
condition: sel or keywords`,
  'tags:\n    - attack.t1\nlevel: high\n',
);

test('the full pipeline loads and applies', () => {
  const p = loadPipelineYaml(base, 'all.yml');
  assert.ok(p.ok, JSON.stringify(p.diagnostics));
  const r = applyPipelines(lower(ruleText), [p.value]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
});

test('mutated pipelines never throw: they load with TL40xx errors or apply with results or TL41xx errors', () => {
  const obj = parse(base) as unknown;
  const ir = lower(ruleText);
  const rnd = prng(42);
  let loaded = 0;
  for (let i = 0; i < 600; i++) {
    const m = mutate(obj, rnd);
    const p = loadPipelineObject(m, `m${i}`);
    if (!p.ok) {
      assert.ok(p.diagnostics.length > 0);
      for (const d of p.diagnostics) assert.match(d.code, /^TL40\d\d$/, `${i}: ${d.code} ${d.message}`);
      continue;
    }
    loaded++;
    const r = applyPipelines(ir, [p.value]);
    if (!r.ok)
      for (const d of r.diagnostics) assert.match(d.code, /^TL41\d\d$/, `${i}: ${d.code} ${d.message}`);
  }
  assert.ok(loaded > 0, 'some mutations should still load');
});

test('hostile or broken YAML never throws', () => {
  const bomb =
    'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n' +
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n' +
    'transformations: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';
  const r = loadPipelineYaml(bomb, 'bomb.yml');
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]?.code, 'TL4001');
  const rnd = prng(7);
  for (let i = 0; i < 300; i++) {
    const cut = base.slice(0, Math.floor(rnd() * base.length));
    const noisy = cut.replace(/./g, (c) => (rnd() < 0.02 ? '{[:-&*!|>\'"%@`'[Math.floor(rnd() * 16)]! : c));
    const out = loadPipelineYaml(noisy, 'n.yml');
    if (!out.ok) for (const d of out.diagnostics) assert.match(d.code, /^TL40\d\d$/);
  }
});
