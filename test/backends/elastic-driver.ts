/**
 * A small conversion driver for the Elastic and QRadar tests, independent of the CLI's converter:
 * Sigma text → IR → src/pipeline (loadPipelineObject + applyPipelines) → backend, correlations
 * over the converted rules. It lets the tests pin the pipelines and formats of each vector.
 */
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { lowerCorrelation, lowerRule } from '../../src/ir/index.js';
import type { Pipeline } from '../../src/pipeline/index.js';
import { applyPipelines, loadPipelineObject } from '../../src/pipeline/index.js';
import type { TransformationDef } from '../../src/pipeline/index.js';
import { parseSigmaText } from '../../src/sigma/index.js';
import type { Backend, ConvertedRule } from '../../src/backends/text/index.js';

/** A pipeline as pySigma-vocabulary data. */
export type MiniPipeline = object;

export interface DriverResult {
  output?: string[];
  diagnostics: Diagnostic[];
}

export interface ConvertTextOptions {
  pipelines?: readonly MiniPipeline[];
  format?: string;
  custom?: Readonly<Record<string, TransformationDef>>;
  file?: string;
}

/** Convert every rule / correlation of a Sigma text like the reference CLI does. */
export function convertText(backend: Backend, text: string, o: ConvertTextOptions = {}): DriverResult {
  const file = o.file ?? '<input>';
  const parsed = parseSigmaText(text, file);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const format = o.format ?? 'default';
  const converted = new Map<string, ConvertedRule>();
  const output: string[] = [];
  const docs = parsed.file.documents;
  const hasCorrelation = docs.some((d) => d.kind === 'Correlation');
  const transformations = o.custom ?? {};
  const pipelines: Pipeline[] = [];
  for (const [i, data] of (o.pipelines ?? []).entries()) {
    const p = loadPipelineObject(data, `pipeline-${String(i)}`, { transformations });
    diagnostics.push(...p.diagnostics);
    if (!p.ok) return { diagnostics };
    pipelines.push(p.value);
  }
  for (const doc of docs) {
    if (doc.kind !== 'Rule') continue;
    const lowered = lowerRule(doc);
    diagnostics.push(...lowered.diagnostics);
    if (!lowered.ok) return { diagnostics };
    const applied = applyPipelines(lowered.value, pipelines, { transformations });
    diagnostics.push(...applied.diagnostics);
    if (!applied.ok) return { diagnostics };
    const { rule, state } = applied.value;
    const r = backend.convertRule(rule, { format, state });
    diagnostics.push(...r.diagnostics);
    if (!r.ok) return { diagnostics };
    const cr: ConvertedRule = { rule, queries: r.value.raw };
    if (rule.name !== undefined) converted.set(rule.name, cr);
    converted.set(rule.id, cr);
    // Rules referenced by a correlation are not output by themselves (generate: false).
    if (!hasCorrelation) output.push(...r.value.queries);
  }
  for (const doc of docs) {
    if (doc.kind !== 'Correlation') continue;
    const lc = lowerCorrelation(doc);
    if (!lc.ok || !backend.convertCorrelation) {
      diagnostics.push(...lc.diagnostics);
      return { diagnostics };
    }
    const refs = lc.value.rules
      .map((n) => converted.get(n))
      .filter((x): x is ConvertedRule => x !== undefined);
    const r = backend.convertCorrelation(lc.value, refs, { format, state: {} });
    diagnostics.push(...r.diagnostics);
    if (!r.ok) return { diagnostics };
    output.push(...r.value);
  }
  const fin = backend.finalizeOutput(output, { format });
  return { output: typeof fin === 'string' ? [fin] : fin, diagnostics };
}
