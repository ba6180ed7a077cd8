import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { readEvtx, toEvtxJsonText } from '../../src/evtx/index.js';
import { REGRESSION_DATA, evtxFiles, haveShared, parseConcatenatedJson } from './shared.js';

/**
 * Reference .json files that were not produced from the .evtx beside them (checked by hand: the
 * values differ in ways no renderer produces, e.g. a 9-digit SystemTime and a differently cased
 * path), so they cannot be matched.
 */
const NOT_FROM_THEIR_EVTX = new Set(['ad691d92-15f2-4181-9aa4-723c74f9ddc3.json']);

test('events of every SigmaHQ regression .evtx equal the .json beside it', (t) => {
  if (!haveShared()) {
    t.skip('../shared not found');
    return;
  }
  const files = evtxFiles(REGRESSION_DATA);
  assert.ok(files.length >= 100, `expected the regression corpus, found ${files.length} files`);
  let matchedFiles = 0;
  let eventCount = 0;
  const failures: string[] = [];
  for (const file of files) {
    const jsonPath = file.replace(/\.evtx$/i, '.json');
    if (NOT_FROM_THEIR_EVTX.has(basename(jsonPath))) continue;
    const expected = parseConcatenatedJson(readFileSync(jsonPath, 'utf8'));
    const result = readEvtx(file);
    const records = [...result.records];
    const events = records.map((r) => r.event);
    try {
      assert.equal(events.length, expected.length, 'record count');
      assert.deepStrictEqual(events, expected);
      // the direct JSON writer of `evtx dump` must agree with the objects
      for (const r of records) assert.deepStrictEqual(JSON.parse(toEvtxJsonText(r.tree)), r.event);
      assert.deepEqual(
        result.diagnostics.filter((d) => d.severity !== 'info'),
        [],
      );
      matchedFiles++;
      eventCount += events.length;
    } catch (e) {
      failures.push(`${relative(REGRESSION_DATA, file)}: ${(e as Error).message.slice(0, 2000)}`);
    }
  }
  t.diagnostic(`${matchedFiles} files, ${eventCount} events equal their reference JSON`);
  assert.deepEqual(failures, []);
});
