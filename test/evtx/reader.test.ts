import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEvtx } from '../../src/evtx/index.js';
import type { EvtxRecord } from '../../src/evtx/index.js';
import { ATTACK_SAMPLES, haveShared } from './shared.js';

const CHUNK = 4096;
/** A one-chunk file with several records and a multi-chunk one. */
const SMALL = 'Defense Evasion/DE_WinEventLogSvc_Crash_System_7036.evtx';
const MULTI = 'Command and Control/bits_openvpn.evtx';

function load(name: string): Buffer {
  return readFileSync(join(ATTACK_SAMPLES, name));
}

function readAll(
  buf: Uint8Array,
  recover = false,
): { records: EvtxRecord[]; codes: string[]; offsets: (number | undefined)[] } {
  const r = readEvtx(buf, { file: 'x.evtx', recover });
  const records = [...r.records];
  for (const rec of records) {
    assert.equal(typeof rec.xml, 'string');
    assert.equal(typeof rec.event, 'object');
  }
  return { records, codes: r.diagnostics.map((d) => d.code), offsets: r.diagnostics.map((d) => d.offset) };
}

/** Offsets of the records of the first chunk, walking the record sizes. */
function recordOffsets(buf: Buffer, chunkStart: number): number[] {
  const free = buf.readUInt32LE(chunkStart + 48);
  const out: number[] = [];
  for (let p = 512; p < free; p += buf.readUInt32LE(chunkStart + p + 4)) out.push(p);
  return out;
}

test('a clean file reads without diagnostics', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const r = readAll(load(SMALL));
  assert.equal(r.records.length, 6);
  assert.deepEqual(r.codes, []);
  assert.equal(r.records[0]?.recordId, 1);
  assert.equal(r.records[0]?.timestamp, '2020-09-23T16:57:41.7163814Z');
  assert.match(
    r.records[0]?.xml ?? '',
    /^<Event xmlns="http:\/\/schemas.microsoft.com\/win\/2004\/08\/events\/event">/,
  );
});

test('wrong file magic: error diagnostic, chunks still read', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const buf = Buffer.from(load(SMALL));
  buf.write('NotAFile', 0, 'latin1');
  const r = readAll(buf);
  assert.deepEqual(r.codes, ['TL7002']);
  assert.equal(r.offsets[0], 0);
  assert.equal(r.records.length, 6);
});

test('bad file header and chunk header checksums are reported with their offsets', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const buf = Buffer.from(load(SMALL));
  buf[60] = (buf[60] ?? 0) ^ 0xff; // unused part of the file header, covered by its CRC
  buf[CHUNK + 60] = (buf[CHUNK + 60] ?? 0) ^ 0xff; // unused part of the chunk header
  const r = readAll(buf);
  assert.deepEqual(r.codes, ['TL7003', 'TL7011']);
  assert.deepEqual(r.offsets, [124, CHUNK + 124]);
  assert.equal(r.records.length, 6);
});

test('a changed byte inside the records is caught by the records checksum', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const buf = Buffer.from(load(SMALL));
  const last = recordOffsets(buf, CHUNK).at(-1) ?? 0;
  buf[CHUNK + last + 16] = (buf[CHUNK + last + 16] ?? 0) ^ 1; // written time of the last record
  const r = readAll(buf);
  assert.deepEqual(r.codes, ['TL7012']);
  assert.equal(r.offsets[0], CHUNK + 52);
  assert.equal(r.records.length, 6);
});

test('a truncated file yields the records before the cut and a diagnostic', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const full = load(MULTI);
  const all = readAll(full).records.length;
  const cut = full.subarray(0, CHUNK + 65536 + 30000);
  const r = readAll(cut);
  assert.ok(r.codes.includes('TL7006'), r.codes.join());
  assert.ok(r.records.length > 0 && r.records.length < all, `${r.records.length} of ${all}`);
  for (let i = 0; i < r.records.length; i++)
    assert.equal(r.records[i]?.recordId, readAll(full).records[i]?.recordId);
});

test('a record whose template is missing is skipped with a diagnostic; the others are kept', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const buf = Buffer.from(load(SMALL));
  const offsets = recordOffsets(buf, CHUNK);
  const second = offsets[1] ?? 0;
  // record header (24) + fragment header (4) + token, unknown byte, template id → definition offset
  const defField = CHUNK + second + 24 + 4 + 6;
  buf.writeUInt32LE(0xfff0, defField);
  const r = readAll(buf);
  assert.ok(r.codes.includes('TL7021'), r.codes.join());
  const d = r.codes.indexOf('TL7021');
  assert.ok((r.offsets[d] ?? 0) >= CHUNK + second, 'offset points into the broken record');
  assert.equal(r.records.length, 5);
  assert.deepEqual(
    r.records.map((x) => x.recordId),
    [1, 3, 4, 5, 6],
  );
});

test('records stop at the free-space offset; --recover carves the rest and flags them', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const buf = Buffer.from(load(SMALL));
  const offsets = recordOffsets(buf, CHUNK);
  buf.writeUInt32LE(offsets[3] ?? 0, CHUNK + 48); // records 4.. now lie in slack space
  const plain = readAll(buf);
  assert.deepEqual(
    plain.records.map((x) => x.recordId),
    [1, 2, 3],
  );
  assert.ok(plain.records.every((x) => !x.recovered));
  const recovered = readAll(buf, true);
  // The slack after the live records of this file also holds older, overwritten records.
  assert.deepEqual(
    recovered.records.slice(0, 6).map((x) => [x.recordId, x.recovered]),
    [
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [5, true],
      [6, true],
    ],
  );
  assert.ok(recovered.records.length > 6);
  assert.ok(recovered.records.slice(6).every((x) => x.recovered));
  assert.ok(recovered.codes.includes('TL7022'));
  const original = readAll(load(SMALL)).records;
  assert.deepEqual(recovered.records[4]?.event, original[4]?.event);
});

test('a broken record header is skipped and reading resumes at the next record', (t) => {
  if (!haveShared()) return t.skip('../shared not found');
  const buf = Buffer.from(load(SMALL));
  const offsets = recordOffsets(buf, CHUNK);
  buf.writeUInt32LE(0x12345678, CHUNK + (offsets[2] ?? 0)); // signature of record 3
  const r = readAll(buf);
  assert.ok(r.codes.includes('TL7020'), r.codes.join());
  assert.deepEqual(
    r.records.map((x) => x.recordId),
    [1, 2, 4, 5, 6],
  );
});

test('garbage, empty input and a missing path give diagnostics, not exceptions', () => {
  assert.deepEqual(readAll(new Uint8Array(0)).codes, ['TL7002']);
  const noise = new Uint8Array(200_000).map((_, i) => (i * 2654435761) >>> 24);
  const r = readAll(noise);
  assert.equal(r.records.length, 0);
  assert.equal(r.codes[0], 'TL7002');
  const missing = readEvtx('/nonexistent/file.evtx');
  assert.deepEqual([...missing.records], []);
  assert.equal(missing.diagnostics[0]?.code, 'TL7001');
  assert.equal(missing.diagnostics[0]?.file, '/nonexistent/file.evtx');
});
