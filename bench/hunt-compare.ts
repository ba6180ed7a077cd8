/**
 * Two builds of the engine in one process, alternated round by round over the same input: is a change
 * faster, and by how much? On the shared 2-core machines a process's speed moves by ±20 % from one minute
 * to the next, so runs in separate processes cannot tell a 5 % step. Here each round hunts the input once
 * with each build (the order flips every round), the ratio of the pair's CPU times is taken per round,
 * and the median of those ratios is printed beside each build's CPU µs per event. The first two rounds
 * warm up and are left out.
 *
 *   npm run build && node build/bench/hunt-compare.js OTHER_CHECKOUT [copies=12] [rounds=10]
 *
 * OTHER_CHECKOUT is another checkout of Tripline, built (`npm run build`), e.g. a worktree at the commit
 * to compare with: `git worktree add ../base HEAD~1 && (cd ../base && npm ci && npm run build)`. Both
 * builds load the same SigmaHQ Windows rules and must give the same hits.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sharedDir } from './corpus.js';
import { buildInput, ruleDirs } from './hunt-input.js';
import { median } from './measure.js';

interface Build {
  name: string;
  hunt: () => Promise<{ events: number; hits: number }>;
  cpu: number[];
}

/** A build's engine over the rules, from its own parser and compiler; `src` is its build/src folder. */
async function load(name: string, src: string, input: string): Promise<Build> {
  const mod = async (path: string): Promise<Record<string, unknown>> =>
    (await import(pathToFileURL(join(src, path)).href)) as Record<string, unknown>;
  /* eslint-disable @typescript-eslint/no-explicit-any -- another build's modules, typed by this one's at best */
  const { Engine, huntFile } = (await mod('engine/index.js')) as any;
  const { loadSigmaFile } = (await mod('sigma/index.js')) as any;
  const { walkFiles } = (await mod('util/files.js')) as any;
  const docs: unknown[] = [];
  for (const f of walkFiles(ruleDirs(), ['.yml', '.yaml']).files as string[])
    docs.push(...(loadSigmaFile(f).file.documents as unknown[]));
  const { engine } = Engine.compile(docs);
  let hits = 0;
  engine.onHit(() => hits++);
  return {
    name,
    cpu: [],
    hunt: async () => {
      const events = engine.stats.events as number;
      const before = hits;
      await huntFile(engine, input);
      return { events: (engine.stats.events as number) - events, hits: hits - before };
    },
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

async function main(): Promise<void> {
  const other = process.argv[2];
  if (!sharedDir) {
    console.log('../shared not found: nothing to compare');
    return;
  }
  if (!other || !existsSync(join(other, 'build/src/engine/index.js'))) {
    console.error('usage: node build/bench/hunt-compare.js OTHER_CHECKOUT [copies=12] [rounds=10]');
    console.error('OTHER_CHECKOUT: another checkout of Tripline with `npm run build` done');
    process.exitCode = 2;
    return;
  }
  const copies = Number(process.argv[3] ?? 12);
  const rounds = Math.max(4, Number(process.argv[4] ?? 10));
  const input = await buildInput(copies);
  const builds = [
    await load(`other (${resolve(other)})`, resolve(other, 'build/src'), input),
    await load('this build', resolve(import.meta.dirname, '../src'), input),
  ];
  const hits: number[][] = [[], []];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const b of order) {
      const c0 = process.cpuUsage();
      const r = await builds[b]!.hunt();
      const c = process.cpuUsage(c0);
      builds[b]!.cpu.push((c.user + c.system) / r.events);
      hits[b]!.push(r.hits);
    }
  }
  const ratios = builds[1]!.cpu.map((x, i) => x / builds[0]!.cpu[i]!).slice(2);
  for (const [i, b] of builds.entries())
    console.log(
      `${b.name}: median ${median(b.cpu.slice(2)).toFixed(2)} CPU µs/event, best ${Math.min(...b.cpu.slice(2)).toFixed(2)}; ${hits[i]![0]} hits a round`,
    );
  console.log(
    `this build ÷ other, per round: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(3)).join(' ')})`,
  );
  if (hits[0]!.some((h, i) => h !== hits[1]![i])) {
    console.log('the two builds gave different hits');
    process.exitCode = 1;
  }
}

await main();
