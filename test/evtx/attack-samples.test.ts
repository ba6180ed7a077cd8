import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readEvtx } from '../../src/evtx/index.js';
import { ATTACK_SAMPLES, evtxFiles, haveShared } from './shared.js';
import { diffXml, parseXml } from './xml-tree.js';

interface Reference {
  record_id: number;
  timestamp: string;
  xml: string;
}

test('record ids, timestamps and XML of every attack sample match python-evtx', (t) => {
  if (!haveShared()) {
    t.skip('../shared not found');
    return;
  }
  const files = evtxFiles(ATTACK_SAMPLES);
  assert.ok(files.length >= 150, `expected the attack samples, found ${files.length} files`);
  let matchedFiles = 0;
  let matchedRecords = 0;
  let totalRecords = 0;
  const failures: string[] = [];
  for (const file of files) {
    const expected = readFileSync(file.replace(/\.evtx$/i, '.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Reference);
    const got = [...readEvtx(file).records];
    totalRecords += expected.length;
    const problems: string[] = [];
    if (got.length !== expected.length) problems.push(`${got.length} records, expected ${expected.length}`);
    for (let i = 0; i < Math.min(got.length, expected.length); i++) {
      const g = got[i];
      const e = expected[i];
      if (!g || !e) continue;
      let why: string | undefined;
      if (g.recordId !== e.record_id) why = `record id ${String(g.recordId)} ≠ ${e.record_id}`;
      else if (g.timestamp !== e.timestamp) why = `timestamp ${g.timestamp} ≠ ${e.timestamp}`;
      else why = diffXml(parseXml(g.xml), parseXml(e.xml));
      if (why) problems.push(`record ${e.record_id}: ${why.slice(0, 300)}`);
      else matchedRecords++;
    }
    if (problems.length === 0) matchedFiles++;
    else failures.push(`${relative(ATTACK_SAMPLES, file)}: ${problems.slice(0, 3).join('; ')}`);
  }
  t.diagnostic(
    `${matchedFiles}/${files.length} files, ${matchedRecords}/${totalRecords} records match exactly`,
  );
  assert.deepEqual(failures, []);
});
