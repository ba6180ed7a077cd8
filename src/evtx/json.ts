/**
 * XNode tree → the evtx JSON shape (`{"Event": {"#attributes": …, "System": …, "EventData": …}}`),
 * following the evtx crate's rules so that our objects equal its `evtx_dump -o json` output:
 * - an element with only text becomes that value; integers and bools stay JSON numbers/booleans
 *   when the content is exactly one such value; with nothing at all it is null;
 * - attributes go under "#attributes" (empty ones are dropped), text beside children or
 *   attributes under "#text";
 * - repeated child names get suffixes: Header, Header_1, Header_2 …;
 * - inside EventData/UserData, Data elements with a Name attribute become Name → value pairs
 *   (an empty Data is ""); unnamed Data elements collect under "Data": {"#text": value | [values]}.
 */
import type { XAttr, XElement, XNode } from './tree.js';
import { isEmptyValue, valueJsonRust, valueTextRust } from './values.js';

export type JsonValue = string | number | boolean | null | JsonObject | JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Names distinct enough to get their own suffix counter, as in the evtx crate. */
const MAX_UNIQUE_NAMES = 64;

/** Own-property assignment, safe for hostile names such as `__proto__`. */
function put(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else obj[key] = value;
}

function hasText(nodes: readonly XNode[]): boolean {
  for (const n of nodes) {
    switch (n.k) {
      case 'Text':
      case 'CData':
        if (n.s !== '') return true;
        break;
      case 'Value':
        if (!isEmptyValue(n.v)) return true;
        break;
      case 'CharRef':
      case 'EntityRef':
        return true;
      default:
        break;
    }
  }
  return false;
}

function textOf(nodes: readonly XNode[]): string {
  let s = '';
  for (const n of nodes) {
    switch (n.k) {
      case 'Text':
      case 'CData':
        s += n.s;
        break;
      case 'Value':
        s += valueTextRust(n.v);
        break;
      case 'CharRef':
        s += `&#${n.c};`;
        break;
      case 'EntityRef':
        s += `&${n.name};`;
        break;
      default:
        break;
    }
  }
  return s;
}

// Rust's `char::is_whitespace` (Unicode White_Space): unlike JS `trim`, U+0085 yes, U+FEFF no.
const EDGE_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** The evtx crate trims text content at both ends (attribute values are kept as they are). */
function rustTrim(s: string): string {
  if (s === '') return s;
  // Most values have no edge space; test the ends before running the regex.
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(s.length - 1);
  if (a > 0x20 && b > 0x20 && a < 0x80 && b < 0x80) return s;
  return s.replace(EDGE_SPACE, '');
}

/** Content as one JSON value: a lone integer/bool value stays native, anything else is text. */
function contentValue(nodes: readonly XNode[], trim = true): JsonValue {
  const only = nodes.length === 1 ? nodes[0] : undefined;
  if (only?.k === 'Value') return valueJsonRust(only.v);
  return trim ? rustTrim(textOf(nodes)) : textOf(nodes);
}

/** Like contentValue, but ignoring child elements and empty values (the `#text` beside children). */
function mixedContentValue(nodes: readonly XNode[]): JsonValue {
  let single: XNode | undefined;
  let count = 0;
  let plain = true;
  for (const n of nodes) {
    if (n.k === 'Element' || n.k === 'Pi' || n.k === 'Placeholder') continue;
    if (n.k === 'Text' || n.k === 'CData') {
      if (n.s !== '') plain = false;
    } else if (n.k === 'Value') {
      if (isEmptyValue(n.v)) continue;
      single = n;
      count++;
    } else plain = false;
  }
  if (plain && count === 1 && single?.k === 'Value') {
    const v = valueJsonRust(single.v);
    if (typeof v !== 'string') return v;
  }
  return rustTrim(textOf(nodes.filter((n) => n.k !== 'Element')));
}

function attrsObject(attrs: readonly XAttr[]): JsonObject | undefined {
  let obj: JsonObject | undefined;
  for (const a of attrs) {
    if (!hasText(a.value)) continue;
    obj ??= {};
    put(obj, a.name, contentValue(a.value, false));
  }
  return obj;
}

function nameAttr(el: XElement): XAttr | undefined {
  for (const a of el.attrs) if (a.name === 'Name') return a;
  return undefined;
}

function dataValue(el: XElement): JsonValue {
  if (el.hasElem) return body(el, false);
  if (!hasText(el.children)) return '';
  return contentValue(el.children);
}

function elementValue(el: XElement, container: boolean): JsonValue {
  const text = hasText(el.children);
  let attrText = false;
  for (const a of el.attrs) {
    if (hasText(a.value)) {
      attrText = true;
      break;
    }
  }
  if (!el.hasElem && !attrText) return text ? contentValue(el.children) : null;
  return body(el, container);
}

function body(el: XElement, dataContainer: boolean): JsonObject {
  const obj: JsonObject = {};
  const attrs = attrsObject(el.attrs);
  if (attrs) obj['#attributes'] = attrs;
  if (hasText(el.children)) obj['#text'] = mixedContentValue(el.children);

  let flatten = false;
  let positional: XElement[] | undefined;
  if (dataContainer) {
    for (const c of el.children) {
      if (c.k !== 'Element' || c.name !== 'Data') continue;
      const name = nameAttr(c);
      if (name && hasText(name.value)) {
        flatten = true;
        break;
      }
    }
    if (!flatten) {
      positional = [];
      for (const c of el.children) if (c.k === 'Element' && c.name === 'Data') positional.push(c);
    }
  }

  // Child names seen so far and how many times (parallel arrays: cheaper than a Map for the
  // dozen or so children an element has).
  const seenNames: string[] = [];
  const seenCounts: number[] = [];
  let positionalDone = false;
  for (const c of el.children) {
    if (c.k !== 'Element') continue;
    if (dataContainer && c.name === 'Data') {
      if (flatten) {
        const name = nameAttr(c);
        if (!name || !hasText(name.value)) continue;
        put(obj, textOf(name.value), dataValue(c));
      } else if (!positionalDone && positional && positional.length > 0) {
        positionalDone = true;
        const first = positional[0];
        obj.Data = {
          '#text': positional.length === 1 && first ? dataValue(first) : positional.map(dataValue),
        };
      }
      continue;
    }
    let key = c.name;
    const at = seenNames.indexOf(c.name);
    if (at >= 0) {
      const seen = seenCounts[at] ?? 1;
      key = `${c.name}_${seen}`;
      seenCounts[at] = seen + 1;
    } else if (seenNames.length < MAX_UNIQUE_NAMES) {
      seenNames.push(c.name);
      seenCounts.push(1);
    }
    put(obj, key, elementValue(c, c.name === 'EventData' || c.name === 'UserData'));
  }
  return obj;
}

/** The evtx JSON object of one record. */
export function toEvtxJson(root: XElement): JsonObject {
  const obj: JsonObject = {};
  put(obj, root.name, elementValue(root, false));
  return obj;
}
