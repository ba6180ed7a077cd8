/**
 * A minimal WebAssembly assembler: enough of the binary format (https://webassembly.github.io/spec/core/binary/)
 * to write small i32-only functions over one imported memory, with named block and loop labels. The
 * literal scanner (src/engine/scanner.ts) is written with it.
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
};

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
 * further i32 locals. The body leaves the result on the stack.
 */
export function assemble(fn: string, params: number, locals: number, body: readonly Ins[]): Uint8Array {
  const code: number[] = [...vec(locals > 0 ? [[...uleb(locals), I32]] : [])];
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
