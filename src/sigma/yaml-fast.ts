/**
 * A fast reader for the YAML that Sigma rules are written in: block mappings and sequences, plain and
 * quoted single-line scalars, block scalars, one-line flow sequences, comments, several documents.
 * It produces exactly what readYaml builds from the `yaml` package (a differential test over the SigmaHQ
 * corpus holds it to that) and gives up — returning undefined — on anything else (anchors, tags, flow
 * maps, multi-line plain scalars, errors), so the full parser handles those with its diagnostics.
 * Why: the full parser spends ~0.6 ms per rule file; this one ~0.05 ms.
 */
import type { Span } from '../diagnostics/index.js';
import type { YamlDoc, YEntry, YNode, YScalarValue } from './yaml-reader.js';

interface Line {
  /** Offset of the first character of the line in the text. */
  start: number;
  /** Number of leading spaces. */
  indent: number;
  /** Line text without the newline. */
  text: string;
  /** 1-based line number. */
  no: number;
  /** Blank or comment-only. */
  empty: boolean;
}

/** Thrown inside the reader to abandon the fast path; never escapes readYamlFast. */
class GiveUp extends Error {
  override name = 'GiveUp';
}
const GIVE_UP = new GiveUp('not in the fast subset');

function giveUp(): never {
  throw GIVE_UP;
}

export function readYamlFast(text: string): YamlDoc[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.startsWith('%')) return undefined;
  try {
    return new FastReader(text).documents();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    // Too deep recursion and the like: let the full parser report it.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
// YAML 1.1 booleans (yes/no/on/off) as well: Sigma tools read rules with PyYAML, which is YAML 1.1.
const TRUES = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSES = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const INT_RE = /^[-+]?\d+$/;
const FLOAT_RE = /^[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:e[-+]?\d+)?$/i;

export function coreScalar(s: string): YScalarValue {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  if (INT_RE.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_RE.test(s)) return Number(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

class FastReader {
  private lines: Line[] = [];
  private i = 0;

  constructor(private readonly text: string) {
    let start = 0;
    let no = 1;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const t = text.slice(start, end);
      let indent = 0;
      while (t.charCodeAt(indent) === 32) indent++;
      const rest = t.slice(indent);
      this.lines.push({ start, indent, text: t, no, empty: rest === '' || rest.startsWith('#') });
      start = end + 1;
      no++;
    }
  }

  private span(line: Line, col0: number): Span {
    return { line: line.no, column: col0 + 1 };
  }

  documents(): YamlDoc[] {
    const docs: YamlDoc[] = [];
    let sawMarker = false;
    while (this.i < this.lines.length) {
      this.skipEmpty();
      const l = this.lines[this.i];
      if (!l) break;
      if (l.indent === 0 && (l.text === '---' || l.text.startsWith('--- ') || l.text.startsWith('---#'))) {
        if (l.text.slice(3).trim() !== '' && !l.text.slice(3).trim().startsWith('#')) giveUp();
        if (sawMarker) docs.push({ root: undefined, span: this.span(l, 0) });
        sawMarker = true;
        this.i++;
        // Content follows on later lines; an immediately following marker means an empty document.
        this.skipEmpty();
        const n = this.lines[this.i];
        if (!n || (n.indent === 0 && n.text.startsWith('---'))) continue;
        if (n.indent === 0 && n.text.startsWith('...')) giveUp();
        docs.push({ root: this.block(n.indent), span: this.span(n, n.indent) });
        sawMarker = false;
        continue;
      }
      if (l.text.startsWith('...')) giveUp();
      if (l.indent !== 0) giveUp();
      docs.push({ root: this.block(0), span: this.span(l, 0) });
    }
    return docs;
  }

  private skipEmpty(): void {
    while (this.i < this.lines.length && this.lines[this.i]!.empty) this.i++;
  }

  /** A block node starting at the current line, whose indentation is `indent`. */
  private block(indent: number): YNode {
    const l = this.lines[this.i]!;
    if (l.indent !== indent) giveUp();
    const c = l.text.slice(indent);
    if (c === '-' || c.startsWith('- ')) return this.seq(indent);
    return this.map(indent, indent);
  }

  private seq(indent: number): YNode {
    const first = this.lines[this.i]!;
    const items: YNode[] = [];
    for (;;) {
      this.skipEmpty();
      const l = this.lines[this.i];
      if (!l || l.indent !== indent) break;
      const c = l.text.slice(indent);
      if (!(c === '-' || c.startsWith('- '))) break;
      if (l.indent === 0 && l.text.startsWith('---')) break;
      let col = indent + 1;
      while (l.text.charCodeAt(col) === 32) col++;
      const rest = l.text.slice(col);
      if (rest === '' || rest.startsWith('#')) {
        this.i++;
        this.skipEmpty();
        const n = this.lines[this.i];
        if (!n || n.indent <= indent) {
          items.push(this.nullAt(l, col));
          continue;
        }
        items.push(this.block(n.indent));
        continue;
      }
      if (rest.startsWith('- ') || rest === '-') giveUp();
      if (this.keyEnd(rest) >= 0) {
        items.push(this.map(col, indent + 1, l));
        continue;
      }
      items.push(this.inlineValue(l, col, indent));
    }
    if (items.length === 0) giveUp();
    return { kind: 'seq', items, span: this.span(first, indent) };
  }

  private nullAt(l: Line, col: number): YNode {
    return {
      kind: 'scalar',
      value: null,
      raw: '',
      plain: true,
      quoted: false,
      span: this.span(l, col),
      offset: l.start + col,
    };
  }

  /**
   * Index of the ':' that ends a mapping key in `s` (plain or quoted key), or -1 when `s` is not a
   * `key: value` line.
   */
  private keyEnd(s: string): number {
    const c0 = s[0];
    if (c0 === '"' || c0 === "'") {
      const q = this.quotedEnd(s, 0);
      if (q < 0) return -1;
      let j = q + 1;
      while (s[j] === ' ') j++;
      return s[j] === ':' && (j + 1 === s.length || s[j + 1] === ' ') ? j : -1;
    }
    if (c0 === undefined || '[]{},#&*!|>%@`?'.includes(c0)) return -1;
    for (let j = 0; j < s.length; j++) {
      const ch = s[j];
      if (ch === ':' && (j + 1 === s.length || s[j + 1] === ' ')) return j;
      if (ch === '#' && s[j - 1] === ' ') return -1;
    }
    return -1;
  }

  /** Index of the closing quote of the quoted scalar starting at `from`, or -1. */
  private quotedEnd(s: string, from: number): number {
    const q = s[from];
    for (let j = from + 1; j < s.length; j++) {
      const ch = s[j];
      if (q === "'" && ch === "'") {
        if (s[j + 1] === "'") {
          j++;
          continue;
        }
        return j;
      }
      if (q === '"') {
        if (ch === '\\') {
          j++;
          continue;
        }
        if (ch === '"') return j;
      }
    }
    return -1;
  }

  /**
   * A block mapping whose keys sit at column `indent`. `firstLine` is given when the first key is on a
   * sequence item's line (`- key: value`); then later keys must sit at `indent` too.
   */
  private map(indent: number, minIndent: number, firstLine?: Line): YNode {
    const entries: YEntry[] = [];
    const keys = new Set<string>();
    let startSpan: Span | undefined;
    let first = firstLine;
    for (;;) {
      let l: Line;
      let col: number;
      if (first) {
        l = first;
        col = indent;
        first = undefined;
      } else {
        this.skipEmpty();
        const n = this.lines[this.i];
        if (!n || n.indent !== indent) {
          if (n && n.indent > indent && n.indent >= minIndent) giveUp();
          break;
        }
        if (n.indent === 0 && (n.text.startsWith('---') || n.text.startsWith('...'))) break;
        l = n;
        col = indent;
      }
      const s = l.text.slice(col);
      if (s.startsWith('- ') || s === '-') {
        break;
      }
      const ke = this.keyEnd(s);
      if (ke < 0) giveUp();
      let key: string;
      if (s[0] === '"' || s[0] === "'") {
        const q = this.quotedEnd(s, 0);
        key = this.unquote(s.slice(0, q + 1));
      } else key = s.slice(0, ke).trimEnd();
      if (keys.has(key)) giveUp();
      keys.add(key);
      const keySpan = this.span(l, col);
      startSpan ??= keySpan;
      let vcol = col + ke + 1;
      while (l.text.charCodeAt(vcol) === 32) vcol++;
      const rest = l.text.slice(vcol);
      let value: YNode;
      if (rest === '' || rest.startsWith('#')) {
        this.i++;
        this.skipEmpty();
        const n = this.lines[this.i];
        if (n && n.indent > indent) value = this.block(n.indent);
        else if (
          n &&
          n.indent === indent &&
          (n.text.slice(indent) === '-' || n.text.slice(indent).startsWith('- '))
        ) {
          value = this.seq(indent);
        } else
          value = {
            kind: 'scalar',
            value: null,
            raw: '',
            plain: true,
            quoted: false,
            span: this.span(l, col + ke + 1),
            offset: l.start + col + ke + 1,
          };
      } else {
        value = this.inlineValue(l, vcol, indent);
      }
      entries.push({ key, keySpan, value });
    }
    if (entries.length === 0 || !startSpan) giveUp();
    return { kind: 'map', entries, span: startSpan };
  }

  /** A value that starts on line `l` at column `col` (0-based); consumes its lines. */
  private inlineValue(l: Line, col: number, parentIndent: number): YNode {
    const s = l.text.slice(col);
    const c0 = s[0]!;
    const span = this.span(l, col);
    if (c0 === '|' || c0 === '>') return this.blockScalar(l, col, parentIndent);
    if (c0 === '[') {
      const node = this.flowSeq(l, col);
      this.i++;
      return node;
    }
    if (c0 === '"' || c0 === "'") {
      const q = this.quotedEnd(s, 0);
      if (q < 0) giveUp();
      const after = s.slice(q + 1).trimStart();
      if (after !== '' && !after.startsWith('#')) giveUp();
      if (after.startsWith('#') && s[q + 1] !== ' ') giveUp();
      const value = this.unquote(s.slice(0, q + 1));
      this.i++;
      return {
        kind: 'scalar',
        value,
        raw: value,
        plain: false,
        quoted: true,
        span,
        offset: l.start + col + 1,
      };
    }
    if ('{&*!%@`'.includes(c0) || (c0 === '?' && (s[1] === ' ' || s.length === 1))) giveUp();
    if (c0 === '-' && (s[1] === ' ' || s.length === 1)) giveUp();
    let end = s.length;
    const hash = s.indexOf(' #');
    if (hash >= 0) end = hash;
    const raw = s.slice(0, end).trimEnd();
    if (raw.includes(': ') || raw.endsWith(':')) giveUp();
    this.i++;
    // A more-indented non-empty line after a plain scalar continues it (multi-line plain): not handled.
    const n = this.lines[this.i];
    if (
      n &&
      !n.empty &&
      n.indent > parentIndent &&
      !(n.text.slice(n.indent).startsWith('- ') && n.indent === parentIndent)
    ) {
      if (n.indent > parentIndent) giveUp();
    }
    return {
      kind: 'scalar',
      value: coreScalar(raw),
      raw,
      plain: true,
      quoted: false,
      span,
      offset: l.start + col,
    };
  }

  private unquote(q: string): string {
    const body = q.slice(1, -1);
    if (q[0] === "'") return body.replaceAll("''", "'");
    if (!body.includes('\\')) return body;
    let out = '';
    for (let j = 0; j < body.length; j++) {
      const ch = body[j]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = body[++j];
      switch (e) {
        case '\\':
        case '"':
        case '/':
          out += e;
          break;
        case ' ':
          out += ' ';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = body.slice(j + 1, j + 1 + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) giveUp();
          out += String.fromCodePoint(parseInt(hex, 16));
          j += len;
          break;
        }
        default:
          giveUp();
      }
    }
    return out;
  }

  private flowSeq(l: Line, col: number): YNode {
    const s = l.text;
    const items: YNode[] = [];
    let j = col + 1;
    const skipWs = (): void => {
      while (s[j] === ' ') j++;
    };
    skipWs();
    if (s[j] === ']') {
      j++;
    } else {
      for (;;) {
        skipWs();
        const c = s[j];
        if (c === undefined || '[{&*!#'.includes(c)) giveUp();
        const itemSpan = this.span(l, j);
        if (c === '"' || c === "'") {
          const q = this.quotedEnd(s, j);
          if (q < 0) giveUp();
          const value = this.unquote(s.slice(j, q + 1));
          items.push({
            kind: 'scalar',
            value,
            raw: value,
            plain: false,
            quoted: true,
            span: itemSpan,
            offset: l.start + j + 1,
          });
          j = q + 1;
        } else {
          let k = j;
          while (k < s.length && !',[]{}#'.includes(s[k]!)) k++;
          const raw = s.slice(j, k).trimEnd();
          if (raw === '' || raw.includes(': ')) giveUp();
          items.push({
            kind: 'scalar',
            value: coreScalar(raw),
            raw,
            plain: true,
            quoted: false,
            span: itemSpan,
            offset: l.start + j,
          });
          j = k;
        }
        skipWs();
        if (s[j] === ',') {
          j++;
          skipWs();
          if (s[j] === ']') giveUp();
          continue;
        }
        if (s[j] === ']') {
          j++;
          break;
        }
        giveUp();
      }
    }
    const after = s.slice(j).trimStart();
    if (after !== '' && !after.startsWith('#')) giveUp();
    return { kind: 'seq', items, span: this.span(l, col) };
  }

  private blockScalar(l: Line, col: number, parentIndent: number): YNode {
    const header = l.text
      .slice(col)
      .replace(/\s+#.*$/, '')
      .trimEnd();
    const m = /^([|>])([-+]?)$/.exec(header);
    if (!m) giveUp();
    const folded = m[1] === '>';
    const chomp = m[2];
    this.i++;
    const body: { line: Line; text: string }[] = [];
    let contentIndent = -1;
    while (this.i < this.lines.length) {
      const n = this.lines[this.i]!;
      const blank = n.text.trim() === '';
      if (!blank) {
        if (n.indent <= parentIndent) break;
        if (contentIndent < 0) contentIndent = n.indent;
        if (n.indent < contentIndent) giveUp();
      }
      body.push({ line: n, text: n.text });
      this.i++;
    }
    // Trailing blank lines belong to the scalar only for keep chomping; leave them for the next node.
    while (body.length > 0 && body[body.length - 1]!.text.trim() === '') {
      body.pop();
      this.i--;
    }
    if (contentIndent < 0) {
      return {
        kind: 'scalar',
        value: '',
        raw: '',
        plain: false,
        quoted: false,
        span: this.span(l, col),
        offset: l.start + col,
      };
    }
    const rows = body.map((b) => (b.text.trim() === '' ? '' : b.text.slice(contentIndent)));
    if (rows.some((r, idx) => r === '' && body[idx]!.text.length > contentIndent)) giveUp();
    let value: string;
    if (!folded) value = rows.join('\n');
    else {
      if (rows.some((r) => r.startsWith(' '))) giveUp();
      value = '';
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        if (k === 0) value = r;
        else if (r === '') value += '\n';
        else value += rows[k - 1] === '' ? r : ' ' + r;
      }
    }
    if (chomp === '+') giveUp();
    if (chomp !== '-') value += '\n';
    return {
      kind: 'scalar',
      value,
      raw: value,
      plain: false,
      quoted: false,
      span: this.span(l, col),
      offset: l.start + col,
    };
  }
}
