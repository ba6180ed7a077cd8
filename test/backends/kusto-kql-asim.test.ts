/**
 * Every query the sentinel_asim pipeline yields over the SigmaHQ corpus, checked with Microsoft's Kusto
 * parser against the table schemas we declare: no syntax error, no unknown column or table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFiles, convertFile, haveShared } from './kusto-corpus.js';
import { KqlChecker } from './kusto-kql-checker.js';

test('sentinel_asim: every query of the SigmaHQ corpus parses and names only declared columns', (t) => {
  if (!haveShared) return t.skip('../shared not found');
  const checker = new KqlChecker();
  const bad: string[] = [];
  const typeIssues = new Map<string, number>();
  let queries = 0;
  for (const file of corpusFiles()) {
    for (const q of convertFile(file, { pipeline: 'sentinel_asim' })) {
      if (q.startsWith('ERR:')) continue;
      queries++;
      for (const p of checker.check(q)) {
        if (p.kind === 'syntax' || p.kind === 'name') bad.push(`${file}: ${p.code} ${p.message}`);
        else typeIssues.set(p.code, (typeIssues.get(p.code) ?? 0) + 1);
      }
    }
  }
  t.diagnostic(
    `sentinel_asim: ${queries} queries checked; other findings ${JSON.stringify(Object.fromEntries(typeIssues))}`,
  );
  assert.ok(queries > 0);
  assert.deepEqual(bad, []);
});
