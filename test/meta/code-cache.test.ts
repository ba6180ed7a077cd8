/**
 * The bundled CLI's V8 code caches (build/cli/core.<group>.cache, written by `npm run build`; see
 * src/cli/bundle-loader.ts): V8 accepts the ones the build wrote, and a cache that is missing, stale or
 * damaged changes nothing but speed. Each case runs in a fresh process (V8 flags are process-wide).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../../..');
const rules = join(root, 'content/detections');

/** What the loader did with the group's cache in a fresh process: accepted, rejected or none. */
function cacheOutcome(cli: string, group: 'cold' | 'warm'): string {
  const script =
    `const m = await import(${JSON.stringify(pathToFileURL(join(cli, 'load.js')).href)});` +
    `m.setGroupFlags('${group}'); process.stdout.write(m.loadBundle(${JSON.stringify(cli)}, '${group}').cache);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function convert(bin: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, 'convert', '-t', 'splunk,kusto', '--json', rules], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('V8 accepts the code caches the build wrote, each under its flags', () => {
  const cli = join(root, 'build/cli');
  assert.equal(cacheOutcome(cli, 'cold'), 'accepted');
  assert.equal(cacheOutcome(cli, 'warm'), 'accepted');
});

test('a missing, stale or damaged code cache gives the same output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-cache-'));
  try {
    cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(root, 'build/cli'), join(dir, 'build/cli'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    const cli = join(dir, 'build/cli');
    const bin = join(dir, 'bin/tripline.js');
    const file = join(cli, 'core.cold.cache');
    const good = readFileSync(file);
    const expected = convert(bin);
    assert.match(expected.err, /converted \d+ of \d+ documents to splunk/);
    assert.ok(expected.out.length > 0);

    const flipped = Buffer.from(good);
    for (let i = flipped.length >> 1; i < (flipped.length >> 1) + 64; i++) flipped[i]! ^= 0x5a;
    const stale = Buffer.from(good);
    stale.write('f'.repeat(40), 4, 'latin1');
    const cases: [string, Buffer | undefined, string][] = [
      ['absent', undefined, 'none'],
      ['empty', Buffer.alloc(0), 'none'],
      ['from another build', stale, 'none'],
      ['truncated', good.subarray(0, good.length >> 1), 'rejected'],
      ['damaged in the middle', flipped, 'rejected'],
      [
        'garbage after a valid header',
        Buffer.concat([good.subarray(0, 44), Buffer.alloc(4096, 7)]),
        'rejected',
      ],
    ];
    for (const [label, bytes, outcome] of cases) {
      if (bytes) writeFileSync(file, bytes);
      else rmSync(file);
      assert.equal(cacheOutcome(cli, 'cold'), outcome, label);
      const got = convert(bin);
      assert.equal(got.code, expected.code, `${label}: ${got.err}`);
      assert.equal(got.out, expected.out, label);
      assert.equal(got.err, expected.err, label);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
