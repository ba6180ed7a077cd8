/**
 * The whole SigmaHQ corpus (every rules* folder) over every regression event and every attack-sample EVTX
 * record: nothing throws, every rule compiles or is reported, and the three ways of evaluating — compiled
 * matchers on parsed events, the JSONL path with the raw prefilter, and the reference interpreter — agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SigmaDocument } from '../../src/sigma/index.js';
import { loadSigmaFile } from '../../src/sigma/index.js';
import { Engine, referenceMatch, toEventView } from '../../src/engine/index.js';
import { walkFiles } from '../../src/util/files.js';
import { attackEvents, regressionEvents, shared } from './helpers.js';

const corpus = join(shared, 'corpus/sigmahq');

function loadCorpus(): { docs: SigmaDocument[]; files: string[]; loadErrors: Set<string> } {
  const dirs = readdirSync(corpus)
    .filter((d) => d.startsWith('rules'))
    .map((d) => join(corpus, d));
  const { files } = walkFiles(dirs, ['.yml', '.yaml']);
  const docs: SigmaDocument[] = [];
  const loadErrors = new Set<string>();
  for (const f of files) {
    const r = loadSigmaFile(f);
    if (r.diagnostics.some((d) => d.severity === 'error')) loadErrors.add(f);
    docs.push(...r.file.documents);
  }
  return { docs, files, loadErrors };
}

test('whole SigmaHQ corpus: every rule compiles or is reported; the interpreters agree on real events', (t) => {
  if (!existsSync(corpus)) return t.skip('../shared not found');
  const { docs, loadErrors } = loadCorpus();
  const { engine, diagnostics } = Engine.compile(docs);
  const rules = docs.filter((d) => d.kind === 'Rule');
  assert.ok(rules.length > 3000, `only ${rules.length} rules`);
  // Every rule either compiled or has an error diagnostic for its file.
  const compiled = new Set(engine.rules.map((r) => `${r.file}#${r.id}`));
  const reported = new Set([
    ...diagnostics.filter((d) => d.severity === 'error').map((d) => d.file),
    ...loadErrors,
  ]);
  const silent = rules.filter(
    (r) => !compiled.has(`${r.file}#${r.id ?? `${r.file}#${r.index}`}`) && !reported.has(r.file),
  );
  assert.deepEqual(
    silent.map((r) => r.file),
    [],
  );
  // Rejections are explained by code: regexes, placeholders without values, things only printers can do.
  const codes = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
  for (const c of codes) assert.match(c, /^TL[1-3,6]\d{3}$/);
  assert.ok(engine.rules.length / rules.length > 0.98, `${engine.rules.length} of ${rules.length} compiled`);

  const events = [
    ...regressionEvents(),
    ...(existsSync(join(shared, 'evtx/attack-samples')) ? attackEvents(10) : []),
  ];
  assert.ok(events.length > 500, `only ${events.length} events`);
  const viaObjects: string[] = [];
  const viaLines: string[] = [];
  let current = 0;
  const a = Engine.compile(docs).engine;
  a.onHit((h) => viaObjects.push(`${current}:${h.rule.id}`));
  const b = Engine.compile(docs).engine;
  b.onHit((h) => viaLines.push(`${current}:${h.rule.id}`));
  const disagreements: string[] = [];
  for (current = 0; current < events.length; current++) {
    const o = events[current];
    a.matchObject(o, { file: 'mem' });
    const line = Buffer.from(JSON.stringify(o));
    b.matchLine(line, 0, line.length, { file: 'mem' });
    // The reference interpreter on every candidate rule (slow: a tenth of the attack samples above).
    const ev = toEventView(o);
    for (const r of engine.candidatesFor(ev)) {
      const fast = r.match(toEventView(o));
      if (fast !== referenceMatch(r.tree, toEventView(o)))
        disagreements.push(`event ${current}: ${r.id} fast=${fast}`);
    }
  }
  assert.deepEqual(disagreements, []);
  assert.deepEqual(viaLines, viaObjects);
  assert.ok(viaObjects.length > 100, `only ${viaObjects.length} hits`);
});

test('whole SigmaHQ corpus over every benchmark event: the JSONL path (prefilter, raw reader) gives exactly the parsed path hits', (t) => {
  const base = join(shared, 'bench/windows-events-base.nested.jsonl.gz');
  if (!existsSync(corpus) || !existsSync(base)) return t.skip('../shared not found');
  const { docs } = loadCorpus();
  const lines = gunzipSync(readFileSync(base)).toString('utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 8000, `only ${lines.length} events`);
  const parsed = Engine.compile(docs).engine;
  const raw = Engine.compile(docs).engine;
  let current = 0;
  const viaObjects: string[] = [];
  const viaLines: string[] = [];
  parsed.onHit((h) => viaObjects.push(`${current}:${h.rule.id}`));
  raw.onHit((h) => viaLines.push(`${current}:${h.rule.id}`));
  for (current = 0; current < lines.length; current++) {
    parsed.matchObject(JSON.parse(lines[current]!), { file: 'mem' });
    const buf = Buffer.from(lines[current]!);
    raw.matchLine(buf, 0, buf.length, { file: 'mem' });
  }
  parsed.finish();
  raw.finish();
  assert.deepEqual(viaLines, viaObjects);
  assert.ok(viaObjects.length > 2000, `only ${viaObjects.length} hits`);
  // Most lines are decided by the prefilter or read raw; none needs JSON.parse.
  assert.equal(raw.stats.parsed, 0);
});
