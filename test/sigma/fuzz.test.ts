import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSigmaBytes, validateDocument } from '../../src/sigma/index.js';
import { lowerRule } from '../../src/ir/index.js';
import { walkFiles } from '../../src/util/files.js';
import { corpusDir, hasShared } from '../helpers/shared.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
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

const SAMPLE_RULE = `title: Sample
id: 0e6f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b
status: test
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith:
            - '\\\\powershell.exe'
            - '\\\\pwsh.exe'
        CommandLine|contains|all:
            - ' -enc '
            - 'JAB'
    filter:
        ParentImage|startswith: 'C:\\\\Program Files\\\\'
    condition: selection and not 1 of filter*
level: high
`;

const TOKENS = [
  '|',
  ':',
  '- ',
  '  ',
  '\n',
  '[',
  ']',
  '{',
  '}',
  '&a',
  '*a',
  '!!str',
  "'",
  '"',
  '#',
  '|re',
  '|contains',
  'condition: ',
  ' and ',
  ' not ',
  '(',
  ')',
  '%',
  '\\',
  '\t',
  '\u0000',
  '---\n',
];

function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src);
  const kind = Math.floor(r() * 6);
  const pos = Math.floor(r() * Math.max(1, b.length));
  switch (kind) {
    case 0: // bit flips
      for (let i = 0; i < 1 + r() * 4; i++) {
        const p = Math.floor(r() * b.length);
        b[p] = b[p]! ^ (1 << Math.floor(r() * 8));
      }
      return b;
    case 1: // truncation
      return b.subarray(0, pos);
    case 2: // token insertion
      return Buffer.concat([
        b.subarray(0, pos),
        Buffer.from(TOKENS[Math.floor(r() * TOKENS.length)]!),
        b.subarray(pos),
      ]);
    case 3: {
      // line deletion / duplication
      const lines = b.toString('utf8').split('\n');
      const i = Math.floor(r() * lines.length);
      if (r() < 0.5) lines.splice(i, 1);
      else lines.splice(i, 0, lines[i] ?? '');
      return Buffer.from(lines.join('\n'));
    }
    case 4: {
      // indentation change
      const lines = b.toString('utf8').split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = r() < 0.5 ? ' ' + (lines[i] ?? '') : (lines[i] ?? '').replace(/^ {1,3}/, '');
      return Buffer.from(lines.join('\n'));
    }
    default: {
      // random bytes
      const n = Math.floor(r() * 64);
      const junk = Buffer.alloc(n);
      for (let i = 0; i < n; i++) junk[i] = Math.floor(r() * 256);
      return Buffer.concat([b.subarray(0, pos), junk, b.subarray(pos)]);
    }
  }
}

function exercise(bytes: Buffer, name: string): void {
  const out = parseSigmaBytes(bytes, name);
  for (const d of out.diagnostics) {
    assert.match(d.code, /^TL\d{4}$/);
    assert.equal(d.file, name);
  }
  for (const doc of out.file.documents) {
    validateDocument(doc);
    if (doc.kind === 'Rule') lowerRule(doc);
  }
}

test('fuzz: mutated rules and random bytes never throw; every failure is a diagnostic', () => {
  const seeds: Buffer[] = [Buffer.from(SAMPLE_RULE)];
  if (hasShared) {
    const { files } = walkFiles([join(corpusDir, 'rules/windows/process_creation')], ['.yml']);
    for (let i = 0; i < files.length; i += Math.ceil(files.length / 40)) seeds.push(readFileSync(files[i]!));
  }
  const r = rng(0x5eed);
  let cases = 0;
  for (const seed of seeds) {
    let cur = seed;
    for (let i = 0; i < 60; i++) {
      cur = r() < 0.3 ? mutate(seed, r) : mutate(cur, r);
      exercise(cur, `fuzz-${cases}.yml`);
      cases++;
    }
  }
  for (let i = 0; i < 300; i++) {
    const n = Math.floor(r() * 512);
    const b = Buffer.alloc(n);
    for (let j = 0; j < n; j++) b[j] = Math.floor(r() * 256);
    exercise(b, `random-${i}.yml`);
    cases++;
  }
  assert.ok(cases > 300);
});
