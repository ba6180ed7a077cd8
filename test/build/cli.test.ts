/**
 * `tripline build` as a user runs it: exit status 0 / 1 / 2 and what stderr says, and the threaded
 * build (conversion worker, site worker) writing exactly what the single-threaded runBuild writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main.js';
import { runBuild } from '../../src/build/index.js';
import { repoRoot } from '../helpers/shared.js';
import { capture } from '../helpers/cli.js';


const tmp = (p: string): string => mkdtempSync(join(tmpdir(), `tripline-build-cli-${p}-`));

test('build exits 0 on the shipped library, prints the summary and where to open the site', async () => {
  const out = tmp('ok');
  const c = capture(repoRoot);
  assert.equal(await main(['build', 'content', '-o', out, '-q'], c.io), 0, c.err());
  assert.equal(c.err(), '', 'a quiet successful build prints nothing on stderr');
  assert.match(c.out(), /^\d+ detections, \d+ ATT&CK techniques/);
  assert.match(c.out(), /^sentinel\s+\d+\s+\d+\s+\d+$/m);
  assert.match(c.out(), /wrote \d+ files to /);
  assert.match(c.out(), /open file:\/\/.*\/site\/index\.html/);
  assert.ok(existsSync(join(out, 'site', 'index.html')));
  assert.ok(existsSync(join(out, 'packages', 'splunk', 'tripline_detections.tar.gz')));
});

test('build exits 1 when the content has errors, naming the file, position and code', async () => {
  const dir = tmp('bad');
  mkdirSync(join(dir, 'detections'));
  writeFileSync(
    join(dir, 'detections', 'bad.yml'),
    [
      'title: Broken',
      'id: 11111111-2222-3333-4444-555555555555',
      'logsource:',
      '  product: windows',
      '  category: process_creation',
      'detection:',
      '  selection:',
      '    Image|endswith: x.exe',
      '  condition: selection and missing',
      'tags: [attack.t1119]',
      '',
    ].join('\n'),
  );
  const c = capture(repoRoot);
  assert.equal(await main(['build', dir, '-o', join(dir, 'out')], c.io), 1);
  assert.match(c.err(), /bad\.yml\(9,28\): error TL2002: condition references 'missing'/);
});

test('build exits 2 on an unknown option and shows the usage', async () => {
  const c = capture(repoRoot);
  assert.equal(await main(['build', '--bogus'], c.io), 2);
  assert.match(c.err(), /error TL9002: Unknown option '--bogus'/);
  assert.match(c.err(), /Usage: tripline build \[CONTENT_DIR\]/);
});

test('build exits 2 when the content folder does not exist', async () => {
  const missing = join(tmp('missing'), 'no-such-content');
  const c = capture(repoRoot);
  assert.equal(await main(['build', missing, '-o', join(missing, 'out')], c.io), 2);
  assert.match(c.err(), /error TL8028: content directory '.*no-such-content' not found/);
  assert.equal(c.out(), '', 'nothing is reported as built');
  assert.ok(!existsSync(join(missing, 'out')), 'no output folder is created');
});

test('build exits 2 when a --rules folder does not exist or a target is unknown', async () => {
  const base = tmp('usage');
  const c = capture(repoRoot);
  assert.equal(await main(['build', '--rules', join(base, 'nope'), '-o', join(base, 'out')], c.io), 2);
  assert.match(c.err(), /error TL8100: Sigma rules directory '.*nope' not found/);
  const d = capture(repoRoot);
  assert.equal(await main(['build', 'content', '--targets', 'splunkk', '-o', join(base, 'out2')], d.io), 2);
  assert.match(d.err(), /error TL8101: unknown package target 'splunkk' \(targets: splunk, sentinel/);
});

/** Enough distinct rules that the build hands conversions to its worker thread. */
function syntheticRules(dir: string, n: number): void {
  const sources = [
    ['windows', 'process_creation', 'CommandLine|contains'],
    ['windows', 'file_event', 'TargetFilename|endswith'],
    ['windows', 'registry_set', 'TargetObject|contains'],
    ['linux', 'process_creation', 'CommandLine|contains'],
  ] as const;
  for (let i = 0; i < n; i++) {
    const [product, category, field] = sources[i % sources.length]!;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    writeFileSync(
      join(dir, `rule-${i}.yml`),
      [
        `title: Synthetic rule ${i}`,
        `id: ${id}`,
        'status: test',
        'logsource:',
        `  product: ${product}`,
        `  category: ${category}`,
        'detection:',
        '  selection:',
        `    ${field}:`,
        `      - 'needle-${i}'`,
        `      - 'other ${i * 7}'`,
        '  filter:',
        `    User: 'svc${i}'`,
        '  condition: selection and not filter',
        `level: ${['low', 'medium', 'high'][i % 3]}`,
        `tags: [attack.execution, attack.t1059.00${(i % 6) + 1}]`,
        '',
      ].join('\n'),
    );
  }
}

function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'latin1'));
    }
  };
  walk(root);
  return out;
}

test('the threaded CLI build writes exactly what the single-threaded runBuild writes', async () => {
  const base = tmp('same');
  const rules = join(base, 'rules');
  mkdirSync(rules);
  syntheticRules(rules, 80);
  const c = capture(repoRoot);
  assert.equal(await main(['build', '--rules', rules, '-o', join(base, 'cli'), '-q', '--no-site'], c.io), 0, c.err());
  const r = runBuild(undefined, { out: join(base, 'lib'), rules: [rules] });
  assert.ok(r.ok);
  const a = tree(join(base, 'cli'));
  const b = tree(join(base, 'lib'));
  assert.ok(a.size > 80 * 8, `expected per-detection package files, got ${a.size}`);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of a) assert.ok(v === b.get(k), `${k} differs between the threaded and single-threaded builds`);
});
