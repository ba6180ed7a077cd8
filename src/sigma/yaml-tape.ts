/**
 * A YAML document tree laid out flat: one record per node in typed arrays, in document order, so reading
 * a rule file allocates only its strings (no node, entry, span or list object per YAML node). The Sigma
 * parser reads rules from it and builds spans only for what the AST keeps.
 *
 * Record i is a mapping, a sequence, a scalar or the key of a mapping entry. A mapping's entries follow it
 * as key records, each directly followed by its value's subtree; a sequence's items follow it. `end[i]` is
 * the index after the record's subtree (a key's subtree includes its value), so the children of i are
 * `for (let j = i + 1; j < end[i]; j = end[j])`.
 */
import type { Span } from '../diagnostics/index.js';
import type { YEntry, YNode, YScalarValue } from './yaml-reader.js';

export const MAP = 1;
export const SEQ = 2;
export const SCALAR = 3;
export const KEY = 4;
export type TapeKind = typeof MAP | typeof SEQ | typeof SCALAR | typeof KEY;

/** A document: its root record (-1: empty) and where it starts. */
export interface TapeDoc {
  root: number;
  span: Span;
}

/** Scalar flags. */
const PLAIN = 1;
const QUOTED = 2;

export class YTape {
  kind: Uint8Array;
  /** 1-based line and column of the node (of the key, for key records). */
  line: Int32Array;
  col: Int32Array;
  end: Int32Array;
  /** Scalars: offset in the source of the first content character. */
  offset: Int32Array;
  flags: Uint8Array;
  /** Scalars: the value; keys: the key. */
  value: YScalarValue[] = [];
  /** Scalars: the source text (for numbers: as written). */
  raw: string[] = [];
  size = 0;
  /** The span `span` made last. */
  private lastSpan: Span = { line: 0, column: 0 };

  constructor(capacity = 256) {
    this.kind = new Uint8Array(capacity);
    this.line = new Int32Array(capacity);
    this.col = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.offset = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Start again from an empty tape, keeping the storage. */
  reset(): void {
    this.size = 0;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const g = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, new Uint8Array(n));
    this.line = g(this.line, new Int32Array(n));
    this.col = g(this.col, new Int32Array(n));
    this.end = g(this.end, new Int32Array(n));
    this.offset = g(this.offset, new Int32Array(n));
    this.flags = g(this.flags, new Uint8Array(n));
  }

  private push(
    kind: TapeKind,
    line: number,
    col: number,
    value: YScalarValue,
    raw: string,
    flags: number,
    offset: number,
  ): number {
    const i = this.size++;
    if (i === this.kind.length) this.grow();
    this.kind[i] = kind;
    this.line[i] = line;
    this.col[i] = col;
    this.end[i] = i + 1;
    this.value[i] = value;
    this.raw[i] = raw;
    this.flags[i] = flags;
    this.offset[i] = offset;
    return i;
  }

  /** Opens a mapping or sequence; its children are appended next, then `close` sets its end. */
  open(kind: typeof MAP | typeof SEQ, line: number, col: number): number {
    return this.push(kind, line, col, null, '', 0, 0);
  }

  close(i: number): void {
    this.end[i] = this.size;
  }

  /** A mapping key; its value is appended next, then `close`. */
  key(key: string, line: number, col: number): number {
    return this.push(KEY, line, col, key, '', 0, 0);
  }

  scalar(
    value: YScalarValue,
    raw: string,
    plain: boolean,
    quoted: boolean,
    line: number,
    col: number,
    offset: number,
  ): number {
    return this.push(SCALAR, line, col, value, raw, (plain ? PLAIN : 0) | (quoted ? QUOTED : 0), offset);
  }

  /** Appends a copy of the subtree at i (a node or a key with its value); returns the copy's index. */
  copy(i: number): number {
    const n = this.end[i]! - i;
    const at = this.size;
    for (let k = i; k < i + n; k++) {
      const j = this.push(
        this.kind[k] as TapeKind,
        this.line[k]!,
        this.col[k]!,
        this.value[k]!,
        this.raw[k]!,
        this.flags[k]!,
        this.offset[k]!,
      );
      this.end[j] = this.end[k]! - i + at;
    }
    return at;
  }

  isPlain(i: number): boolean {
    return (this.flags[i]! & PLAIN) !== 0;
  }

  isQuoted(i: number): boolean {
    return (this.flags[i]! & QUOTED) !== 0;
  }

  /** A scalar's value (undefined for anything else). */
  scalarValue(i: number): YScalarValue | undefined {
    return this.kind[i] === SCALAR ? this.value[i] : undefined;
  }

  /** A key record's key. */
  keyOf(i: number): string {
    return this.value[i] as string;
  }

  /**
   * The position of record i. A mapping and its first key are at the same place (and so are a
   * document, its selections and their first items): the last span made is handed out again for the
   * same position, since the AST keeps them all. Spans are never modified.
   */
  span(i: number): Span {
    const line = this.line[i]!;
    const column = this.col[i]!;
    const last = this.lastSpan;
    if (last.line === line && last.column === column) return last;
    return (this.lastSpan = { line, column });
  }

  /** Number of entries or items of a mapping or sequence. */
  count(i: number): number {
    let n = 0;
    for (let j = i + 1; j < this.end[i]!; j = this.end[j]!) n++;
    return n;
  }

  /** The key record of the entry `key` of mapping i, or -1. */
  entry(i: number, key: string): number {
    if (this.kind[i] !== MAP) return -1;
    for (let j = i + 1; j < this.end[i]!; j = this.end[j]!) if (this.value[j] === key) return j;
    return -1;
  }

  /** Plain JS value of the node at i (for custom attributes and raw documents). */
  plain(i: number): unknown {
    const k = this.kind[i];
    if (k === SCALAR) return this.value[i];
    const end = this.end[i]!;
    if (k === SEQ) {
      const out = new Array<unknown>(this.count(i));
      let n = 0;
      for (let j = i + 1; j < end; j = this.end[j]!) out[n++] = this.plain(j);
      return out;
    }
    const o: Record<string, unknown> = {};
    for (let j = i + 1; j < end; j = this.end[j]!) o[this.value[j] as string] = this.plain(j + 1);
    return o;
  }

  /** The node at i as a YNode tree (for readers of the object form). */
  node(i: number): YNode {
    const span = this.span(i);
    const end = this.end[i]!;
    if (this.kind[i] === SCALAR) {
      return {
        kind: 'scalar',
        value: this.value[i]!,
        raw: this.raw[i]!,
        plain: this.isPlain(i),
        quoted: this.isQuoted(i),
        span,
        offset: this.offset[i]!,
      };
    }
    if (this.kind[i] === SEQ) {
      const items: YNode[] = [];
      for (let j = i + 1; j < end; j = this.end[j]!) items.push(this.node(j));
      return { kind: 'seq', items, span };
    }
    const entries: YEntry[] = [];
    for (let j = i + 1; j < end; j = this.end[j]!) {
      entries.push({ key: this.value[j] as string, keySpan: this.span(j), value: this.node(j + 1) });
    }
    return { kind: 'map', entries, span };
  }
}
