/**
 * Shared set-up of the Sumo Logic, SecOps and LogScale tests: one converter per target that runs
 * the target's pipelines through src/pipeline, the corpus runs, and the comparison rules.
 */
import { LogScaleBackend, crowdstrikeFalconPipeline } from '../../../src/backends/logscale/index.js';
import {
  SecOpsBackend,
  secopsTransformations,
  secopsUdmPipeline,
} from '../../../src/backends/secops/index.js';
import {
  SumoLogicBackend,
  sumologicCsePipeline,
  sumologicTransformations,
} from '../../../src/backends/sumologic/index.js';
import { convertText, loadPipelines, maskTimestamps, readVectors, runCorpus } from './local-convert.js';
import type { CorpusStats, LocalResult, VectorCase } from './local-convert.js';

export type Converter = (text: string, v?: VectorCase) => LocalResult;

export function logscaleConverter(withPipeline = true): Converter {
  const b = new LogScaleBackend();
  const falcon = loadPipelines([crowdstrikeFalconPipeline]);
  return (t, v) => {
    const usePipeline = v ? v.pipeline === 'crowdstrike_falcon' : withPipeline;
    const r = convertText(t, b, usePipeline ? falcon : []);
    // With the Falcon pipeline the reference joins the queries of a run into one text.
    return r.queries && usePipeline ? { queries: [r.queries.join('\n')] } : r;
  };
}

export function secopsConverter(format: 'default' | 'yara_l' = 'default', strict = false): Converter {
  const b = new SecOpsBackend();
  const ctx = { transformations: secopsTransformations };
  const withMeta = loadPipelines([secopsUdmPipeline(true)], ctx);
  const noMeta = loadPipelines([secopsUdmPipeline(false)], ctx);
  return (t, v) => {
    const prepend = v ? !(v.pipeline ?? '').includes('prepend_metadata=False') : true;
    const options = strict ? { strict_syntax: 'true' } : {};
    return convertText(
      t,
      b,
      prepend ? withMeta : noMeta,
      { format: v?.output_format ?? format, options },
      ctx,
    );
  };
}

export function sumologicConverter(format: 'default' | 'cse_rule' = 'default'): Converter {
  const b = new SumoLogicBackend();
  const ctx = { transformations: sumologicTransformations };
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  return (t, v) => {
    const options: Record<string, string> = {};
    for (const [k, x] of Object.entries(v?.backend_options.kwargs ?? {}))
      options[k] = x === null ? '' : typeof x === 'string' ? x : JSON.stringify(x);
    const r = convertText(t, b, ps, { options, format: v?.output_format ?? format }, ctx);
    return r.queries ? { queries: b.finalizeOutput(r.queries, { format }) } : r;
  };
}

/**
 * Sumo Logic output compared without the conversion timestamp, which we write only when asked
 * (a documented difference, docs/targets/sumologic.md). Everything else, including the
 * mapping-confidence block, must match byte for byte.
 */
export function normalizeSumo(s: string): string {
  if (s.startsWith('ERROR')) return s;
  // Textually, so that everything else (key order, layout, `1.0` vs `1`) is still compared.
  const list = JSON.parse(s) as string[];
  return JSON.stringify(
    list.map((x) =>
      x
        .replace(/\n *"conversion_timestamp": "[^"]*",(?=\n)/g, '')
        .replace(/,\n *"conversion_timestamp": "[^"]*"(?=\n)/g, ''),
    ),
  );
}

export interface VectorStats {
  total: number;
  same: number;
  differs: string[];
}

export function runVectorFile(
  file: string,
  conv: Converter,
  normalize: (s: string) => string = (s) => s,
): VectorStats {
  const vs = readVectors(file);
  const st: VectorStats = { total: 0, same: 0, differs: [] };
  for (const v of vs) {
    if (v.replay !== undefined && v.replay !== 'ok') continue;
    st.total++;
    const r = conv(v.rule, v);
    const want =
      v.output === null || v.output === undefined
        ? 'ERROR'
        : JSON.stringify(typeof v.output === 'string' ? [v.output] : v.output);
    const got = r.queries ? JSON.stringify(r.queries) : 'ERROR';
    if (maskTimestamps(normalize(want)) === maskTimestamps(normalize(got))) st.same++;
    else st.differs.push(v.id);
  }
  return st;
}

export function corpusRun(
  file: string,
  conv: Converter,
  normalize?: (s: string) => string,
): CorpusStats & { queries: string[] } {
  const queries: string[] = [];
  const st = runCorpus(
    file,
    (t) => {
      const r = conv(t);
      if (r.queries) queries.push(...r.queries);
      return r;
    },
    normalize,
    typeof file === 'string' && file === 'logscale.jsonl' ? (qs) => qs.join('\n') : undefined,
  );
  return { ...st, queries };
}
