/**
 * The raw event reader (lines read without JSON.parse) must give exactly what parsing and toEventView give,
 * or decline: on hand-made edge cases and on every SigmaHQ regression event and attack-sample record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { toEventView } from '../../src/engine/index.js';
import { RawEventReader } from '../../src/engine/raw-event.js';
import { detached } from '../../src/engine/raw-view.js';
import { compileText, sharedEvents, shared } from './helpers.js';

/** 'read' when the reader took the line and agreed with the parser, 'declined' otherwise; throws on a difference. */
function check(reader: RawEventReader, line: string): 'read' | 'declined' {
  const buf = Buffer.from('xx' + line + '\nyy');
  const view = reader.read(buf, 2, 2 + Buffer.byteLength(line));
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    assert.equal(view, undefined, `invalid JSON read: ${line}`);
    return 'declined';
  }
  if (view === undefined) return 'declined';
  const want = toEventView(parsed);
  assert.deepEqual(view.fields, want.fields, line);
  for (const k of ['channel', 'eventId', 'provider', 'computer', 'recordId', 'timestamp', 'time'] as const)
    assert.deepEqual(view[k], want[k], `${k} of ${line}`);
  for (const name of [...Object.keys(want.fields), 'Nope', 'a.b']) {
    assert.deepEqual(view.get(name), want.get(name), `${name} of ${line}`);
    assert.equal(view.lowerString(name), want.lowerString(name), `${name} of ${line}`);
  }
  assert.deepEqual(view.values().sort(), want.values().sort(), line);
  assert.deepEqual(view.raw, parsed);
  return 'read';
}

const sys = (extra = ''): string =>
  `"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"{5770385F}"}},"EventID":1,` +
  `"TimeCreated":{"#attributes":{"SystemTime":"2025-12-06T21:11:02.649150Z"}},"EventRecordID":67583,` +
  `"Correlation":null,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"pc"${extra}}`;

for (const indexed of [true, false])
  test(`raw reader: same fields as the parser on edge cases, or declines (strings ${indexed ? 'through the WebAssembly index' : 'byte by byte'})`, () => {
    const reader = new RawEventReader(indexed);
    const read = [
      `{"Event":{"#attributes":{"xmlns":"x"},${sys()},"EventData":{"Image":"C:\\\\Windows\\\\cmd.exe","CommandLine":"a \\"b\\" \\u00e9 \\ud83d\\ude00","ProcessId":-0,"Big":1.5e3,"T":true,"F":false,"N":null}}}`,
      `{"Event":{"EventData":{"Threat Name":"Mimikatz","#text":"free text","Channel":"not me","Nested":{"#text":"inner","#attributes":{"a":1}},"Deep":{"Inner":{"Leaf":"x","Leaf2":2}}},${sys()}}}`,
      `{"Event":{${sys()},"UserData":{"LogFileCleared":{"#attributes":{"xmlns":"y"},"SubjectUserName":"bob","Space Name":"v"}},"EventData":null}}`,
      `{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing"}},"EventID":{"#text":4688,"#attributes":{"Qualifiers":""}},"Channel":"Security","TimeCreated":{"#attributes":{"SystemTime":"2021-01-01T00:00:00Z"}}},"EventData":{"NewProcessName":"C:\\\\x.exe","ParentProcessName":"p.exe","ProcessId":"0x10","NewProcessId":"0x20","SubjectUserName":"u","SubjectDomainName":"D","MandatoryLabel":"s-1-16-12288","SubjectLogonId":"0x3e7"}}}`,
      `{"Event":{"System":{"EventID":4688,"Channel":"SECURITY","Provider_Name":"plain","Provider":{"#attributes":{"Name":"attr"}}},"EventData":{"ProcessId":5,"NewProcessId":null,"SubjectUserName":"u","SubjectDomainName":""}}}`,
      `{"Event":{"System":{"EventID":"0042","Channel":null,"Computer":{"#text":"pc2"}},"EventData":{"Data":"x","#text":"y"}}}`,
      ` { "Event" : { "System" : { "EventID" : 7 } , "Other" : [1, {"a": [true]}] } , "Meta" : {"k": "v"} } `,
      `{"Event":{${sys()},"EventData":{"Uni":"non-ASCII value ünï","Emoji":"😀"}}}`,
      `{"Event":{${sys()},"EventData":{"W":"a\\/b","X":"\\b\\f\\n\\r\\t"}}}`,
      // Keys are predicted from the keys before them: a prediction that is a prefix, longer, or spaced.
      `{"Event":{${sys()},"EventData":{"Image":"a","CommandLine":"b"}}}`,
      `{"Event":{${sys()},"EventData":{"Image":"a","CommandLin":"b","CommandLine2":"c"}}}`,
      `{"Event":{${sys()},"EventData":{"Image":"a","CommandLine" : "b","Image2":"c"}}}`,
      // Escaped quotes and backslashes in runs, across the index's 16-byte blocks, non-ASCII between them.
      `{"Event":{${sys()},"EventData":{"A":"\\\\\\\\\\"x\\"é\\\\\\\\","B":"${'é\\\\\\"'.repeat(20)}","C":"\\\\"}}}`,
    ];
    for (const l of read) assert.equal(check(reader, l), 'read', l);
    const declined = [
      `{"Event":{${sys()},"EventData":{"A":"1","A":"2"}}}`, // duplicate key
      `{"Event":{${sys()},"EventData":{"A":{"A":"x"},"A":"y"}}}`, // duplicate key around a nested one
      `{"Event":{"System":{"EventID":1,"P":{"System":1}},"System":{"EventID":2}}}`, // duplicate System
      `{"Event":{${sys()},"EventData":{"A":["x"]}}}`, // array value
      `{"Event":{${sys()},"EventData":{"1A":"x"}}}`, // integer-like keys enumerate first
      `{"Event":{${sys()},"EventData":{"\\u0041":"x"}}}`, // escaped key
      `{"Event":{${sys()},"EventData":{"Ä":"x"}}}`, // non-ASCII key
      `{"EventID":1,"Channel":"Security"}`, // flat JSON
      `{"Event":{"EventData":{"A":"x"}}}`, // no System
      `{"Event":{${sys()},"EventData":{"A":{"#text":{"x":1}}}}}`, // object #text
      `{"Event":{${sys()},"EventData":{"A":"x",}}}`, // invalid: trailing comma
      `{"Event":{${sys()},"EventData":{"A":01}}}`, // invalid number
      `{"Event":{${sys()},"EventData":{"A":"tab\there"}}}`, // raw control character
      `{"Event":{${sys()},"EventData":{"A":"x"}}} {}`, // trailing text
      `{"Event":{${sys()},"EventData":{"A":"\\x"}}}`, // bad escape
      `{"Event":{${sys()},"EventData":{"A":tru}}}`, // bad literal
      `{"Event":{${sys()},"EventData":{"Image":"a","Image":"b"}}}`, // duplicate of a predicted key
      `{"Event":{${sys()},"EventData":{"Image":"a","CommandLine`, // cut in a predicted key
      `{"Event":{${sys()},"EventData":{"Image":"abc`, // cut in a value
      `{"Event":{${sys()},"EventData":{"Image":"abc\\`, // cut after a backslash
      `{"Event":{${sys()},"EventData":{"Image":"abc\\u00`, // cut in a \u escape
      `{"Event":{${sys()},"EventData":{"Image":"a\\u00zz"}}}`, // bad \u escape
      `{"Event":{${sys()},"EventData":{"Image":"a\x7f\x01"}}}`, // raw control character after DEL
    ];
    for (const l of declined) assert.equal(check(reader, l), 'declined', l);
    // The same once the object and line stamps have run past their limit (2^30) and started again.
    const stamps = reader as unknown as { objStamp: number; lineStamp: number };
    stamps.objStamp = 2 ** 30 - 3;
    stamps.lineStamp = 2 ** 30 - 1;
    for (let k = 0; k < 3; k++) {
      for (const l of read) assert.equal(check(reader, l), 'read', l);
      for (const l of declined) assert.equal(check(reader, l), 'declined', l);
    }
    assert.ok(stamps.objStamp < 1000 && stamps.lineStamp < 1000);
  });

test('raw reader: a view keeps its line after the reader moves on (metadata decoded lazily)', () => {
  const reader = new RawEventReader();
  const metaKeys = ['channel', 'eventId', 'provider', 'computer', 'recordId', 'timestamp', 'time'] as const;
  const a = `{"Event":{${sys()},"EventData":{"Image":"a.exe","Threat Name":"x"}}}`;
  const b = `{"Event":{"System":{"EventID":4688,"Channel":"Security","EventRecordID":"9","Computer":"other"},"EventData":{"NewProcessName":"b.exe"}}}`;
  const declined = `{"Event":{"System":{"EventID":5,"Channel":"Other","Computer":"third"},"EventData":{"A":"1","A":"2"}}}`;
  const want = toEventView(JSON.parse(a));
  const at = (line: string): [Buffer, number, number] => [Buffer.from(line), 0, Buffer.byteLength(line)];
  // Nothing read from the view before the reader declines the next line: the view parses its own bytes.
  const view = reader.read(...at(a))!;
  assert.equal(reader.read(...at(declined)), undefined);
  for (const k of metaKeys) assert.deepEqual(view[k], want[k], k);
  assert.deepEqual(view.fields, want.fields);
  assert.equal(view.get('Image'), 'a.exe');
  assert.equal(view.lowerString('ThreatName'), 'x');
  assert.deepEqual(view.values().sort(), want.values().sort());
  // A detached view keeps the metadata of its line once the reader has read another one.
  const again = reader.read(...at(a))!;
  const kept = detached(again);
  const next = reader.read(...at(b))!;
  assert.equal(next, again, 'the reader reuses its view');
  for (const k of metaKeys) assert.deepEqual(kept[k], want[k], k);
  assert.deepEqual(kept.fields, want.fields);
  // The reused view now gives the new line's metadata, decoded on first use.
  const wantB = toEventView(JSON.parse(b));
  for (const k of metaKeys) assert.deepEqual(next[k], wantB[k], k);
  assert.equal(next.get('Image'), 'b.exe');
});

for (const indexed of [true, false])
  test(`raw reader: agrees with the parser on every regression event and attack-sample record (strings ${indexed ? 'indexed' : 'byte by byte'})`, (t) => {
    if (!existsSync(shared)) return t.skip('../shared not found');
    const events = sharedEvents();
    assert.ok(events.length > 1000, `only ${events.length} events`);
    const reader = new RawEventReader(indexed);
    let read = 0;
    for (const e of events) if (check(reader, JSON.stringify(e)) === 'read') read++;
    // Nearly all of them have the plain evtx shape the reader takes.
    assert.ok(read / events.length > 0.9, `only ${read} of ${events.length} read`);
  });

test('a transient hit sink sees each line as it is read; correlations keep their own copies', () => {
  const text = `title: evil
id: 55555555-5555-4555-8555-555555555555
name: evil_run
status: test
logsource:
  product: windows
detection:
  sel:
    Image|endswith: '\\evil.exe'
  condition: sel
level: low
---
title: twice on one computer
id: 66666666-6666-4666-8666-666666666666
status: test
correlation:
  type: event_count
  rules: [evil_run]
  group-by: [Computer]
  timespan: 10m
  condition:
    gte: 2
  generate: true
level: high
`;
  const line = (computer: string, image: string, s: number): string =>
    JSON.stringify({
      Event: {
        System: {
          EventID: 1,
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          Computer: computer,
          TimeCreated: { '#attributes': { SystemTime: `2025-12-06T21:11:0${s}.000Z` } },
        },
        EventData: { Image: image },
      },
    });
  // X runs evil.exe twice; Y once, last: a correlation reading the live view late would count Y three times.
  const lines = [
    line('X', 'C:\\a\\evil.exe', 1),
    line('X', 'C:\\b\\evil.exe', 2),
    line('Y', 'C:\\c\\evil.exe', 3),
  ];
  for (const transient of [false, true]) {
    const { engine } = compileText(text);
    const seen: string[] = [];
    const groups: string[] = [];
    engine.onHit(
      (h) => {
        if (h.kind === 'rule') seen.push(`${h.event.computer} ${String(h.event.get('Image'))}`);
        else groups.push(JSON.stringify(h.hit.group));
      },
      { transient },
    );
    for (const l of lines) {
      const buf = Buffer.from(l);
      engine.matchLine(buf, 0, buf.length, { file: 'mem' });
    }
    engine.finish();
    assert.deepEqual(
      seen,
      ['X C:\\a\\evil.exe', 'X C:\\b\\evil.exe', 'Y C:\\c\\evil.exe'],
      `transient ${transient}`,
    );
    assert.deepEqual(groups, ['{"Computer":"X"}'], `transient ${transient}`);
    assert.equal(engine.stats.parsed, 0, 'the lines were read raw');
  }
});
