/**
 * A minimal WebAssembly assembler: enough of the binary format (https://webassembly.github.io/spec/core/binary/)
 * to write small i32 functions over one imported memory, with named block and loop labels, and the few
 * 128-bit SIMD instructions a byte-class search needs. The literal scanner (src/engine/scanner.ts), the
 * line router (src/engine/raw-line.ts) and the raw reader's string index (src/engine/raw-scan.ts) are
 * written with it.
 */

/** One instruction's bytes, or a structured block holding more. */
export type Ins = number[] | Block;

interface Block {
  kind: 'block' | 'loop' | 'if';
  label: string;
  body: Ins[];
}

type Label = { label: string };
type Jump = { br: string; cond: boolean };

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...Buffer.from(s, 'latin1')].map((b) => [b]));
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

const I32 = 0x7f;
const V128 = 0x7b;

/** i32 instructions (the operand stack as WebAssembly has it). */
export const op = {
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  const: (n: number): number[] => [0x41, ...sleb(n | 0)],
  /** 32-bit load at address + offset (alignment hint 4). */
  load: (offset = 0): number[] => [0x28, 2, ...uleb(offset)],
  /** 32-bit load at address + offset, any alignment (hint 1). */
  loadUnaligned: (offset = 0): number[] => [0x28, 0, ...uleb(offset)],
  store: (offset = 0): number[] => [0x36, 2, ...uleb(offset)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  or: [0x72],
  xor: [0x73],
  shl: [0x74],
  shrU: [0x76],
  eq: [0x46],
  ne: [0x47],
  eqz: [0x45],
  ltS: [0x48],
  gtS: [0x4a],
  gtU: [0x4b],
  ltU: [0x49],
  geU: [0x4f],
  leU: [0x4d],
  /** a b c → c ? a : b */
  select: [0x1b],
  /** Count of trailing zero bits. */
  ctz: [0x68],
  /** Unsigned byte load at address + offset. */
  load8: (offset = 0): number[] => [0x2d, 0, ...uleb(offset)],
};

const SIMD = 0xfd;

/** 128-bit SIMD instructions (the fixed-width SIMD proposal, in V8 since 9.1). */
export const simd = {
  /** 16 bytes at address + offset, any alignment. */
  load: (offset = 0): number[] => [SIMD, 0x00, 0, ...uleb(offset)],
  /** 16 lanes of the byte b. */
  splat8: (b: number): number[] => [SIMD, 0x0c, ...Array.from({ length: 16 }, () => b & 0xff)],
  /** Per byte lane: 0xff when equal, else 0. */
  eq8: [SIMD, 0x23],
  /** Per byte lane, as signed bytes: 0xff when less, else 0. */
  ltS8: [SIMD, 0x25],
  and: [SIMD, 0x4e],
  or: [SIMD, 0x50],
  /** The top bit of each byte lane, as the 16 low bits of an i32. */
  bitmask8: [SIMD, 0x64],
};

/**
 * Of local `mask` (a 16-lane bitmask at position i), keep the bits below the limit `limit` pushes (the
 * bytes left in the line after i) when it is under 16; `tmp` holds the limit.
 */
export function keepBelow(mask: number, limit: Ins[], tmp: number): Ins[] {
  const g = op.get;
  return [
    ...limit,
    op.tee(tmp),
    op.const(16),
    op.ltU,
    when(g(mask), op.const(1), g(tmp), op.shl, op.const(1), op.sub, op.and, op.set(mask)),
  ];
}

/** Pushes the index of local `mask`'s lowest set bit and clears that bit. */
export function popLowest(mask: number): Ins[] {
  const g = op.get;
  return [g(mask), op.ctz, g(mask), g(mask), op.const(1), op.sub, op.and, op.set(mask)];
}

export const block = (label: string, ...body: Ins[]): Block => ({ kind: 'block', label, body });
export const loop = (label: string, ...body: Ins[]): Block => ({ kind: 'loop', label, body });
/** `if` over the i32 on the stack (no else). */
export const when = (...body: Ins[]): Block => ({ kind: 'if', label: '', body });
/** Branch to a label: the end of a block, the start of a loop. */
export const br = (label: string): Ins => jump(label, false);
export const brIf = (label: string): Ins => jump(label, true);

const JUMPS = new WeakMap<number[], Jump>();
function jump(label: string, cond: boolean): number[] {
  const marker: number[] = [];
  JUMPS.set(marker, { br: label, cond });
  return marker;
}

function emit(ins: readonly Ins[], labels: Label[], out: number[]): void {
  for (const i of ins) {
    if (Array.isArray(i)) {
      const j = JUMPS.get(i);
      if (!j) {
        out.push(...i);
        continue;
      }
      const depth = labels.length - 1 - labels.map((l) => l.label).lastIndexOf(j.br);
      if (depth >= labels.length) throw new Error(`wasm: no label ${j.br}`);
      out.push(j.cond ? 0x0d : 0x0c, ...uleb(depth));
      continue;
    }
    out.push(i.kind === 'block' ? 0x02 : i.kind === 'loop' ? 0x03 : 0x04, 0x40);
    labels.push({ label: i.label });
    emit(i.body, labels, out);
    labels.pop();
    out.push(0x0b);
  }
}

/**
 * A module importing memory `m.mem` and exporting one function `name`(params × i32) → i32 with `locals`
 * further i32 locals, then `vectors` v128 locals. The body leaves the result on the stack.
 */
export function assemble(
  fn: string,
  params: number,
  locals: number,
  body: readonly Ins[],
  vectors = 0,
): Uint8Array {
  const decls: number[][] = [];
  if (locals > 0) decls.push([...uleb(locals), I32]);
  if (vectors > 0) decls.push([...uleb(vectors), V128]);
  const code: number[] = [...vec(decls)];
  emit(body, [], code);
  code.push(0x0b);
  const type = [0x60, ...vec(Array.from({ length: params }, () => [I32])), ...vec([[I32]])];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, vec([type])),
    ...section(2, vec([[...name('m'), ...name('mem'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name(fn), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** What this engine uses of the WebAssembly API (the DOM typings that declare it are not loaded). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (desc: { initial: number }) => { buffer: ArrayBuffer };
}
const WASM = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
const PAGE = 1 << 16;

/**
 * A module assembled and compiled on first use, then kept; null where WebAssembly is unavailable
 * (`node --jitless`), the module is refused (an engine without SIMD), or TRIPLINE_NO_WASM is set.
 */
export function compiledModule(build: () => Uint8Array): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = WASM && !process.env['TRIPLINE_NO_WASM'] ? new WASM.Module(build()) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * An instance of `module` over a fresh memory of at least `bytes`; undefined without a module or when the
 * memory cannot be had (each memory reserves gigabytes of address space, which `ulimit -v` can forbid).
 */
export function instantiate(
  module: object | null,
  bytes: number,
): { exports: Record<string, unknown>; buffer: ArrayBuffer } | undefined {
  if (!module || !WASM) return undefined;
  try {
    const memory = new WASM.Memory({ initial: Math.ceil(bytes / PAGE) });
    const instance = new WASM.Instance(module, { m: { mem: memory } });
    return { exports: instance.exports, buffer: memory.buffer };
  } catch {
    return undefined;
  }
}
