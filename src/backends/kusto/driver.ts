/**
 * Sigma text to KQL in one call: parse, lower, run a kusto pipeline, print. Used by the tests, the
 * benchmark and the conformance figures; `tripline convert` goes through the shared target registry.
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, hasErrors, ok } from '../../diagnostics/index.js';
import { lowerCorrelation, lowerRule } from '../../ir/index.js';
import type { IrCorrelation, IrRule } from '../../ir/types.js';
import { parseSigmaText } from '../../sigma/index.js';
import type { ConvertedRule } from '../text/backend.js';
import { KustoBackend, QUERY_TABLE } from './backend.js';
import type { KustoPipelineSpec } from './pipelines/index.js';
import {
  applyKustoPipeline,
  KUSTO_DEFAULT_PIPELINE,
  kustoPipeline,
  mapFieldName,
} from './pipelines/index.js';

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

/** Group-by, alias and value fields named as the pipeline maps them in each rule's table. */
function mapCorrelationFields(
  corr: IrCorrelation,
  refs: readonly ConvertedRule[],
  spec: KustoPipelineSpec,
): IrCorrelation {
  const tableOf = (r: ConvertedRule): string => (r.queries[0] ?? '').split('\n', 1)[0] ?? '';
  const first = refs[0];
  if (!first) return corr;
  const map = (f: string, r: ConvertedRule = first): string => mapFieldName(spec, tableOf(r), f);
  const aliases = Object.keys(corr.aliases);
  const out: IrCorrelation = {
    ...corr,
    groupBy: corr.groupBy.map((f) => (aliases.includes(f) ? f : map(f))),
    aliases: Object.fromEntries(
      Object.entries(corr.aliases).map(([alias, m]) => [
        alias,
        Object.fromEntries(
          Object.entries(m).map(([ref, f]) => {
            const r = refs.find((x) => x.rule.id === ref || x.rule.name === ref);
            return [ref, r ? map(f, r) : f];
          }),
        ),
      ]),
    ),
  };
  if (corr.condition.field !== undefined)
    out.condition = { ...corr.condition, field: map(corr.condition.field) };
  return out;
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
      const refs = c.value.rules.flatMap((ref) =>
        converted.filter((r) => r.rule.id === ref || r.rule.name === ref),
      );
      const corr = spec ? mapCorrelationFields(c.value, refs, spec) : c.value;
      const res = backend.convertCorrelation(corr, refs, {
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
