/** The hunt benchmarks' input and rules: ~1 million events in the evtx JSON shape, the SigmaHQ Windows rules. */
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { sharedDir } from './corpus.js';

const shared = sharedDir ?? '../shared';

/**
 * The input, built once in the OS temp folder by repeating ../shared/bench/windows-events-base.nested
 * .jsonl.gz `copies` times, adding k×10,000,000 to every EventRecordID in copy k (as ../shared/README.md
 * describes).
 */
export async function buildInput(copies: number): Promise<string> {
  const dir = join(tmpdir(), 'tripline-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `windows-events-x${copies}.jsonl`);
  if (existsSync(path)) return path;
  const base: string[] = [];
  const rl = createInterface({
    input: createReadStream(join(shared, 'bench/windows-events-base.nested.jsonl.gz')).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  for await (const line of rl) if (line.trim() !== '') base.push(line);
  const tmp = path + '.part';
  const out = createWriteStream(tmp);
  for (let k = 0; k < copies; k++) {
    const add = k * 10_000_000;
    const chunk = base
      .map((l) =>
        k === 0
          ? l
          : l.replace(/"EventRecordID":(\d+)/, (_m, n: string) => `"EventRecordID":${Number(n) + add}`),
      )
      .join('\n');
    if (!out.write(chunk + '\n')) await new Promise<void>((r) => out.once('drain', r));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  renameSync(tmp, path);
  return path;
}

/** The Windows rule folders of the corpus (those that exist). */
export function ruleDirs(): string[] {
  const root = join(shared, 'corpus/sigmahq');
  return [
    'rules',
    'rules-emerging-threats',
    'rules-threat-hunting',
    'rules-placeholder',
    'rules-compliance',
    'rules-dfir',
  ]
    .map((d) => join(root, d, 'windows'))
    .filter(existsSync);
}
