import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorrHit, Hit } from '../../src/engine/index.js';
import { compileText, huntObjects } from './helpers.js';

const BASE = `title: failed logon
id: 22222222-2222-4222-8222-222222222222
name: failed_logon
status: test
logsource:
  product: test
detection:
  sel:
    EventID: 4625
  condition: sel
level: low
---
title: success logon
id: 33333333-3333-4333-8333-333333333333
name: success_logon
status: test
logsource:
  product: test
detection:
  sel:
    EventID: 4624
  condition: sel
level: low
`;

function correlation(body: string, generate = false): string {
  return `${BASE}---
title: corr
id: 44444444-4444-4444-8444-444444444444
status: test
correlation:
${body}
  generate: ${generate}
level: high
`;
}

const at = (s: number): string => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
const ev = (
  eid: number,
  user: string,
  s: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  EventID: eid,
  User: user,
  '@timestamp': at(s),
  ...extra,
});
const corrHits = (hits: Hit[]): CorrHit[] => hits.filter((h): h is CorrHit => h.kind === 'correlation');

test('event_count: sliding window per group, events consumed by a hit, base rules silent without generate', () => {
  const { engine } = compileText(
    correlation(
      '  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 60s\n  condition:\n    gte: 3',
    ),
  );
  const hits = huntObjects(engine, [
    ev(4625, 'alice', 0),
    ev(4625, 'bob', 1),
    ev(4625, 'alice', 30),
    ev(4625, 'alice', 61), // the event at 0 left the window (61 - 0 > 60): 2 in window
    ev(4625, 'alice', 70), // 30, 61, 70 → hit
    ev(4625, 'alice', 71),
  ]);
  assert.equal(hits.filter((h) => h.kind === 'rule').length, 0);
  const c = corrHits(hits);
  assert.equal(c.length, 1);
  assert.deepEqual(c[0]!.hit.group, { User: 'alice' });
  assert.equal(c[0]!.hit.count, 3);
  assert.deepEqual(
    c[0]!.hit.events.map((e) => e.line),
    [3, 4, 5],
  );
});

test('generate: true keeps the base-rule hits', () => {
  const { engine } = compileText(
    correlation(
      '  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 60s\n  condition:\n    gte: 2',
      true,
    ),
  );
  const hits = huntObjects(engine, [ev(4625, 'a', 0), ev(4625, 'a', 1)]);
  assert.equal(hits.filter((h) => h.kind === 'rule').length, 2);
  assert.equal(corrHits(hits).length, 1);
});

test('out-of-order events within the skew bound are put back in time order', () => {
  const { engine } = compileText(
    correlation(
      '  type: temporal_ordered\n  rules: [failed_logon, success_logon]\n  group-by: [User]\n  timespan: 60s',
    ),
    { skewSeconds: 300 },
  );
  // The success arrives first in the file but happened after the failure.
  const hits = huntObjects(engine, [ev(4624, 'a', 20), ev(4625, 'a', 10)]);
  assert.equal(corrHits(hits).length, 1);
  const late = compileText(
    correlation(
      '  type: temporal_ordered\n  rules: [failed_logon, success_logon]\n  group-by: [User]\n  timespan: 60s',
    ),
  ).engine;
  // Success before failure in time: no ordered sequence.
  assert.equal(corrHits(huntObjects(late, [ev(4625, 'a', 30), ev(4624, 'a', 20)])).length, 0);
});

test('events later than the skew bound are counted as late and still used', () => {
  const { engine } = compileText(
    correlation(
      '  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 600s\n  condition:\n    gte: 2',
    ),
    { skewSeconds: 5 },
  );
  huntObjects(engine, [ev(4625, 'a', 100), ev(4625, 'b', 200), ev(4625, 'a', 50)]);
  assert.equal(engine.stats.late, 1);
});

test('temporal: all rules within the window, in any order', () => {
  const { engine } = compileText(
    correlation(
      '  type: temporal\n  rules: [failed_logon, success_logon]\n  group-by: [User]\n  timespan: 10s',
    ),
  );
  const hits = huntObjects(engine, [ev(4624, 'a', 0), ev(4625, 'b', 1), ev(4625, 'a', 5), ev(4624, 'b', 30)]);
  const c = corrHits(hits);
  assert.equal(c.length, 1);
  assert.deepEqual(c[0]!.hit.group, { User: 'a' });
});

test('value_count counts distinct values; lt conditions are decided when the window closes', () => {
  const spray = compileText(
    correlation(
      '  type: value_count\n  rules: [failed_logon]\n  group-by: [Src]\n  timespan: 60s\n  condition:\n    field: User\n    gte: 3',
    ),
  ).engine;
  const hits = huntObjects(spray, [
    ev(4625, 'a', 0, { Src: 'x' }),
    ev(4625, 'a', 1, { Src: 'x' }),
    ev(4625, 'b', 2, { Src: 'x' }),
    ev(4625, 'c', 3, { Src: 'x' }),
  ]);
  const c = corrHits(hits);
  assert.equal(c.length, 1);
  assert.deepEqual([...(c[0]!.hit.values ?? [])].sort(), ['a', 'b', 'c']);

  const few = compileText(
    correlation(
      '  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 60s\n  condition:\n    lt: 2',
    ),
  ).engine;
  const h2 = corrHits(huntObjects(few, [ev(4625, 'a', 0), ev(4625, 'b', 1), ev(4625, 'b', 2)]));
  assert.deepEqual(
    h2.map((h) => h.hit.group['User']),
    ['a'],
  );
});

test('value_sum, value_avg and value_percentile aggregate the field', () => {
  const run = (type: string, cond: string, values: number[]): number => {
    const { engine } = compileText(
      correlation(
        `  type: ${type}\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 60s\n  condition:\n${cond}`,
      ),
    );
    return corrHits(
      huntObjects(
        engine,
        values.map((v, i) => ev(4625, 'a', i, { Bytes: v })),
      ),
    ).length;
  };
  assert.equal(run('value_sum', '    field: Bytes\n    gte: 100', [40, 40, 30]), 1);
  assert.equal(run('value_sum', '    field: Bytes\n    gte: 100', [40, 40]), 0);
  assert.equal(run('value_avg', '    field: Bytes\n    gt: 50', [10, 100, 100]), 1);
  assert.equal(run('value_avg', '    field: Bytes\n    gt: 50', [10, 20, 100]), 0);
  assert.equal(
    run(
      'value_percentile',
      '    field: Bytes\n    percentile: 95\n    gte: 1000',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 5000],
    ),
    1,
  );
  assert.equal(
    run(
      'value_percentile',
      '    field: Bytes\n    percentile: 90\n    gte: 1000',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 5000],
    ),
    0,
  );
});

test('events without a group-by field or without a time do not enter windows', () => {
  const { engine } = compileText(
    correlation(
      '  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 60s\n  condition:\n    gte: 2',
    ),
  );
  const hits = huntObjects(engine, [
    { EventID: 4625, '@timestamp': at(0) },
    { EventID: 4625, '@timestamp': at(1) },
    { EventID: 4625, User: 'a' },
    { EventID: 4625, User: 'a' },
  ]);
  assert.equal(corrHits(hits).length, 0);
});

test('a correlation naming a missing rule is reported (TL6007)', () => {
  const { diagnostics, engine } = compileText(
    correlation(
      '  type: event_count\n  rules: [nope]\n  group-by: [User]\n  timespan: 60s\n  condition:\n    gte: 2',
    ),
  );
  assert.equal(engine.correlations.length, 0);
  assert.ok(diagnostics.some((d) => d.code === 'TL6007'));
});

test('filters apply to the rules they name, when the logsource fits', () => {
  const text = `${BASE}---
title: not admins
id: 55555555-5555-4555-8555-555555555555
status: test
logsource:
  product: test
filter:
  rules:
    - failed_logon
  selection:
    User: admin
  condition: not selection
`;
  const { engine } = compileText(text);
  const hits = huntObjects(engine, [ev(4625, 'admin', 0), ev(4625, 'bob', 1), ev(4624, 'admin', 2)]);
  assert.deepEqual(
    hits.map((h) => `${h.rule.id.slice(0, 2)}:${h.kind === 'rule' ? String(h.event.fields['User']) : ''}`),
    ['22:bob', '33:admin'],
  );
});

test('hostile regexes are rejected with TL6003; the other rules still run', () => {
  const text = `title: bad
id: 66666666-6666-4666-8666-666666666666
status: test
logsource:
  product: test
detection:
  sel:
    A|re: '(a+)+b'
  condition: sel
level: low
---
title: also bad
id: 77777777-7777-4777-8777-777777777777
status: test
logsource:
  product: test
detection:
  sel:
    A|re: '^(\\w+\\s?)*$'
  condition: sel
level: low
---
title: fine
id: 88888888-8888-4888-8888-888888888888
status: test
logsource:
  product: test
detection:
  sel:
    A|re: '^a+b$'
  condition: sel
level: low
`;
  const { engine, diagnostics } = compileText(text);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
    ['TL6003', 'TL6003'],
  );
  assert.deepEqual(
    engine.rules.map((r) => r.title),
    ['fine'],
  );
  const started = Date.now();
  const hits = huntObjects(engine, [{ A: 'a'.repeat(5000) + 'c' }, { A: 'aaab' }]);
  assert.equal(hits.length, 1);
  assert.ok(Date.now() - started < 5000);
});
