import assert from 'node:assert/strict';
import { printIr } from '../../src/ir/print.js';
import { lowerRule } from '../../src/ir/lower.js';
import type { IrRule } from '../../src/ir/types.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import {
  applyPipelines,
  loadPipelineYaml,
  type ApplyOutput,
  type LoadOptions,
  type Pipeline,
  type PipelineContext,
} from '../../src/pipeline/index.js';
import type { Result } from '../../src/diagnostics/index.js';

/** Parse and lower one Sigma rule (fails the test when the rule is invalid). */
export function lower(yaml: string, file = 'rule.yml'): IrRule {
  const parsed = parseSigmaText(yaml, file);
  const doc = parsed.file.documents[0];
  assert.ok(doc && doc.kind === 'Rule', `no rule parsed: ${JSON.stringify(parsed.diagnostics)}`);
  const r = lowerRule(doc);
  assert.ok(r.ok, `lowering failed: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

export function pipeline(yaml: string, file = 'pipeline.yml', options: LoadOptions = {}): Pipeline {
  const r = loadPipelineYaml(yaml, file, options);
  assert.ok(r.ok, `pipeline failed to load: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

/** A rule whose detection is the given YAML block (indented by 4 spaces under detection:). */
export function rule(detection: string, extra = ''): string {
  return `title: Test
id: 5d4c7e0a-3a4e-4a8e-9b1e-000000000001
status: test
logsource:
    category: process_creation
    product: windows
${extra}detection:
${detection
  .trim()
  .split('\n')
  .map((l) => '    ' + l)
  .join('\n')}
`;
}

export function apply(
  ruleYaml: string,
  pipelineYaml: string | Pipeline[],
  ctx: PipelineContext = {},
): Result<ApplyOutput<IrRule>> {
  const ps = typeof pipelineYaml === 'string' ? [pipeline(pipelineYaml)] : pipelineYaml;
  return applyPipelines(lower(ruleYaml), ps, ctx);
}

/** Apply and print the conditions in the IR's stable text form. */
export function applied(
  ruleYaml: string,
  pipelineYaml: string | Pipeline[],
  ctx: PipelineContext = {},
): string[] {
  const r = apply(ruleYaml, pipelineYaml, ctx);
  assert.ok(r.ok, `apply failed: ${JSON.stringify(r.diagnostics)}`);
  return r.value.rule.conditions.map(printIr);
}
