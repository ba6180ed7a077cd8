import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotStarRuns, regexRuns } from '../../src/engine/regex-runs.js';
import { regexLiterals } from '../../src/engine/prefilter.js';

test('regexRuns: plain runs every match holds, in order, per top-level alternative', () => {
  assert.deepEqual(regexRuns('\\+.*\\+.*\\+'), [['+', '+', '+']]);
  assert.deepEqual(regexRuns('ab+c|d'), [['ab', 'c'], ['d']]);
  assert.deepEqual(regexRuns('x?yz'), [['yz']]);
  assert.deepEqual(regexRuns('a{0,3}bc'), [['bc']]);
  assert.deepEqual(regexRuns('^(a|b)c$'), [['c']]);
  // A group or class is skipped whole; an alternative without a run leaves nothing to require.
  assert.deepEqual(regexRuns('foo[a-z]+bar'), [['foo', 'bar']]);
  assert.equal(regexRuns('abc|.*'), undefined);
});

test('regexRuns: an escape with a payload is not literal text', () => {
  assert.deepEqual(regexRuns('abc\\x41def'), [['abc', 'def']]);
  assert.deepEqual(regexRuns('ab\\u0041cd'), [['ab', 'cd']]);
  assert.deepEqual(regexRuns('ab\\u{1F600}cd'), [['ab', 'cd']]);
  assert.deepEqual(regexRuns('\\cMabc'), [['abc']]);
  assert.deepEqual(regexRuns('(x)\\1234c'), [['c']]);
  assert.deepEqual(regexRuns('\\d+\\.exe'), [['.exe']]);
});

test('regexLiterals: the longest run as JSON writes it, lowercased, at least two characters', () => {
  assert.deepEqual(regexLiterals('C:\\\\Windows\\\\Temp'), ['indows\\\\temp']);
  assert.deepEqual(regexLiterals('Evil\\.EXE|"quoted"'), ['evil.exe', '\\"quoted\\"']);
  assert.equal(regexLiterals('a.b'), undefined);
});

test('dotStarRuns: only plain runs joined by .* (or .*?) qualify', () => {
  assert.deepEqual(dotStarRuns('\\+.*\\+.*\\+'), ['+', '+', '+']);
  assert.deepEqual(dotStarRuns('.*ab.*?c\\.d.*'), ['ab', 'c.d']);
  assert.deepEqual(dotStarRuns('`.*`'), ['`', '`']);
  for (const src of [
    'a.b',
    'a.*b+',
    '^a.*b',
    'a.*b$',
    'a|b',
    '(a).*b',
    '[ab].*c',
    '\\d.*a',
    'a\\x41.*b',
    'a{2}.*b',
    '.*',
  ])
    assert.equal(dotStarRuns(src), undefined, src);
});
