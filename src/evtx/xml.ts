/**
 * XNode tree → XML text in python-evtx's layout: every element written as `<a …>…</a>` followed
 * by a newline (never self-closed), attributes kept even when their substitution is empty, and
 * values rendered as python-evtx renders them (base64 binary, `{guid}`, `True`/`False`,
 * `YYYY-MM-DD HH:MM:SS.ffffff` times). Unlike python-evtx we always escape text and attributes,
 * so the output is well-formed XML whatever the strings contain. Rare tokens (character and
 * entity references, CDATA, processing instructions) come out as python-evtx writes them.
 */
import type { XElement, XNode } from './tree.js';
import { valueTextPython } from './values.js';

// Control characters python-evtx deletes from values (XML 1.0 cannot carry them), DEL included.
const DELETED = /[\x01-\x08\v\f\x0e-\x1f\x7f]/g;
// U+FFFE/U+FFFF are written as character references, as python-evtx's ASCII encoding does.
const NONCHARS = /[\ufffe\uffff]/g;
const TEXT_SPECIAL = /[&<>\x01-\x08\v\f\x0e-\x1f\x7f\ufffe\uffff]/;
const ATTR_SPECIAL = /[&<>"\x01-\x1f\x7f\ufffe\uffff]/;

function charRef(c: string): string {
  return `&#${c.charCodeAt(0)};`;
}

export function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(DELETED, '')
    .replace(NONCHARS, charRef);
}

/** Like escapeText, plus quotes and the whitespace an attribute would otherwise normalise. */
export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(DELETED, '')
    .replace(/[\t\n\r]/g, charRef)
    .replace(NONCHARS, charRef);
}

function nodeText(n: XNode, attr: boolean): string {
  switch (n.k) {
    case 'Text':
      return attr ? escapeAttr(n.s) : escapeText(n.s);
    case 'Value': {
      const s = valueTextPython(n.v);
      return attr ? escapeAttr(s) : escapeText(s);
    }
    // The next three follow python-evtx, which has no case for character references (they
    // vanish), writes entity references as escaped text (`&amp;lt;`: the text "&lt;", as the evtx
    // JSON also keeps it) and processing instructions as plain text.
    case 'CharRef':
      return '';
    case 'EntityRef':
      return escapeText(`&${n.name};`);
    case 'Pi':
      return escapeText(n.target + n.data);
    case 'CData':
      // python-evtx escapes CDATA content too, so its parsed text is the escaped form.
      return attr ? escapeAttr(n.s) : `<![CDATA[${escapeText(n.s).replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`;
    case 'Element':
    case 'Placeholder':
      return '';
  }
}

function element(el: XElement): string {
  let out = '<' + el.name;
  for (const a of el.attrs) {
    out += ' ' + a.name + '="';
    for (const n of a.value) out += nodeText(n, true);
    out += '"';
  }
  out += '>';
  for (const c of el.children) out += c.k === 'Element' ? element(c) : nodeText(c, false);
  return out + '</' + el.name + '>\n';
}

/** The record as XML text (python-evtx layout, well-formed). */
export function toXml(root: XElement): string {
  return element(root);
}
