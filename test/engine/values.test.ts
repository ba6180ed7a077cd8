import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bothInterpreters, compileText, huntLines, huntObjects, rule } from './helpers.js';

interface Vector {
  name: string;
  detection: string;
  /** [event, should match] */
  events: [Record<string, unknown>, boolean][];
  placeholders?: Record<string, string[]>;
}

const vectors: Vector[] = [
  {
    name: 'plain string: case-insensitive equality',
    detection: '  sel:\n    Image: C:\\Windows\\cmd.exe\n  condition: sel',
    events: [
      [{ Image: 'c:\\windows\\CMD.EXE' }, true],
      [{ Image: 'C:\\Windows\\cmd.exe ' }, false],
      [{ Image: 'D:\\Windows\\cmd.exe' }, false],
      [{}, false],
    ],
  },
  {
    name: 'cased',
    detection: '  sel:\n    CommandLine|cased|contains: FooBar\n  condition: sel',
    events: [
      [{ CommandLine: 'x FooBar y' }, true],
      [{ CommandLine: 'x foobar y' }, false],
    ],
  },
  {
    name: 'wildcards * and ? with escapes',
    detection: "  sel:\n    F: 'a*b?c\\*d'\n  condition: sel",
    events: [
      [{ F: 'aXXXbYc*d' }, true],
      [{ F: 'abYc*d' }, true],
      [{ F: 'abc*d' }, false],
      [{ F: 'aXbYcZd' }, false],
      [{ F: 'A\nB1C*D' }, true],
    ],
  },
  {
    name: 'several wildcards (glob)',
    detection: "  sel:\n    F: '*cmd*/c*whoami'\n  condition: sel",
    events: [
      [{ F: 'C:\\cmd.exe /c WHOAMI' }, true],
      [{ F: 'whoami /c cmd' }, false],
      [{ F: 'cmd/cwhoami' }, true],
    ],
  },
  {
    name: 'contains / startswith / endswith and lists',
    detection:
      "  sel:\n    A|contains:\n      - foo\n      - bar\n    B|startswith: 'pre'\n    C|endswith: '.exe'\n  condition: sel",
    events: [
      [{ A: 'xxBARxx', B: 'PREfix', C: 'a.EXE' }, true],
      [{ A: 'xx', B: 'prefix', C: 'a.exe' }, false],
      [{ A: 'foo', B: 'xpre', C: 'a.exe' }, false],
      [{ A: 'foo', B: 'pre', C: 'a.exe.bak' }, false],
    ],
  },
  {
    name: 'contains|all',
    detection: '  sel:\n    A|contains|all:\n      - one\n      - two\n  condition: sel',
    events: [
      [{ A: 'two and ONE' }, true],
      [{ A: 'one only' }, false],
    ],
  },
  {
    name: 'null means absent or null; empty string is a value',
    detection: '  sel:\n    A: null\n  condition: sel',
    events: [
      [{}, true],
      [{ A: null }, true],
      [{ A: '' }, false],
      [{ A: 'x' }, false],
    ],
  },
  {
    name: 'exists',
    detection: '  sel:\n    A|exists: true\n    B|exists: false\n  condition: sel',
    events: [
      [{ A: 'x' }, true],
      [{ A: 'x', B: 'y' }, false],
      [{ B: 'y' }, false],
    ],
  },
  {
    name: 'neq',
    detection: '  sel:\n    A|neq: x\n  condition: sel',
    events: [
      [{ A: 'y' }, true],
      [{ A: 'X' }, false],
      [{}, true],
    ],
  },
  {
    name: 'numbers: JSON numbers and decimal strings; not hex',
    detection: '  sel:\n    EventID: 4688\n  condition: sel',
    events: [
      [{ EventID: 4688 }, true],
      [{ EventID: '4688' }, true],
      [{ EventID: '04688' }, true],
      [{ EventID: 4689 }, false],
      [{ EventID: '0x1250' }, false],
    ],
  },
  {
    name: 'unquoted hex numbers match the hex text events carry',
    detection: '  sel:\n    GrantedAccess: 0x1F3FFF\n  condition: sel',
    events: [
      [{ GrantedAccess: '0x1f3fff' }, true],
      [{ GrantedAccess: '0x1F3FFF' }, true],
      [{ GrantedAccess: '0x1410' }, false],
    ],
  },
  {
    name: 'string value against a number field',
    detection: "  sel:\n    ProcessId|endswith: '34'\n  condition: sel",
    events: [
      [{ ProcessId: 1234 }, true],
      [{ ProcessId: 1243 }, false],
    ],
  },
  {
    name: 'booleans',
    detection: '  sel:\n    Signed: true\n  condition: sel',
    events: [
      [{ Signed: true }, true],
      [{ Signed: 'TRUE' }, true],
      [{ Signed: 'false' }, false],
    ],
  },
  {
    name: 're: case-sensitive by default, i flag, unanchored',
    detection: "  sel:\n    A|re: 'ab+c'\n    B|re|i: '^x\\d{2}$'\n  condition: sel",
    events: [
      [{ A: '--abbbc--', B: 'X12' }, true],
      [{ A: 'ABC', B: 'x12' }, false],
      [{ A: 'abc', B: 'x123' }, false],
    ],
  },
  {
    name: 'cidr v4 and v6',
    detection: "  sel:\n    Ip|cidr:\n      - 10.0.0.0/8\n      - 'fe80::/10'\n  condition: sel",
    events: [
      [{ Ip: '10.1.2.3' }, true],
      [{ Ip: '11.1.2.3' }, false],
      [{ Ip: 'FE80::1' }, true],
      [{ Ip: 'fec0::1' }, false],
      [{ Ip: 'not an ip' }, false],
    ],
  },
  {
    name: 'compare',
    detection: '  sel:\n    N|gte: 10\n    M|lt: 5\n  condition: sel',
    events: [
      [{ N: 10, M: '4' }, true],
      [{ N: '9', M: 4 }, false],
      [{ N: 11, M: 5 }, false],
      [{ N: 'x', M: 1 }, false],
    ],
  },
  {
    name: 'date parts',
    detection: '  sel:\n    T|hour: 3\n    T|month: 2\n  condition: sel',
    events: [
      [{ T: '2024-02-10T03:15:00Z' }, true],
      [{ T: '2024-02-10 03:15:00.123' }, true],
      [{ T: '2024-02-10T04:15:00Z' }, false],
    ],
  },
  {
    name: 'fieldref and fieldref|endswith',
    detection: '  sel:\n    A|fieldref: B\n    C|fieldref|endswith: D\n  condition: sel',
    events: [
      [{ A: 'x', B: 'X', C: 'C:\\a\\b.exe', D: 'b.exe' }, true],
      [{ A: 'x', B: 'y', C: 'C:\\a\\b.exe', D: 'b.exe' }, false],
      [{ A: 'x', C: 'c', D: 'c' }, false],
      // Not both strings: compared as text, arrays element by element.
      [{ A: 5, B: '5', C: 'ab', D: 'B' }, true],
      [{ A: ['q', 'X'], B: 'x', C: 'ab', D: ['z', 'b'] }, true],
      [{ A: 'x', B: 'x', C: 'ab', D: null }, false],
    ],
  },
  {
    name: 'keywords: any string value, substring, case-insensitive',
    detection: '  keywords:\n    - mimikatz\n    - sekurlsa\n  condition: keywords',
    events: [
      [{ A: 'run MIMIKATZ now' }, true],
      [{ nested: { deep: ['x', 'sekurlsa::logonpasswords'] } }, true],
      [{ A: 'nothing' }, false],
    ],
  },
  {
    name: 're: a list of regexes on one field (joined into one test where flags agree; backreferences and named groups kept apart)',
    detection:
      "  sel:\n    A|re:\n      - '(?i)ipconfig\\s+/all'\n      - '(?i)arp\\s+-a'\n      - '(?i)(?<q>[ab])\\k<q>'\n      - '(?i)(?<q>[cd])\\k<q>'\n      - '(?i)(\\w)\\1\\1'\n      - 'Net\\s'\n      - '^net$'\n      - '.{20,}'\n  condition: sel",
    events: [
      [{ A: 'IPCONFIG  /all' }, true],
      [{ A: 'ipconfig /al' }, false],
      [{ A: 'ARP -a' }, true],
      [{ A: 'bB' }, true],
      [{ A: 'Dd' }, true],
      [{ A: 'b-d' }, false],
      [{ A: 'x7x' }, false],
      [{ A: '-zZz-' }, true],
      [{ A: 'Net ' }, true],
      [{ A: 'net ' }, false],
      [{ A: 'net' }, true],
      [{ A: 'abcdefghij\nklmnopqrstu' }, false],
      [{ A: 'abcdefghijklmnopqrstu' }, true],
      [{ A: ['-', 'arp\t-A'] }, true],
      [{ A: 17 }, false],
      [{}, false],
    ],
  },
  {
    name: 're: a length rule (.{n,}, .{n,m}, .{n}) is some run of n characters without a line break',
    detection:
      "  sel:\n    A|re: '.{10,}'\n  other:\n    B|re: '.{4,6}'\n  exact:\n    C|re|s: '.{3}'\n  condition: sel or other or exact",
    events: [
      [{ A: 'a'.repeat(9) }, false],
      [{ A: 'a'.repeat(10) }, true],
      [{ A: 'aaaaa\naaaaa' }, false],
      [{ A: 'aaaaa\r\n' + 'a'.repeat(10) }, true],
      [{ A: 'aaaaa\u2028aaaaa' }, false],
      [{ B: 'abc' }, false],
      [{ B: 'abcdefgh' }, true],
      [{ B: 'ab\ncd\nef' }, false],
      [{ C: 'a\nb' }, true],
      [{ C: 'ab' }, false],
      [{ A: 123456789012 }, true],
    ],
  },
  {
    // The raw prefilter takes necessary literals from a regex: an escape's payload (41, 0041) is not
    // literal text, and taking it for some would skip lines that match.
    name: 're: escapes with payloads (\\x41, \\u0041) are not literals',
    detection: "  sel:\n    A|re: 'abc\\x41def'\n    B|re: 'gh\\u0041ijk'\n  condition: sel",
    events: [
      [{ A: 'xabcAdefx', B: 'ghAijk' }, true],
      [{ A: 'abc41def', B: 'ghAijk' }, false],
    ],
  },
  {
    // Regexes are run only on values holding a literal every match contains (one per alternative).
    name: 're: the pre-check (plain runs in order) keeps alternatives, quantifiers and the i flag exact',
    detection:
      "  sel:\n    A|re: '\\+.*\\+.*-\\+'\n    B|re: 'zz|c\\.d+e'\n    C|re|i: 'X-?y=Z'\n  condition: sel",
    events: [
      [{ A: 'a+b+c-+', B: 'xc.dddex', C: 'xY=Z' }, true],
      [{ A: '++-+', B: 'zz', C: 'x-y=z' }, true],
      [{ A: 'a+b-+', B: 'zz', C: 'xy=z' }, false],
      [{ A: '-++', B: 'zz', C: 'xy=z' }, false],
      [{ A: 'a+b+c-+', B: 'c.e', C: 'xy=z' }, false],
      [{ A: 'a+b+c-+', B: 'zz', C: 'x--y=z' }, false],
    ],
  },
  {
    // Plain runs joined by `.*` are decided by indexOf alone, except across line terminators, where `.`
    // stops (and with the s flag, where it does not).
    name: 're: runs joined by .* (no backtracking), line terminators, the s and i flags',
    detection:
      "  sel:\n    A|re: '\\+.*\\+.*?\\+'\n    B|re|i: '\\{.*\\^'\n    C|re|s: 'x.*y'\n  condition: sel",
    events: [
      [{ A: 'a+b+c+', B: '{ ^', C: 'x\ny' }, true],
      [{ A: '+++', B: 'z{{^^', C: 'x\u2028y' }, true],
      [{ A: '+a\n+b+', B: '{^', C: 'xy' }, false],
      [{ A: '+a+\r+', B: '{^', C: 'xy' }, false],
      [{ A: '+\n+++', B: '^{', C: 'xy' }, false],
      [{ A: '+\n+++', B: '{x\u2029^', C: 'xy' }, false],
      [{ A: '+\n+++', B: '{^', C: 'yx' }, false],
      [{ A: '+\n+++', B: '{^', C: 'xy' }, true],
    ],
  },
  {
    // U+212A (Kelvin) and U+0130 (dotted capital I) lowercase to ASCII letters the raw line does not show:
    // the JSONL prefilter must notice and not skip such lines.
    name: 'case folding beyond ASCII: the Kelvin sign and the dotted capital I',
    detection: "  sel1:\n    A|contains: 'kit.exe'\n  sel2:\n    B|contains: 'abxi'\n  condition: 1 of sel*",
    events: [
      [{ A: '\u212Ait.exe' }, true],
      [{ B: 'ABX\u0130' }, true],
      [{ A: 'kit', B: 'abx' }, false],
    ],
  },
  {
    // The JSONL prefilter looks for a value's end as JSON writes it, before the closing quote
    // (`\\whoami.exe"`): numbers and booleans (no quotes), backslashes and quotes (escaped) must still match.
    name: 'endswith and equality through the JSONL prefilter: escapes, quotes, numbers, booleans',
    detection: [
      '  sel_path:',
      "    Image|endswith: '\\whoami.exe'",
      "    TargetObject|endswith: '\\Run\\'",
      '    CommandLine|endswith: \'say "hi"\'',
      '  sel_num:',
      "    DestinationPort|endswith: '43'",
      "    Flag|endswith: 'rue'",
      '  condition: 1 of sel_*',
    ].join('\n'),
    events: [
      [{ Image: 'C:\\W\\WHOAMI.EXE', TargetObject: 'HKLM\\x\\Run\\', CommandLine: 'echo say "hi"' }, true],
      [{ Image: 'C:\\W\\whoami.exe', TargetObject: 'HKLM\\x\\Run', CommandLine: 'echo say "hi"' }, false],
      [{ Image: 'C:\\W\\whoami.exe.bak', TargetObject: 'Run\\', CommandLine: 'say "hi"' }, false],
      [{ DestinationPort: 443, Flag: true }, true],
      [{ DestinationPort: '443', Flag: 'TRUE' }, true],
      [{ DestinationPort: 4430, Flag: true }, false],
    ],
  },
  {
    // Keyword lists are searched in one text of all values: a keyword must not match across two values.
    name: 'keywords: a list never matches across the boundary of two values',
    detection: '  keywords:\n    - foobar\n    - Trojan.Gen\n    - 4711\n  condition: keywords',
    events: [
      [{ A: 'foo', B: 'bar' }, false],
      [{ A: 'foo bar', B: 'xfoo', C: 'barx' }, false],
      [{ A: 'x', B: 'Detected TROJAN.GEN.2 in c:\\temp' }, true],
      [{ Event: { EventData: { Data: ['a', 'myFooBarz'] } } }, true],
      [{ A: 4711 }, true],
      [{ A: 471, B: 1 }, false],
      [{}, false],
    ],
  },
  {
    name: 'keywords with inner wildcards: searched value by value',
    detection: "  keywords:\n    - 'foo*bar'\n    - 'b?z'\n  condition: keywords",
    events: [
      [{ A: 'xFOOyyBARz' }, true],
      [{ A: 'foo', B: 'bar' }, false],
    ],
  },
  {
    name: 'base64offset|contains',
    detection: "  sel:\n    CommandLine|base64offset|contains: 'http://'\n  condition: sel",
    events: [
      [{ CommandLine: 'powershell -e ' + Buffer.from('xhttp://evil').toString('base64') }, true],
      [{ CommandLine: 'powershell -e ' + Buffer.from('xyhttp://evil').toString('base64') }, true],
      [{ CommandLine: 'powershell -e ' + Buffer.from('https://x').toString('base64') }, false],
    ],
  },
  {
    name: 'windash',
    detection: "  sel:\n    CommandLine|windash|contains: ' -enc '\n  condition: sel",
    events: [
      [{ CommandLine: 'p /enc x' }, true],
      [{ CommandLine: 'p \u2013enc x' }, true],
      [{ CommandLine: 'p enc x' }, false],
    ],
  },
  {
    name: 'utf16le (wide) with base64',
    detection: "  sel:\n    A|wide|base64offset|contains: 'ping'\n  condition: sel",
    events: [
      [{ A: Buffer.from('xping', 'utf16le').toString('base64') }, true],
      [{ A: Buffer.from('ping').toString('base64') }, false],
    ],
  },
  {
    name: 'expand placeholders',
    detection: "  sel:\n    User|expand: '%admins%'\n  condition: sel",
    placeholders: { admins: ['root', 'adm*'] },
    events: [
      [{ User: 'ROOT' }, true],
      [{ User: 'administrator' }, true],
      [{ User: 'guest' }, false],
    ],
  },
  {
    name: 'not, 1 of, all of',
    detection:
      '  sel_a:\n    A: 1\n  sel_b:\n    B: 2\n  filter:\n    C: 3\n  condition: 1 of sel_* and not filter',
    events: [
      [{ A: 1 }, true],
      [{ B: 2, C: 4 }, true],
      [{ A: 1, C: 3 }, false],
      [{ C: 1 }, false],
    ],
  },
  {
    name: 'arrays: any element',
    detection: "  sel:\n    Tags|contains: 'bad'\n  condition: sel",
    events: [
      [{ Tags: ['good', 'BAD one'] }, true],
      [{ Tags: ['good'] }, false],
    ],
  },
  {
    name: 'non-ASCII values, homoglyphs and emoji',
    detection:
      "  sel:\n    A|contains:\n      - '\u0430'\n      - '\u{1F600}'\n      - 'plain'\n  condition: sel",
    events: [
      [{ A: 'p\u0430ypal' }, true],
      [{ A: 'smile \u{1F600}' }, true],
      [{ A: 'PLAIN' }, true],
      [{ A: 'paypal' }, false],
    ],
  },
  {
    name: 'dotted names reach nested fields (flat JSON from cloud logs)',
    detection: '  sel:\n    userIdentity.type: Root\n  condition: sel',
    events: [
      [{ userIdentity: { type: 'Root' } }, true],
      [{ userIdentity: { type: 'IAMUser' } }, false],
      [{ 'userIdentity.type': 'root' }, true],
    ],
  },
];

for (const v of vectors) {
  test(`value semantics: ${v.name}`, () => {
    const opts = v.placeholders ? { placeholders: new Map(Object.entries(v.placeholders)) } : {};
    const { engine, diagnostics } = compileText(rule(v.detection), opts);
    assert.equal(engine.rules.length, 1, JSON.stringify(diagnostics));
    v.events.forEach(([event, want], i) => {
      const { fast, reference } = bothInterpreters(engine, event);
      assert.equal(fast.length === 1, want, `fast matcher, event ${i}: ${JSON.stringify(event)}`);
      assert.equal(
        reference.length === 1,
        want,
        `reference interpreter, event ${i}: ${JSON.stringify(event)}`,
      );
      assert.equal(huntObjects(compileText(rule(v.detection), opts).engine, [event]).length, want ? 1 : 0);
      assert.equal(
        huntLines(compileText(rule(v.detection), opts).engine, [event]).length,
        want ? 1 : 0,
        `JSONL path, event ${i}`,
      );
    });
  });
}

test('a placeholder missing from the placeholders file is reported (TL6002), not guessed', () => {
  const { engine, diagnostics } = compileText(rule("  sel:\n    User|expand: '%nope%'\n  condition: sel"));
  assert.equal(engine.rules.length, 0);
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['TL6002'],
  );
});

test('JSONL escapes (\\u) and case-folding hazards do not fool the raw prefilter', () => {
  const { engine } = compileText(rule("  sel:\n    A|contains: 'evil.exe'\n  condition: sel"));
  const lines = ['{"A":"x \\u0065vil.exe"}', '{"A":"\\u0045VIL.EXE"}', '{"A":"benign"}'];
  const hits: unknown[] = [];
  engine.onHit((h) => hits.push(h));
  for (const l of lines) engine.matchLine(Buffer.from(l), 0, Buffer.byteLength(l), { file: 'mem' });
  assert.equal(hits.length, 2);
});

test('Security 4688 User (joined from domain and name) still matches through the JSONL prefilter', () => {
  const text = rule(
    "  sel:\n    User: 'CORP\\bob'\n    User|endswith: '\\bob'\n  condition: sel",
    'product: windows\n  service: security',
  );
  const ev = (user: string): object => ({
    Event: {
      System: { EventID: 4688, Channel: 'Security' },
      EventData: { SubjectUserName: user, SubjectDomainName: 'CORP', NewProcessName: 'C:\\x.exe' },
    },
  });
  const events = [ev('bob'), ev('alice')];
  assert.equal(huntObjects(compileText(text).engine, events).length, 1);
  assert.equal(huntLines(compileText(text).engine, events).length, 1);
});

test('JSONL routing: keys spelled twice, or only as values, route like the parsed event', () => {
  const text = rule(
    "  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel",
    'product: windows\n  category: process_creation',
  );
  const sysmon = 'Microsoft-Windows-Sysmon/Operational';
  const events = [
    // EventData has its own Channel and EventID: System's win (toEventView), so the rule applies.
    {
      Event: {
        System: { EventID: 1, Channel: sysmon },
        EventData: { Channel: 'Application', EventID: 7, Image: 'C:\\whoami.exe' },
      },
    },
    // Reversed order in the line: EventData first.
    {
      Event: {
        EventData: { Channel: 'Application', Image: 'C:\\whoami.exe' },
        System: { Channel: sysmon, EventID: 1 },
      },
    },
    // "Channel" only as a value, and the real key present once.
    {
      Event: {
        System: { EventID: 1, Channel: sysmon },
        EventData: { Name: 'Channel', Image: 'x\\whoami.exe' },
      },
    },
    // Not process creation: the key names appear, the values say otherwise.
    {
      Event: {
        System: { EventID: 3, Channel: sysmon },
        EventData: { Image: 'C:\\whoami.exe', Note: 'EventID' },
      },
    },
  ];
  assert.equal(huntObjects(compileText(text).engine, events).length, 3);
  assert.equal(huntLines(compileText(text).engine, events).length, 3);
});
