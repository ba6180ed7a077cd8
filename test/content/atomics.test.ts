import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAtomicIndex, scanAtomics } from '../../src/content/index.js';
import { contentFixture, sharedDir } from './helpers.js';

const SAMPLE = `attack_technique: T1119
display_name: Automated Collection
atomic_tests:
- name: "Quoted: name"
  auto_generated_guid: CB379146-53F1-43E0-B884-7CE2C635FF5B
  description: |
    - name: not a test, inside a block scalar
  supported_platforms:
    - windows
    - linux
  executor:
    name: command_prompt
- name: Second
  auto_generated_guid: 634bd9b9-dc83-4229-b19f-7f83ba9ad313
  supported_platforms:
  - windows
`;

test('the line scanner reads names, GUIDs and platforms of the Atomic Red Team layout', () => {
  assert.deepEqual(scanAtomics(SAMPLE, 'T1119'), [
    {
      guid: 'cb379146-53f1-43e0-b884-7ce2c635ff5b',
      technique: 'T1119',
      name: 'Quoted: name',
      platforms: ['windows', 'linux'],
    },
    {
      guid: '634bd9b9-dc83-4229-b19f-7f83ba9ad313',
      technique: 'T1119',
      name: 'Second',
      platforms: ['windows'],
    },
  ]);
});

test('an unexpected layout makes the scanner give up, and the index falls back to the YAML parser', () => {
  const flow =
    'attack_technique: T1119\natomic_tests:\n  - {name: Flow, auto_generated_guid: 634bd9b9-dc83-4229-b19f-7f83ba9ad313}\n';
  assert.equal(scanAtomics(flow, 'T1119'), undefined);
  const dir = contentFixture({
    'T1119/T1119.yaml': flow,
    'T1005/T1005.yaml': SAMPLE.replace('T1119', 'T1005'),
  });
  const r = loadAtomicIndex(dir);
  assert.ok(r.ok);
  assert.deepEqual(
    r.value.tests.map((t) => [t.technique, t.name]),
    [
      ['T1005', 'Quoted: name'],
      ['T1005', 'Second'],
      ['T1119', 'Flow'],
    ],
  );
  assert.equal(r.value.byGuid.get('634bd9b9-dc83-4229-b19f-7f83ba9ad313')?.technique, 'T1119');
});

test('the scanner agrees with the YAML parser on every file of ../shared Atomic Red Team', (t) => {
  const shared = sharedDir();
  if (!shared) {
    t.skip('../shared not found');
    return;
  }
  const dir = join(shared, 'data/atomic-red-team/atomics');
  let scanned = 0;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, `${name}.yaml`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const fast = scanAtomics(text, name);
    if (!fast) continue;
    scanned++;
    const doc = parse(text) as {
      attack_technique: string;
      atomic_tests?: { name: string; auto_generated_guid?: string; supported_platforms?: string[] }[];
    };
    const full = (doc.atomic_tests ?? [])
      .filter((x) => x.auto_generated_guid !== undefined)
      .map((x) => ({
        guid: x.auto_generated_guid!.toLowerCase(),
        technique: doc.attack_technique.toUpperCase(),
        name: x.name,
        platforms: x.supported_platforms ?? [],
      }));
    assert.deepEqual(fast, full, name);
  }
  assert.ok(scanned > 300, `${scanned} files scanned`);
});
