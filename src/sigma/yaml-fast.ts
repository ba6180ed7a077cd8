/**
 * A fast reader for the YAML that Sigma rules are written in: block mappings and sequences, plain and
 * quoted single-line scalars, block scalars, one-line flow sequences, comments, several documents.
 * It produces exactly what readYaml builds from the `yaml` package (a differential test over the SigmaHQ
 * corpus holds it to that) and gives up — returning undefined — on anything else (anchors, tags, flow
 * maps, multi-line plain scalars, errors), so the full parser handles those with its diagnostics.
 * Why: the full parser spends ~0.6 ms per rule file; this one ~0.05 ms.
 */
import type { Span } from '../diagnostics/index.js';
import { coreScalar } from './yaml-core.js';
import type { YamlDoc, YEntry, YNode } from './yaml-reader.js';

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

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;

/**
 * The first occurrence of `needle` at or after a position, for positions that mostly move forward (the
 * reader goes through the text once): the native search runs again only when the position passes the
 * last hit, so every part of the text is searched about once however long its lines are.
 */
class ForwardFinder {
  /** `at` is the first occurrence at or after `from` (-1: none). */
  private from = Infinity;
  private at = -1;

  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  next(p: number): number {
    if (p < this.from || (this.at >= 0 && this.at < p)) {
      this.at = this.text.indexOf(this.needle, p);
      this.from = p;
    }
    return this.at;
  }
}

/** Past this many keys a mapping checks for duplicates with a Set instead of a scan of its entries. */
const SCAN_KEYS = 16;

/**
 * The reader works on offsets into the whole text and looks at character codes: lines are not cut out
 * as strings and no per-line object is built, so the only strings allocated are keys and values (a
 * rule file is read in a few microseconds, and garbage collection was a fifth of a conversion run).
 * Line i (0-based) runs from starts[i] to ends[i] (the newline or the end of the text).
 */
class FastReader {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  /** 1 when the line is blank or holds only a comment. */
  private readonly empties: Uint8Array;
  private readonly count: number;
  /** The current line. */
  private i = 0;
  private readonly comments: ForwardFinder;
  private readonly colons: ForwardFinder;

  constructor(private readonly text: string) {
    this.comments = new ForwardFinder(text, ' #');
    this.colons = new ForwardFinder(text, ':');
    let n = 1;
    for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) n++;
    this.count = n;
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.indents = new Int32Array(n);
    this.empties = new Uint8Array(n);
    let start = 0;
    for (let k = 0; k < n; k++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let p = start;
      while (text.charCodeAt(p) === SPACE) p++;
      this.starts[k] = start;
      this.ends[k] = end;
      this.indents[k] = p - start;
      this.empties[k] = p === end || text.charCodeAt(p) === HASH ? 1 : 0;
      start = end + 1;
    }
  }

  private lineText(k: number): string {
    return this.text.slice(this.starts[k], this.ends[k]);
  }

  /** The line at 0-based column `col` starts a sequence item: `-` alone or `- …`. */
  private isItem(k: number, col: number): boolean {
    const p = this.starts[k]! + col;
    if (this.text.charCodeAt(p) !== DASH) return false;
    return p + 1 === this.ends[k] || this.text.charCodeAt(p + 1) === SPACE;
  }

  private span(k: number, col0: number): Span {
    return { line: k + 1, column: col0 + 1 };
  }

  documents(): YamlDoc[] {
    const docs: YamlDoc[] = [];
    let sawMarker = false;
    while (this.i < this.count) {
      this.skipEmpty();
      const k = this.i;
      if (k >= this.count) break;
      const t = this.lineText(k);
      if (this.indents[k] === 0 && (t === '---' || t.startsWith('--- ') || t.startsWith('---#'))) {
        if (t.slice(3).trim() !== '' && !t.slice(3).trim().startsWith('#')) giveUp();
        if (sawMarker) docs.push({ root: undefined, span: this.span(k, 0) });
        sawMarker = true;
        this.i++;
        // Content follows on later lines; an immediately following marker means an empty document.
        this.skipEmpty();
        const n = this.i;
        if (n >= this.count || (this.indents[n] === 0 && this.startsWithAt(n, '---'))) continue;
        if (this.indents[n] === 0 && this.startsWithAt(n, '...')) giveUp();
        const indent = this.indents[n]!;
        docs.push({ root: this.block(indent), span: this.span(n, indent) });
        sawMarker = false;
        continue;
      }
      if (t.startsWith('...')) giveUp();
      if (this.indents[k] !== 0) giveUp();
      docs.push({ root: this.block(0), span: this.span(k, 0) });
    }
    return docs;
  }

  private startsWithAt(k: number, s: string): boolean {
    return this.text.startsWith(s, this.starts[k]) && this.starts[k]! + s.length <= this.ends[k]!;
  }

  private skipEmpty(): void {
    while (this.i < this.count && this.empties[this.i] === 1) this.i++;
  }

  /** A block node starting at the current line, whose indentation is `indent`. */
  private block(indent: number): YNode {
    const k = this.i;
    if (this.indents[k] !== indent) giveUp();
    if (this.isItem(k, indent)) return this.seq(indent);
    return this.map(indent, indent);
  }

  private seq(indent: number): YNode {
    const first = this.i;
    const items: YNode[] = [];
    const text = this.text;
    for (;;) {
      this.skipEmpty();
      const k = this.i;
      if (k >= this.count || this.indents[k] !== indent || !this.isItem(k, indent)) break;
      const start = this.starts[k]!;
      const end = this.ends[k]!;
      let col = indent + 1;
      while (text.charCodeAt(start + col) === SPACE) col++;
      const rest = start + col;
      if (rest === end || text.charCodeAt(rest) === HASH) {
        this.i++;
        this.skipEmpty();
        const n = this.i;
        if (n >= this.count || this.indents[n]! <= indent) {
          items.push(this.nullAt(k, col));
          continue;
        }
        items.push(this.block(this.indents[n]!));
        continue;
      }
      if (this.isItem(k, col)) giveUp();
      if (this.keyEnd(rest, end) >= 0) {
        items.push(this.map(col, indent + 1, k));
        continue;
      }
      items.push(this.inlineValue(k, col, indent));
    }
    if (items.length === 0) giveUp();
    return { kind: 'seq', items, span: this.span(first, indent) };
  }

  private nullAt(k: number, col: number): YNode {
    return {
      kind: 'scalar',
      value: null,
      raw: '',
      plain: true,
      quoted: false,
      span: this.span(k, col),
      offset: this.starts[k]! + col,
    };
  }

  /**
   * Offset of the ':' that ends a mapping key (plain or quoted) starting at offset `p` of a line ending
   * at `end`, or -1 when that text is not a `key: value` line.
   */
  private keyEnd(p: number, end: number): number {
    const s = this.text;
    const c0 = s.charCodeAt(p);
    if (c0 === DQUOTE || c0 === SQUOTE) {
      const q = this.quotedEnd(p, end);
      if (q < 0) return -1;
      let j = q + 1;
      while (s.charCodeAt(j) === SPACE) j++;
      return s.charCodeAt(j) === COLON && (j + 1 === end || s.charCodeAt(j + 1) === SPACE) ? j : -1;
    }
    if (p === end || '[]{},#&*!|>%@`?'.includes(s[p]!)) return -1;
    // Most sequence items are values without any ':' (no key): skip the character loop for them.
    const colon = this.colons.next(p);
    if (colon < 0 || colon >= end) return -1;
    for (let j = p; j < end; j++) {
      const ch = s.charCodeAt(j);
      if (ch === COLON && (j + 1 === end || s.charCodeAt(j + 1) === SPACE)) return j;
      if (ch === HASH && s.charCodeAt(j - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** Offset of the closing quote of the quoted scalar starting at offset `from`, or -1 (line end `end`). */
  private quotedEnd(from: number, end: number): number {
    const s = this.text;
    const q = s.charCodeAt(from);
    for (let j = from + 1; j < end; j++) {
      const ch = s.charCodeAt(j);
      if (q === SQUOTE && ch === SQUOTE) {
        if (j + 1 < end && s.charCodeAt(j + 1) === SQUOTE) {
          j++;
          continue;
        }
        return j;
      }
      if (q === DQUOTE) {
        if (ch === BACKSLASH) {
          j++;
          continue;
        }
        if (ch === DQUOTE) return j;
      }
    }
    return -1;
  }

  /**
   * A block mapping whose keys sit at column `indent`. `firstLine` is given when the first key is on a
   * sequence item's line (`- key: value`); then later keys must sit at `indent` too.
   */
  private map(indent: number, minIndent: number, firstLine?: number): YNode {
    const entries: YEntry[] = [];
    let keys: Set<string> | undefined;
    let startSpan: Span | undefined;
    let first = firstLine;
    const text = this.text;
    for (;;) {
      let k: number;
      if (first !== undefined) {
        k = first;
        first = undefined;
      } else {
        this.skipEmpty();
        k = this.i;
        if (k >= this.count || this.indents[k] !== indent) {
          if (k < this.count && this.indents[k]! > indent && this.indents[k]! >= minIndent) giveUp();
          break;
        }
        if (indent === 0 && (this.startsWithAt(k, '---') || this.startsWithAt(k, '...'))) break;
      }
      const col = indent;
      const start = this.starts[k]! + col;
      const end = this.ends[k]!;
      if (this.isItem(k, col)) break;
      const ke = this.keyEnd(start, end);
      if (ke < 0) giveUp();
      let key: string;
      const c0 = text.charCodeAt(start);
      if (c0 === DQUOTE || c0 === SQUOTE) {
        const q = this.quotedEnd(start, end);
        key = this.unquote(start, q + 1);
      } else key = text.slice(start, ke).trimEnd();
      // Small mappings (nearly all of them) are checked by a scan; large ones get a Set.
      if (keys) {
        if (keys.has(key)) giveUp();
        keys.add(key);
      } else {
        for (const e of entries) if (e.key === key) giveUp();
        if (entries.length >= SCAN_KEYS) keys = new Set([...entries.map((e) => e.key), key]);
      }
      const keySpan = this.span(k, col);
      startSpan ??= keySpan;
      const keyCol = ke - this.starts[k]!;
      let vcol = keyCol + 1;
      while (text.charCodeAt(this.starts[k]! + vcol) === SPACE) vcol++;
      const rest = this.starts[k]! + vcol;
      let value: YNode;
      if (rest === end || text.charCodeAt(rest) === HASH) {
        this.i++;
        this.skipEmpty();
        const n = this.i;
        if (n < this.count && this.indents[n]! > indent) value = this.block(this.indents[n]!);
        else if (n < this.count && this.indents[n] === indent && this.isItem(n, indent)) {
          value = this.seq(indent);
        } else value = this.nullAt(k, keyCol + 1);
      } else {
        value = this.inlineValue(k, vcol, indent);
      }
      entries.push({ key, keySpan, value });
    }
    if (entries.length === 0 || !startSpan) giveUp();
    return { kind: 'map', entries, span: startSpan };
  }

  /** A value that starts on line `k` at column `col` (0-based); consumes its lines. */
  private inlineValue(k: number, col: number, parentIndent: number): YNode {
    const text = this.text;
    const p = this.starts[k]! + col;
    const end = this.ends[k]!;
    const c0 = text.charCodeAt(p);
    const span = this.span(k, col);
    if (c0 === 0x7c || c0 === 0x3e) return this.blockScalar(k, col, parentIndent); // | >
    if (c0 === 0x5b) {
      // [
      const node = this.flowSeq(k, col);
      this.i++;
      return node;
    }
    if (c0 === DQUOTE || c0 === SQUOTE) {
      const q = this.quotedEnd(p, end);
      if (q < 0) giveUp();
      if (q + 1 < end) {
        // Something after the closing quote: only a comment (after a space) may follow.
        const after = text.slice(q + 1, end).trimStart();
        if (after !== '' && !after.startsWith('#')) giveUp();
        if (after.startsWith('#') && text.charCodeAt(q + 1) !== SPACE) giveUp();
      }
      const value = this.unquote(p, q + 1);
      this.i++;
      return { kind: 'scalar', value, raw: value, plain: false, quoted: true, span, offset: p + 1 };
    }
    const c1 = p + 1 < end ? text.charCodeAt(p + 1) : -1;
    if ('{&*!%@`'.includes(text[p]!) || (c0 === 0x3f && (c1 === SPACE || c1 === -1))) giveUp(); // ?
    if (c0 === DASH && (c1 === SPACE || c1 === -1)) giveUp();
    // The value ends at a comment (` #` within the line; the value itself never starts with a space).
    const hash = this.comments.next(p);
    const stop = hash >= 0 && hash + 1 < end ? hash : end;
    const raw = text.slice(p, stop).trimEnd();
    if (raw.includes(': ') || raw.endsWith(':')) giveUp();
    this.i++;
    // A more-indented non-empty line after a plain scalar continues it (multi-line plain): not handled.
    const n = this.i;
    if (n < this.count && this.empties[n] === 0 && this.indents[n]! > parentIndent) giveUp();
    return { kind: 'scalar', value: coreScalar(raw), raw, plain: true, quoted: false, span, offset: p };
  }

  /** The value of the quoted scalar text[from, to) (quotes included). */
  private unquote(from: number, to: number): string {
    const text = this.text;
    const body = text.slice(from + 1, to - 1);
    if (text.charCodeAt(from) === SQUOTE) return body.includes("''") ? body.replaceAll("''", "'") : body;
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

  private flowSeq(k: number, col: number): YNode {
    const base = this.starts[k]!;
    const s = this.lineText(k);
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
        const itemSpan = this.span(k, j);
        if (c === '"' || c === "'") {
          const q = this.quotedEnd(base + j, base + s.length);
          if (q < 0) giveUp();
          const value = this.unquote(base + j, q + 1);
          items.push({
            kind: 'scalar',
            value,
            raw: value,
            plain: false,
            quoted: true,
            span: itemSpan,
            offset: base + j + 1,
          });
          j = q + 1 - base;
        } else {
          let e = j;
          while (e < s.length && !',[]{}#'.includes(s[e]!)) e++;
          const raw = s.slice(j, e).trimEnd();
          if (raw === '' || raw.includes(': ')) giveUp();
          items.push({
            kind: 'scalar',
            value: coreScalar(raw),
            raw,
            plain: true,
            quoted: false,
            span: itemSpan,
            offset: base + j,
          });
          j = e;
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
    return { kind: 'seq', items, span: this.span(k, col) };
  }

  /** Blank: only white space (as String.prototype.trim sees it) on the line. */
  private isBlank(k: number): boolean {
    const p = this.starts[k]! + this.indents[k]!;
    if (p === this.ends[k]) return true;
    const c = this.text.charCodeAt(p);
    // Printable ASCII is never white space; other characters are rare enough to ask trim().
    if (c > 0x20 && c < 0x7f) return false;
    return this.lineText(k).trim() === '';
  }

  private blockScalar(k: number, col: number, parentIndent: number): YNode {
    const header = this.lineText(k)
      .slice(col)
      .replace(/\s+#.*$/, '')
      .trimEnd();
    const m = /^([|>])([-+]?)$/.exec(header);
    if (!m) giveUp();
    const folded = m[1] === '>';
    const chomp = m[2];
    this.i++;
    const first = this.i;
    let contentIndent = -1;
    while (this.i < this.count) {
      const n = this.i;
      if (!this.isBlank(n)) {
        const indent = this.indents[n]!;
        if (indent <= parentIndent) break;
        if (contentIndent < 0) contentIndent = indent;
        if (indent < contentIndent) giveUp();
      }
      this.i++;
    }
    // Trailing blank lines belong to the scalar only for keep chomping; leave them for the next node.
    while (this.i > first && this.isBlank(this.i - 1)) this.i--;
    const offset = this.starts[k]! + col;
    if (contentIndent < 0) {
      return {
        kind: 'scalar',
        value: '',
        raw: '',
        plain: false,
        quoted: false,
        span: this.span(k, col),
        offset,
      };
    }
    const rows: string[] = [];
    for (let n = first; n < this.i; n++) {
      if (!this.isBlank(n)) rows.push(this.text.slice(this.starts[n]! + contentIndent, this.ends[n]));
      else if (this.ends[n]! - this.starts[n]! > contentIndent) giveUp();
      else rows.push('');
    }
    let value: string;
    if (!folded) value = rows.join('\n');
    else {
      if (rows.some((r) => r.startsWith(' '))) giveUp();
      value = '';
      for (let j = 0; j < rows.length; j++) {
        const r = rows[j]!;
        if (j === 0) value = r;
        else if (r === '') value += '\n';
        else value += rows[j - 1] === '' ? r : ' ' + r;
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
      span: this.span(k, col),
      offset,
    };
  }
}
