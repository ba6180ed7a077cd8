/**
 * The raw prefilter places literals in fields: once a line is read, a rule is kept only when each of its
 * fielded clauses has a literal inside one of the clause's fields as the event view resolves them. These
 * tests hold the JSONL path (prefilter, raw reader) to the parsed path on events where placing could go
 * wrong, and check that placing does drop rules whose literal sits in another field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrefilterIndex } from '../../src/engine/prefilter-index.js';
import type { FieldSpans, PrefilterRule, PrefilterSet } from '../../src/engine/prefilter-index.js';
import { requiredClauses } from '../../src/engine/prefilter.js';
import { OCC_CAP, WASM_LINE_BYTES } from '../../src/engine/scanner.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/index.js';
import type { Hit } from '../../src/engine/index.js';
import { loadSigmaFile } from '../../src/sigma/index.js';
import { walkFiles } from '../../src/util/files.js';
import { compileText, huntLines, huntObjects, rule, shared, sharedEvents } from './helpers.js';

/** A nested (evtx JSON shape) event without a channel: every rule applies to it. */
function nested(eventData: object, system: object = {}, userData?: object): object {
  return {
    Event: {
      System: { EventID: 1, ...system },
      EventData: eventData,
      ...(userData ? { UserData: userData } : {}),
    },
  };
}

/** Detections the cases below share. */
const DASHES = "  sel:\n    CommandLine|contains:\n      - '\u2014'\n      - '\u02e3'\n  condition: sel";
const RTLO = "  sel:\n    CommandLine|contains: '\u202e'\n  condition: sel";
const RTLO_OR_TEXT =
  "  sel:\n    CommandLine|contains:\n      - '[U+202E]'\n      - '\u202e'\n  condition: sel";
const TWO_SELECTIONS =
  "  selection_a:\n    Image|endswith: '\\alpha.exe'\n    CommandLine|contains: 'alpha-switch'\n" +
  "  selection_b:\n    Image|endswith: '\\beta.exe'\n    CommandLine|contains: 'beta-switch'\n  condition: 1 of selection_*";

const CASES: { name: string; detection: string; event: object; hits: number }[] = [
  {
    name: 'literal only in another field',
    detection: "  sel:\n    Image|endswith: '\\evil.exe'\n  condition: sel",
    event: nested({ ParentImage: 'C:\\evil.exe', Image: 'C:\\good.exe' }),
    hits: 0,
  },
  {
    name: 'literal first in another field, then in the field',
    detection: "  sel:\n    Image|endswith: '\\evil.exe'\n  condition: sel",
    event: nested({ CommandLine: 'C:\\evil.exe /x', ParentImage: 'C:\\evil.exe', Image: 'D:\\evil.exe' }),
    hits: 1,
  },
  {
    name: 'Security 4688 names: Image is NewProcessName',
    detection:
      "  sel:\n    Image|endswith: '\\evil.exe'\n    ParentImage|endswith: '\\cmd.exe'\n  condition: sel",
    event: nested(
      { NewProcessName: 'C:\\evil.exe', ParentProcessName: 'C:\\Windows\\cmd.exe' },
      { EventID: 4688, Channel: 'Security' },
    ),
    hits: 1,
  },
  {
    name: 'a data name with a space is also its name without',
    detection: "  sel:\n    ThreatName|contains: 'mimikatz'\n  condition: sel",
    event: nested({ 'Threat Name': 'HackTool:Win32/Mimikatz' }),
    hits: 1,
  },
  {
    name: '#text is Data',
    detection: "  sel:\n    Data|contains: 'evil payload'\n  condition: sel",
    event: nested({ '#text': 'an evil payload here' }),
    hits: 1,
  },
  {
    name: 'System wins over EventData for a name both have',
    detection: "  sel:\n    Computer|contains: 'evil-host'\n  condition: sel",
    event: nested({ Computer: 'evil-host' }, { Computer: 'good-host' }),
    hits: 0,
  },
  {
    name: 'System attribute (Provider_Name)',
    detection: "  sel:\n    Provider_Name: 'Evil-Provider'\n  condition: sel",
    event: nested({ Image: 'x' }, { Provider: { '#attributes': { Name: 'Evil-Provider' } } }),
    hits: 1,
  },
  {
    name: 'UserData nested leaves',
    detection: "  sel:\n    TargetFile|endswith: '\\evil.dll'\n  condition: sel",
    event: nested({}, {}, { Op: { TargetFile: 'C:\\x\\evil.dll' } }),
    hits: 1,
  },
  {
    name: 'escaped quotes and backslashes in the value',
    detection: '  sel:\n    CommandLine|contains: \'"C:\\evil.exe" -enc\'\n  condition: sel',
    event: nested({ CommandLine: 'cmd /c "C:\\evil.exe" -enc AAAA' }),
    hits: 1,
  },
  {
    name: 'a number',
    detection: '  sel:\n    DestinationPort: 44445\n  condition: sel',
    event: nested({ SourcePort: 44445, DestinationPort: 44445 }),
    hits: 1,
  },
  {
    name: 'a number only in another field',
    detection: '  sel:\n    DestinationPort: 44445\n  condition: sel',
    event: nested({ SourcePort: 44445, DestinationPort: 443 }),
    hits: 0,
  },
  {
    name: 'keywords are found anywhere',
    detection: "  keywords:\n    - 'evil.exe'\n  condition: keywords",
    event: nested({ Whatever: 'C:\\evil.exe' }),
    hits: 1,
  },
  {
    name: 'a dotted name is a path through the event',
    detection: "  sel:\n    EventData.Image|endswith: '\\evil.exe'\n  condition: sel",
    event: nested({ Image: 'C:\\evil.exe' }),
    hits: 1,
  },
  {
    name: 'an Or of two fields: the literal in either',
    detection:
      "  a:\n    Image|endswith: '\\evil.exe'\n  b:\n    OriginalFileName: 'evil.exe'\n  condition: a or b",
    event: nested({ OriginalFileName: 'EVIL.EXE', Image: 'C:\\x.exe' }),
    hits: 1,
  },
  {
    name: 'keywords also search the values the engine computes for Security 4688 (IntegrityLevel)',
    detection: "  keywords:\n    - 'Untrusted'\n  condition: keywords",
    event: nested(
      { NewProcessName: 'C:\\x.exe', MandatoryLabel: 'S-1-16-0' },
      { EventID: 4688, Channel: 'Security' },
    ),
    hits: 1,
  },
  {
    name: 'keywords also search the values the engine computes for Security 4688 (User, joined)',
    detection: "  keywords:\n    - 'CORP\\\\bob'\n  condition: keywords",
    event: nested(
      { NewProcessName: 'C:\\x.exe', SubjectUserName: 'bob', SubjectDomainName: 'CORP' },
      { EventID: 4688, Channel: 'Security' },
    ),
    hits: 1,
  },
  {
    name: 'a list of needles: the one whose literal is in the line is tested',
    detection:
      "  sel:\n    Image|endswith:\n      - '\\a.exe'\n      - '\\b.exe'\n      - '\\evil.exe'\n  condition: sel",
    event: nested({ Image: 'C:\\EVIL.exe' }),
    hits: 1,
  },
  {
    name: 'a list of needles on a number',
    detection: "  sel:\n    DestinationPort|contains:\n      - '4444'\n      - '31337'\n  condition: sel",
    event: nested({ DestinationPort: 31337 }),
    hits: 1,
  },
  {
    name: 'needles too short to look for in a big list are still tested',
    detection: `  sel:\n    CommandLine|contains:\n${Array.from({ length: 30 }, (_, i) => `      - '${String.fromCharCode(97 + (i % 26))}${i}'`).join('\n')}\n  condition: sel`,
    event: nested({ CommandLine: 'run d29 now' }),
    hits: 1,
  },
  {
    name: 'more occurrences than the scan keeps positions for',
    detection: "  sel:\n    Image|endswith: '\\evil.exe'\n  condition: sel",
    event: nested({
      ...Object.fromEntries(Array.from({ length: OCC_CAP + 10 }, (_, i) => [`P${i}`, 'C:\\evil.exe'])),
      Image: 'C:\\evil.exe',
    }),
    hits: 1,
  },
  {
    name: 'a line longer than the WebAssembly line buffer (JavaScript loop)',
    detection: "  sel:\n    Image|endswith: '\\evil.exe'\n  condition: sel",
    event: nested({ Pad: 'x'.repeat(WASM_LINE_BYTES), ParentImage: 'C:\\evil.exe', Image: 'C:\\evil.exe' }),
    hits: 1,
  },
  {
    name: 'an Or of selections of two fields: each field has a clause',
    detection: TWO_SELECTIONS,
    event: nested({ Image: 'C:\\alpha.exe', CommandLine: 'alpha.exe --beta-switch' }),
    hits: 0,
  },
  {
    name: 'an Or of selections of two fields: one selection holds',
    detection: TWO_SELECTIONS,
    event: nested({ Image: 'C:\\beta.exe', CommandLine: 'beta.exe --beta-switch' }),
    hits: 1,
  },
  {
    name: 'a needle without ASCII literal: its field holds the character',
    detection: DASHES,
    event: nested({ Product: 'Microsoft\u00ae', CommandLine: 'net user /add x \u2014y' }),
    hits: 1,
  },
  {
    name: 'a needle without ASCII literal: only another field holds non-ASCII characters',
    detection: DASHES,
    event: nested({ Product: 'Microsoft\u00ae \u2014', CommandLine: 'net user /add x -y' }),
    hits: 0,
  },
  {
    name: 'a needle without ASCII literal, in a value that also has escapes',
    detection: RTLO,
    event: nested({ CommandLine: 'cmd /c "C:\\x\u202etxt.exe"' }),
    hits: 1,
  },
  {
    name: 'a needle without ASCII literal: the field has escapes but only ASCII bytes',
    detection: RTLO,
    event: nested({ Product: '\u00ae', CommandLine: 'cmd /c "C:\\x\\txt.exe"' }),
    hits: 0,
  },
  {
    name: 'ASCII and non-ASCII needles in one list: the ASCII one',
    detection: RTLO_OR_TEXT,
    event: nested({ Product: '\u00ae', CommandLine: 'echo [u+202e] here' }),
    hits: 1,
  },
  {
    name: 'ASCII and non-ASCII needles in one list: the non-ASCII one',
    detection: RTLO_OR_TEXT,
    event: nested({ CommandLine: 'echo \u202e here' }),
    hits: 1,
  },
  {
    name: 'a needle whose non-ASCII character lowercases to ASCII (KELVIN SIGN)',
    detection: "  sel:\n    CommandLine|contains: '\u212a'\n  condition: sel",
    event: nested({ CommandLine: 'kill' }),
    hits: 1,
  },
  {
    name: 'a non-ASCII needle on a number',
    detection: "  sel:\n    DestinationPort|contains: '\u0661'\n  condition: sel",
    event: nested({ Image: '\u0661', DestinationPort: 1661 }),
    hits: 0,
  },
];

for (const c of CASES)
  test(`field placement: ${c.name}: the JSONL path gives the parsed path's hits`, () => {
    const text = rule(c.detection, 'product: windows');
    assert.equal(huntObjects(compileText(text).engine, [c.event]).length, c.hits, 'parsed path');
    assert.equal(huntLines(compileText(text).engine, [c.event]).length, c.hits, 'JSONL path');
  });

test('refine drops a rule whose literal lies only outside its clause fields, keeps one whose literal lies inside', () => {
  // Two rules over literal 0, clause on field 7; one literal occurrence at byte 10 of the line.
  const rules: PrefilterRule[] = [0, 1].map((index) => ({
    index,
    literals: Int32Array.from([1, 0]),
    clauseFields: [['F']],
  }));
  const index = new PrefilterIndex(rules, ['evil.exe'], (name) => (name === 'F' ? 7 : -1));
  const set: PrefilterSet<PrefilterRule> = { rules, member: new Uint8Array([1, 1]), always: [] };
  const sc = index.scannerFor(set);
  const line = Buffer.from('0123456789evil.exe"');
  sc.scan(line, 0, line.length, 5);
  const coarse = index.survivors(set, sc);
  assert.equal(coarse.length, 2);
  const at = (from: number, to: number): FieldSpans => ({
    holds: (id, s, len) => id === 7 && s >= from && s + len <= to + 1,
    nonAsciiBytes: () => false,
  });
  assert.deepEqual(index.refine(set, sc, coarse, at(10, 18), 0), coarse, 'inside the field');
  assert.deepEqual(index.refine(set, sc, coarse, at(0, 9), 0), [], 'outside the field');
  // A clause whose field the reader cannot know is not placed.
  const unknown = new PrefilterIndex(rules, ['evil.exe']);
  const sc2 = unknown.scannerFor(set);
  sc2.scan(line, 0, line.length, 6);
  const coarse2 = unknown.survivors(set, sc2);
  assert.deepEqual(unknown.refine(set, sc2, coarse2, at(0, 9), 0), coarse2);
});

test('a non-ASCII clause survives the scan; refine keeps it only where one of its fields may hold non-ASCII', () => {
  // One clause on field 7 that no literal stands for: a non-ASCII character must do.
  const rules: PrefilterRule[] = [
    { index: 0, literals: Int32Array.from([0]), clauseFields: [['F']], nonAsciiClauses: 1 },
  ];
  const index = new PrefilterIndex(rules, [], (name) => (name === 'F' ? 7 : -1));
  const set: PrefilterSet<PrefilterRule> = { rules, member: new Uint8Array([1]), always: [] };
  const sc = index.scannerFor(set);
  const line = Buffer.from('{"F":"x"}');
  sc.scan(line, 0, line.length, 9);
  const coarse = index.survivors(set, sc);
  assert.deepEqual(coarse, rules, 'the scan cannot decide it');
  const spans = (wide: boolean): FieldSpans => ({
    holds: () => false,
    nonAsciiBytes: (id) => wide && id === 7,
  });
  assert.deepEqual(index.refine(set, sc, coarse, spans(true), 0), rules, 'non-ASCII in the field');
  assert.deepEqual(index.refine(set, sc, coarse, spans(false), 0), [], 'none in the field');
});

test('clauses: values without ASCII literal give a non-ASCII clause on their fields, unless they lowercase to ASCII', () => {
  const clauses = (detection: string) =>
    requiredClauses(compileText(rule(detection, 'product: windows')).engine.rules[0]!.tree);
  assert.deepEqual(clauses(DASHES), [{ lits: [], fields: ['CommandLine'], keyword: false, nonAscii: true }]);
  // An Or of a literal and a non-ASCII value: either does.
  assert.deepEqual(
    clauses("  sel:\n    CommandLine|contains:\n      - 'evil.exe'\n      - '\u202e'\n  condition: sel"),
    [{ lits: ['evil.exe'], fields: ['CommandLine'], keyword: false, nonAscii: true }],
  );
  // Literal clauses come first in an And (the scan decides them).
  assert.deepEqual(
    clauses(
      "  a:\n    CommandLine|contains: '\u202e'\n  b:\n    Image|endswith: '\\cmd.exe'\n  condition: a and b",
    ).map((c) => c.nonAscii),
    [false, true],
  );
  // `1 of selection_*` over selections of two fields: one clause per field.
  assert.deepEqual(
    clauses(TWO_SELECTIONS)
      .map((c) => c.fields)
      .sort(),
    [['CommandLine'], ['Image']],
  );
  // KELVIN SIGN lowercases to `k`; a keyword may be in any field: no clause.
  assert.deepEqual(clauses("  sel:\n    CommandLine|contains: '\u212a'\n  condition: sel"), []);
  assert.deepEqual(clauses("  keywords:\n    - '\u202e'\n  condition: keywords"), []);
});

/** Hits of a one-rule engine over one raw JSONL line (escapes as the line spells them). */
function huntRaw(detection: string, line: string): number {
  const { engine } = compileText(rule(detection, 'product: windows'));
  let hits = 0;
  engine.onHit(() => hits++);
  const buf = Buffer.from(line);
  assert.ok(engine.matchLine(buf, 0, buf.length, { file: 'mem', line: 1 }));
  return hits;
}

test('values spelled with escapes JSON does not need (\\u, \\/) are found', () => {
  const line = (cmd: string): string =>
    `{"Event":{"System":{"EventID":1},"EventData":{"CommandLine":"${cmd}"}}}`;
  assert.equal(huntRaw(RTLO, line('a\\u202Etxt.exe')), 1, 'a non-ASCII needle, its character as \\u');
  const slash = "  sel:\n    CommandLine|contains: '/../../'\n  condition: sel";
  assert.equal(huntRaw(slash, line('cmd \\/c type \\/..\\/..\\/x')), 1, '/ written as \\/');
  assert.equal(huntRaw(slash, line('cmd /c type /../../x')), 1, '/ written plainly');
  assert.equal(
    huntRaw(slash, line('cmd /c type ..\\\\..\\\\x')),
    0,
    'an escaped backslash is no escape of /',
  );
  assert.equal(huntRaw(slash, line('cmd /c type \\\\/../../x')), 1, 'a backslash before a plain /');
});

test('the prefilter loses no hit: every shared event as a JSONL line, the whole SigmaHQ ruleset, with and without it', (t) => {
  if (!existsSync(join(shared, 'corpus/sigmahq'))) return t.skip('../shared not found');
  const events = sharedEvents();
  assert.ok(events.length > 1000, `only ${events.length} events`);
  const docs = walkFiles(
    ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder']
      .map((d) => join(shared, 'corpus/sigmahq', d))
      .filter(existsSync),
    ['.yml', '.yaml'],
  ).files.flatMap((f) => loadSigmaFile(f).file.documents);
  const hits = (noPrefilter: boolean): string[] => {
    const { engine } = Engine.compile(docs, { noPrefilter });
    return huntLines(engine, events)
      .map((h) => (h.kind === 'rule' ? `${h.source.line}:${h.rule.id}` : ''))
      .sort();
  };
  const without = hits(true);
  assert.ok(without.length > 1000, `only ${without.length} hits`);
  assert.deepEqual(hits(false), without);
});

test("routing reads each line's channel, however the line before spelled its own", () => {
  const { engine } = compileText(
    rule(
      "  sel:\n    Image|endswith: '\\evil.exe'\n  condition: sel",
      'product: windows\n  service: security',
    ),
  );
  const hits: number[] = [];
  engine.onHit((h) => {
    if (h.kind === 'rule') hits.push(h.source.line!);
  });
  const line = (channel: string, spacing = ''): string =>
    `{"Event":{"System":{"EventID":1,"Channel"${spacing}:${spacing}${channel}},"EventData":{"Image":"C:\\\\evil.exe"}}}`;
  const lines = [
    line('"Security"'),
    line('"SecurityX"'),
    line('"Security"'),
    line('"Sec"'),
    line('"S\u00e9curit\u00e9"'),
    line('"Security"', ' '),
    line('"Secur\\u0069ty"'),
    line('null'),
    line('"Security"'),
  ];
  lines.forEach((l, i) => {
    const buf = Buffer.from(l);
    assert.ok(engine.matchLine(buf, 0, buf.length, { file: 'mem', line: i + 1 }));
  });
  // Line 8 has no channel: every rule applies to it.
  assert.deepEqual(hits, [1, 3, 6, 7, 8, 9]);
});

test('short literals are searched only when a rule that could survive needs one, with the same hits', () => {
  const doc = (id: number, title: string, detection: string): string =>
    rule(detection, 'product: windows')
      .replace('title: t', `title: ${title}`)
      .replace(
        '11111111-1111-4111-8111-111111111111',
        `11111111-1111-4111-8111-${String(id).padStart(12, '0')}`,
      );
  // B never needs a short literal to survive, but its filter's needle `qz` is one C's clause searches for:
  // a line scanned without the short literals must still test it.
  const B = doc(
    1,
    'B',
    "  sel:\n    CommandLine|contains: 'alpha-long'\n  filter:\n    CommandLine|contains: 'qz'\n  condition: sel and not filter",
  );
  const C = doc(
    2,
    'C',
    "  sel:\n    Image|endswith: '\\long.exe'\n    CommandLine|contains: 'qz'\n  condition: sel",
  );
  const A = doc(3, 'A', "  sel:\n    CommandLine|contains: 'ab'\n  condition: sel");
  const events: [object, string[]][] = [
    [nested({ Image: 'C:\\x.exe', CommandLine: 'nothing here' }), []],
    [nested({ Image: 'C:\\x.exe', CommandLine: 'alpha-long run' }), ['B']],
    [nested({ Image: 'C:\\x.exe', CommandLine: 'alpha-long QZ run' }), []],
    [nested({ Image: 'C:\\long.exe', CommandLine: 'run qz' }), ['C']],
    [nested({ Image: 'C:\\long.exe', CommandLine: 'run q z' }), []],
    [nested({ Image: 'C:\\long.exe', CommandLine: 'alpha-long AB qz' }), ['A', 'C']],
  ];
  for (const text of [[B, C].join('---\n'), [A, B, C].join('---\n')])
    for (const [event, want] of events) {
      const titles = (hits: Hit[]): string[] =>
        hits
          .map((h) => (h.kind === 'rule' ? h.rule.title : ''))
          .filter((t) => text.includes(`title: ${t}\n`))
          .sort();
      const expected = want.filter((t) => text.includes(`title: ${t}\n`));
      assert.deepEqual(
        titles(huntObjects(compileText(text).engine, [event])),
        expected,
        `parsed: ${JSON.stringify(event)}`,
      );
      assert.deepEqual(
        titles(huntLines(compileText(text).engine, [event])),
        expected,
        `JSONL: ${JSON.stringify(event)}`,
      );
    }
});
