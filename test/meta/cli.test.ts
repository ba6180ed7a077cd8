import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands/index.js';
import { capture } from '../helpers/cli.js';

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
