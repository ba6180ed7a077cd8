/** Dev helper: node build/test/backends/support/dev-vectors.js <target> prints vector results. */
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
  toPythonJson,
} from '../../../src/backends/sumologic/index.js';
import { convertText, loadPipelines, maskTimestamps, readVectors } from './local-convert.js';
import type { LocalResult, VectorCase } from './local-convert.js';

const target = process.argv[2] ?? 'logscale';
let file: string;
let run: (v: VectorCase) => LocalResult;
if (target === 'logscale') {
  file = 'logscale.jsonl';
  const b = new LogScaleBackend();
  const falcon = loadPipelines([crowdstrikeFalconPipeline]);
  run = (v) => convertText(v.rule, b, v.pipeline === 'crowdstrike_falcon' ? falcon : []);
} else if (target === 'secops') {
  file = 'secops-yaral.jsonl';
  const b = new SecOpsBackend();
  const sctx = { transformations: secopsTransformations };
  run = (v) =>
    convertText(
      v.rule,
      b,
      loadPipelines([secopsUdmPipeline(!(v.pipeline ?? '').includes('prepend_metadata=False'))], sctx),
      { format: v.output_format },
      sctx,
    );
} else if (target === 'sumologic') {
  file = 'sumologic.jsonl';
  const b = new SumoLogicBackend();
  const ctx = { transformations: sumologicTransformations };
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  run = (v) => {
    const options: Record<string, string> = {};
    for (const [k, x] of Object.entries(v.backend_options.kwargs))
      options[k] = x === null ? '' : typeof x === 'string' ? x : JSON.stringify(x);
    const r = convertText(v.rule, b, ps, { options }, ctx);
    return r.queries ? { queries: b.finalizeOutput(r.queries, { format: 'default' }) } : r;
  };
} else throw new Error('unknown target');
const norm = (s: string): string => {
  if (target !== 'sumologic' || s === 'ERROR') return s;
  const list = JSON.parse(s) as string[];
  return JSON.stringify(
    list.map((x) => {
      const j = JSON.parse(x) as { rules: { conversion_metadata?: Record<string, unknown> }[] };
      for (const r of j.rules) {
        delete r.conversion_metadata?.['mapping_confidence'];
        delete r.conversion_metadata?.['conversion_timestamp'];
      }
      return toPythonJson(j);
    }),
  );
};
let same = 0;
const vs = readVectors(file);
for (const v of vs) {
  const r = run(v);
  const want =
    v.output === null || v.output === undefined
      ? `ERROR`
      : JSON.stringify(typeof v.output === 'string' ? [v.output] : v.output);
  const got = r.queries ? JSON.stringify(r.queries) : 'ERROR';
  if (maskTimestamps(norm(want)) === maskTimestamps(norm(got))) same++;
  else
    console.log(
      `--- ${v.id}\nwant ${norm(want)}${v.error ? ' ' + v.error : ''}\ngot  ${norm(got)} ${r.error ?? ''}`,
    );
}
console.log(`${String(same)}/${String(vs.length)}`);
