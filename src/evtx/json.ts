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
import { cutAtNul, isEmptyValue, valueJsonRust, valueTextRust } from './values.js';

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

/** Text as the evtx crate reads it: cut at the first NUL; so empty when it starts with one. */
function textEmpty(s: string): boolean {
  return s === '' || s.charCodeAt(0) === 0;
}

function hasText(nodes: readonly XNode[]): boolean {
  for (const n of nodes) {
    switch (n.k) {
      case 'Text':
        if (!textEmpty(n.s)) return true;
        break;
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
        s += cutAtNul(n.s);
        break;
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
function contentValue(nodes: readonly XNode[], trim = true): string | number | boolean {
  const only = nodes.length === 1 ? nodes[0] : undefined;
  if (only?.k === 'Value') return valueJsonRust(only.v);
  return trim ? rustTrim(textOf(nodes)) : textOf(nodes);
}

/** Like contentValue, but ignoring child elements and empty values (the `#text` beside children). */
function mixedContentValue(nodes: readonly XNode[]): string | number | boolean {
  let single: XNode | undefined;
  let count = 0;
  let plain = true;
  for (const n of nodes) {
    if (n.k === 'Element' || n.k === 'Pi' || n.k === 'Placeholder') continue;
    if (n.k === 'Text' || n.k === 'CData') {
      if (n.k === 'Text' ? !textEmpty(n.s) : n.s !== '') plain = false;
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

/**
 * The same rules produce either a JS object (for the engine) or JSON text directly (for
 * `evtx dump`, which is faster than building the object and stringifying it), through a builder.
 */
interface Builder<T> {
  scalar(v: string | number | boolean | null): T;
  /**
   * Keys in order; a repeated key keeps its first position and takes the last value (as JS
   * objects do). `mayRepeat` is false when the caller knows the keys are distinct.
   */
  object(keys: string[], values: T[], mayRepeat: boolean): T;
  array(values: T[]): T;
}

const objectBuilder: Builder<JsonValue> = {
  scalar: (v) => v,
  object(keys, values) {
    const obj: JsonObject = {};
    for (let i = 0; i < keys.length; i++) put(obj, keys[i] ?? '', values[i] ?? null);
    return obj;
  },
  array: (values) => values,
};

// Strings JSON.stringify would escape (quotes, backslash, controls, surrogates).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

const textBuilder: Builder<string> = {
  scalar(v) {
    if (typeof v === 'string') return jsonString(v);
    return v === null ? 'null' : String(v);
  },
  object(keys, values, mayRepeat) {
    let out = '{';
    if (!mayRepeat || keys.length < 2 || new Set(keys).size === keys.length) {
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) out += ',';
        out += jsonString(keys[i] ?? '') + ':' + (values[i] ?? 'null');
      }
      return out + '}';
    }
    // Repeated keys (rare): first position, last value — what a JS object or JSON.parse keeps.
    const last = new Map<string, string>();
    for (let i = 0; i < keys.length; i++) last.set(keys[i] ?? '', values[i] ?? 'null');
    for (const [key, value] of last) out += (out.length > 1 ? ',' : '') + jsonString(key) + ':' + value;
    return out + '}';
  },
  array: (values) => '[' + values.join(',') + ']',
};

function attrsObject<T>(attrs: readonly XAttr[], b: Builder<T>): T | undefined {
  let keys: string[] | undefined;
  let values: T[] | undefined;
  for (const a of attrs) {
    if (!hasText(a.value)) continue;
    (keys ??= []).push(a.name);
    (values ??= []).push(b.scalar(contentValue(a.value, false)));
  }
  return keys && values ? b.object(keys, values, true) : undefined;
}

function nameAttr(el: XElement): XAttr | undefined {
  for (const a of el.attrs) if (a.name === 'Name') return a;
  return undefined;
}

function dataValue<T>(el: XElement, b: Builder<T>): T {
  if (el.hasElem) return body(el, false, b);
  if (!hasText(el.children)) return b.scalar('');
  return b.scalar(contentValue(el.children));
}

function elementValue<T>(el: XElement, container: boolean, b: Builder<T>): T {
  const text = hasText(el.children);
  let attrText = false;
  for (const a of el.attrs) {
    if (hasText(a.value)) {
      attrText = true;
      break;
    }
  }
  if (!el.hasElem && !attrText) return b.scalar(text ? contentValue(el.children) : null);
  return body(el, container, b);
}

function body<T>(el: XElement, dataContainer: boolean, b: Builder<T>): T {
  const keys: string[] = [];
  const values: T[] = [];
  const attrs = attrsObject(el.attrs, b);
  if (attrs !== undefined) {
    keys.push('#attributes');
    values.push(attrs);
  }
  if (hasText(el.children)) {
    keys.push('#text');
    values.push(b.scalar(mixedContentValue(el.children)));
  }

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
  // Element names are distinct by construction; Data names, suffixed names and names past the
  // tracking limit may repeat another key.
  let mayRepeat = flatten;
  for (const c of el.children) {
    if (c.k !== 'Element') continue;
    if (dataContainer && c.name === 'Data') {
      if (flatten) {
        const name = nameAttr(c);
        if (!name || !hasText(name.value)) continue;
        keys.push(textOf(name.value));
        values.push(dataValue(c, b));
      } else if (!positionalDone && positional && positional.length > 0) {
        positionalDone = true;
        const first = positional[0];
        const text =
          positional.length === 1 && first
            ? dataValue(first, b)
            : b.array(positional.map((d) => dataValue(d, b)));
        keys.push('Data');
        values.push(b.object(['#text'], [text], false));
      }
      continue;
    }
    let key = c.name;
    const at = seenNames.indexOf(c.name);
    if (at >= 0) {
      const seen = seenCounts[at] ?? 1;
      key = `${c.name}_${seen}`;
      seenCounts[at] = seen + 1;
      mayRepeat = true;
    } else if (seenNames.length < MAX_UNIQUE_NAMES) {
      seenNames.push(c.name);
      seenCounts.push(1);
    } else mayRepeat = true;
    keys.push(key);
    values.push(elementValue(c, c.name === 'EventData' || c.name === 'UserData', b));
  }
  return b.object(keys, values, mayRepeat);
}

/** The evtx JSON object of one record. */
export function toEvtxJson(root: XElement): JsonObject {
  const obj: JsonObject = {};
  put(obj, root.name, elementValue(root, false, objectBuilder));
  return obj;
}

/** The evtx JSON text of one record, written directly; parses to the same value as toEvtxJson. */
export function toEvtxJsonText(root: XElement): string {
  return '{' + JSON.stringify(root.name) + ':' + elementValue(root, false, textBuilder) + '}';
}
