/**
 * The prefilter's literal scan alone: the literals of the SigmaHQ Windows rules that the process-creation
 * candidate set holds (Sysmon EventID 1: the largest set a routed benchmark line meets), scanned over every
 * process-creation line of ../shared/bench/windows-events-base.nested.jsonl.gz, with the WebAssembly loop
 * and with the JavaScript loop over the same tables. Prints µs per line (median of RUNS passes, CPU time).
 *
 *   npm run build && node build/bench/scan.js [RUNS]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Engine, toEventView } from '../src/engine/index.js';
import { literalIdsOf } from '../src/engine/prefilter-index.js';
import { LiteralScanner, LiteralTable } from '../src/engine/scanner.js';
import { loadSigmaFile } from '../src/sigma/index.js';
import { walkFiles } from '../src/util/files.js';
import { sharedDir } from './corpus.js';
import { median } from './measure.js';

if (!sharedDir) {
  console.log('../shared not found: nothing to measure');
  process.exit(0);
}
const runs = Math.max(3, Number(process.argv[2] ?? 7));
const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder'].map((d) =>
  join(sharedDir!, 'corpus/sigmahq', d, 'windows'),
);
const docs = walkFiles(dirs, ['.yml', '.yaml']).files.flatMap((f) => loadSigmaFile(f).file.documents);
const { engine } = Engine.compile(docs);
const sysmon1 = engine.candidatesFor(
  toEventView({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 }),
);
const ids = literalIdsOf(sysmon1);
const lines = gunzipSync(readFileSync(join(sharedDir, 'bench/windows-events-base.nested.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.includes('"Microsoft-Windows-Sysmon/Operational"') && /"EventID":\s*1\b/.test(l))
  .map((l) => Buffer.from(l));
const table = new LiteralTable(engine.literals);
console.log(
  `${sysmon1.length} rules, ${ids.length} literals, ${lines.length} lines of ` +
    `${Math.round(lines.reduce((n, b) => n + b.length, 0) / lines.length)} bytes; median of ${runs} passes, CPU time`,
);
for (const [label, useWasm] of [
  ['WebAssembly loop', true],
  ['JavaScript loop', false],
] as const) {
  const sc = new LiteralScanner(table, ids, useWasm);
  const per: number[] = [];
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    hits = 0;
    lines.forEach((b) => {
      sc.scan(b, 0, b.length);
      hits += sc.hitCount;
    });
    const c = process.cpuUsage(c0);
    per.push((c.user + c.system) / lines.length);
  }
  console.log(`${label.padEnd(18)} ${median(per).toFixed(2)} µs/line  (${hits} literal hits a pass)`);
}
