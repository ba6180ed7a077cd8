/**
 * Sigma text to KQL in one call: parse, lower, run a kusto pipeline, print. Used by the tests, the
 * benchmark and the conformance figures; `tripline convert` goes through the shared target registry.
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, hasErrors, ok } from '../../diagnostics/index.js';
import { lowerCorrelation, lowerRule } from '../../ir/index.js';
import type { IrRule } from '../../ir/types.js';
import { parseSigmaText } from '../../sigma/index.js';
import type { ConvertedRule } from '../text/backend.js';
import { KustoBackend, QUERY_TABLE } from './backend.js';
import { applyKustoPipeline, KUSTO_DEFAULT_PIPELINE, kustoPipeline } from './pipelines/index.js';

export interface KustoConvertOptions {
  /** Built-in pipeline name; null for none (the backend alone, no table). Default microsoft_xdr. */
  pipeline?: string | null;
  /** Backend options (-O key=value), e.g. query_table. */
  options?: Readonly<Record<string, string>>;
  pretty?: boolean;
}

export interface KustoDocumentOutput {
  id: string;
  result: Result<string[]>;
}

/** Convert every document of a Sigma file; one result per rule or correlation. */
export function convertKustoText(
  text: string,
  file: string,
  opts: KustoConvertOptions = {},
): Result<KustoDocumentOutput[]> {
  const parsed = parseSigmaText(text, file);
  if (hasErrors(parsed.diagnostics)) return fail(parsed.diagnostics);
  const backend = new KustoBackend();
  const pipelineName = opts.pipeline === undefined ? KUSTO_DEFAULT_PIPELINE : opts.pipeline;
  const spec =
    pipelineName === null
      ? undefined
      : kustoPipeline(pipelineName, {
          transformParentImage:
            opts.options?.['transform_parent_image'] !== 'False' &&
            opts.options?.['transform_parent_image'] !== 'false',
        });
  if (pipelineName !== null && spec === undefined) {
    return fail([
      { code: 'TL5007', severity: 'error', message: `unknown kusto pipeline '${pipelineName}'`, file },
    ]);
  }
  const options = opts.options ?? {};
  const outputs: KustoDocumentOutput[] = [];
  const converted: ConvertedRule[] = [];
  for (const doc of parsed.file.documents) {
    if (doc.kind === 'Filter') continue;
    if (doc.kind === 'Correlation') {
      const c = lowerCorrelation(doc);
      if (!c.ok) {
        outputs.push({ id: doc.id ?? `${file}#${doc.index}`, result: fail(c.diagnostics) });
        continue;
      }
      const refs = converted.filter(
        (r) => c.value.rules.includes(r.rule.id) || c.value.rules.includes(r.rule.name ?? ''),
      );
      const res = backend.convertCorrelation(c.value, refs, {
        format: 'default',
        pretty: opts.pretty ?? false,
        options,
      });
      outputs.push({ id: c.value.id, result: res });
      continue;
    }
    const lowered = lowerRule(doc);
    if (!lowered.ok) {
      outputs.push({ id: doc.id ?? `${file}#${doc.index}`, result: fail(lowered.diagnostics) });
      continue;
    }
    const diags: Diagnostic[] = [...lowered.diagnostics];
    let rule: IrRule = lowered.value;
    let state: Record<string, unknown> = {};
    if (spec) {
      const queryTable = options[QUERY_TABLE];
      const p = applyKustoPipeline(rule, spec, queryTable ? { queryTable } : {});
      if (!p.ok) {
        outputs.push({ id: rule.id, result: fail([...diags, ...p.diagnostics]) });
        continue;
      }
      rule = p.value.rule;
      state = p.value.state;
      diags.push(...p.diagnostics);
    }
    const r = backend.convertRule(rule, { format: 'default', pretty: opts.pretty ?? false, options, state });
    if (!r.ok) {
      outputs.push({ id: rule.id, result: fail([...diags, ...r.diagnostics]) });
      continue;
    }
    converted.push({ rule, queries: r.value.raw });
    outputs.push({ id: rule.id, result: ok(r.value.queries, [...diags, ...r.diagnostics]) });
  }
  return ok(outputs, parsed.diagnostics);
}
