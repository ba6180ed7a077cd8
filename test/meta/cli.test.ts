import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands/index.js';

export function capture(): { io: Parameters<typeof main>[1] & object; out: () => string; err: () => string } {
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
    io: { stdout: mk((s) => (out += s)), stderr: mk((s) => (err += s)), cwd: process.cwd(), env: {} },
    out: () => out,
    err: () => err,
  };
}

test('tripline --help lists every command', async () => {
  const c = capture();
  assert.equal(await main(['--help'], c.io), 0);
  for (const cmd of commands) assert.match(c.out(), new RegExp(`\\b${cmd.name}\\b`));
});

test('every command has --help with usage, options and examples', async () => {
  for (const cmd of commands) {
    const c = capture();
    assert.equal(await main([cmd.name, '--help'], c.io), 0);
    assert.match(c.out(), /^Usage: tripline /);
    assert.match(c.out(), /Examples:\n {2}tripline /);
  }
});

test('unknown command and unknown option are usage errors (exit 2)', async () => {
  const c = capture();
  assert.equal(await main(['frobnicate'], c.io), 2);
  assert.match(c.err(), /TL9001/);
  const d = capture();
  assert.equal(await main(['check', '--no-such-option'], d.io), 2);
  assert.match(d.err(), /TL9002/);
});
