/**
 * Pipeline application speed over the SigmaHQ corpus: parse + lower once, then apply a pipeline that
 * exercises every kind of rewrite to every rule, several runs, print the median.
 * Run: npx tsc -p . && node build/bench/pipeline.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowerRule } from '../src/ir/lower.js';
import type { IrRule } from '../src/ir/types.js';
import { parseSigmaText } from '../src/sigma/parse.js';
import { walkFiles } from '../src/util/files.js';
import { sharedDir } from './corpus.js';
import { applyPipelines, loadPipelineYaml, resolvePipeline, type Pipeline } from '../src/pipeline/index.js';

const shared = sharedDir ?? '../shared';
const corpus = join(shared, 'corpus', 'sigmahq', 'rules');

const yaml = `
transformations:
  - id: map
    type: field_name_mapping
    mapping:
      Image: [process.executable, process.name]
      CommandLine: process.command_line
      ParentImage: process.parent.executable
  - type: add_condition
    conditions: {event.category: process}
    rule_conditions: [{type: logsource, category: process_creation}]
  - type: replace_string
    regex: '\\\\\\\\'
    replacement: '/'
    field_name_conditions: [{type: processing_item_applied, processing_item_id: map}]
  - type: drop_detection_item
    field_name_conditions: [{type: include_fields, fields: [EventID]}]
  - type: wildcard_placeholders
  - type: field_name_suffix
    suffix: .keyword
    detection_item_conditions: [{type: contains_wildcard, cond: any}]
`;

const t0 = performance.now();
const rules: IrRule[] = [];
for (const f of walkFiles([corpus], ['.yml']).files) {
  for (const doc of parseSigmaText(readFileSync(f, 'utf8'), f).file.documents) {
    if (doc.kind !== 'Rule') continue;
    const r = lowerRule(doc);
    if (r.ok) rules.push(r.value);
  }
}
const t1 = performance.now();
function measure(label: string, pipelines: Pipeline[]): void {
  // CPU time, not wall time: the figure should not depend on what else the machine runs.
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const s = process.cpuUsage();
    for (const r of rules) applyPipelines(r, pipelines);
    const d = process.cpuUsage(s);
    runs.push((d.user + d.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)]!;
  console.log(
    `${label}: median ${median.toFixed(1)} ms CPU per corpus, ${((median / rules.length) * 1000).toFixed(1)} µs/rule`,
  );
}

const stress = loadPipelineYaml(yaml, 'bench.yml');
const sysmon = resolvePipeline('sysmon');
if (!stress.ok || !sysmon.ok) throw new Error('pipelines failed to load');
console.log(`rules: ${rules.length} (parse + lower ${(t1 - t0).toFixed(0)} ms wall)`);
measure('6-item pipeline rewriting every rule', [stress.value]);
measure('sysmon built-in (48 logsource-conditioned items)', [sysmon.value]);
