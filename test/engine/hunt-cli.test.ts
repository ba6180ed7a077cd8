import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { rule } from './helpers.js';
import { capture } from '../helpers/cli.js';

function fixture(): { dir: string; rules: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-hunt-'));
  const rules = join(dir, 'rule.yml');
  writeFileSync(
    rules,
    rule(
      "  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel",
      'product: windows\n  category: process_creation',
    ),
  );
  const sysmon = (id: number, image: string): object => ({
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
        EventID: 1,
        EventRecordID: id,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'pc1',
        TimeCreated: { '#attributes': { SystemTime: `2024-05-01T10:00:0${id}.000000Z` } },
      },
      EventData: { Image: image, CommandLine: image },
    },
  });
  const lines = [
    JSON.stringify(sysmon(1, 'C:\\Windows\\System32\\whoami.exe')),
    '{"Event": {not json',
    JSON.stringify(sysmon(2, 'C:\\Windows\\System32\\cmd.exe')),
    JSON.stringify(sysmon(3, 'C:\\Windows\\System32\\WHOAMI.EXE')),
  ];
  writeFileSync(join(dir, 'a.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'b.jsonl.gz'), gzipSync(lines[0]! + '\n'));
  // Several pretty-printed objects one after another.
  writeFileSync(
    join(dir, 'c.json'),
    JSON.stringify(sysmon(4, 'x\\whoami.exe'), null, 2) + '\n' + JSON.stringify(sysmon(5, 'y.exe'), null, 2),
  );
  writeFileSync(join(dir, 'd.json'), JSON.stringify([sysmon(6, 'z\\whoami.exe'), sysmon(7, 'q.exe')]));
  // Security 4688 is process creation too, under its own field names.
  writeFileSync(
    join(dir, 'e.jsonl'),
    JSON.stringify({
      Event: {
        System: { EventID: 4688, Channel: 'Security', EventRecordID: 8, Computer: 'dc1' },
        EventData: { NewProcessName: 'C:\\Windows\\System32\\whoami.exe', ParentProcessName: 'cmd.exe' },
      },
    }) + '\n',
  );
  // Non-ASCII text goes out as the UTF-8 it was read as; a line longer than the output buffer (1 MiB)
  // and than the scanner's WebAssembly line buffer (64 KiB) goes out whole.
  const wide = sysmon(9, 'C:\\Üsers\\😀\\whoami.exe');
  const long = sysmon(10, 'C:\\Windows\\whoami.exe') as { Event: { EventData: { CommandLine: string } } };
  long.Event.EventData.CommandLine = `whoami ${'A'.repeat(1_500_000)}`;
  writeFileSync(join(dir, 'f.jsonl'), `${JSON.stringify(wide)}\n${JSON.stringify(long)}\n`);
  return { dir, rules };
}

test('tripline hunt: every input format, corrupt lines reported with file and line, exit 0', async () => {
  const { dir, rules } = fixture();
  const c = capture();
  const code = await main(['hunt', '-r', rules, '--format', 'jsonl', dir], c.io);
  assert.equal(code, 0, c.err());
  const hits = c
    .out()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    hits.map((h) => h['record_id']).sort((a, b) => Number(a) - Number(b)),
    [1, 1, 3, 4, 6, 8, 9, 10],
  );
  const first = hits.find((h) => String(h['file']).endsWith('a.jsonl'))!;
  assert.deepEqual(Object.keys(first), [
    'rule_id',
    'rule_title',
    'level',
    'file',
    'record_id',
    'timestamp',
    'computer',
    'channel',
    'event_id',
    'event',
  ]);
  assert.equal(first['channel'], 'Microsoft-Windows-Sysmon/Operational');
  assert.equal(first['event_id'], 1);
  assert.equal(first['computer'], 'pc1');
  // The event goes out as the JSON value it was in (carried as read for JSONL lines, rewritten on one
  // line for pretty-printed .json objects).
  const image = (h: Record<string, unknown>): unknown =>
    (h['event'] as { Event: { EventData: { Image: string } } }).Event.EventData.Image;
  assert.equal(image(first), 'C:\\Windows\\System32\\whoami.exe');
  assert.equal(image(hits.find((h) => String(h['file']).endsWith('c.json'))!), 'x\\whoami.exe');
  assert.equal(image(hits.find((h) => h['record_id'] === 9)!), 'C:\\Üsers\\😀\\whoami.exe');
  const longHit = hits.find((h) => h['record_id'] === 10)!;
  const cmd = (longHit['event'] as { Event: { EventData: { CommandLine: string } } }).Event.EventData
    .CommandLine;
  assert.equal(cmd.length, 1_500_007);
  assert.match(c.err(), /a\.jsonl\(2,1\): warning TL6008/);
});

test('tripline hunt: csv, min-level, rule-id, time filters and summary', async () => {
  const { dir, rules } = fixture();
  const csv = capture();
  assert.equal(await main(['hunt', '-r', rules, '-f', 'csv', join(dir, 'a.jsonl')], csv.io), 0);
  const rows = csv.out().trim().split('\n');
  assert.equal(
    rows[0],
    'rule_id,rule_title,level,file,record_id,timestamp,computer,channel,event_id,correlation',
  );
  assert.equal(rows.length, 3);

  const high = capture();
  await main(['hunt', '-r', rules, '-f', 'jsonl', '--min-level', 'critical', join(dir, 'a.jsonl')], high.io);
  assert.equal(high.out(), '');

  const byId = capture();
  await main(['hunt', '-r', rules, '-f', 'jsonl', '--rule-id', 'nope', join(dir, 'a.jsonl')], byId.io);
  assert.equal(byId.out(), '');

  const timed = capture();
  await main(
    ['hunt', '-r', rules, '-f', 'jsonl', '--from', '2024-05-01T10:00:02Z', join(dir, 'a.jsonl')],
    timed.io,
  );
  assert.equal(timed.out().trim().split('\n').length, 1);

  const sum = capture();
  await main(['hunt', '-r', rules, '-f', 'table', '--summary', '--quiet', join(dir, 'a.jsonl')], sum.io);
  assert.match(sum.out(), /Hits per level:\n {2}high +2/);
});

test('tripline hunt: usage errors exit 2; a missing event file exits 1', async () => {
  const { rules } = fixture();
  const a = capture();
  assert.equal(await main(['hunt', 'events.jsonl'], a.io), 2);
  const b = capture();
  assert.equal(await main(['hunt', '-r', rules, '--format', 'xml', 'x.jsonl'], b.io), 2);
  const d = capture();
  assert.equal(await main(['hunt', '-r', rules, '/no/such/file.jsonl'], d.io), 1);
  assert.match(d.err(), /TL9003/);
});
