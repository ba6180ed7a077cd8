import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-convert-'));
writeFileSync(
  join(dir, 'good.yml'),
  `title: Good
id: 11111111-1111-4111-8111-111111111111
status: test
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625, TargetUserName|endswith: '$'}
  condition: sel
level: low
`,
);
writeFileSync(
  join(dir, 'bad.yml'),
  `title: Bad
id: 22222222-2222-4222-8222-222222222222
status: test
logsource: {category: process_creation, product: windows}
detection:
  a: {Image|endswith: '\\x.exe'}
  b: {User|fieldref: TargetUser}
  condition: a or b
level: low
`,
);

test('convert prints one query per rule with the default pipeline applied', async () => {
  const c = capture(dir);
  const code = await main(['convert', '-t', 'splunk', join(dir, 'good.yml')], c.io);
  assert.equal(code, 0);
  assert.equal(c.out(), 'source="WinEventLog:Security" EventCode=4625 TargetUserName="*$"\n');
});

test('convert --json writes one object per rule, errors with code and message, exit 1', async () => {
  const c = capture(dir);
  const code = await main(['convert', '-t', 'splunk', '--json', dir], c.io);
  assert.equal(code, 1);
  const lines = c
    .out()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const bad = lines.find((l) => l['path'] === 'bad.yml');
  const good = lines.find((l) => l['path'] === 'good.yml');
  assert.deepEqual(bad, {
    path: 'bad.yml',
    id: '22222222-2222-4222-8222-222222222222',
    target: 'splunk',
    error: { code: 'TL5001', message: 'unsupported by target: field reference (|fieldref) inside OR' },
  });
  assert.deepEqual(good?.['output'], ['source="WinEventLog:Security" EventCode=4625 TargetUserName="*$"']);
  assert.equal(good?.['format'], 'default');
  assert.match(c.err(), /bad\.yml\(7,7\): error TL5001/);
});

test('convert --without-pipeline and usage errors', async () => {
  const c = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk', '--without-pipeline', join(dir, 'good.yml')], c.io), 0);
  assert.equal(c.out(), 'EventID=4625 TargetUserName="*$"\n');
  const d = capture(dir);
  assert.equal(await main(['convert', join(dir, 'good.yml')], d.io), 2);
  const e = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk', '-p', 'nope', join(dir, 'good.yml')], e.io), 2);
  assert.match(e.err(), /TL4201/);
});

test('convert --list-targets names splunk', async () => {
  const c = capture(dir);
  assert.equal(await main(['convert', '--list-targets'], c.io), 0);
  assert.match(c.out(), /^splunk\s/m);
});

test('convert -t a,b needs --json or -o; --json carries each target, -o writes one file per target', async () => {
  const a = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk,kusto', join(dir, 'good.yml')], a.io), 2);
  assert.match(a.err(), /several targets need --json or -o DIR/);
  const u = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk,nosuch', '--json', join(dir, 'good.yml')], u.io), 2);
  assert.match(u.err(), /unknown target 'nosuch'/);

  const proc = join(mkdtempSync(join(tmpdir(), 'tripline-convert-proc-')), 'proc.yml');
  writeFileSync(
    proc,
    `title: Proc\nid: 33333333-3333-4333-8333-333333333333\nstatus: test\n` +
      `logsource: {product: windows, category: process_creation}\n` +
      `detection:\n  sel: {Image|endswith: '\\\\whoami.exe'}\n  condition: sel\nlevel: low\n`,
  );
  const j = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk', '-t', 'kusto', '--json', proc], j.io), 0);
  const lines = j
    .out()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { target: string; output: string[] });
  assert.deepEqual(
    lines.map((l) => l.target),
    ['splunk', 'kusto'],
  );
  assert.match(lines[1]!.output[0]!, /^DeviceProcessEvents\n\| where FolderPath endswith "\\\\whoami\.exe"/);

  const out = mkdtempSync(join(tmpdir(), 'tripline-convert-out-'));
  const o = capture(dir);
  assert.equal(await main(['convert', '-t', 'all', '-o', out, proc], o.io), 0, o.err());
  assert.equal(readFileSync(join(out, 'splunk.txt'), 'utf8'), 'Image="*\\\\whoami.exe"\n');
  assert.deepEqual(readdirSync(out).sort(), [
    'elastic-eql.txt',
    'elastic-esql.txt',
    'elastic-lucene.txt',
    'kusto.txt',
    'logscale.txt',
    'qradar.txt',
    'secops.txt',
    'splunk.txt',
    'sumologic.json',
  ]);
  assert.match(o.err(), /converted 1 of 1 documents to secops \(default\) → .*secops\.txt/);
});

test('convert -o writes non-ASCII output as UTF-8 and replaces what the file held', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-convert-utf8-'));
  const rule = join(dir, 'r.yml');
  writeFileSync(
    rule,
    `title: Пароль\nid: 44444444-4444-4444-8444-444444444444\nstatus: test\n` +
      `logsource: {product: windows, category: process_creation}\n` +
      `detection:\n  sel: {CommandLine|contains: 'пароль 密码'}\n  condition: sel\nlevel: low\n`,
  );
  const out = join(dir, 'out');
  const first = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk,sumologic', '-o', out, rule], first.io), 0, first.err());
  // A longer file from an earlier run must not leave its tail behind.
  writeFileSync(join(out, 'splunk.txt'), 'x'.repeat(500));
  const o = capture(dir);
  assert.equal(await main(['convert', '-t', 'splunk,sumologic', '-o', out, rule], o.io), 0, o.err());
  assert.equal(readFileSync(join(out, 'splunk.txt'), 'utf8'), 'CommandLine="*пароль 密码*"\n');
  // Sumo Logic's JSON is ASCII (ensure_ascii), one newline at the end.
  const sumo = readFileSync(join(out, 'sumologic.json'), 'utf8');
  assert.match(sumo, /\\u043f\\u0430\\u0440/);
  assert.ok(/^[\0-\x7f]*\n$/.test(sumo) && !sumo.endsWith('\n\n'));
});

test('convert on worker threads gives exactly the single-threaded output, correlations across chunks included', async () => {
  // More files than one chunk, with a correlation in the last file naming a rule in the first:
  // the threads convert them apart, the correlation must still embed its rule.
  const many = mkdtempSync(join(tmpdir(), 'tripline-convert-many-'));
  for (let i = 0; i < 130; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    writeFileSync(
      join(many, `r${String(i).padStart(3, '0')}.yml`),
      `title: Rule ${i}\nid: ${id}\n${i === 0 ? 'name: failed_logon\n' : ''}status: test\n` +
        `logsource: {product: windows, category: process_creation}\n` +
        `detection:\n  sel: {Image|endswith: '\\\\p${i}.exe', CommandLine|contains: 'u${i}'}\n  condition: sel\nlevel: low\n`,
    );
  }
  writeFileSync(
    join(many, 'z-correlation.yml'),
    `title: Many failed logons\nid: 99999999-9999-4999-8999-999999999999\nstatus: test\n` +
      `correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n` +
      `  timespan: 5m\n  condition: {gte: 10}\nlevel: high\n`,
  );
  const run = async (jobs: string): Promise<{ code: number; out: string; err: string }> => {
    const c = capture(many);
    const code = await main(['convert', '-t', 'splunk,kusto', '--json', '-j', jobs, many], c.io);
    return { code, out: c.out(), err: c.err() };
  };
  const one = await run('1');
  const three = await run('3');
  assert.equal(one.code, 0, one.err);
  assert.equal(three.out, one.out);
  assert.equal(three.code, 0);
  const corr = three.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { path: string; target: string; output?: string[] })
    .find((l) => l.path === 'z-correlation.yml' && l.target === 'splunk');
  assert.match(
    corr?.output?.[0] ?? '',
    /Image="\*\\\\p0\.exe" CommandLine="\*u0\*"[\s\S]*stats count as event_count by _time User/,
  );
});
