/**
 * SigmaHQ regression data: each case names a rule (info.yml) and holds the events it must match (.json,
 * and the same events as .evtx). Hunting the rule over the events must give match_count hits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import type { Hit } from '../../src/engine/index.js';
import { Engine, feedJsonText, huntFile, referenceMatch, toEventView } from '../../src/engine/index.js';
import { loadSigmaFile } from '../../src/sigma/index.js';
import { shared } from './helpers.js';

const corpus = join(shared, 'corpus/sigmahq');
const regression = join(corpus, 'regression_data');

/**
 * Cases whose match_count is lower than the number of events in the file that match the rule: every event
 * listed here was checked by hand to satisfy the rule (SigmaHQ's own runner treats a higher count as a
 * warning, "consider updating match_count"). For these the test requires at least match_count and exactly
 * the hand-checked number.
 */
const STALE_COUNTS: Record<string, { hits: number; why: string }> = {
  '45e112d0-7759-4c2a-aa36-9f8fb79d3393': {
    hits: 3,
    why: 'three SetValue events under ZoneMap\\Domains\\ with Details DWORD (0x00000002), none filtered',
  },
  'c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e': {
    hits: 2,
    why: 'AutoShareServer and AutoShareWks both set to DWORD (0x00000000) under LanmanServer\\Parameters',
  },
};

function* walk(d: string): Generator<string> {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

interface Case {
  name: string;
  dir: string;
  ruleId: string;
  rulePath: string | undefined;
  tests: { path: string; match_count?: number }[];
}

function cases(): Case[] {
  const ids = new Map<string, string>();
  for (const d of readdirSync(corpus))
    if (d.startsWith('rules') || d === 'deprecated')
      for (const p of walk(join(corpus, d)))
        if (p.endsWith('.yml')) {
          const m = /^id:\s*(\S+)/m.exec(readFileSync(p, 'utf8'));
          if (m) ids.set(m[1]!, p);
        }
  const out: Case[] = [];
  for (const info of [...walk(regression)].filter((p) => p.endsWith('info.yml')).sort()) {
    const y = parse(readFileSync(info, 'utf8')) as {
      rule_metadata: { id: string }[];
      regression_tests_info?: { path: string; match_count?: number }[];
    };
    if (!y.regression_tests_info) continue;
    const dir = dirname(info);
    const ruleId = y.rule_metadata[0]!.id;
    out.push({
      name: relative(regression, dir),
      dir,
      ruleId,
      rulePath: ids.get(ruleId),
      tests: y.regression_tests_info,
    });
  }
  return out;
}

function countHits(engine: Engine, feed: () => void | Promise<void>): Promise<Hit[]> {
  const hits: Hit[] = [];
  engine.onHit((h) => hits.push(h));
  return Promise.resolve(feed()).then(() => {
    engine.finish();
    return hits;
  });
}

test('SigmaHQ regression data: every case gives its match_count (JSON events)', async (t) => {
  if (!existsSync(regression)) return t.skip('../shared not found');
  const all = cases();
  assert.ok(all.length >= 100, `found only ${all.length} cases`);
  const failures: string[] = [];
  for (const c of all) {
    if (!c.rulePath) {
      failures.push(`${c.name}: rule ${c.ruleId} not found in the corpus`);
      continue;
    }
    const { engine, diagnostics } = Engine.compile(loadSigmaFile(c.rulePath).file.documents);
    if (engine.rules.length === 0) {
      failures.push(`${c.name}: rule did not compile: ${diagnostics.map((d) => d.code).join(',')}`);
      continue;
    }
    for (const tc of c.tests) {
      const json = readdirSync(c.dir).find((f) => f.endsWith('.json'));
      if (!json) continue;
      const path = join(c.dir, json);
      const hits = await countHits(engine, () =>
        feedJsonText(engine, path, readFileSync(path), (line, m) =>
          failures.push(`${c.name}: corrupt ${line} ${m}`),
        ),
      );
      const stale = STALE_COUNTS[c.ruleId];
      const want = stale?.hits ?? tc.match_count;
      const ok = want === undefined ? hits.length >= 1 : hits.length === want;
      if (!ok) failures.push(`${c.name}: ${hits.length} hits, want ${want ?? '≥ 1'}`);
      if (tc.match_count !== undefined && hits.length < tc.match_count)
        failures.push(`${c.name}: fewer hits than match_count ${tc.match_count}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('SigmaHQ regression data: the .evtx beside each case, read by our EVTX reader, gives the same hits', async (t) => {
  if (!existsSync(regression)) return t.skip('../shared not found');
  const failures: string[] = [];
  let compared = 0;
  for (const c of cases()) {
    if (!c.rulePath) continue;
    const files = readdirSync(c.dir);
    const evtx = files.find((f) => f.endsWith('.evtx'));
    const json = files.find((f) => f.endsWith('.json'));
    if (!evtx || !json) continue;
    const docs = loadSigmaFile(c.rulePath).file.documents;
    const a = Engine.compile(docs).engine;
    const fromJson = await countHits(a, () =>
      feedJsonText(a, json, readFileSync(join(c.dir, json)), () => undefined),
    );
    const b = Engine.compile(docs).engine;
    let diags: unknown[] = [];
    const fromEvtx = await countHits(b, async () => {
      diags = await huntFile(b, join(c.dir, evtx));
    });
    compared++;
    const ids = (hs: Hit[]): string[] =>
      hs.map((h) => (h.kind === 'rule' ? String(h.event.recordId) : '')).sort();
    if (fromJson.length !== fromEvtx.length || ids(fromJson).join() !== ids(fromEvtx).join())
      failures.push(
        `${c.name}: json ${ids(fromJson).join(' ')} vs evtx ${ids(fromEvtx).join(' ')} ${JSON.stringify(diags)}`,
      );
  }
  assert.ok(compared >= 100);
  assert.deepEqual(failures, []);
});

test('SigmaHQ regression data: compiled matchers and the reference interpreter agree on every event', async (t) => {
  if (!existsSync(regression)) return t.skip('../shared not found');
  const disagreements: string[] = [];
  for (const c of cases()) {
    if (!c.rulePath) continue;
    const { engine } = Engine.compile(loadSigmaFile(c.rulePath).file.documents);
    const json = readdirSync(c.dir).find((f) => f.endsWith('.json'));
    if (!json) continue;
    const objs: unknown[] = [];
    const collector = Engine.compile([]).engine;
    collector.matchObject = (o: unknown): void => void objs.push(o);
    collector.matchLine = (buf: Buffer, s: number, e: number): boolean => {
      objs.push(JSON.parse(buf.toString('utf8', s, e)));
      return true;
    };
    feedJsonText(collector, json, readFileSync(join(c.dir, json)), () => undefined);
    for (const o of objs)
      for (const r of engine.rules) {
        const fast = r.match(toEventView(o));
        const ref = referenceMatch(r.tree, toEventView(o));
        if (fast !== ref) disagreements.push(`${c.name}: rule ${r.id} fast=${fast} reference=${ref}`);
      }
  }
  await Promise.resolve();
  assert.deepEqual(disagreements, []);
});
