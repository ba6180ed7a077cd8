/** Dev helper: node build/test/backends/support/dev-vectors.js <target> prints vector results. */
import { LogScaleBackend, crowdstrikeFalconPipeline } from '../../../src/backends/logscale/index.js';
import { SecOpsBackend, secopsTransformations, secopsUdmPipeline } from '../../../src/backends/secops/index.js';
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
  run = (v) => convertText(v.rule, b, loadPipelines([secopsUdmPipeline(!(v.pipeline ?? '').includes('prepend_metadata=False'))], sctx), { format: v.output_format }, sctx);
} else throw new Error('unknown target');
let same = 0;
const vs = readVectors(file);
for (const v of vs) {
  const r = run(v);
  const want = v.output === null || v.output === undefined ? `ERROR` : JSON.stringify(typeof v.output === 'string' ? [v.output] : v.output);
  const got = r.queries ? JSON.stringify(r.queries) : 'ERROR';
  if (maskTimestamps(want) === maskTimestamps(got)) same++;
  else console.log(`--- ${v.id}\nwant ${want}${v.error ? ' ' + v.error : ''}\ngot  ${got} ${r.error ?? ''}`);
}
console.log(`${String(same)}/${String(vs.length)}`);
