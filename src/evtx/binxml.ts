/**
 * Binary XML decoding: token stream → XNode tree, template definitions cached per chunk,
 * template instances resolved with their substitution values (nested BinXML included).
 *
 * Every read is bounds-checked against the data it belongs to; malformed input raises
 * EvtxFormatError, which the chunk reader turns into a diagnostic for that record only.
 * Recursion depth and the number of nodes built per record are capped so that a hostile file
 * (self-referencing templates, deeply nested BinXML) cannot exhaust the stack or memory.
 */
import type { XAttr, XElement, XNode } from './tree.js';
import {
  EvtxFormatError,
  VT,
  decodeValue,
  isEmptyValue,
  readUtf16,
  readUtf16Text,
  valueTokenSize,
} from './values.js';

const TOKEN = {
  EndOfStream: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CData: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;

/** Nesting of template instances / BinXML values, and of elements. */
const MAX_DEPTH = 16;
const MAX_ELEMENT_DEPTH = 256;
/** Nodes one record may build; real records have a few hundred. */
export const NODE_BUDGET = 200_000;

/** Marks a template being parsed, so a template that instantiates itself is caught. */
const IN_PROGRESS = Symbol('in progress');

interface Template {
  nodes: XNode[];
  /** Nodes built while parsing the definition: charged again on every use. */
  cost: number;
}

/** A BinXML substitution value, parsed on first use and then shared by every reference. */
interface LazyBinXml {
  k: 'Lazy';
  pos: number;
  size: number;
  nodes: XNode[] | undefined;
  /** Nodes its parse built; reuses are charged too, so shared subtrees cannot blow up output. */
  cost: number;
}

/**
 * A substitution value as it will be inserted: the node is built once per template instance
 * and shared by every placeholder that uses it (nodes are never mutated). `empty` says whether
 * an optional substitution leaves it out.
 */
interface SubValue {
  node: XNode | LazyBinXml;
  empty: boolean;
}

/** Per-chunk decoding state: the chunk bytes plus name and template caches. */
export class ChunkDecoder {
  readonly dv: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template | EvtxFormatError | typeof IN_PROGRESS>();
  /** Remaining node budget of the record being decoded. */
  private budget = NODE_BUDGET;

  constructor(readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Decode one record's BinXML (`start`..`end` within the chunk) into its root element. */
  decodeRecord(start: number, end: number): XElement {
    this.budget = NODE_BUDGET;
    const nodes = this.parse(start, end, false, 0).nodes;
    for (const n of nodes) if (n.k === 'Element') return n;
    throw new EvtxFormatError('record holds no XML element', start);
  }

  private spend(n: number, pos: number): void {
    this.budget -= n;
    if (this.budget < 0) throw new EvtxFormatError('record expands to too many XML nodes', pos);
  }

  private u8(pos: number, end: number): number {
    if (pos + 1 > end) throw new EvtxFormatError('unexpected end of BinXML', pos);
    return this.dv.getUint8(pos);
  }

  private u16(pos: number, end: number): number {
    if (pos + 2 > end) throw new EvtxFormatError('unexpected end of BinXML', pos);
    return this.dv.getUint16(pos, true);
  }

  private u32(pos: number, end: number): number {
    if (pos + 4 > end) throw new EvtxFormatError('unexpected end of BinXML', pos);
    return this.dv.getUint32(pos, true);
  }

  /** Name string at a chunk offset: u32 next, u16 hash, u16 length, UTF-16 text, NUL. */
  private nameAt(off: number): string {
    const cached = this.names.get(off);
    if (cached !== undefined) return cached;
    const len = this.u16(off + 6, this.buf.length);
    if (off + 8 + len * 2 > this.buf.length)
      throw new EvtxFormatError('name runs past the end of the chunk', off);
    const s = readUtf16(this.buf, off + 8, len);
    this.names.set(off, s);
    return s;
  }

  /** Reads a name reference at `pos`; returns the name and the position after it. */
  private readName(pos: number, end: number): [string, number] {
    const off = this.u32(pos, end);
    pos += 4;
    const name = this.nameAt(off);
    // The name is stored inline when its offset points right here; skip over it.
    if (off === pos) pos += 10 + this.u16(pos + 6, end) * 2;
    if (pos > end) throw new EvtxFormatError('inline name runs past the end of its data', off);
    return [name, pos];
  }

  private template(defOff: number, depth: number): Template {
    const hit = this.templates.get(defOff);
    if (hit === IN_PROGRESS) throw new EvtxFormatError('template refers to itself', defOff);
    if (hit instanceof EvtxFormatError) throw hit;
    if (hit) return hit;
    let result: Template | EvtxFormatError;
    try {
      const size = this.u32(defOff + 20, this.buf.length);
      const start = defOff + 24;
      if (start + size > this.buf.length)
        throw new EvtxFormatError('template definition runs past the end of the chunk', defOff);
      // Guards against a template that (directly or not) instantiates itself.
      this.templates.set(defOff, IN_PROGRESS);
      const before = this.budget;
      const nodes = this.parse(start, start + size, true, depth + 1).nodes;
      result = { nodes, cost: Math.max(1, before - this.budget) };
    } catch (e) {
      if (!(e instanceof EvtxFormatError)) throw e;
      result = new EvtxFormatError(
        `template at chunk offset 0x${defOff.toString(16)} is unreadable: ${e.message}`,
        e.offset,
      );
    }
    this.templates.set(defOff, result);
    if (result instanceof EvtxFormatError) throw result;
    return result;
  }

  /**
   * Parse tokens from `pos` until end-of-stream or `end`. In a template definition, element
   * headers carry a 2-byte dependency id and substitutions become placeholders.
   */
  private parse(
    pos: number,
    end: number,
    inTemplate: boolean,
    depth: number,
  ): { nodes: XNode[]; pos: number } {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('BinXML nested too deeply', pos);
    const roots: XNode[] = [];
    const stack: XElement[] = [];
    let attr: XAttr | undefined;
    let piTarget: string | undefined;
    const push = (n: XNode): void => {
      if (attr) attr.value.push(n);
      else {
        const top = stack[stack.length - 1];
        if (top) {
          top.children.push(n);
          if (n.k === 'Element') top.hasElem = true;
        } else roots.push(n);
      }
    };
    const markDyn = (): void => {
      for (const el of stack) el.dyn = true;
    };
    while (pos < end) {
      const tok = this.buf[pos] ?? 0;
      const base = tok & 0xbf;
      const at = pos;
      pos++;
      switch (base) {
        case TOKEN.EndOfStream:
          return { nodes: roots, pos };
        case TOKEN.OpenStartElement: {
          if (inTemplate) pos += 2;
          pos += 4; // data size
          let name: string;
          [name, pos] = this.readName(pos, end);
          if (tok & 0x40) pos += 4; // attribute list size
          if (stack.length >= MAX_ELEMENT_DEPTH) throw new EvtxFormatError('elements nested too deeply', at);
          this.spend(1, at);
          attr = undefined;
          const el: XElement = { k: 'Element', name, attrs: [], children: [], hasElem: false, dyn: false };
          push(el);
          stack.push(el);
          break;
        }
        case TOKEN.CloseStartElement:
          attr = undefined;
          break;
        case TOKEN.CloseEmptyElement:
        case TOKEN.EndElement:
          attr = undefined;
          if (!stack.pop()) throw new EvtxFormatError('end of element without a start', at);
          break;
        case TOKEN.Value: {
          const type = this.u8(pos, end);
          pos++;
          this.spend(1, at);
          if (type === VT.String) {
            const n = this.u16(pos, end);
            if (pos + 2 + n * 2 > end) throw new EvtxFormatError('text runs past the end of its data', at);
            push({ k: 'Text', s: readUtf16Text(this.buf, pos + 2, n) });
            pos += 2 + n * 2;
          } else if (type === VT.AnsiString) {
            const n = this.u16(pos, end);
            const v = decodeValue(this.buf, this.dv, type, pos + 2, n, end);
            push(typeof v === 'string' ? { k: 'Text', s: v } : { k: 'Value', v });
            pos += 2 + n;
          } else {
            const size = valueTokenSize(type);
            if (size === 0)
              throw new EvtxFormatError(`unsupported value token type 0x${type.toString(16)}`, at);
            const v = decodeValue(this.buf, this.dv, type, pos, size, end);
            push(typeof v === 'string' ? { k: 'Text', s: v } : { k: 'Value', v });
            pos += size;
          }
          break;
        }
        case TOKEN.Attribute: {
          let name: string;
          [name, pos] = this.readName(pos, end);
          const top = stack[stack.length - 1];
          if (!top) throw new EvtxFormatError('attribute outside an element', at);
          this.spend(1, at);
          attr = { name, value: [] };
          top.attrs.push(attr);
          break;
        }
        case TOKEN.CData: {
          const n = this.u16(pos, end);
          if (pos + 2 + n * 2 > end) throw new EvtxFormatError('CDATA runs past the end of its data', at);
          push({ k: 'CData', s: readUtf16(this.buf, pos + 2, n) });
          pos += 2 + n * 2;
          break;
        }
        case TOKEN.CharRef:
          push({ k: 'CharRef', c: this.u16(pos, end) });
          pos += 2;
          break;
        case TOKEN.EntityRef: {
          let name: string;
          [name, pos] = this.readName(pos, end);
          push({ k: 'EntityRef', name });
          break;
        }
        case TOKEN.PITarget:
          [piTarget, pos] = this.readName(pos, end);
          break;
        case TOKEN.PIData: {
          const n = this.u16(pos, end);
          if (pos + 2 + n * 2 > end) throw new EvtxFormatError('PI data runs past the end of its data', at);
          push({ k: 'Pi', target: piTarget ?? '', data: readUtf16(this.buf, pos + 2, n) });
          piTarget = undefined;
          pos += 2 + n * 2;
          break;
        }
        case TOKEN.TemplateInstance: {
          let nodes: XNode[];
          [nodes, pos] = this.templateInstance(pos, end, depth);
          for (const n of nodes) push(n);
          if (inTemplate) markDyn();
          break;
        }
        case TOKEN.NormalSubstitution:
        case TOKEN.OptionalSubstitution: {
          const index = this.u16(pos, end);
          this.u8(pos + 2, end);
          pos += 3;
          if (!inTemplate) throw new EvtxFormatError('substitution outside a template definition', at);
          push({ k: 'Placeholder', index, optional: base === TOKEN.OptionalSubstitution });
          markDyn();
          break;
        }
        case TOKEN.FragmentHeader:
          pos += 3;
          break;
        default:
          throw new EvtxFormatError(`unknown BinXML token 0x${tok.toString(16)}`, at);
      }
    }
    if (pos > end) throw new EvtxFormatError('BinXML token runs past the end of its data', end);
    return { nodes: roots, pos };
  }

  /** Template instance at `pos` (token byte consumed): definition, substitution values, result. */
  private templateInstance(pos: number, end: number, depth: number): [XNode[], number] {
    const at = pos - 1;
    this.u8(pos, end);
    const defOff = this.u32(pos + 5, end);
    pos += 9;
    if (defOff === pos) {
      // Definition stored inline, the first time this template is used in the chunk.
      const size = this.u32(pos + 20, end);
      pos += 24 + size;
      if (pos > end)
        throw new EvtxFormatError('inline template definition runs past the end of its record', at);
    }
    let tpl: Template;
    try {
      tpl = this.template(defOff, depth);
    } catch (e) {
      if (e instanceof EvtxFormatError)
        throw new EvtxFormatError(`missing or unreadable template: ${e.message}`, at);
      throw e;
    }
    this.spend(tpl.cost, at);
    const count = this.u32(pos, end);
    pos += 4;
    if (pos + count * 4 > end)
      throw new EvtxFormatError(`${count} substitution descriptors do not fit in the record`, at);
    const values: SubValue[] = new Array<SubValue>(count);
    let vpos = pos + count * 4;
    for (let i = 0; i < count; i++) {
      const size = this.dv.getUint16(pos + i * 4, true);
      const type = this.dv.getUint8(pos + i * 4 + 2);
      if (vpos + size > end)
        throw new EvtxFormatError(`substitution ${i} runs past the end of the record`, vpos);
      if (type === VT.BinXml) {
        values[i] = { node: { k: 'Lazy', pos: vpos, size, nodes: undefined, cost: 0 }, empty: size === 0 };
      } else if (type === VT.EvtXml || type === VT.EvtHandle) {
        values[i] = { node: { k: 'Value', v: { t: type, v: null } }, empty: true };
      } else {
        const v = decodeValue(this.buf, this.dv, type, vpos, size, end);
        values[i] =
          typeof v === 'string'
            ? { node: { k: 'Text', s: v }, empty: v === '' }
            : { node: { k: 'Value', v }, empty: isEmptyValue(v) };
      }
      // Always advance by the declared size: values may be padded, and NULL slots keep their bytes.
      vpos += size;
    }
    const out: XNode[] = [];
    this.resolve(tpl.nodes, values, out, depth);
    return [out, vpos];
  }

  private resolve(nodes: readonly XNode[], values: SubValue[], out: XNode[], depth: number): void {
    for (const n of nodes) {
      if (n.k === 'Element') out.push(n.dyn ? this.clone(n, values, depth) : n);
      else if (n.k === 'Placeholder') this.substitute(n.index, n.optional, values, out, depth);
      else out.push(n);
    }
  }

  private clone(el: XElement, values: SubValue[], depth: number): XElement {
    this.spend(1, 0);
    const attrs: XAttr[] = [];
    for (const a of el.attrs) {
      const value: XNode[] = [];
      this.resolve(a.value, values, value, depth);
      attrs.push({ name: a.name, value });
    }
    const children: XNode[] = [];
    this.resolve(el.children, values, children, depth);
    let hasElem = false;
    for (const c of children) {
      if (c.k === 'Element') {
        hasElem = true;
        break;
      }
    }
    return { k: 'Element', name: el.name, attrs, children, hasElem, dyn: false };
  }

  private substitute(
    index: number,
    optional: boolean,
    values: SubValue[],
    out: XNode[],
    depth: number,
  ): void {
    const sub = values[index];
    if (sub === undefined || (optional && sub.empty)) return;
    this.spend(1, 0);
    const v = sub.node;
    if (v.k !== 'Lazy') out.push(v);
    else {
      if (v.size === 0) return;
      if (v.nodes) this.spend(v.cost, v.pos);
      else {
        const before = this.budget;
        v.nodes = this.parse(v.pos, v.pos + v.size, false, depth + 1).nodes;
        v.cost = Math.max(1, before - this.budget);
      }
      for (const n of v.nodes) out.push(n);
    }
  }
}
