import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEvtxJson, toEvtxJsonText, toXml } from '../../src/evtx/index.js';
import type { XAttr, XElement, XNode } from '../../src/evtx/index.js';
import { VT } from '../../src/evtx/values.js';

function el(name: string, attrs: XAttr[], ...children: XNode[]): XElement {
  return {
    k: 'Element',
    name,
    attrs,
    children,
    hasElem: children.some((c) => c.k === 'Element'),
    dyn: false,
  };
}
const text = (s: string): XNode => ({ k: 'Text', s });
const u16 = (n: number): XNode => ({ k: 'Value', v: { t: VT.UInt16, v: n } });
const nul: XNode = { k: 'Value', v: { t: VT.Null, v: null } };
const attr = (name: string, ...value: XNode[]): XAttr => ({ name, value });

function both(root: XElement): unknown {
  const obj = toEvtxJson(root);
  assert.deepStrictEqual(JSON.parse(toEvtxJsonText(root)), obj, 'text writer agrees with the object');
  return obj;
}

test('JSON: text, numbers, null, attributes and #text', () => {
  const root = el(
    'Event',
    [attr('xmlns', text('ns'))],
    el('EventID', [attr('Qualifiers', u16(16384))], u16(7036)),
    el('Level', [], u16(4)),
    el('Computer', [], text('  host \r\n')),
    el('Correlation', [attr('ActivityID', nul)]),
    el('Security', [attr('UserID', text(''))]),
    el('Mixed', [], text('a'), u16(1)),
  );
  assert.deepStrictEqual(both(root), {
    Event: {
      '#attributes': { xmlns: 'ns' },
      EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7036 },
      Level: 4,
      Computer: 'host',
      Correlation: null,
      Security: null,
      Mixed: 'a1',
    },
  });
});

test('JSON: repeated names get _1, _2 suffixes', () => {
  const root = el(
    'Event',
    [],
    el('H', [], text('a')),
    el('H', [], text('b')),
    el('X', []),
    el('H', [], text('c')),
  );
  assert.deepStrictEqual(both(root), { Event: { H: 'a', H_1: 'b', X: null, H_2: 'c' } });
});

test('JSON: named Data flatten inside EventData, empty Data is "", others stay elements', () => {
  const root = el(
    'Event',
    [],
    el(
      'EventData',
      [attr('Name', text('TaskDisabled'))],
      el('Data', [attr('Name', text('User'))], text('bob')),
      el('Data', [attr('Name', text('Count'))], u16(3)),
      el('Data', [attr('Name', text('Empty'))]),
      el('Data', [], text('unnamed, dropped when others are named')),
      el('Binary', [], text('00FF')),
    ),
  );
  assert.deepStrictEqual(both(root), {
    Event: {
      EventData: {
        '#attributes': { Name: 'TaskDisabled' },
        User: 'bob',
        Count: 3,
        Empty: '',
        Binary: '00FF',
      },
    },
  });
});

test('JSON: unnamed Data collect under Data.#text (one value or a list)', () => {
  const one = el('Event', [], el('EventData', [], el('Data', [], text('x'))));
  assert.deepStrictEqual(both(one), { Event: { EventData: { Data: { '#text': 'x' } } } });
  const many = el(
    'Event',
    [],
    el('UserData', [], el('Data', [], text('x')), el('Data', []), el('Data', [], u16(2))),
  );
  assert.deepStrictEqual(both(many), { Event: { UserData: { Data: { '#text': ['x', '', 2] } } } });
});

test('JSON: hostile names stay plain keys', () => {
  const root = el('Event', [], el('__proto__', [], text('x')), el('constructor', [], text('y')));
  const obj = both(root) as { Event: Record<string, unknown> };
  assert.equal(Object.getPrototypeOf(obj.Event), Object.prototype);
  assert.deepStrictEqual(Object.keys(obj.Event), ['__proto__', 'constructor']);
});

test('XML: python-evtx layout, empty attributes kept, values escaped', () => {
  const root = el(
    'Event',
    [attr('xmlns', text('ns'))],
    el('System', [], el('Correlation', [attr('ActivityID', nul)]), el('Level', [], u16(4))),
    el('Data', [attr('Name', text('a"b'))], text('x < y & z')),
  );
  assert.equal(
    toXml(root),
    '<Event xmlns="ns"><System><Correlation ActivityID=""></Correlation>\n<Level>4</Level>\n</System>\n' +
      '<Data Name="a&quot;b">x &lt; y &amp; z</Data>\n</Event>\n',
  );
});

test('XML and JSON of rare tokens follow their references', () => {
  const root = el('E', [], { k: 'EntityRef', name: 'lt' }, { k: 'CharRef', c: 65 }, { k: 'CData', s: 'a&b' });
  // evtx keeps references as literal text; python-evtx escapes entity references, drops character references
  assert.deepStrictEqual(both(root), { E: '&lt;&#65;a&b' });
  assert.equal(toXml(root), '<E>&amp;lt;<![CDATA[a&amp;b]]></E>\n');
});

test('a string with an inner NUL: evtx JSON stops at it, python-evtx XML keeps the rest', () => {
  const root = el(
    'E',
    [],
    el('EventData', [], el('Data', [attr('Name', text('a'))], text('abc\0junk'))),
    el('F', [], text('\0x')),
  );
  assert.deepStrictEqual(both(root), { E: { EventData: { a: 'abc' }, F: null } });
  assert.equal(
    toXml(root),
    '<E><EventData><Data Name="a">abc\0junk</Data>\n</EventData>\n<F>\0x</F>\n</E>\n',
  );
});
