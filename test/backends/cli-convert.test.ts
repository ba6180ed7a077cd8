import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

function capture(cwd: string): {
  io: Parameters<typeof main>[1] & object;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  const mk = (f: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        f(chunk.toString());
        cb();
      },
    });
  return {
    io: { stdout: mk((s) => (out += s)), stderr: mk((s) => (err += s)), cwd, env: {} },
    out: () => out,
    err: () => err,
  };
}

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
