import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEvtx, toEvtxJsonText } from '../../src/evtx/index.js';
import { ATTACK_SAMPLES, haveShared } from './shared.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES = [
  'Defense Evasion/DE_WinEventLogSvc_Crash_System_7036.evtx',
  'Lateral Movement/LM_xp_cmdshell_MSSQL_Events.evtx',
  'Command and Control/bits_openvpn.evtx',
];
const HEADER = 4096;
const CHUNK = 65536;

/** Read everything, rendering both forms; returns the record count. Any exception fails the test. */
function consume(buf: Uint8Array, recover: boolean): number {
  const r = readEvtx(buf, { file: 'fuzz.evtx', recover });
  let n = 0;
  for (const rec of r.records) {
    assert.deepStrictEqual(JSON.parse(toEvtxJsonText(rec.tree)), rec.event);
    assert.equal(typeof rec.xml, 'string');
    assert.match(rec.timestamp, /Z$/);
    n++;
  }
  for (const d of r.diagnostics) assert.equal(d.file, 'fuzz.evtx');
  return n;
}

/** Only the chunks that hold records, to keep iterations cheap. */
function liveChunks(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let off = HEADER; off + CHUNK <= buf.length; off += CHUNK) {
    if (buf.toString('latin1', off, off + 7) === 'ElfChnk') out.push(buf.subarray(off, off + CHUNK));
  }
  return out;
}

function fileOf(header: Buffer, chunks: Buffer[]): Buffer {
  return Buffer.concat([header, ...chunks]);
}

test(
  'fuzz: bit flips, byte stomps, truncations and chunk shuffles never throw or hang',
  { timeout: 120_000 },
  (t) => {
    if (!haveShared()) return t.skip('../shared not found');
    const random = rng(0x7e1d);
    const pick = (n: number): number => Math.floor(random() * n);
    let runs = 0;
    let records = 0;
    for (const name of SAMPLES) {
      const original = readFileSync(join(ATTACK_SAMPLES, name));
      const header = original.subarray(0, HEADER);
      const chunks = liveChunks(original).slice(0, 3);
      const base = fileOf(header, chunks);
      for (let i = 0; i < 60; i++) {
        // bit flips, dense in the chunk header and the first records where most structure lives
        const buf = Buffer.from(base);
        const flips = 1 + pick(40);
        for (let k = 0; k < flips; k++) {
          const c = pick(chunks.length);
          const pos = random() < 0.6 ? HEADER + c * CHUNK + pick(8192) : pick(buf.length);
          buf[pos] = (buf[pos] ?? 0) ^ (1 << pick(8));
        }
        records += consume(buf, i % 2 === 0);
        runs++;
      }
      for (let i = 0; i < 30; i++) {
        // stomp a run of bytes with one value (zeros, 0xff, token-like bytes)
        const buf = Buffer.from(base);
        const pos = HEADER + pick(buf.length - HEADER);
        const len = 1 + pick(64);
        buf.fill([0, 0xff, 0x0c, 0x41, 0x21][pick(5)] ?? 0, pos, Math.min(buf.length, pos + len));
        records += consume(buf, i % 2 === 1);
        runs++;
      }
      for (let i = 0; i < 20; i++) {
        records += consume(base.subarray(0, pick(base.length)), i % 2 === 0);
        runs++;
      }
      for (let i = 0; i < 10; i++) {
        // shuffled and duplicated chunks: templates and names must stay per chunk
        const order = chunks.map((c) => c);
        for (let k = order.length - 1; k > 0; k--) {
          const j = pick(k + 1);
          [order[k], order[j]] = [order[j] ?? order[k] ?? Buffer.alloc(0), order[k] ?? Buffer.alloc(0)];
        }
        if (order[0]) order.push(order[0]);
        const n = consume(fileOf(header, order), false);
        assert.ok(n > 0, 'shuffled intact chunks still yield records');
        records += n;
        runs++;
      }
    }
    t.diagnostic(`${runs} mutated files read, ${records} records rendered`);
  },
);

test(
  'fuzz: hostile nesting is bounded (template instances inside BinXML values, deep elements)',
  { timeout: 60_000 },
  () => {
    const random = rng(42);
    for (let i = 0; i < 200; i++) {
      // a chunk of random token bytes behind valid headers
      const buf = Buffer.alloc(HEADER + CHUNK);
      buf.write('ElfFile\0', 0, 'latin1');
      buf.write('ElfChnk\0', HEADER, 'latin1');
      buf.writeUInt32LE(CHUNK, HEADER + 48);
      for (let p = HEADER + 512; p < buf.length; p++)
        buf[p] = [0x01, 0x41, 0x0c, 0x0d, 0x21, 0x02, 0x04, 0][Math.floor(random() * 8)] ?? 0;
      // one record spanning the chunk
      buf.writeUInt32LE(0x2a2a, HEADER + 512);
      buf.writeUInt32LE(CHUNK - 512, HEADER + 516);
      buf.writeUInt32LE(CHUNK - 512, HEADER + CHUNK - 4);
      consume(buf, true);
    }
  },
);

/** A chunk whose one record nests a template that uses its BinXML value K times, L levels deep. */
function expansionBomb(k: number, levels: number): Buffer {
  const buf = Buffer.alloc(HEADER + CHUNK);
  buf.write('ElfFile\0', 0, 'latin1');
  buf.writeUInt16LE(1, 36);
  buf.writeUInt16LE(3, 38);
  const c = HEADER;
  buf.write('ElfChnk\0', c, 'latin1');
  // name "a" at chunk offset 0x300
  const nameOff = 0x300;
  buf.writeUInt16LE(1, c + nameOff + 6);
  buf.write('a', c + nameOff + 8, 'utf16le');
  // template definition at 0x340: <a>{0}{0}…(k times)</a>
  const defOff = 0x340;
  const body: number[] = [0x0f, 1, 1, 0, 0x01, 0, 0, 0, 0, 0, 0];
  body.push(nameOff & 0xff, nameOff >> 8, 0, 0, 0x02);
  for (let i = 0; i < k; i++) body.push(0x0d, 0, 0, 0x21);
  body.push(0x04, 0x00);
  buf.writeUInt32LE(body.length, c + defOff + 20);
  Buffer.from(body).copy(buf, c + defOff + 24);
  // nested instances, innermost first: each is a template instance whose one value is the previous
  let inner = Buffer.from([0x0f, 1, 1, 0, 0x0c, 0, 1, 0, 0, 0, ...u32(defOff), ...u32(0), 0x00]);
  for (let l = 0; l < levels; l++) {
    inner = Buffer.concat([
      Buffer.from([
        0x0f,
        1,
        1,
        0,
        0x0c,
        0,
        1,
        0,
        0,
        0,
        ...u32(defOff),
        ...u32(1),
        inner.length & 0xff,
        inner.length >> 8,
        0x21,
        0,
      ]),
      inner,
    ]);
  }
  const recStart = 0x1000;
  const size = 24 + inner.length + 4;
  buf.writeUInt32LE(0x2a2a, c + recStart);
  buf.writeUInt32LE(size, c + recStart + 4);
  buf.writeUInt32LE(1, c + recStart + 8);
  inner.copy(buf, c + recStart + 24);
  buf.writeUInt32LE(size, c + recStart + size - 4);
  buf.copy(buf, c + 512, c + recStart, c + recStart + size);
  buf.writeUInt32LE(512 + size, c + 48);
  return buf;
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}

test('an exponential template expansion is cut off with a diagnostic, quickly', { timeout: 30_000 }, () => {
  // sanity: a small nesting decodes to the expected element count
  const small = readEvtx(expansionBomb(2, 3));
  const recs = [...small.records];
  assert.equal(recs.length, 1);
  assert.equal((recs[0]?.xml.match(/<a>/g) ?? []).length, 1 + 2 + 4 + 8);
  // 50^12 elements if unbounded
  const bomb = readEvtx(expansionBomb(50, 12));
  const started = Date.now();
  assert.deepEqual([...bomb.records], []);
  assert.ok(Date.now() - started < 10_000);
  const d = bomb.diagnostics.find((x) => x.code === 'TL7021');
  assert.match(d?.message ?? '', /too many|nested too deeply/);
});
