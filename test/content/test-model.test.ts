import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fail, ok } from '../../src/diagnostics/index.js';
import { judgeTest, loadContent, runDetectionTests, testEvents } from '../../src/content/index.js';
import type { Detection, DetectionEvaluator, TestEvent, TestHit } from '../../src/content/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectionText, fixtureWith, sharedDir } from './helpers.js';

function detection(text = detectionText(), extra: Record<string, string> = {}): Detection {
  const r = loadContent(fixtureWith(text, extra));
  assert.ok(r.ok);
  assert.deepEqual(r.diagnostics, []);
  return r.value.detections[0]!;
}

/** A stand-in for the engine: "matches" events whose CommandLine contains '/s', flags by substring. */
const fakeEngine: DetectionEvaluator = {
  evaluate(_d: Detection, events: readonly TestEvent[]) {
    const hits: TestHit[] = [];
    events.forEach((e, i) => {
      const cmd = typeof e.event.CommandLine === 'string' ? e.event.CommandLine : '';
      if (cmd.includes('/s'))
        hits.push({ eventIndex: i, enrichment: { RecursiveSearch: cmd.includes(' /s ') } });
    });
    return ok(hits);
  },
};

test('a correct evaluator passes both tests of a detection', () => {
  const verdicts = runDetectionTests([detection()], fakeEngine);
  assert.deepEqual(
    verdicts.map((v) => [v.test, v.kind, v.pass, v.actualMatches]),
    [
      ['hit', 'positive', true, 1],
      ['miss', 'negative', true, 0],
    ],
  );
});

test('a wrong match count fails with the events that matched', () => {
  const d = detection();
  const neverMatches: DetectionEvaluator = { evaluate: () => ok([]) };
  const [pos] = runDetectionTests([d], neverMatches);
  assert.equal(pos?.pass, false);
  assert.equal(pos?.failures[0]?.reason, 'match-count');
  const alwaysMatches: DetectionEvaluator = {
    evaluate: (_d, events) =>
      ok(events.map((_, i) => ({ eventIndex: i, enrichment: { RecursiveSearch: true } }))),
  };
  const [, neg] = runDetectionTests([d], alwaysMatches);
  assert.equal(neg?.pass, false);
  assert.match(neg?.failures[0]?.message ?? '', /inline #1/);
});

test('a wrong enrichment value fails naming the hit, the event and the flag', () => {
  const d = detection();
  const test0 = d.tripline.tests[0]!;
  const events: TestEvent[] = [{ event: {}, origin: 'datasets/x.jsonl:7' }];
  const v = judgeTest(d, test0, events, ok([{ eventIndex: 0, enrichment: { RecursiveSearch: false } }]));
  assert.equal(v.pass, false);
  assert.deepEqual(
    v.failures.map((f) => [f.reason, f.hit, f.flag, f.origin]),
    [['enrichment', 1, 'RecursiveSearch', 'datasets/x.jsonl:7']],
  );
});

test('an evaluator failure is a failed test carrying its diagnostics', () => {
  const d = detection();
  const broken: DetectionEvaluator = {
    evaluate: () => fail({ code: 'TL6000', severity: 'error', message: 'boom' }),
  };
  const [v] = runDetectionTests([d], broken);
  assert.equal(v?.pass, false);
  assert.equal(v?.failures[0]?.reason, 'evaluator');
  assert.equal(v?.diagnostics[0]?.code, 'TL6000');
});

test('dataset events are read with their line numbers; .evtx goes through a reader', () => {
  const text = detectionText().replace(
    "      events:\n        - {Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c dir /s *.docx'}",
    '      dataset: datasets/x.jsonl',
  );
  const d = detection(text, { 'datasets/x.jsonl': '\n{"CommandLine": "cmd /c dir /s x"}\n' });
  const ev = testEvents(d.tripline.tests[0]!);
  assert.ok(ev.ok);
  assert.deepEqual(
    ev.value.map((e) => e.origin),
    ['datasets/x.jsonl:2'],
  );
  const evtxTest = { ...d.tripline.tests[0]!, dataset: 'datasets/x.evtx', datasetPath: '/tmp/x.evtx' };
  // The default reader is the project's EVTX reader: a missing file is a failure, not a throw.
  assert.equal(testEvents(evtxTest).ok, false);
  const read = testEvents(evtxTest, () => ok([{ Event: { System: { EventID: 1 } } }]));
  assert.ok(read.ok);
  assert.equal(read.value[0]?.origin, 'datasets/x.evtx#1');
});

test('the default EVTX reader gives the same events as the JSON beside a SigmaHQ regression .evtx', (t) => {
  const shared = sharedDir();
  if (!shared) {
    t.skip('../shared not found');
    return;
  }
  const dir = join(
    shared,
    'corpus/sigmahq/regression_data/rules/windows/process_creation/proc_creation_win_wmic_terminate_application',
  );
  const evtx = join(dir, '49d9671b-0a0a-4c09-8280-d215bfd30662.evtx');
  if (!existsSync(evtx)) {
    t.skip('regression sample not found');
    return;
  }
  const d = detection();
  const test0 = { ...d.tripline.tests[0]!, dataset: 'x.evtx', datasetPath: evtx };
  delete test0.events;
  const ev = testEvents(test0);
  assert.ok(ev.ok);
  const json = JSON.parse(readFileSync(evtx.replace(/\.evtx$/, '.json'), 'utf8')) as {
    Event: { EventData: unknown };
  };
  const first = ev.value[0]?.event as { Event: { EventData: unknown } };
  assert.deepEqual(first.Event.EventData, json.Event.EventData);
  assert.equal(ev.value[0]?.origin, 'x.evtx#1');
});
