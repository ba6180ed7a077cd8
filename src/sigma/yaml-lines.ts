/**
 * The line level of the fast YAML reader (yaml-fast.ts): the table of lines, and the scalars that do not
 * depend on the block structure (quoted, block and flow-sequence scalars). Everything works on offsets
 * into the whole text and looks at character codes; the only strings made are the values themselves.
 */
import { coreScalar } from './yaml-core.js';
import { SEQ } from './yaml-tape.js';
import type { YTape } from './yaml-tape.js';

/** Thrown inside the reader to abandon the fast path; never escapes readYamlFast. */
class GiveUp extends Error {
  override name = 'GiveUp';
}
export const GIVE_UP = new GiveUp('not in the fast subset');

export function giveUp(): never {
  throw GIVE_UP;
}

export const SPACE = 0x20;
export const HASH = 0x23;
export const DASH = 0x2d;
export const COLON = 0x3a;
export const DQUOTE = 0x22;
export const SQUOTE = 0x27;
const BACKSLASH = 0x5c;

/**
 * Tabs can indent or separate in YAML, which this reader does not handle; on a line that holds only a
 * comment they are just text (and inside a block scalar, content taken as written).
 */
export function tabsInCommentLinesOnly(text: string): boolean {
  for (let t = text.indexOf('\t'); t >= 0; t = text.indexOf('\t', t + 1)) {
    let p = text.lastIndexOf('\n', t) + 1;
    while (text.charCodeAt(p) === SPACE) p++;
    if (text.charCodeAt(p) !== HASH) return false;
  }
  return true;
}

/**
 * The first occurrence of `needle` at or after a position, for positions that mostly move forward (the
 * reader goes through the text once): the native search runs again only when the position passes the
 * last hit, so every part of the text is searched about once however long its lines are.
 */
export class ForwardFinder {
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

/**
 * The line tables, kept from one file to the next: four small typed arrays per file were thousands of
 * off-heap buffers over a corpus. A reader runs to completion before the next one starts.
 */
class LineTables {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly indents: Int32Array;
  readonly empties: Uint8Array;

  constructor(n: number) {
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.indents = new Int32Array(n);
    this.empties = new Uint8Array(n);
  }
}
let tables = new LineTables(1 << 13);

/**
 * Offset of the closing quote of the quoted scalar starting at offset `from`, or -1 (line end `end`).
 * The quotes are found with indexOf, not a character loop: most values are quoted, and native search is
 * fast from the first file on, before the JIT has optimized anything.
 */
export function quotedEnd(s: string, from: number, end: number): number {
  if (s.charCodeAt(from) === SQUOTE) {
    // '' inside single quotes is an escaped quote.
    let j = s.indexOf("'", from + 1);
    while (j >= 0 && j < end) {
      if (j + 1 >= end || s.charCodeAt(j + 1) !== SQUOTE) return j;
      j = s.indexOf("'", j + 2);
    }
    return -1;
  }
  // A double quote is escaped when an odd number of backslashes precede it.
  let j = s.indexOf('"', from + 1);
  while (j >= 0 && j < end) {
    let b = j;
    while (b > from + 1 && s.charCodeAt(b - 1) === BACKSLASH) b--;
    if ((j - b) % 2 === 0) return j;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

/** The value of the quoted scalar text[from, to) (quotes included). */
export function unquote(text: string, from: number, to: number): string {
  const body = text.slice(from + 1, to - 1);
  if (text.charCodeAt(from) === SQUOTE) return body.includes("''") ? body.replaceAll("''", "'") : body;
  return body.includes('\\') ? unescapeDoubleQuoted(body) : body;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  ' ': ' ',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function unescapeDoubleQuoted(body: string): string {
  let out = '';
  for (let j = 0; j < body.length; j++) {
    const ch = body[j]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++j] ?? '';
    const simple = Object.hasOwn(SIMPLE_ESCAPES, e) ? SIMPLE_ESCAPES[e] : undefined;
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const len = Object.hasOwn(HEX_ESCAPE_LENGTH, e) ? HEX_ESCAPE_LENGTH[e] : undefined;
    if (len === undefined) giveUp();
    const hex = body.slice(j + 1, j + 1 + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) giveUp();
    out += String.fromCodePoint(parseInt(hex, 16));
    j += len;
  }
  return out;
}

/**
 * Line i (0-based) of the text runs from starts[i] to ends[i] (the newline or the end of the text); the
 * reader is at line `i`. Scalars are appended to `tape`.
 */
export class LineReader {
  protected readonly starts: Int32Array;
  protected readonly ends: Int32Array;
  protected readonly indents: Int32Array;
  /** 1 when the line is blank or holds only a comment. */
  protected readonly empties: Uint8Array;
  protected readonly count: number;
  /** The current line. */
  protected i = 0;

  constructor(
    protected readonly text: string,
    protected readonly tape: YTape,
  ) {
    let n = 1;
    for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) n++;
    this.count = n;
    if (n > tables.starts.length) tables = new LineTables(Math.max(n, 2 * tables.starts.length));
    this.starts = tables.starts;
    this.ends = tables.ends;
    this.indents = tables.indents;
    this.empties = tables.empties;
    let start = 0;
    for (let k = 0; k < n; k++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let p = start;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      this.starts[k] = start;
      this.ends[k] = end;
      this.indents[k] = p - start;
      this.empties[k] = p === end || text.charCodeAt(p) === HASH ? 1 : 0;
      start = end + 1;
    }
  }

  protected lineText(k: number): string {
    return this.text.slice(this.starts[k], this.ends[k]);
  }

  /** The line at 0-based column `col` starts a sequence item: `-` alone or `- …`. */
  protected isItem(k: number, col: number): boolean {
    const p = this.starts[k]! + col;
    if (this.text.charCodeAt(p) !== DASH) return false;
    return p + 1 === this.ends[k] || this.text.charCodeAt(p + 1) === SPACE;
  }

  protected startsWithAt(k: number, s: string): boolean {
    return this.text.startsWith(s, this.starts[k]) && this.starts[k]! + s.length <= this.ends[k]!;
  }

  protected skipEmpty(): void {
    while (this.i < this.count && this.empties[this.i] === 1) this.i++;
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

  /**
   * A quoted scalar starting at 0-based column `col` of line `k`, alone on its line (or before a comment);
   * `q` is the offset of its closing quote when already known.
   */
  protected quotedValue(
    k: number,
    col: number,
    q = quotedEnd(this.text, this.starts[k]! + col, this.ends[k]!),
  ): number {
    const text = this.text;
    const p = this.starts[k]! + col;
    const end = this.ends[k]!;
    if (q < 0) giveUp();
    if (q + 1 < end) {
      // Something after the closing quote: only a comment (after a space) may follow.
      const after = text.slice(q + 1, end).trimStart();
      if (after !== '' && !after.startsWith('#')) giveUp();
      if (after.startsWith('#') && text.charCodeAt(q + 1) !== SPACE) giveUp();
    }
    const value = unquote(text, p, q + 1);
    this.i++;
    return this.tape.scalar(value, value, false, true, k + 1, col + 1, p + 1);
  }

  /** `[a, 'b', …]` on one line, starting at 0-based column `col` of line `k`. */
  protected flowSeq(k: number, col: number): number {
    const tape = this.tape;
    const base = this.starts[k]!;
    const s = this.lineText(k);
    const seq = tape.open(SEQ, k + 1, col + 1);
    let j = col + 1;
    while (s[j] === ' ') j++;
    if (s[j] === ']') {
      j++;
    } else {
      for (;;) {
        while (s[j] === ' ') j++;
        const c = s[j];
        if (c === undefined || '[{&*!#'.includes(c)) giveUp();
        if (c === '"' || c === "'") {
          const q = quotedEnd(this.text, base + j, base + s.length);
          if (q < 0) giveUp();
          const value = unquote(this.text, base + j, q + 1);
          tape.scalar(value, value, false, true, k + 1, j + 1, base + j + 1);
          j = q + 1 - base;
        } else {
          let e = j;
          while (e < s.length && !',[]{}#'.includes(s[e]!)) e++;
          const raw = s.slice(j, e).trimEnd();
          if (raw === '' || raw.includes(': ')) giveUp();
          tape.scalar(coreScalar(raw), raw, true, false, k + 1, j + 1, base + j);
          j = e;
        }
        while (s[j] === ' ') j++;
        if (s[j] === ',') {
          j++;
          while (s[j] === ' ') j++;
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
    this.i++;
    tape.close(seq);
    return seq;
  }

  /** `|` or `>` at 0-based column `col` of line `k`, and the lines it takes. */
  protected blockScalar(k: number, col: number, parentIndent: number): number {
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
    if (contentIndent < 0) return this.tape.scalar('', '', false, false, k + 1, col + 1, offset);
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
    return this.tape.scalar(value, value, false, false, k + 1, col + 1, offset);
  }
}
