import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IrNode, IrRule, IrValue, StrPart } from '../../src/ir/types.js';
import { TextBackend } from '../../src/backends/text/backend.js';
import type { TokenTable } from '../../src/backends/text/token-table.js';
import { splunkTable } from '../../src/backends/splunk/table.js';
import { SplunkBackend } from '../../src/backends/splunk/backend.js';
import { convertSigmaText } from '../../src/backends/convert.js';
import { expandCidr } from '../../src/backends/text/printer.js';

const lit = (text: string): StrPart => ({ kind: 'Lit', text });
const W: StrPart = { kind: 'WildcardMulti' };
const str = (...parts: StrPart[]): IrValue => ({ kind: 'Str', parts, cased: false });
const fm = (field: string, value: IrValue, modifiers?: string[]): IrNode => ({
  kind: 'FieldMatch',
  field,
  value,
  origin: modifiers ? { modifiers } : {},
});
const s = (field: string, text: string): IrNode => fm(field, str(lit(text)));
const and = (...children: IrNode[]): IrNode => ({ kind: 'And', children });
const or = (...children: IrNode[]): IrNode => ({ kind: 'Or', children });
const not = (child: IrNode): IrNode => ({ kind: 'Not', child });
const rule = (...conditions: IrNode[]): IrRule => ({
  id: 'r1',
  title: 'T',
  logsource: {},
  conditions,
  tags: [],
  file: 'r.yml',
  attributes: {},
});

/** A lucene-like table with the common precedence (NOT > AND > OR) and string operators. */
const plain: TokenTable = {
  precedence: ['Not', 'And', 'Or'],
  groupExpression: ({ expr }) => `(${expr})`,
  tokenSeparator: ' ',
  orToken: 'or',
  andToken: 'and',
  notToken: 'not',
  eqToken: '==',
  strQuote: "'",
  escapeChar: '\\',
  wildcardMulti: '*',
  wildcardSingle: '?',
  startswithExpression: ({ field, value }) => `${field} startswith ${value}`,
  endswithExpression: ({ field, value }) => `${field} endswith ${value}`,
  containsExpression: ({ field, value }) => `${field} contains ${value}`,
  convertOrAsIn: true,
  inExpressionsAllowWildcards: false,
  fieldInListExpression: ({ field, op, list }) => `${field} ${op} (${list})`,
  orInOperator: 'in',
  listSeparator: ', ',
};

function convert(table: TokenTable, r: IrRule, pretty = false): { out: string[]; codes: string[] } {
  const b = new TextBackend('test', table);
  const res = b.convertRule(r, { format: 'default', pretty });
  return { out: res.ok ? res.value.queries : [], codes: res.diagnostics.map((d) => d.code) };
}

test('groups a child only when its operator binds looser than the parent', () => {
  assert.deepEqual(convert(plain, rule(and(or(s('a', 'x'), s('b', 'y')), s('c', 'z')))).out, [
    "(a=='x' or b=='y') and c=='z'",
  ]);
  assert.deepEqual(convert(plain, rule(or(and(s('a', 'x'), s('b', 'y')), s('c', 'z')))).out, [
    "a=='x' and b=='y' or c=='z'",
  ]);
  // SPL: OR binds tighter than the implicit AND.
  assert.deepEqual(
    convert(splunkTable, rule(or(and(s('a', 'x'), s('b', 'y')), and(s('c', 'z'), s('d', 'w'))))).out,
    ['(a="x" b="y") OR (c="z" d="w")'],
  );
  assert.deepEqual(convert(splunkTable, rule(and(or(s('a', 'x'), s('b', 'y')), s('c', 'z')))).out, [
    'a="x" OR b="y" c="z"',
  ]);
});

test('NOT groups boolean children and prefixes leaves', () => {
  assert.deepEqual(convert(plain, rule(and(s('a', 'x'), not(or(s('b', 'y'), s('c', 'z')))))).out, [
    "a=='x' and not (b=='y' or c=='z')",
  ]);
  assert.deepEqual(convert(plain, rule(not(s('a', 'x')))).out, ["not a=='x'"]);
});

test('an OR over one field becomes an IN list, unless wildcards are not allowed in lists', () => {
  assert.deepEqual(
    convert(plain, rule(or(s('a', 'x'), s('a', 'y'), fm('a', { kind: 'Num', value: 3, raw: '3' })))).out,
    ["a in ('x', 'y', 3)"],
  );
  const wild = or(s('a', 'x'), fm('a', str(lit('y'), W)));
  assert.deepEqual(convert(plain, rule(wild)).out, ["a=='x' or a startswith 'y'"]);
  assert.deepEqual(convert(splunkTable, rule(wild)).out, ['a IN ("x", "y*")']);
  // Different fields never merge.
  assert.deepEqual(convert(plain, rule(or(s('a', 'x'), s('b', 'y')))).out, ["a=='x' or b=='y'"]);
});

test('windash variants (an expansion) stay an OR chain, as the reference writes them', () => {
  const exp = or(fm('c', str(W, lit(' -x'), W), ['windash']), fm('c', str(W, lit(' /x'), W), ['windash']));
  assert.deepEqual(convert(splunkTable, rule(exp)).out, ['c="* -x*" OR c="* /x*"']);
});

test('leading/trailing wildcards pick startswith, endswith and contains templates', () => {
  const r = rule(
    and(
      fm('a', str(lit('x'), W)),
      fm('b', str(W, lit('y'))),
      fm('c', str(W, lit('z'), W)),
      fm('d', str(lit('p'), W, lit('q'))),
    ),
  );
  assert.deepEqual(convert(plain, r).out, [
    "a startswith 'x' and b endswith 'y' and c contains 'z' and d=='p*q'",
  ]);
});

test('escapes quotes, the escape character and literal wildcards; quotes odd field names', () => {
  const v = str(lit('C:\\a"b*'), W);
  assert.deepEqual(convert(splunkTable, rule(fm('field name', v))).out, ['"field name"="C:\\\\a\\"b\\**"']);
});

test('a construct the table lacks is one TL5001 diagnostic, never a silent drop', () => {
  const r = rule(
    and(s('a', 'x'), fm('b', { kind: 'Re', pattern: 'x.*', flags: { i: false, m: false, s: false } })),
  );
  const res = convert(plain, r);
  assert.deepEqual(res.out, []);
  assert.deepEqual(res.codes, ['TL5001']);
  const cidr = convert(plain, rule(fm('ip', { kind: 'Cidr', cidr: '10.0.0.0/8', version: 4 })));
  // Without a cidr template the reference expands the network into prefix wildcards.
  assert.deepEqual(cidr.out, ["ip startswith '10.'"]);
});

test('an unreplaced placeholder is TL5003', () => {
  const r = rule(fm('a', str(lit('x'), { kind: 'Placeholder', name: 'admins' })));
  assert.deepEqual(convert(splunkTable, r).codes, ['TL5003']);
});

test('SPL regular expressions are deferred to | regex, negated by NOT', () => {
  const re = (p: string): IrValue => ({ kind: 'Re', pattern: p, flags: { i: true, m: false, s: false } });
  const b = new SplunkBackend();
  const r1 = b.convertRule(rule(and(s('a', 'x'), fm('b', re('a"b\\d')))), { format: 'default' });
  assert.ok(r1.ok);
  assert.deepEqual(r1.value.queries, ['a="x"\n| regex b="(?i)a\\"b\\\\d"']);
  const r2 = b.convertRule(rule(and(s('a', 'x'), not(fm('b', re('y'))))), { format: 'default' });
  assert.ok(r2.ok);
  assert.deepEqual(r2.value.queries, ['a="x"\n| regex b!="(?i)y"']);
  const r3 = b.convertRule(rule(fm('b', re('y'))), { format: 'default' });
  assert.ok(r3.ok);
  assert.deepEqual(r3.value.queries, ['*\n| regex b="(?i)y"']);
});

test('several conditions give several queries', () => {
  assert.deepEqual(convert(splunkTable, rule(s('a', 'x'), s('b', 'y'))).out, ['a="x"', 'b="y"']);
});

test('exists, null, numbers, booleans and comparisons in SPL', () => {
  const r = rule(
    and(
      fm('a', { kind: 'Exists', value: true }),
      fm('b', { kind: 'Exists', value: false }),
      fm('c', { kind: 'Null' }),
      fm('d', { kind: 'Compare', op: 'gte', value: 5, raw: '5' }),
      fm('e', { kind: 'Bool', value: true }),
      fm('f', { kind: 'Num', value: 1.5, raw: '1.50' }),
    ),
  );
  assert.deepEqual(convert(splunkTable, r).out, ['a=* NOT b=* NOT c=* d>=5 e=true f=1.5']);
});

test('--pretty writes one clause per line and indents groups', () => {
  const r = rule(and(s('a', 'x'), or(s('b', 'y'), and(s('c', 'z'), s('d', 'w')))));
  assert.deepEqual(convert(plain, r, true).out, [
    "a=='x'\nand (\n  b=='y'\n  or (\n    c=='z'\n    and d=='w'\n  )\n)",
  ]);
});

test('CIDR expansion splits at octet boundaries', () => {
  assert.deepEqual(expandCidr('192.168.0.0/16', 4), ['192.168.']);
  assert.deepEqual(expandCidr('10.0.0.0/7', 4), ['10.', '11.']);
  assert.deepEqual(expandCidr('1.2.3.4/32', 4), ['1.2.3.4']);
});

const base = `title: Base
name: base
status: test
logsource: {category: test}
detection:
  sel: {fieldA: v}
  condition: sel
`;

test('Splunk correlations: stats over fixed bins, with a TL5004 warning saying so', () => {
  const corr = `${base}---
title: C
status: test
correlation:
  type: event_count
  rules: [base]
  group-by: [fieldC]
  timespan: 1h
  condition: {gte: 10}
`;
  const r = convertSigmaText(corr, { target: 'splunk', withoutPipeline: true });
  assert.ok(r.ok);
  assert.deepEqual(r.value, [
    'fieldA="v"\n\n| bin _time span=1h\n| stats count as event_count by _time fieldC\n\n| search event_count >= 10',
  ]);
  assert.ok(r.diagnostics.some((d) => d.code === 'TL5004' && d.severity === 'warning'));
});

test('Splunk value_sum (which the reference lacks) aggregates with sum()', () => {
  const corr = `${base}---
title: C
status: test
correlation:
  type: value_sum
  rules: [base]
  group-by: [user]
  timespan: 10m
  condition: {gt: 1000, field: bytes}
`;
  const r = convertSigmaText(corr, { target: 'splunk', withoutPipeline: true });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.match(
    String(r.value),
    /\| stats sum\(bytes\) as value_sum by _time user\n\n\| search value_sum > 1000$/,
  );
});

test('unknown target, format and option are diagnostics', () => {
  const codes = (o: Parameters<typeof convertSigmaText>[1]): string[] => {
    const r = convertSigmaText(base, o);
    return r.ok ? [] : r.diagnostics.map((d) => d.code);
  };
  assert.deepEqual(codes({ target: 'nope' }), ['TL5005']);
  assert.deepEqual(codes({ target: 'splunk', format: 'xml' }), ['TL5006']);
  assert.deepEqual(codes({ target: 'splunk', options: { colour: 'red' } }), ['TL5007']);
});

test('data_model format without the CIM pipeline state fails with TL5001', () => {
  const r = convertSigmaText(base, { target: 'splunk', format: 'data_model', withoutPipeline: true });
  assert.equal(r.ok, false);
  assert.ok(r.diagnostics.some((d) => d.code === 'TL5001'));
});

test('convertRule converts one parsed document of a collection', async () => {
  const { parseSigmaText } = await import('../../src/sigma/parse.js');
  const { convertRule } = await import('../../src/backends/convert.js');
  const docs = parseSigmaText(base, 'b.yml').file.documents;
  const doc = docs[0];
  assert.ok(doc);
  const r = convertRule(doc, { target: 'splunk', pretty: true });
  assert.ok(r.ok);
  assert.deepEqual(r.value, ['fieldA="v"']);
});
