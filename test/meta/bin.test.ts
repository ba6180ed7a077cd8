/**
 * `tripline` as users run it: bin/tripline.js loads the bundled CLI (build/cli, written by
 * `npm run build`). The other CLI tests call main() from build/src, so these check that the bundle
 * behaves the same, including the paths that start worker threads from files beside the bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sharedDir } from '../helpers/shared.js';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin/tripline.js');
const shared = sharedDir;

function tripline(args: string[], cwd = root): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('bin/tripline.js prints the package version and the command list', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(tripline(['--version']).out.trim(), pkg.version);
  const help = tripline(['--help']);
  for (const c of ['check', 'convert', 'hunt', 'evtx', 'build', 'serve'])
    assert.match(help.out, new RegExp(`\\n  ${c} `));
});

test('bundled convert on worker threads equals single-threaded, correlation across chunks included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-bin-'));
  for (let i = 0; i < 120; i++) {
    writeFileSync(
      join(dir, `r${String(i).padStart(3, '0')}.yml`),
      `title: Rule ${i}\nid: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}\n${i === 0 ? 'name: base\n' : ''}` +
        `status: test\nlogsource: {product: windows, category: process_creation}\n` +
        `detection:\n  sel: {Image|endswith: '\\\\t${i}.exe'}\n  condition: sel\nlevel: low\n`,
    );
  }
  writeFileSync(
    join(dir, 'zz.yml'),
    `title: Many\nid: 99999999-9999-4999-8999-999999999999\nstatus: test\ncorrelation:\n  type: event_count\n` +
      `  rules: [base]\n  group-by: [User]\n  timespan: 1h\n  condition: {gte: 3}\nlevel: high\n`,
  );
  const one = tripline(['convert', '-t', 'splunk,kusto', '--json', '-j', '1', dir]);
  const two = tripline(['convert', '-t', 'splunk,kusto', '--json', '-j', '2', dir]);
  assert.equal(one.code, 0, one.err);
  assert.equal(two.code, 0, two.err);
  assert.equal(two.out, one.out);
  assert.doesNotMatch(two.err, /worker thread failed/);
  assert.equal(one.out.trim().split('\n').length, 2 * 120);
});

test('bundled evtx dump on worker threads reads what one thread reads', (t) => {
  const dir = join(shared, 'evtx/attack-samples');
  if (!existsSync(dir)) {
    t.skip('../shared not found');
    return;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.evtx'))
    .sort()
    .slice(0, 4)
    .map((f) => join(dir, f));
  const count = (jobs: string): number =>
    tripline(['evtx', 'dump', '--jobs', jobs, ...files])
      .out.split('\n')
      .filter((l) => l !== '').length;
  const one = count('1');
  assert.ok(one > 0);
  assert.equal(count('2'), one);
});

test('every worker thread started from src has an entry in the CLI bundle', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const workers = walk(join(root, 'src')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/new Worker\(new URL\('\.\/([\w-]+)\.js'/g)].map((m) => m[1]!),
  );
  assert.ok(workers.length >= 4);
  for (const w of workers)
    assert.ok(existsSync(join(root, 'build/cli', `${w}.js`)), `build/cli/${w}.js missing`);
});
