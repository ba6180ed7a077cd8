import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCoverage, toNavigatorLayer } from '../../src/attack/index.js';

const detections = [
  {
    id: 'a',
    title: 'Collect',
    tags: ['attack.collection', 'attack.t1119'],
    atomics: ['cb379146-53f1-43e0-b884-7ce2c635ff5b'],
  },
  { id: 'b', title: 'Task', tags: ['attack.persistence', 'attack.t1053.005'] },
  { id: 'c', title: 'Task too', tags: ['attack.t1053.005'] },
  { id: 'd', title: 'Untagged', tags: ['attack.collection'] },
  {
    id: 'e',
    title: 'Typo',
    tags: ['attack.t1119', 'attack.t9999'],
    atomics: ['00000000-0000-4000-8000-000000000000'],
  },
];
const atomics = [
  {
    guid: 'cb379146-53f1-43e0-b884-7ce2c635ff5b',
    technique: 'T1119',
    name: 'Automated Collection Command Prompt',
  },
  {
    guid: '634bd9b9-dc83-4229-b19f-7f83ba9ad313',
    technique: 'T1119',
    name: 'Automated Collection PowerShell',
  },
  {
    guid: '2e22641d-0498-48d2-b9ff-c71e496ccdbe',
    technique: 'T1482',
    name: 'Windows - Discover domain trusts with nltest',
  },
];

test('coverage groups techniques by the tactics the detections claim', () => {
  const r = computeCoverage(detections);
  const persistence = r.tactics.find((t) => t.tactic.shortname === 'persistence')!;
  const execution = r.tactics.find((t) => t.tactic.shortname === 'execution')!;
  const task = r.techniques.find((t) => t.technique.id === 'T1053.005')!;
  // 'b' claims persistence; 'c' claims nothing, so the technique counts under all its tactics.
  assert.deepEqual(task.tactics, ['execution', 'persistence', 'privilege-escalation']);
  assert.deepEqual(
    task.detections.map((d) => d.id),
    ['b', 'c'],
  );
  assert.ok(persistence.techniques.includes(task));
  assert.ok(execution.techniques.includes(task));
  assert.ok(persistence.total > 100);
  assert.deepEqual(
    r.unmapped.map((d) => d.id),
    ['d'],
  );
  assert.deepEqual(r.unknownTechniques, [{ detection: { id: 'e', title: 'Typo' }, tag: 'attack.t9999' }]);
  assert.equal(r.totals.techniquesCovered, 2);
  assert.equal(r.atomics, undefined);
});

test('atomics are split into with and without a detection, and unknown GUIDs are reported', () => {
  const r = computeCoverage(detections, atomics);
  assert.ok(r.atomics);
  const by = new Map(r.atomics.withDetection.map((x) => [x.atomic.guid, x]));
  assert.equal(by.get('cb379146-53f1-43e0-b884-7ce2c635ff5b')?.via, 'link');
  assert.equal(by.get('634bd9b9-dc83-4229-b19f-7f83ba9ad313')?.via, 'technique');
  assert.deepEqual(
    r.atomics.withoutDetection.map((a) => a.technique),
    ['T1482'],
  );
  assert.deepEqual(
    r.atomics.unknownLinks.map((u) => [u.detection.id, u.guid]),
    [['e', '00000000-0000-4000-8000-000000000000']],
  );
});

test('the Navigator layer is format 4.5 with one entry per technique and tactic, scored by detections', () => {
  const layer = toNavigatorLayer(computeCoverage(detections), { attackVersion: '18', name: 'x' });
  assert.equal(layer.versions.layer, '4.5');
  assert.equal(layer.versions.attack, '18');
  assert.equal(layer.domain, 'enterprise-attack');
  const t1119 = layer.techniques.filter((t) => t.techniqueID === 'T1119');
  assert.deepEqual(
    t1119.map((t) => [t.tactic, t.score]),
    [['collection', 2]],
  );
  const task = layer.techniques.filter((t) => t.techniqueID === 'T1053.005');
  assert.deepEqual(task.map((t) => t.tactic).sort(), ['execution', 'persistence', 'privilege-escalation']);
  assert.equal(layer.gradient.maxValue, 2);
  // The file must survive a JSON round trip unchanged (Navigator reads plain JSON).
  assert.deepEqual(JSON.parse(JSON.stringify(layer)), layer);
  assert.equal(toNavigatorLayer(computeCoverage([])).versions.attack, undefined);
});
