/**
 * The prefilter's literal scanner: its WebAssembly loop and its JavaScript loop find exactly the literals a
 * plain case-insensitive substring search finds, on hand-made lines and on the benchmark's real events.
 */
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Engine } from '../../src/engine/index.js';
import {
  LiteralScanner,
  LiteralTable,
  MIN_LITERAL,
  OCC_CAP,
  WASM_LINE_BYTES,
} from '../../src/engine/scanner.js';
import type { SigmaDocument } from '../../src/sigma/index.js';
import { loadSigmaFile } from '../../src/sigma/index.js';
import { walkFiles } from '../../src/util/files.js';
import { shared } from './helpers.js';

/** The literal ids a scanner reports for bytes [start, end) of buf. */
function found(sc: LiteralScanner, buf: Buffer, start = 0, end = buf.length): number[] {
  sc.scan(buf, start, end);
  return [...sc.hits.subarray(0, sc.hitCount)].sort((a, b) => a - b);
}

/** What the scanner must report: every literal the line holds, ASCII case-insensitively. */
function oracle(literals: readonly string[], line: string): number[] {
  const low = line.toLowerCase();
  return literals.flatMap((l, i) => (low.includes(l.toLowerCase()) ? [i] : []));
}

/** The scanner reports, on each line, exactly the literals the oracle finds. */
function findsAll(sc: LiteralScanner, literals: readonly string[], lines: readonly string[]): void {
  for (const line of lines)
    assert.deepEqual(found(sc, Buffer.from(line, 'latin1')), oracle(literals, line), line);
}

const LITERALS = [
  'whoami',
  'WHOAMI.EXE"',
  '\\\\temp\\\\',
  'abcd',
  'bcde',
  'cdef',
  'xyz',
  'net1',
  'net1 user',
  // The bytes just outside A-Z ('@' 0x40, '[' 0x5b) fold to nothing: not to '`' and '{'.
  'z@[`',
];

test('the scanner (WebAssembly and JavaScript loops) reports exactly the literals a line holds', () => {
  const table = new LiteralTable(LITERALS);
  const lines = [
    'abcdef',
    'ABCDEF',
    '{"CommandLine":"C:\\\\Temp\\\\WhoAmI.exe"}',
    'whoami at the start and whoami again',
    'ends with net1 user',
    'net1',
    'net',
    'xyz only a short literal',
    '',
    'abc',
    'Z@[`',
    'z`{`',
    'Z@[@',
  ];
  for (const useWasm of [true, false]) {
    findsAll(new LiteralScanner(table, undefined, useWasm), LITERALS, lines);
  }
});

test('short literals (found by string search): prefixes of one another, overlaps, regex characters, case', () => {
  const shortOnes = ['ab', 'abc', 'aa', 'aaa', '.ph', '^|^', '$(', '[x', '\\\\', 'x*'];
  const table = new LiteralTable([...shortOnes, 'long enough']);
  const lines = [
    'ABC',
    'xab',
    'aaaa',
    'a.php',
    'aXph',
    'c^|^d',
    'echo $(id) [X]',
    'C:\\\\x',
    'x* and X*',
    'xx',
    '',
  ];
  findsAll(new LiteralScanner(table), table.literals, lines);
});

/** Every occurrence of every literal, as [id, byte offset from start] sorted (what occLit/occPos must hold). */
function occurrences(literals: readonly string[], line: string, start = 0): [number, number][] {
  const low = line.toLowerCase();
  const out: [number, number][] = [];
  literals.forEach((l, id) => {
    const t = l.toLowerCase();
    for (let at = low.indexOf(t, start); at >= 0; at = low.indexOf(t, at + 1)) out.push([id, at - start]);
  });
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

test('the scanner records every occurrence of a literal with its position (both loops)', () => {
  const table = new LiteralTable(LITERALS);
  const lines = [
    '{"ParentImage":"C:\\\\Temp\\\\whoami.exe","Image":"C:\\\\Temp\\\\WHOAMI.EXE"}',
    'abcdefabcdef cdef cdef',
    'whoami whoami whoami',
  ];
  for (const useWasm of [true, false]) {
    const sc = new LiteralScanner(table, undefined, useWasm);
    for (const line of lines) {
      const buf = Buffer.from(`..${line}`, 'latin1');
      sc.scan(buf, 2, buf.length);
      const got: [number, number][] = [];
      for (let o = 0; o < sc.occCount; o++) got.push([sc.occLit[o]!, sc.occPos[o]!]);
      got.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.deepEqual(
        got,
        occurrences(LITERALS, line).filter(([id]) => LITERALS[id]!.length >= MIN_LITERAL),
        `${useWasm ? 'WebAssembly' : 'JavaScript'}: ${line}`,
      );
    }
  }
});

test('the scanner looks only inside [start, end): a literal cut by either bound is not found', () => {
  const table = new LiteralTable(LITERALS);
  const buf = Buffer.from('whoami|abcdef|net1 user', 'latin1');
  for (const useWasm of [true, false]) {
    const sc = new LiteralScanner(table, undefined, useWasm);
    // "hoami|abcde": abcd and bcde whole; whoami and cdef cut.
    assert.deepEqual(found(sc, buf, 1, 12), [3, 4]);
    // "net1 use": net1 whole, "net1 user" cut.
    assert.deepEqual(found(sc, buf, 14, buf.length - 1), [7]);
  }
});

test('lines longer than the WebAssembly line buffer are scanned in full (by the JavaScript loop)', () => {
  const table = new LiteralTable(LITERALS);
  const line = `whoami ${'x'.repeat(WASM_LINE_BYTES)} net1 user`;
  const sc = new LiteralScanner(table);
  assert.deepEqual(found(sc, Buffer.from(line, 'latin1')), oracle(LITERALS, line));
});

test('a scanner over some literals reports only those, by their table ids', () => {
  const table = new LiteralTable(LITERALS);
  const sc = new LiteralScanner(table, [1, 4, 8]);
  assert.deepEqual(found(sc, Buffer.from('whoami.exe" bcde net1 user abcd', 'latin1')), [1, 4, 8]);
  assert.deepEqual(found(sc, Buffer.from('whoami.ex bcd', 'latin1')), []);
});

test('where WebAssembly memory cannot be had (an address-space limit), scanners run the JavaScript loop', () => {
  // Each WebAssembly memory reserves gigabytes of address space; under `ulimit -v` the reservation fails.
  const scanner = pathToFileURL(join(import.meta.dirname, '../../src/engine/scanner.js')).href;
  const script = `
    const { LiteralScanner, LiteralTable } = await import(${JSON.stringify(scanner)});
    const table = new LiteralTable(['whoami', 'net1 user']);
    const line = Buffer.from('x whoami y net1 user z');
    let found = 0;
    for (let i = 0; i < 20; i++) {
      const sc = new LiteralScanner(table);
      sc.scan(line, 0, line.length);
      found += sc.hitCount;
    }
    console.log(found);`;
  const r = spawnSync(
    'bash',
    ['-c', `ulimit -v 6000000 && exec "$0" --input-type=module -e "$1"`, process.execPath, script],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '40');
});

const corpus = join(shared, 'corpus/sigmahq');
const base = join(shared, 'bench/windows-events-base.nested.jsonl.gz');

test('SigmaHQ literals over the benchmark events: both loops agree on every line, and with substring search on a sample', (t) => {
  if (!existsSync(corpus) || !existsSync(base)) return t.skip('../shared not found');
  const dirs = readdirSync(corpus)
    .filter((d) => d.startsWith('rules'))
    .map((d) => join(corpus, d, 'windows'))
    .filter(existsSync);
  const docs: SigmaDocument[] = walkFiles(dirs, ['.yml', '.yaml']).files.flatMap(
    (f) => loadSigmaFile(f).file.documents,
  );
  const literals = Engine.compile(docs).engine.literals;
  const long = literals.flatMap((l, i) => (l.length >= MIN_LITERAL ? [i] : []));
  assert.ok(long.length > 5000, `only ${long.length} literals`);
  const table = new LiteralTable(literals);
  const wasm = new LiteralScanner(table, long);
  const js = new LiteralScanner(table, long, false);
  const lines = gunzipSync(readFileSync(base)).toString('utf8').split('\n').filter(Boolean);
  let hits = 0;
  // Every occurrence with its position, in scan order.
  const places = (sc: LiteralScanner): string =>
    Array.from({ length: Math.min(sc.occCount, OCC_CAP) }, (_, o) => `${sc.occLit[o]}@${sc.occPos[o]}`).join(
      ' ',
    );
  lines.forEach((line, n) => {
    const buf = Buffer.from(line);
    const w = found(wasm, buf);
    assert.deepEqual(w, found(js, buf), `line ${n + 1}`);
    assert.equal(places(wasm), places(js), `line ${n + 1}: occurrences`);
    hits += w.length;
    if (n % 40 === 0) {
      const text = buf.toString('latin1');
      const low = text.toLowerCase();
      const want = long.filter((i) => low.includes(literals[i]!.toLowerCase()));
      assert.deepEqual(w, want, `line ${n + 1}`);
    }
  });
  assert.ok(hits > lines.length, `only ${hits} literal hits`);
});
