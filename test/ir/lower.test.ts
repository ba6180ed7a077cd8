import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSigmaText } from '../../src/sigma/index.js';
import { lowerRule, printIr } from '../../src/ir/index.js';

function lower(detection: string): string[] {
  const text = `title: t\nlogsource: {product: windows}\ndetection:\n${detection}\n`;
  const out = parseSigmaText(text, 't.yml');
  assert.deepEqual(out.diagnostics, []);
  const doc = out.file.documents[0];
  assert.ok(doc?.kind === 'Rule');
  const r = lowerRule(doc);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.value.conditions.map(printIr);
}

// Each case: detection YAML (indented 4) and the expected IR, pySigma's tree shape.
const cases: [string, string][] = [
  ['    sel:\n        a: x\n        b: y\n    condition: sel', 'and(a="x", b="y")'],
  ['    sel:\n        a: [x, y]\n    condition: sel', 'or(a="x", a="y")'],
  ['    sel:\n        a|contains|all: [x, y]\n    condition: sel', 'and(a="*x*", a="*y*")'],
  ['    sel:\n        a|startswith: x\n        b|endswith: "*y"\n    condition: sel', 'and(a="x*", b="*y")'],
  ['    sel:\n        - a: x\n        - b: y\n    condition: sel', 'or(a="x", b="y")'],
  ['    sel: [foo, bar]\n    condition: sel', 'or(keyword("foo"), keyword("bar"))'],
  [
    '    sel:\n        a: null\n        b: 4688\n        c: true\n    condition: sel',
    'and(a=null, b=4688, c=true)',
  ],
  [
    '    s1: {a: x}\n    s2: {b: y}\n    f: {c: z}\n    condition: 1 of s* and not f',
    'and(or(a="x", b="y"), not(c="z"))',
  ],
  ['    s1: {a: x}\n    s2: {b: y}\n    condition: all of them', 'and(a="x", b="y")'],
  ['    s1: {a: x}\n    _h: {b: y}\n    condition: 1 of them', 'a="x"'],
  ['    s: {a: x}\n    t: {b: y}\n    u: {c: z}\n    condition: s or t or u', 'or(a="x", b="y", c="z")'],
  [
    '    s: {a: x}\n    t: {b: y}\n    u: {c: z}\n    condition: s and (t or u)',
    'and(a="x", or(b="y", c="z"))',
  ],
  [
    '    s: {a: x}\n    t: {b: y}\n    u: {c: z}\n    condition: s and (t and u)',
    'and(a="x", and(b="y", c="z"))',
  ],
  ['    s: {a: x}\n    t: {b: y}\n    u: {c: z}\n    condition: s and t and u', 'and(a="x", b="y", c="z")'],
  ['    sel:\n        a|re|i: "^foo.*bar$"\n    condition: sel', 'a=/^foo.*bar$/i'],
  ['    sel:\n        a|re|contains: "foo|bar"\n    condition: sel', 'a=/.*(?:foo|bar).*/'],
  ['    sel:\n        ip|cidr: 10.0.0.0/8\n    condition: sel', 'ip=cidr(10.0.0.0/8)'],
  ['    sel:\n        n|gte: 5\n    condition: sel', 'n=gte(5)'],
  ['    sel:\n        f|exists: false\n    condition: sel', 'f=exists(false)'],
  ['    sel:\n        f|fieldref: g\n    condition: sel', 'f=fieldref(g)'],
  ['    sel:\n        f|neq: x\n    condition: sel', 'not(f="x")'],
  ['    sel:\n        f|cased: AbC\n    condition: sel', 'f=cased:"AbC"'],
  ['    sel:\n        f|expand: "%dirs%\\\\x"\n    condition: sel', 'f="%dirs%\\\\\\\\x"'],
  ['    sel:\n        f: "a\\\\*b\\\\?c*d?"\n    condition: sel', 'f="a\\\\*b\\\\?c*d?"'],
  ['    sel:\n        f|base64: "abc"\n    condition: sel', 'f="YWJj"'],
  [
    '    sel:\n        f|base64offset|contains: "/bin/sh"\n    condition: sel',
    'or(f="*L2Jpbi9za*", f="*9iaW4vc2*", f="*vYmluL3No*")',
  ],
  ['    sel:\n        f|wide|base64: "ab"\n    condition: sel', 'f="YQBiAA=="'],
  [
    '    sel:\n        f|windash|contains: " -k"\n    condition: sel',
    'or(f="* -k*", f="* /k*", f="* –k*", f="* —k*", f="* ―k*")',
  ],
  ['    sel:\n        f|hour: 3\n    condition: sel', 'f=hour(3)'],
];

for (const [detection, expected] of cases) {
  test(`lower: ${detection.replace(/\s+/g, ' ').trim()}`, () => {
    assert.deepEqual(lower(detection), [expected]);
  });
}

test('several conditions give several trees', () => {
  assert.deepEqual(lower('    a: {x: 1}\n    b: {y: 2}\n    condition:\n        - a\n        - b'), [
    'x=1',
    'y=2',
  ]);
});

test('selections may be named like Object.prototype members (constructor, __proto__)', () => {
  assert.deepEqual(
    lower('    constructor: {a: x}\n    __proto__: {b: y}\n    condition: constructor or __proto__'),
    ['or(a="x", b="y")'],
  );
});

test('quantifier patterns: a prefix with or without a trailing *, and * inside the name', () => {
  const detection = '    sel_a: {a: x}\n    sel_b: {b: y}\n    other: {c: z}\n';
  assert.deepEqual(lower(`${detection}    condition: 1 of sel_`), ['or(a="x", b="y")']);
  assert.deepEqual(lower(`${detection}    condition: all of sel_*`), ['and(a="x", b="y")']);
  assert.deepEqual(lower(`${detection}    condition: 1 of s*_b`), ['b="y"']);
});
