/**
 * YAML text → a small positioned tree (YNode). Every guard against hostile input lives here: binary and
 * invalid UTF-8, size, nesting depth, alias bombs. Nothing in this file throws on user input.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import type { Node as YamlNode, Document } from 'yaml';
import type { Diagnostic, Span } from '../diagnostics/index.js';
import { readYamlFastTape } from './yaml-fast.js';
import { MAP, SEQ, YTape } from './yaml-tape.js';
import type { TapeDoc } from './yaml-tape.js';

export type YScalarValue = string | number | boolean | null;

export type YNode =
  | { kind: 'map'; entries: YEntry[]; span: Span }
  | { kind: 'seq'; items: YNode[]; span: Span }
  | {
      kind: 'scalar';
      value: YScalarValue;
      /** Source text of the scalar (for numbers: as written). */
      raw: string;
      /** Plain (unquoted, single-line) scalars map columns 1:1 to characters. */
      plain: boolean;
      quoted: boolean;
      span: Span;
      /** Offset of the first content character in the source. */
      offset: number;
    };

export interface YEntry {
  key: string;
  keySpan: Span;
  value: YNode;
}

export interface YamlDoc {
  root: YNode | undefined;
  span: Span;
}

/** YAML 1.1 booleans that YAML 1.2 reads as strings; Sigma tools read rules with PyYAML (YAML 1.1). */
const YAML11_BOOL = new Map<string, boolean>(
  ['yes', 'Yes', 'YES', 'on', 'On', 'ON']
    .map((k) => [k, true] as [string, boolean])
    .concat(['no', 'No', 'NO', 'off', 'Off', 'OFF'].map((k) => [k, false] as [string, boolean])),
);

/** Some character that String.prototype.trim would keep. */
const NOT_BLANK = /\S/;

export const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_NODES = 200_000;

class Budget {
  nodes = 0;
  exceeded: 'depth' | 'nodes' | undefined;
}

/** One decoder for every file: with `fatal` and no streaming, a decode keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array, file: string): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      diagnostics: [
        {
          code: 'TL1005',
          severity: 'error',
          message: `file is ${bytes.length} bytes; Sigma files larger than ${MAX_FILE_BYTES} bytes are not read`,
          file,
        },
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      diagnostics: [
        {
          code: 'TL1003',
          severity: 'error',
          message: `binary file (NUL byte at offset ${nul})`,
          file,
          offset: nul,
        },
      ],
    };
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { diagnostics: [{ code: 'TL1003', severity: 'error', message: 'file is not valid UTF-8', file }] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, diagnostics: [] };
}

/** Fast path for the YAML rules are usually written in; the full parser for everything else. */
export function readYaml(text: string, file: string): { docs: YamlDoc[]; diagnostics: Diagnostic[] } {
  const tape = new YTape();
  return nodes(tape, readYamlTape(text, file, tape));
}

/** readYaml into a tape: the documents' records are appended to `tape`. */
export function readYamlTape(
  text: string,
  file: string,
  tape: YTape,
): { docs: TapeDoc[]; diagnostics: Diagnostic[] } {
  // (Not `text.trim() === ''`: that copies every file, which ends with a newline.)
  const fast = NOT_BLANK.test(text) ? readYamlFastTape(text, tape) : undefined;
  if (fast) return { docs: fast, diagnostics: [] };
  return readYamlFullTape(text, file, tape);
}

/** The `yaml` package's reading, with its diagnostics. */
export function readYamlFull(text: string, file: string): { docs: YamlDoc[]; diagnostics: Diagnostic[] } {
  const tape = new YTape();
  return nodes(tape, readYamlFullTape(text, file, tape));
}

function nodes(
  tape: YTape,
  r: { docs: TapeDoc[]; diagnostics: Diagnostic[] },
): { docs: YamlDoc[]; diagnostics: Diagnostic[] } {
  return {
    docs: r.docs.map((d) => ({ root: d.root < 0 ? undefined : tape.node(d.root), span: d.span })),
    diagnostics: r.diagnostics,
  };
}

function readYamlFullTape(
  text: string,
  file: string,
  tape: YTape,
): { docs: TapeDoc[]; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const pos = (offset: number): Span => {
    const p = lines.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line, column: p.col };
  };
  if (text.trim() === '') {
    diagnostics.push({
      code: 'TL1004',
      severity: 'warning',
      message: 'file is empty',
      file,
      span: { line: 1, column: 1 },
    });
    return { docs: [], diagnostics };
  }
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, {
      lineCounter: lines,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
    }) as Document.Parsed[];
  } catch (e) {
    diagnostics.push({
      code: e instanceof RangeError ? 'TL1006' : 'TL1001',
      severity: 'error',
      message:
        e instanceof RangeError
          ? 'YAML nested too deeply'
          : `YAML could not be parsed: ${(e as Error).message}`,
      file,
      span: { line: 1, column: 1 },
    });
    return { docs: [], diagnostics };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  const docs: TapeDoc[] = [];
  for (const doc of parsed) {
    let broken = false;
    for (const err of doc.errors) {
      broken = true;
      const dup = err.code === 'DUPLICATE_KEY';
      diagnostics.push({
        code: dup ? 'TL1002' : 'TL1001',
        severity: 'error',
        message: dup ? 'duplicate key in mapping' : firstLine(err.message),
        file,
        span: pos(err.pos[0]),
      });
    }
    for (const w of doc.warnings) {
      diagnostics.push({
        code: 'TL1001',
        severity: 'warning',
        message: firstLine(w.message),
        file,
        span: pos(w.pos[0]),
      });
    }
    if (broken) continue;
    const budget = new Budget();
    const mark = tape.size;
    const c = new Converter(doc, budget, pos, text, tape);
    const root = doc.contents ? c.convert(doc.contents, 0) : -1;
    if (budget.exceeded) {
      tape.size = mark;
      diagnostics.push({
        code: 'TL1006',
        severity: 'error',
        message:
          budget.exceeded === 'depth'
            ? `YAML nested deeper than ${MAX_DEPTH} levels`
            : `YAML expands to more than ${MAX_NODES} nodes (alias bomb?)`,
        file,
        span: pos(doc.range[0]),
      });
      continue;
    }
    docs.push({ root, span: pos(doc.contents?.range?.[0] ?? doc.range[0]) });
  }
  return { docs, diagnostics };
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** A document of the `yaml` package → tape records (aliases expanded, within the budget). */
class Converter {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly budget: Budget,
    private readonly pos: (o: number) => Span,
    private readonly text: string,
    private readonly tape: YTape,
  ) {}

  private scalarAt(
    value: YScalarValue,
    raw: string,
    plain: boolean,
    quoted: boolean,
    offset: number,
  ): number {
    const s = this.pos(offset);
    return this.tape.scalar(value, raw, plain, quoted, s.line, s.column, offset);
  }

  /** The index of the node's record, or -1 when the budget ran out. */
  convert(node: YamlNode, depth: number): number {
    const { budget, tape } = this;
    if (budget.exceeded) return -1;
    if (depth > MAX_DEPTH) {
      budget.exceeded = 'depth';
      return -1;
    }
    if (++budget.nodes > MAX_NODES) {
      budget.exceeded = 'nodes';
      return -1;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) return this.scalarAt(null, '', false, false, node.range?.[0] ?? 0);
      return this.convert(target, depth + 1);
    }
    const start = node.range?.[0] ?? 0;
    const span = this.pos(start);
    if (isMap(node)) {
      const map = tape.open(MAP, span.line, span.column);
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        let key: string;
        if (k && isScalar(k)) key = k.value === null ? '' : scalarKey(k.value);
        else key = k ? String(k) : '';
        const keyStart = k?.range?.[0] ?? start;
        const ks = this.pos(keyStart);
        const entry = tape.key(key, ks.line, ks.column);
        const v = pair.value as YamlNode | null;
        if (v) {
          if (this.convert(v, depth + 1) < 0) return -1;
        } else this.scalarAt(null, '', true, false, k?.range?.[1] ?? keyStart);
        tape.close(entry);
      }
      tape.close(map);
      return map;
    }
    if (isSeq(node)) {
      const seq = tape.open(SEQ, span.line, span.column);
      for (const it of node.items) {
        if (!it) tape.scalar(null, '', true, false, span.line, span.column, start);
        else if (this.convert(it as YamlNode, depth + 1) < 0) return -1;
      }
      tape.close(seq);
      return seq;
    }
    if (isScalar(node)) {
      const s = node;
      const v = s.value;
      const raw = s.source ?? (node.range ? this.text.slice(node.range[0], node.range[1]) : String(v));
      const quoted = s.type === Scalar.QUOTE_DOUBLE || s.type === Scalar.QUOTE_SINGLE;
      const plain = s.type === Scalar.PLAIN;
      let value: YScalarValue;
      if (v === null || v === undefined) value = null;
      else if (typeof v === 'string' && plain && YAML11_BOOL.has(v)) value = YAML11_BOOL.get(v)!;
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') value = v;
      else if (typeof v === 'bigint') value = Number(v);
      else value = v instanceof Date ? v.toISOString() : JSON.stringify(v);
      return tape.scalar(value, raw, plain, quoted, span.line, span.column, start + (quoted ? 1 : 0));
    }
    return tape.scalar(null, '', false, false, span.line, span.column, start);
  }
}

/** Plain JS value of a node (for custom attributes and raw documents). */
export function toPlain(n: YNode): unknown {
  switch (n.kind) {
    case 'scalar':
      return n.value;
    case 'seq':
      return n.items.map(toPlain);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of n.entries) o[e.key] = toPlain(e.value);
      return o;
    }
  }
}

function scalarKey(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : JSON.stringify(v);
}
