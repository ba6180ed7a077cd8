import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ATTACK_SOURCE,
  TACTICS,
  TECHNIQUES,
  lookupTactic,
  lookupTechnique,
  subtechniquesOf,
  tacticsFromTags,
  techniquesByTactic,
  techniquesFromTags,
  validateAttackTag,
} from '../../src/attack/index.js';

const root = resolve(import.meta.dirname, '../../..');
/** ../shared beside the checkout; a worktree sits one level deeper. */
function shared(): string | undefined {
  return [resolve(root, '../shared'), resolve(root, '../../shared')].find((p) => existsSync(p));
}

test('tactics come in Enterprise matrix order', () => {
  assert.deepEqual(
    TACTICS.map((t) => t.shortname),
    [
      'reconnaissance',
      'resource-development',
      'initial-access',
      'execution',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
      'credential-access',
      'discovery',
      'lateral-movement',
      'collection',
      'command-and-control',
      'exfiltration',
      'impact',
    ],
  );
  assert.equal(lookupTactic('TA0009')?.name, 'Collection');
  assert.equal(lookupTactic('command_and_control')?.id, 'TA0011');
  assert.equal(lookupTactic('Command and Control')?.id, 'TA0011');
});

test('lookupTechnique finds techniques and sub-techniques case-insensitively', () => {
  const t = lookupTechnique('t1119');
  assert.equal(t?.name, 'Automated Collection');
  assert.deepEqual(t?.tactics, ['collection']);
  assert.ok(t?.platforms.includes('Windows'));
  assert.equal(t?.url, 'https://attack.mitre.org/techniques/T1119');
  const sub = lookupTechnique('T1003.001');
  assert.equal(sub?.name, 'LSASS Memory');
  assert.equal(sub?.parent, 'T1003');
  assert.equal(sub?.url, 'https://attack.mitre.org/techniques/T1003/001');
  assert.equal(lookupTechnique('T9999'), undefined);
  assert.ok(subtechniquesOf('T1003').some((s) => s.id === 'T1003.006'));
});

test('a technique under several tactics lists them in matrix order', () => {
  const t = lookupTechnique('T1053.005');
  assert.deepEqual(t?.tactics, ['execution', 'persistence', 'privilege-escalation']);
  assert.ok(techniquesByTactic('persistence').some((x) => x.id === 'T1053.005'));
  assert.ok(!techniquesByTactic('impact').some((x) => x.id === 'T1053.005'));
});

test('validateAttackTag classifies Sigma tags', () => {
  assert.equal(validateAttackTag('attack.t1119').kind, 'technique');
  assert.equal(validateAttackTag('attack.t1003.001').kind, 'technique');
  assert.equal(validateAttackTag('attack.collection').kind, 'tactic');
  assert.equal(validateAttackTag('attack.command_and_control').kind, 'tactic');
  assert.equal(validateAttackTag('attack.g0007').kind, 'group');
  assert.equal(validateAttackTag('attack.s0002').kind, 'software');
  assert.deepEqual(validateAttackTag('attack.t9999'), { kind: 'unknown-technique', id: 'T9999' });
  assert.equal(validateAttackTag('attack.t11190').kind, 'malformed');
  assert.equal(validateAttackTag('attack.T1119').kind, 'malformed');
  assert.equal(validateAttackTag('attack.collecting').kind, 'unknown-tactic');
  assert.equal(validateAttackTag('cve.2021-44228').kind, 'not-attack');
  assert.deepEqual(
    techniquesFromTags(['attack.t1119', 'attack.collection', 'attack.t1119', 'attack.t1005']).map(
      (t) => t.id,
    ),
    ['T1119', 'T1005'],
  );
  assert.deepEqual(tacticsFromTags(['attack.exfiltration', 'attack.collection']), [
    'collection',
    'exfiltration',
  ]);
});

test('the pinned table matches ../shared/data/attack/enterprise-attack.json', (t) => {
  const dir = shared();
  if (!dir) {
    t.skip('../shared not found');
    return;
  }
  const src = JSON.parse(readFileSync(resolve(dir, 'data/attack/enterprise-attack.json'), 'utf8')) as {
    attack_spec_version: string;
    techniques: { id: string; name: string; tactics: string[]; platforms: string[] }[];
  };
  assert.equal(ATTACK_SOURCE.specVersion, src.attack_spec_version);
  assert.equal(TECHNIQUES.length, src.techniques.length);
  for (const s of src.techniques) {
    const ours = lookupTechnique(s.id);
    assert.ok(ours, `${s.id} missing`);
    assert.equal(ours.name, s.name);
    assert.deepEqual([...ours.tactics].sort(), [...s.tactics].sort(), s.id);
    assert.deepEqual([...ours.platforms].sort(), [...s.platforms].sort(), s.id);
  }
});
