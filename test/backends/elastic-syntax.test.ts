/**
 * Every query the Elastic targets emit for the SigmaHQ corpus must parse: Lucene with the npm
 * `lucene` query parser, EQL and ES|QL with the recognizers in ./elastic-grammar.ts. A syntax
 * error here is one a user would otherwise meet in Kibana.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Converter } from '../../src/backends/convert.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { checkEql, checkEsql, neutralizeLuceneRegexes } from './elastic-grammar.js';
import { readJsonl, sharedAvailable, sharedDir } from './harness.js';

const lucene = createRequire(import.meta.url)('lucene') as { parse(q: string): unknown };

function checkLucene(q: string): void {
  lucene.parse(neutralizeLuceneRegexes(q));
}

const checks: Record<string, (q: string) => void> = {
  'elastic-lucene': checkLucene,
  'elastic-eql': checkEql,
  'elastic-esql': checkEsql,
};

test('grammar recognizers reject what Elasticsearch rejects', () => {
  assert.throws(() => checkEql('any where a:"x'), /unterminated/);
  assert.throws(() => checkEql('any where a:"x" and'), /expected/);
  assert.throws(() => checkEql('any where (a:"x"'), /expected '\)'/);
  assert.doesNotThrow(() => checkEql('any where a like~ ("x*", "y") and not ?b != null'));
  assert.throws(() => checkEsql('from * | where a=="x" and'), /expected/);
  assert.throws(() => checkEsql('from * | where a like x'), /pattern string/);
  assert.doesNotThrow(() =>
    checkEsql('from * metadata _id, _index | where starts_with(a, "x") or b in ("1", "2")'),
  );
  assert.throws(() => checkLucene('a:(b OR'));
  // A regular expression that ends at an escaped backslash followed by a slash leaves garbage.
  assert.throws(() => checkLucene('a:/x\\\\/y/'));
});

for (const [target, check] of Object.entries(checks)) {
  test(`${target}: every query for the SigmaHQ corpus parses`, (t) => {
    if (!sharedAvailable) {
      t.skip('../shared not found');
      return;
    }
    const conv = Converter.create({ target, pipelines: ['ecs_windows'] });
    assert.ok(conv.ok);
    const entries = readJsonl<{ path: string }>(
      resolve(sharedDir, 'conformance/corpus/elasticsearch-lucene.jsonl'),
    );
    let queries = 0;
    const bad: string[] = [];
    for (const e of entries) {
      const parsed = parseSigmaText(
        readFileSync(resolve(sharedDir, 'corpus/sigmahq', e.path), 'utf8'),
        e.path,
      );
      for (const doc of conv.value.convertFiles([parsed.file]).docs) {
        for (const q of doc.output ?? []) {
          queries++;
          try {
            check(q);
          } catch (err) {
            bad.push(`${e.path}: ${(err as Error).message.slice(0, 120)}\n  ${q.slice(0, 300)}`);
          }
        }
      }
    }
    t.diagnostic(`${target}: ${String(queries - bad.length)}/${String(queries)} queries parse`);
    for (const b of bad.slice(0, 20)) t.diagnostic(b);
    assert.deepEqual(bad, []);
  });
}
