/**
 * Writes the code cache of the bundled CLI (build/cli/core.cjs) for one flag group; run by
 * scripts/bundle-cli.mjs, once per group, each in a fresh process: `node scripts/cli-cache.mjs cold|warm`.
 *
 * It sets the group's V8 flags (a cache made under other flags is refused), compiles the core without a
 * cache, runs the commands of the group over content/ with their output discarded, then saves
 * `script.createCachedData()`: the bytecode of every function that ran, so those are not compiled
 * again at run time. Functions the warm-up did not reach are compiled lazily, as without a cache.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { cacheFile, encodeCache, loadBundle, setGroupFlags } from '../build/cli/load.js';

const group = process.argv[2];
if (group !== 'cold' && group !== 'warm') throw new Error('usage: node scripts/cli-cache.mjs cold|warm');
const dir = resolve('build/cli');
setGroupFlags(group);
const { bundle, script, buildId } = loadBundle(dir, group, false);
if (!buildId) throw new Error(`${dir}/core.cjs has no build id`);

const out = mkdtempSync(join(tmpdir(), 'tripline-cache-'));
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });
const io = { stdout: sink(), stderr: sink(), cwd: process.cwd(), env: process.env };
const runs = {
  // bin/tripline.js runs convert and check in this group.
  cold: [
    ['convert', '-t', 'all', '-o', out, 'content/detections'],
    ['convert', '-t', 'splunk,kusto', '--json', 'content/detections'],
    ['convert', '-t', 'splunk', 'content/detections'],
    ['check', 'content/'],
  ],
  // Every other command.
  warm: [
    ['hunt', '-r', 'content/detections', 'content/datasets'],
    ['test', 'content/'],
  ],
}[group];
try {
  for (const argv of runs) {
    const code = await bundle.main(argv, io);
    if (code > 1) throw new Error(`warm-up 'tripline ${argv.join(' ')}' exited with ${code}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const file = cacheFile(dir, group);
writeFileSync(`${file}.tmp`, encodeCache(buildId, script.createCachedData()));
renameSync(`${file}.tmp`, file);
