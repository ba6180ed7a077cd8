import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { ATTACK_SAMPLES, haveShared } from './shared.js';
import { capture } from '../helpers/cli.js';

const SAMPLE = 'Defense Evasion/DE_WinEventLogSvc_Crash_System_7036.evtx';

interface Line {
  file: string;
  record_id: number;
  timestamp: string;
  event?: { Event: { System: { EventRecordID: number } } };
  xml?: string;
  recovered?: boolean;
}

function lines(text: string): Line[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

test('evtx dump prints one JSON line per record with file, record_id, timestamp and event', async (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const c = capture(ATTACK_SAMPLES);
  assert.equal(await main(['evtx', 'dump', SAMPLE], c.io), 0);
  const rows = lines(c.out());
  assert.equal(rows.length, 6);
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['file', 'record_id', 'timestamp', 'event']);
  assert.equal(rows[0]?.file, SAMPLE);
  assert.equal(rows[0]?.record_id, 1);
  assert.equal(rows[0]?.timestamp, '2020-09-23T16:57:41.7163814Z');
  assert.equal(rows[0]?.event?.Event.System.EventRecordID, 65371);
  assert.equal(c.err(), '');
});

test('evtx dump --format xml puts the XML text in place of the event', async (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const c = capture(ATTACK_SAMPLES);
  assert.equal(await main(['evtx', 'dump', '--format', 'xml', SAMPLE], c.io), 0);
  const rows = lines(c.out());
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['file', 'record_id', 'timestamp', 'xml']);
  assert.match(
    rows[0]?.xml ?? '',
    /^<Event xmlns="http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event"><System>/,
  );
  assert.match(rows[0]?.xml ?? '', /<EventRecordID>65371<\/EventRecordID>/);
});

test('evtx dump --recover flags carved records; --jobs gives the same records', async (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const dir = mkdtempSync(join(tmpdir(), 'tripline-evtx-'));
  const buf = readFileSync(join(ATTACK_SAMPLES, SAMPLE));
  const free = buf.readUInt32LE(4096 + 48);
  // drop the last record from the live area: it is then only reachable with --recover
  let last = 512;
  for (let p = 512; p < free; p += buf.readUInt32LE(4096 + p + 4)) last = p;
  buf.writeUInt32LE(last, 4096 + 48);
  writeFileSync(join(dir, 'a.evtx'), buf);
  writeFileSync(join(dir, 'b.evtx'), readFileSync(join(ATTACK_SAMPLES, SAMPLE)));
  const plain = capture(dir);
  assert.equal(await main(['evtx', 'dump', 'a.evtx'], plain.io), 0);
  assert.equal(lines(plain.out()).length, 5);
  assert.match(plain.err(), /a\.evtx\(offset 0x\w+\): warning TL7012/);
  const rec = capture(dir);
  assert.equal(await main(['evtx', 'dump', '--recover', 'a.evtx'], rec.io), 0);
  const rows = lines(rec.out());
  assert.equal(rows[5]?.record_id, 6);
  assert.equal(rows[5]?.recovered, true);
  assert.equal(rows[0]?.recovered, undefined);
  const seq = capture(dir);
  const par = capture(dir);
  assert.equal(await main(['evtx', 'dump', '.'], seq.io), 0);
  assert.equal(await main(['evtx', 'dump', '--jobs', '2', '.'], par.io), 0);
  assert.deepEqual(seq.out().split('\n').sort(), par.out().split('\n').sort());
  assert.equal(lines(par.out()).length, 11);
});

test('evtx usage errors exit 2; unreadable files exit 1 with a diagnostic', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-evtx-'));
  writeFileSync(join(dir, 'junk.evtx'), 'not an event log');
  for (const args of [
    ['evtx'],
    ['evtx', 'list', 'x.evtx'],
    ['evtx', 'dump'],
    ['evtx', 'dump', '--format', 'csv', 'x'],
    ['evtx', 'dump', '--jobs', '0', 'x'],
  ]) {
    const c = capture(dir);
    assert.equal(await main(args, c.io), 2, args.join(' '));
    assert.match(c.err(), /TL9002/);
  }
  const c = capture(dir);
  assert.equal(await main(['evtx', 'dump', 'junk.evtx', 'missing.evtx'], c.io), 1);
  assert.equal(c.out(), '');
  assert.match(c.err(), /junk\.evtx\(offset 0x0\): error TL7002/);
  assert.match(c.err(), /missing\.evtx: error TL7001/);
});
