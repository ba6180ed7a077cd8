/** Dev helper: node build/test/backends/support/dev-vectors.js <target> prints vector results. */
import { LogScaleBackend, crowdstrikeFalconPipeline } from '../../../src/backends/logscale/index.js';
import { SecOpsBackend, secopsUdmPipeline } from '../../../src/backends/secops/index.js';
import { convertText, maskTimestamps, readVectors } from './local-convert.js';
import type { LocalResult, VectorCase } from './local-convert.js';

const target = process.argv[2] ?? 'logscale';
let file: string;
let run: (v: VectorCase) => LocalResult;
if (target === 'logscale') {
  file = 'logscale.jsonl';
  const b = new LogScaleBackend();
  run = (v) => convertText(v.rule, b, v.pipeline === 'crowdstrike_falcon' ? [crowdstrikeFalconPipeline] : []);
} else if (target === 'secops') {
  file = 'secops-yaral.jsonl';
  const b = new SecOpsBackend();
  run = (v) => convertText(v.rule, b, [secopsUdmPipeline(!(v.pipeline ?? '').includes('prepend_metadata=False'))], { format: v.output_format });
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
