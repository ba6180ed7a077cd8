/**
 * A fast reader for the YAML that Sigma rules are written in: block mappings and sequences, plain
 * scalars (over several lines too), quoted single-line scalars, block scalars, one-line flow sequences,
 * comments, several documents. It produces exactly what readYaml builds from the `yaml` package (a
 * differential test over the SigmaHQ corpus holds it to that) and gives up — returning undefined — on
 * anything else (anchors, tags, flow maps, errors), so the full parser handles those with its diagnostics.
 * Why: the full parser spends ~0.6 ms per rule file; this one a few microseconds, writing the tree
 * straight into a tape (yaml-tape.ts) rather than into objects.
 */
import { coreScalar } from './yaml-core.js';
import {
  COLON,
  DASH,
  DQUOTE,
  ForwardFinder,
  GIVE_UP,
  giveUp,
  HASH,
  LineReader,
  quotedEnd,
  SPACE,
  SQUOTE,
  tabsInCommentLinesOnly,
  unquote,
} from './yaml-lines.js';
import type { YamlDoc } from './yaml-reader.js';
import { MAP, SEQ, YTape } from './yaml-tape.js';
import type { TapeDoc } from './yaml-tape.js';

/** The documents of `text` as YNode trees, or undefined when the text is outside the fast subset. */
export function readYamlFast(text: string): YamlDoc[] | undefined {
  const tape = new YTape();
  const docs = readYamlFastTape(text, tape);
  return docs?.map((d) => ({ root: d.root < 0 ? undefined : tape.node(d.root), span: d.span }));
}

/** The documents of `text` appended to `tape`, or undefined when the text is outside the fast subset. */
export function readYamlFastTape(text: string, tape: YTape): TapeDoc[] | undefined {
  if (text.includes('\r') || text.startsWith('%')) return undefined;
  if (text.includes('\t') && !tabsInCommentLinesOnly(text)) return undefined;
  const size = tape.size;
  try {
    return new FastReader(text, tape).documents();
  } catch (e) {
    tape.size = size;
    if (e === GIVE_UP) return undefined;
    // Too deep recursion and the like: let the full parser report it.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Characters that may start something else than text on a line continuing a plain scalar. */
const CONTINUATION_INDICATORS = '-?:#,[]{}&*!|>\'"%@`';

/** Past this many keys a mapping checks for duplicates with a Set instead of a scan of its entries. */
const SCAN_KEYS = 16;

class FastReader extends LineReader {
  private readonly comments: ForwardFinder;
  private readonly colons: ForwardFinder;

  constructor(text: string, tape: YTape) {
    super(text, tape);
    this.comments = new ForwardFinder(text, ' #');
    this.colons = new ForwardFinder(text, ':');
  }

  documents(): TapeDoc[] {
    const docs: TapeDoc[] = [];
    let sawMarker = false;
    while (this.i < this.count) {
      this.skipEmpty();
      const k = this.i;
      if (k >= this.count) break;
      const t = this.lineText(k);
      if (this.indents[k] === 0 && (t === '---' || t.startsWith('--- ') || t.startsWith('---#'))) {
        if (t.slice(3).trim() !== '' && !t.slice(3).trim().startsWith('#')) giveUp();
        if (sawMarker) docs.push({ root: -1, span: { line: k + 1, column: 1 } });
        sawMarker = true;
        this.i++;
        // Content follows on later lines; an immediately following marker means an empty document.
        this.skipEmpty();
        const n = this.i;
        if (n >= this.count || (this.indents[n] === 0 && this.startsWithAt(n, '---'))) continue;
        if (this.indents[n] === 0 && this.startsWithAt(n, '...')) giveUp();
        const indent = this.indents[n]!;
        docs.push({ root: this.block(indent), span: { line: n + 1, column: indent + 1 } });
        sawMarker = false;
        continue;
      }
      if (t.startsWith('...')) giveUp();
      if (this.indents[k] !== 0) giveUp();
      docs.push({ root: this.block(0), span: { line: k + 1, column: 1 } });
    }
    return docs;
  }

  /**
   * A block node starting at the current line, whose indentation is `indent`; `parentIndent` is that of
   * the key or item it is the value of (none for a document's root, which must be a collection).
   */
  private block(indent: number, parentIndent?: number): number {
    const k = this.i;
    if (this.indents[k] !== indent) giveUp();
    if (this.isItem(k, indent)) return this.seq(indent);
    if (parentIndent === undefined) return this.map(indent, indent);
    const p = this.starts[k]! + indent;
    const ke = this.keyEnd(p, this.ends[k]!);
    // A plain scalar on the lines below its key (a condition written over several lines, say).
    if (ke < 0 && !CONTINUATION_INDICATORS.includes(this.text[p]!))
      return this.inlineValue(k, indent, parentIndent);
    return this.map(indent, indent, k, ke);
  }

  private seq(indent: number): number {
    const tape = this.tape;
    const text = this.text;
    const seq = tape.open(SEQ, this.i + 1, indent + 1);
    for (;;) {
      this.skipEmpty();
      const k = this.i;
      if (k >= this.count || this.indents[k] !== indent || !this.isItem(k, indent)) break;
      const start = this.starts[k]!;
      const end = this.ends[k]!;
      let col = indent + 1;
      while (start + col < end && text.charCodeAt(start + col) === SPACE) col++;
      const rest = start + col;
      if (rest === end || text.charCodeAt(rest) === HASH) {
        this.i++;
        this.skipEmpty();
        const n = this.i;
        if (n >= this.count || this.indents[n]! <= indent) this.nullAt(k, col);
        else this.block(this.indents[n]!, indent);
        continue;
      }
      if (this.isItem(k, col)) giveUp();
      const c = text.charCodeAt(rest);
      if (c === DQUOTE || c === SQUOTE) {
        // Most quoted items are values: the closing quote is found once for both questions.
        const q = quotedEnd(text, rest, end);
        if (this.colonAfter(q, end) >= 0) this.map(col, indent + 1, k);
        else this.quotedValue(k, col, q);
      } else if (this.keyEnd(rest, end) >= 0) this.map(col, indent + 1, k);
      else this.inlineValue(k, col, indent);
    }
    if (tape.size === seq + 1) giveUp();
    tape.close(seq);
    return seq;
  }

  private nullAt(k: number, col: number): number {
    return this.tape.scalar(null, '', true, false, k + 1, col + 1, this.starts[k]! + col);
  }

  /**
   * Offset of the ':' that ends a mapping key (plain or quoted) starting at offset `p` of a line ending
   * at `end`, or -1 when that text is not a `key: value` line.
   */
  private keyEnd(p: number, end: number): number {
    const s = this.text;
    const c0 = s.charCodeAt(p);
    if (c0 === DQUOTE || c0 === SQUOTE) return this.colonAfter(quotedEnd(s, p, end), end);
    if (p === end || '[]{},#&*!|>%@`?'.includes(s[p]!)) return -1;
    // The first ':' followed by a space or the line end, before any comment (` #`), found with indexOf.
    let colon = this.colons.next(p);
    if (colon < 0 || colon >= end) return -1;
    const hash = this.comments.next(p);
    const limit = hash >= 0 && hash < end ? hash : end;
    while (colon >= 0 && colon < limit) {
      if (colon + 1 === end || s.charCodeAt(colon + 1) === SPACE) return colon;
      colon = s.indexOf(':', colon + 1);
    }
    return -1;
  }

  /** Offset of the ':' that follows a quoted key closed at offset `q` (-1: none) on a line ending at `end`. */
  private colonAfter(q: number, end: number): number {
    if (q < 0) return -1;
    const s = this.text;
    let j = q + 1;
    while (j < end && s.charCodeAt(j) === SPACE) j++;
    return j < end && s.charCodeAt(j) === COLON && (j + 1 === end || s.charCodeAt(j + 1) === SPACE) ? j : -1;
  }

  /** `key` was already given in the mapping at `map` (whose entries so far are complete). */
  private isDuplicate(map: number, key: string): boolean {
    const tape = this.tape;
    for (let j = map + 1; j < tape.size; j = tape.end[j]!) if (tape.value[j] === key) return true;
    return false;
  }

  /**
   * A block mapping whose keys sit at column `indent`. `firstLine` is given when the first key's line is
   * already known (a sequence item's line, `- key: value`, whose indentation is not `indent`), with the
   * offset of its ':' when already found.
   */
  private map(indent: number, minIndent: number, firstLine?: number, firstKeyEnd = -1): number {
    const tape = this.tape;
    const text = this.text;
    let map = -1;
    let count = 0;
    let keys: Set<string> | undefined;
    let first = firstLine;
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
      const lineStart = this.starts[k]!;
      const start = lineStart + col;
      const end = this.ends[k]!;
      if (this.isItem(k, col)) break;
      const ke = firstKeyEnd >= 0 ? firstKeyEnd : this.keyEnd(start, end);
      firstKeyEnd = -1;
      if (ke < 0) giveUp();
      const c0 = text.charCodeAt(start);
      const key =
        c0 === DQUOTE || c0 === SQUOTE
          ? unquote(text, start, quotedEnd(text, start, end) + 1)
          : text.slice(start, ke).trimEnd();
      if (map < 0) map = tape.open(MAP, k + 1, col + 1);
      // Small mappings (nearly all of them) are checked by a scan; large ones get a Set.
      else if (keys) {
        if (keys.has(key)) giveUp();
        keys.add(key);
      } else if (this.isDuplicate(map, key)) giveUp();
      else if (count >= SCAN_KEYS) keys = this.keySet(map, key);
      count++;
      const entry = tape.key(key, k + 1, col + 1);
      const keyCol = ke - lineStart;
      let vcol = keyCol + 1;
      while (lineStart + vcol < end && text.charCodeAt(lineStart + vcol) === SPACE) vcol++;
      const rest = lineStart + vcol;
      if (rest === end || text.charCodeAt(rest) === HASH) {
        this.i++;
        this.skipEmpty();
        const n = this.i;
        // A nested node, or a sequence whose items sit at the key's own indentation.
        const ni = n < this.count ? this.indents[n]! : -1;
        if (ni > indent || (ni === indent && this.isItem(n, indent))) this.block(ni, indent);
        else this.nullAt(k, keyCol + 1);
      } else {
        this.inlineValue(k, vcol, indent);
      }
      tape.close(entry);
    }
    if (map < 0) giveUp();
    tape.close(map);
    return map;
  }

  /** The keys of the mapping at `map` so far, and `key`. */
  private keySet(map: number, key: string): Set<string> {
    const tape = this.tape;
    const keys = new Set<string>([key]);
    for (let j = map + 1; j < tape.size; j = tape.end[j]!) keys.add(tape.value[j] as string);
    return keys;
  }

  /** A value that starts on line `k` at column `col` (0-based); consumes its lines. */
  private inlineValue(k: number, col: number, parentIndent: number): number {
    const text = this.text;
    const p = this.starts[k]! + col;
    const end = this.ends[k]!;
    const c0 = text.charCodeAt(p);
    if (c0 === 0x7c || c0 === 0x3e) return this.blockScalar(k, col, parentIndent); // | >
    if (c0 === 0x5b) return this.flowSeq(k, col); // [
    if (c0 === DQUOTE || c0 === SQUOTE) return this.quotedValue(k, col);
    const c1 = p + 1 < end ? text.charCodeAt(p + 1) : -1;
    if ('{&*!%@`'.includes(text[p]!) || (c0 === 0x3f && (c1 === SPACE || c1 === -1))) giveUp(); // ?
    if (c0 === DASH && (c1 === SPACE || c1 === -1)) giveUp();
    // The value ends at a comment (` #` within the line; the value itself never starts with a space).
    const hash = this.comments.next(p);
    const stop = hash >= 0 && hash + 1 < end ? hash : end;
    let raw = text.slice(p, stop).trimEnd();
    if (raw.includes(': ') || raw.endsWith(':')) giveUp();
    this.i++;
    if (stop === end) raw = this.plainContinuation(raw, parentIndent);
    // A more-indented line left after a plain scalar (after a comment, say): not handled.
    const n = this.i;
    if (n < this.count && this.empties[n] === 0 && this.indents[n]! > parentIndent) giveUp();
    return this.tape.scalar(coreScalar(raw), raw, true, false, k + 1, col + 1, p);
  }

  /**
   * The lines after a plain scalar's first line that are indented more than its parent continue it: YAML
   * folds them into one line (blank lines between them become newlines). Lines that might be read
   * otherwise (an indicator first, `: ` or a comment inside) are left to the full parser.
   */
  private plainContinuation(first: string, parentIndent: number): string {
    const text = this.text;
    let value = first;
    let blanks = 0;
    for (let n = this.i; n < this.count; n++) {
      const start = this.starts[n]! + this.indents[n]!;
      let end = this.ends[n]!;
      if (start === end) {
        blanks++;
        continue;
      }
      if (this.empties[n] === 1 || this.indents[n]! <= parentIndent) break;
      if (CONTINUATION_INDICATORS.includes(text[start]!)) giveUp();
      while (text.charCodeAt(end - 1) === SPACE) end--;
      const line = text.slice(start, end);
      if (line.includes(': ') || line.endsWith(':') || line.includes(' #')) giveUp();
      value += (blanks === 0 ? ' ' : '\n'.repeat(blanks)) + line;
      blanks = 0;
      this.i = n + 1;
    }
    return value;
  }
}
