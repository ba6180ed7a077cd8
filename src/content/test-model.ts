/**
 * The test model: what a detection test expects, and how an evaluator's hits are judged against it.
 * The evaluator (the engine) is plugged in by `tripline test`; this module holds no engine code.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import { readDatasetText } from './datasets.js';
import { readEvtx } from '../evtx/index.js';
import type { Detection, DetectionTest } from './model.js';

export interface TestEvent {
  event: Record<string, unknown>;
  /** Where the event came from, for messages: `inline #2` or `datasets/x.jsonl:14`. */
  origin: string;
}

/** One hit reported by an evaluator: which input event (index into the events given), and its flags. */
export interface TestHit {
  /** Index of the (last) contributing event; for correlations, the event that completed the window. */
  eventIndex: number;
  /** Value of every enrichment flag the detection defines, for this hit. */
  enrichment: Record<string, boolean>;
}

/**
 * What `tripline test` plugs in: evaluate one detection (with its base rules, enrichment flags and,
 * for a target override, the override's semantics) over a list of events.
 */
export interface DetectionEvaluator {
  evaluate(detection: Detection, events: readonly TestEvent[]): Result<TestHit[]>;
}

/** Reads `.evtx` datasets into events in the evtx JSON shape. */
export type EvtxEventReader = (path: string) => Result<Record<string, unknown>[]>;

/** The default `.evtx` reader: the project's EVTX reader, records in file order. */
export const readEvtxEvents: EvtxEventReader = (path) => {
  const r = readEvtx(path);
  const events: Record<string, unknown>[] = [];
  for (const rec of r.records) events.push(rec.event);
  return r.diagnostics.some((d) => d.severity === 'error') && events.length === 0
    ? fail(r.diagnostics)
    : ok(events, r.diagnostics);
};

export interface TestFailure {
  /** Machine-readable reason. */
  reason: 'match-count' | 'enrichment' | 'events' | 'evaluator';
  message: string;
  /** Hit number (1-based) and flag, for enrichment failures. */
  hit?: number;
  flag?: string;
  origin?: string;
}

export interface TestVerdict {
  detection: string;
  test: string;
  kind: DetectionTest['kind'];
  pass: boolean;
  expectedMatches: number;
  actualMatches: number;
  failures: TestFailure[];
  diagnostics: Diagnostic[];
}

/** The events of a test, inline or from its dataset. */
export function testEvents(
  test: DetectionTest,
  readEvtxFile: EvtxEventReader = readEvtxEvents,
): Result<TestEvent[]> {
  if (test.events) return ok(test.events.map((event, i) => ({ event, origin: `inline #${i + 1}` })));
  const path = test.datasetPath;
  if (path === undefined || test.dataset === undefined) {
    return fail({ code: 'TL8026', severity: 'error', message: `test '${test.name}' has no events` });
  }
  if (path.toLowerCase().endsWith('.evtx')) {
    const r = readEvtxFile(path);
    if (!r.ok) return r;
    return ok(
      r.value.map((event, i) => ({ event, origin: `${test.dataset!}#${i + 1}` })),
      r.diagnostics,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return fail({ code: 'TL8014', severity: 'error', message: (e as Error).message, file: path });
  }
  const r = readDatasetText(text, path);
  if (!r.ok) return r;
  return ok(
    r.value.map((e) => ({ event: e.event, origin: `${test.dataset!}:${e.line}` })),
    r.diagnostics,
  );
}

/** Compare an evaluator's hits with a test's expectations. */
export function judgeTest(
  detection: Detection,
  test: DetectionTest,
  events: readonly TestEvent[],
  hits: Result<TestHit[]>,
): TestVerdict {
  const verdict: TestVerdict = {
    detection: detection.id,
    test: test.name,
    kind: test.kind,
    pass: false,
    expectedMatches: test.expect.matches,
    actualMatches: hits.ok ? hits.value.length : 0,
    failures: [],
    diagnostics: hits.diagnostics,
  };
  if (!hits.ok) {
    verdict.failures.push({
      reason: 'evaluator',
      message: 'the detection could not be evaluated (see diagnostics)',
    });
    return verdict;
  }
  const list = hits.value;
  if (list.length !== test.expect.matches) {
    const origins = list.map((h) => events[h.eventIndex]?.origin ?? `event ${h.eventIndex + 1}`);
    verdict.failures.push({
      reason: 'match-count',
      message:
        `expected ${test.expect.matches} match(es), got ${list.length}` +
        (origins.length > 0 ? ` (hits: ${origins.join(', ')})` : ''),
    });
  }
  test.expect.enrichment.forEach((expected, i) => {
    const hit = list[i];
    if (!hit) return;
    const origin = events[hit.eventIndex]?.origin;
    for (const [flag, want] of Object.entries(expected)) {
      const got = hit.enrichment[flag];
      if (got !== want) {
        verdict.failures.push({
          reason: 'enrichment',
          message: `hit ${i + 1}${origin !== undefined ? ` (${origin})` : ''}: ${flag} is ${String(got)}, expected ${String(want)}`,
          hit: i + 1,
          flag,
          ...(origin !== undefined ? { origin } : {}),
        });
      }
    }
  });
  verdict.pass = verdict.failures.length === 0;
  return verdict;
}

/** Every test of every detection through an evaluator; the shape `tripline test` reports. */
export function runDetectionTests(
  detections: readonly Detection[],
  evaluator: DetectionEvaluator,
  readEvtxFile: EvtxEventReader = readEvtxEvents,
): TestVerdict[] {
  const out: TestVerdict[] = [];
  for (const d of detections) {
    for (const t of d.tripline.tests) {
      const ev = testEvents(t, readEvtxFile);
      if (!ev.ok) {
        out.push({
          detection: d.id,
          test: t.name,
          kind: t.kind,
          pass: false,
          expectedMatches: t.expect.matches,
          actualMatches: 0,
          failures: [{ reason: 'events', message: 'the test events could not be read' }],
          diagnostics: ev.diagnostics,
        });
        continue;
      }
      out.push(judgeTest(d, t, ev.value, evaluator.evaluate(d, ev.value)));
    }
  }
  return out;
}
