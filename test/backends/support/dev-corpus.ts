/** Dev helper: node build/test/backends/support/dev-corpus.js <target> [n] prints corpus figures and diffs. */
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
import { convertText, loadPipelines, runCorpus } from './local-convert.js';
import type { CorpusStats } from './local-convert.js';

const target = process.argv[2] ?? 'logscale';
const n = Number(process.argv[3] ?? '10');
let st: CorpusStats;
if (target === 'logscale') {
  const b = new LogScaleBackend();
  const falcon = loadPipelines([crowdstrikeFalconPipeline]);
  st = runCorpus(
    'logscale.jsonl',
    (t) => convertText(t, b, falcon),
    undefined,
    (qs) => qs.join('\n'),
  );
} else if (target === 'secops-udm' || target === 'secops-yaral') {
  const b = new SecOpsBackend();
  const sctx = { transformations: secopsTransformations };
  const format = target === 'secops-udm' ? 'default' : 'yara_l';
  st = runCorpus(`${target}.jsonl`, (t) =>
    convertText(t, b, loadPipelines([secopsUdmPipeline()], sctx), { format }, sctx),
  );
} else if (target === 'sumologic') {
  const b = new SumoLogicBackend();
  const ctx = { transformations: sumologicTransformations };
  const ps = loadPipelines([sumologicCsePipeline], ctx);
  st = runCorpus(
    'sumologic.jsonl',
    (t) => {
      const r = convertText(t, b, ps, {}, ctx);
      return r.queries ? { queries: b.finalizeOutput(r.queries, { format: 'default' }) } : r;
    },
    (s) => {
      if (s.startsWith('ERROR')) return s;
      const list = JSON.parse(s) as string[];
      return JSON.stringify(
        list.map((x) => {
          const j = JSON.parse(x) as { rules: { conversion_metadata?: Record<string, unknown> }[] };
          for (const r of j.rules) delete r.conversion_metadata?.['mapping_confidence'];
          return toPythonJson(j);
        }),
      );
    },
  );
} else throw new Error('unknown target');
for (const d of st.diffs.slice(0, n)) {
  let k = 0;
  while (k < d.want.length && d.want[k] === d.got[k]) k++;
  const from = Math.max(0, k - 150);
  console.log(`--- ${d.path}\nwant ${d.want.slice(from, k + 250)}\ngot  ${d.got.slice(from, k + 250)}`);
}
for (const c of st.crashes.slice(0, 3)) console.log('CRASH', c.path, c.error);
console.log({ ...st, diffs: st.diffs.length, crashes: st.crashes.length });
