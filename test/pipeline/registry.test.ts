import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printIr } from '../../src/ir/print.js';
import type { IrCorrelation } from '../../src/ir/types.js';
import {
  applyPipelines,
  applyPipelinesToCorrelation,
  checkAllowedBackends,
  combineBuiltins,
  defineTransformation,
  definePipeline,
  finalizeQueries,
  loadPipelineYaml,
  parsePipelineRef,
  postprocessQuery,
  registerTransformation,
  resolvePipeline,
  type PipelineContext,
} from '../../src/pipeline/index.js';
import { lower, pipeline, rule } from './helpers.js';

const procRule = rule(`
sel:
    Image|endswith: x.exe
condition: sel`);

const tables = {
  demo: definePipeline(
    { targets: ['demo'], description: 'maps Image' },
    (options: Readonly<Record<string, unknown>>) => ({
      name: 'demo',
      priority: 10,
      transformations: [
        { type: 'field_name_mapping', mapping: { Image: 'img' } },
        { type: 'set_state', key: 'table', val: options.query_table ?? 'Default' },
      ],
    }),
  ),
};

test('parsePipelineRef reads sigma-cli style parameters', () => {
  assert.deepEqual(parsePipelineRef("azure_monitor(query_table='CustomTable')"), {
    name: 'azure_monitor',
    options: { query_table: 'CustomTable' },
  });
  assert.deepEqual(parsePipelineRef('microsoft_xdr_pipeline(transform_parent_image=False, n=2)'), {
    name: 'microsoft_xdr_pipeline',
    options: { transform_parent_image: false, n: 2 },
  });
  assert.deepEqual(parsePipelineRef('splunk_windows'), { name: 'splunk_windows', options: {} });
});

test('resolvePipeline finds built-ins (with options), then files, else TL4201 listing the names', () => {
  const builtins = combineBuiltins(tables);
  const a = resolvePipeline("demo(query_table='T')", { builtins });
  assert.ok(a.ok);
  assert.equal(a.value.name, 'demo');
  const r = applyPipelines(lower(procRule), [a.value]);
  assert.ok(r.ok);
  assert.equal(r.value.state.table, 'T');
  assert.deepEqual(r.value.rule.conditions.map(printIr), ['img="*x.exe"']);

  const files: Record<string, string> = {
    'my.yml': 'transformations: [{type: field_name_suffix, suffix: _s}]',
  };
  const f = resolvePipeline('my.yml', { builtins, readFile: (p) => files[p] });
  assert.ok(f.ok);
  assert.equal(f.value.file, 'my.yml');

  const missing = resolvePipeline('nope', { builtins, readFile: () => undefined });
  assert.equal(missing.ok, false);
  assert.equal(missing.diagnostics[0]?.code, 'TL4201');
  assert.match(missing.diagnostics[0]?.message ?? '', /demo/);
});

test('backends add transformation types per call through the context, not globally', () => {
  const tableState = defineTransformation<{ table: string }>({
    scope: 'rule',
    parse: (r) => ({ table: r.str('table') }),
    apply: (p, _t, env) => {
      env.state.query_table = p.table;
    },
  });
  const yaml = 'transformations:\n  - type: kusto_table\n    table: DeviceProcessEvents\n';
  const without = loadPipelineYaml(yaml, 'k.yml');
  assert.equal(without.ok, false);
  assert.equal(without.diagnostics[0]?.code, 'TL4003');

  const ctx: PipelineContext = registerTransformation({}, 'kusto_table', tableState);
  const p = loadPipelineYaml(yaml, 'k.yml', ctx);
  assert.ok(p.ok);
  const r = applyPipelines(lower(procRule), [p.value], ctx);
  assert.ok(r.ok);
  assert.equal(r.value.state.query_table, 'DeviceProcessEvents');
  // The registration did not leak: loading without the context still rejects the type.
  assert.equal(loadPipelineYaml(yaml, 'k.yml').ok, false);
  assert.equal(resolvePipeline('k.yml', { readFile: () => yaml }).ok, false);
  assert.ok(resolvePipeline('k.yml', { ...ctx, readFile: () => yaml }).ok);
});

test('a custom value transformation sees each value of matching items', () => {
  const upper = defineTransformation<Record<string, never>>({
    scope: 'value',
    expansions: 'skip',
    parse: () => ({}),
    applyValue: (_p, v) =>
      v.kind === 'Str'
        ? [
            {
              ...v,
              parts: v.parts.map((x) => (x.kind === 'Lit' ? { kind: 'Lit', text: x.text.toUpperCase() } : x)),
            },
          ]
        : undefined,
  });
  const ctx = registerTransformation({}, 'shout', upper);
  const p = loadPipelineYaml('transformations: [{type: shout}]', 's.yml', ctx);
  assert.ok(p.ok);
  const r = applyPipelines(lower(procRule), [p.value], ctx);
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.conditions.map(printIr), ['Image="*X.EXE"']);
});

test('allowed_backends gives a warning for other targets', () => {
  const p = pipeline('name: only_splunk\nallowed_backends: [splunk]\n');
  assert.deepEqual(checkAllowedBackends([p], 'splunk'), []);
  const w = checkAllowedBackends([p], 'kusto');
  assert.equal(w[0]?.code, 'TL4202');
  assert.equal(w[0]?.severity, 'warning');
});

test('correlations: group-by and alias fields are mapped, alias names are not', () => {
  const corr: IrCorrelation = {
    id: 'c1',
    title: 'corr',
    type: 'value_count',
    rules: ['r1'],
    groupBy: ['User', 'host_alias'],
    timespan: 300,
    timespanRaw: '5m',
    condition: { bounds: [{ op: 'gte', value: 3 }], field: 'Image' },
    aliases: { host_alias: { r1: 'Computer' } },
    generate: false,
  };
  const before = structuredClone(corr);
  const p = pipeline(`
transformations:
  - type: field_name_mapping
    mapping: {User: user.name, Computer: host.name, Image: process.executable, host_alias: wrong}
  - type: set_state
    key: corr
    val: 1
    rule_conditions: [{type: is_sigma_correlation_rule}]
  - type: set_state
    key: win
    val: 1
    rule_conditions: [{type: logsource, product: windows}]
`);
  const r = applyPipelinesToCorrelation(corr, [p], {
    resolveRule: (ref) => (ref === 'r1' ? lower(procRule) : undefined),
  });
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.groupBy, ['user.name', 'host_alias']);
  assert.deepEqual(r.value.rule.aliases, { host_alias: { r1: 'host.name' } });
  assert.equal(r.value.rule.condition.field, 'process.executable');
  assert.deepEqual(r.value.state, { corr: 1, win: 1 });
  assert.deepEqual(corr, before);

  const many = pipeline('transformations: [{type: field_name_mapping, mapping: {Image: [a, b]}}]');
  const bad = applyPipelinesToCorrelation(corr, [many]);
  assert.equal(bad.ok, false);
  assert.equal(bad.diagnostics[0]?.code, 'TL4103');
});

test('postprocessing and finalizers', () => {
  const p = pipeline(`
transformations:
  - type: set_state
    key: index
    val: logs
postprocessing:
  - type: embed
    prefix: "["
    suffix: "]"
  - type: simple_template
    template: "{rule.title}|{pipeline.state[index]}|{query}{{x}}"
  - type: replace
    pattern: 'Test'
    replacement: 'T'
  - type: json
    json_template: '{"q": "%QUERY%", "n": 1}'
finalizers:
  - type: concat
    separator: " || "
    prefix: "<"
    suffix: ">"
`);
  const ir = lower(procRule);
  const a = applyPipelines(ir, [p]);
  assert.ok(a.ok);
  const q = postprocessQuery('Image=x', a.value.rule, a.value, [p]);
  assert.ok(q.ok);
  assert.equal(q.value, '{"q": "T|logs|[Image=x]{x}", "n": 1}');
  const f = finalizeQueries(['a', 'b'], [p]);
  assert.ok(f.ok);
  assert.equal(f.value, '<a || b>');
  const none = finalizeQueries(['a'], []);
  assert.ok(none.ok);
  assert.equal(none.value, undefined);
  const jinja = pipeline('postprocessing: [{type: template, template: "{{ query }}"}]');
  const j = postprocessQuery('q', a.value.rule, a.value, [jinja]);
  assert.equal(j.ok, false);
  assert.equal(j.diagnostics[0]?.code, 'TL4104');
});

test('the built-in sysmon pipeline adds Sysmon event ids and the sysmon service', () => {
  const p = resolvePipeline('sysmon');
  assert.ok(p.ok);
  const r = applyPipelines(lower(procRule), [p.value]);
  assert.ok(r.ok);
  assert.deepEqual(r.value.rule.conditions.map(printIr), ['and(EventID=1, Image="*x.exe")']);
  assert.deepEqual(r.value.rule.logsource, {
    category: 'process_creation',
    product: 'windows',
    service: 'sysmon',
  });
  const reg = applyPipelines(lower(procRule.replace('process_creation', 'registry_event')), [p.value]);
  assert.ok(reg.ok);
  assert.deepEqual(reg.value.rule.conditions.map(printIr), [
    'and(or(EventID=12, EventID=13, EventID=14), Image="*x.exe")',
  ]);
});
