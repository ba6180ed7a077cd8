/**
 * Python's `json.dumps(obj, indent=4)` (ensure_ascii on), which the reference uses for its rule
 * JSON, written directly instead of through JSON.stringify and text fix-ups:
 *
 * - layout: JSON.stringify's with four spaces (`": "` after keys, `,` at line ends, `[]` and `{}`
 *   when empty); strings escaped as JSON.stringify does, then every character from U+007F up as
 *   `\uXXXX` (lower-case hex, UTF-16 code units), as Python does;
 * - numbers under the keys named in `floatKeys` are Python floats (`1.0`, `0.0`), all others ints;
 * - a frozen object or array is serialized once per depth and its text reused: freeze only what
 *   never changes, deeply (`deepFreeze`). The mapping-confidence scores, shared by many rules,
 *   are such objects.
 *
 * Texts are ASCII only, which `indentedItems` relies on.
 */
import { ensureAscii } from '../../util/ascii-json.js';
import { Pieces } from './pieces.js';

const NON_ASCII = /[\u007f-\uffff]/;

/** Characters JSON or Python's ensure_ascii escape. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

/**
 * A string as json.dumps writes it (ASCII only). Quoted by concatenation when nothing needs
 * escaping, never by pushing the string itself between quote pieces: Array.prototype.join makes a
 * two-byte string (twice the memory) of pieces any of which is a thin string (a string once used
 * as a property key), which strings from a parsed rule often are; `+` and JSON.stringify do not.
 */
export function pyJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  const t = JSON.stringify(s);
  // JSON.stringify leaves every character from U+007F up as it is (lone surrogates are escaped).
  if (!NON_ASCII.test(s)) return t;
  return ensureAscii(t);
}

/** A Python float as json.dumps writes it: whole values keep a `.0` (but not `1e+21`). */
export function pyJsonFloat(x: number): string {
  const t = JSON.stringify(x);
  return /^-?\d+$/.test(t) ? `${t}.0` : t;
}

/** Freeze a JSON value and everything in it, so that the serializer may cache its text. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** What opens a container at some depth and separates its items, with the items' indentation. */
interface Separators {
  /** `[` or `,`, a newline and the indentation of the items. */
  readonly firstItem: string;
  readonly nextItem: string;
  /** A newline, the container's indentation and `]` or `}`. */
  readonly closeList: string;
  readonly closeMap: string;
  /** Per key: `{` or `,`, a newline, the indentation, the key and `: `. */
  readonly keys: Map<string, readonly [first: string, next: string]>;
}

/** Keys per depth kept at most (a long-lived process may see arbitrary maps). */
const MAX_KEYS = 1024;

export class PyJsonWriter {
  /** Texts of frozen values, per depth. */
  private readonly cache = new WeakMap<object, string[]>();
  private readonly separators: Separators[] = [];
  /** The pieces of the text being written. */
  private out = new Pieces();

  constructor(private readonly floatKeys: ReadonlySet<string> = new Set()) {}

  /** json.dumps(value, indent=4). */
  dumps(value: unknown): string {
    try {
      return this.value(value, 0, undefined) ? this.out.take() : 'null';
    } finally {
      this.out.reset();
    }
  }

  private push(text: string): void {
    this.out.push(text);
  }

  /** Write the text of a value at `depth`; false for what JSON leaves out (undefined, functions). */
  private value(v: unknown, depth: number, key: string | undefined): boolean {
    switch (typeof v) {
      case 'string':
        this.push(pyJsonString(v));
        return true;
      case 'number':
        this.push(key !== undefined && this.floatKeys.has(key) ? pyJsonFloat(v) : JSON.stringify(v));
        return true;
      case 'boolean':
        this.push(v ? 'true' : 'false');
        return true;
      case 'object':
        if (v === null) this.push('null');
        else this.object(v, depth);
        return true;
      case 'bigint':
        // As JSON.stringify does (json.dumps would write the number).
        throw new TypeError('Do not know how to serialize a BigInt');
      default:
        return false;
    }
  }

  private object(v: object, depth: number): void {
    if (!Object.isFrozen(v)) {
      this.compose(v, depth);
      return;
    }
    let texts = this.cache.get(v);
    let text = texts?.[depth];
    if (text === undefined) {
      text = this.dumpsAt(v, depth);
      if (texts === undefined) this.cache.set(v, (texts = []));
      texts[depth] = text;
    }
    this.push(text);
  }

  /** The text of a value at `depth`, written apart from the text in progress. */
  private dumpsAt(v: object, depth: number): string {
    const outer = this.out;
    this.out = new Pieces();
    try {
      this.compose(v, depth);
      return this.out.take();
    } finally {
      this.out = outer;
    }
  }

  private compose(v: object, depth: number): void {
    if ('toJSON' in v && typeof v.toJSON === 'function') {
      if (!this.value((v.toJSON as () => unknown)(), depth, undefined)) this.push('null');
      return;
    }
    const sep = this.separatorsAt(depth);
    if (Array.isArray(v)) {
      const a = v as unknown[];
      if (a.length === 0) {
        this.push('[]');
        return;
      }
      for (let i = 0; i < a.length; i++) {
        this.push(i === 0 ? sep.firstItem : sep.nextItem);
        if (!this.value(a[i], depth + 1, undefined)) this.push('null');
      }
      this.push(sep.closeList);
      return;
    }
    const o = v as Record<string, unknown>;
    let first = true;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const x = o[k];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      let prefixes = sep.keys.get(k);
      if (prefixes === undefined) {
        const text = newline(depth + 1) + pyJsonString(k) + ': ';
        prefixes = ['{' + text, ',' + text];
        if (sep.keys.size < MAX_KEYS) sep.keys.set(k, prefixes);
      }
      this.push(first ? prefixes[0] : prefixes[1]);
      first = false;
      this.value(x, depth + 1, k);
    }
    this.push(first ? '{}' : sep.closeMap);
  }

  private separatorsAt(depth: number): Separators {
    let sep = this.separators[depth];
    if (sep === undefined) {
      const inner = newline(depth + 1);
      sep = {
        firstItem: '[' + inner,
        nextItem: ',' + inner,
        closeList: newline(depth) + ']',
        closeMap: newline(depth) + '}',
        keys: new Map(),
      };
      this.separators[depth] = sep;
    }
    return sep;
  }
}

const newline = (depth: number): string => '\n' + ' '.repeat(4 * depth);

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Node's Buffer where there is one: its latin1 decoding is much faster than TextDecoder's. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * The items of a list at `depth` from their own texts (json.dumps of each, at depth 0): every line
 * indented by 4 × (depth + 1) spaces, the items separated by `,` and a newline, the whole framed by
 * `before` and `after`. Re-indenting tens of megabytes by string replacement costs several times
 * more than this: ASCII texts (what PyJsonWriter writes) are encoded into one byte buffer and their
 * lines moved forward into place, the indentation written between them.
 */
export function indentedItems(texts: readonly string[], depth: number, before = '', after = ''): string {
  const indent = 4 * (depth + 1);
  if (!isAscii(before) || !isAscii(after)) return before + indentedItemsText(texts, indent) + after;
  let size = before.length + after.length;
  for (const t of texts) size += t.length + 2;
  let out = workspace(size + (size >> 2));
  let pos = encoder.encodeInto(before, out).written;
  for (let k = 0; k < texts.length; k++) {
    const text = texts[k]!;
    // The text goes where its lines can move forward without overtaking the unread ones even if
    // every character were a newline; a newline after it stops the searches.
    const at = pos + 2 + indent + text.length * indent;
    const need = at + text.length + 1 + after.length;
    if (need > out.length) {
      const grown = workspace(Math.max(need, out.length * 2));
      grown.set(out.subarray(0, pos));
      out = grown;
    }
    const n = writeAscii(text, out, at);
    if (n < 0) return before + indentedItemsText(texts, indent) + after;
    const end = at + n;
    out[end] = NEWLINE;
    if (k > 0) {
      out[pos++] = COMMA;
      out[pos++] = NEWLINE;
    }
    for (let j = 0; j < indent; j++) out[pos++] = SPACE;
    for (let from = at; ;) {
      const nl = out.indexOf(NEWLINE, from);
      const stop = nl === end ? end : nl + 1;
      out.copyWithin(pos, from, stop);
      pos += stop - from;
      if (nl === end) break;
      for (let j = 0; j < indent; j++) out[pos++] = SPACE;
      from = nl + 1;
    }
  }
  pos += encoder.encodeInto(after, out.subarray(pos)).written;
  return NodeBuffer
    ? NodeBuffer.from(out.buffer, out.byteOffset, pos).toString('latin1')
    : decoder.decode(out.subarray(0, pos));
}

/** Write an ASCII text into `out` at `at`: its length, or -1 (nothing written) if it is not ASCII. */
function writeAscii(text: string, out: Uint8Array, at: number): number {
  if (NodeBuffer) {
    // Both run on the string's bytes (a UTF-8 length is the length only for ASCII).
    if (NodeBuffer.byteLength(text, 'utf8') !== text.length) return -1;
    return (out as Buffer).write(text, at, 'latin1');
  }
  const { read, written } = encoder.encodeInto(text, out.subarray(at, at + text.length));
  // Not ASCII: some character took more than one byte.
  return read === text.length && written === text.length ? written : -1;
}

function isAscii(s: string): boolean {
  return !/[^\0-\x7f]/.test(s);
}

/**
 * The byte buffer is kept from run to run (up to MAX_KEPT bytes): fresh memory costs a page fault
 * per 4 KB on first touch, which for tens of megabytes is much of the work.
 */
const MAX_KEPT = 64 << 20;
let kept: Uint8Array | undefined;

function workspace(size: number): Uint8Array {
  if (kept !== undefined && kept.length >= size) return kept;
  const buffer = NodeBuffer ? NodeBuffer.allocUnsafe(size) : new Uint8Array(size);
  if (size <= MAX_KEPT) kept = buffer;
  return buffer;
}

/** indentedItems for texts that are not all ASCII. */
function indentedItemsText(texts: readonly string[], indent: number): string {
  const pad = ' '.repeat(indent);
  return texts.map((t) => pad + t.replaceAll('\n', '\n' + pad)).join(',\n');
}
