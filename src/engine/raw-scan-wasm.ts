/**
 * The raw reader's string index as WebAssembly with 128-bit SIMD (src/engine/raw-scan.ts JsonScanner uses
 * it): one pass over a JSON line, 16 bytes at a time, lists every byte a string scan must stop at — `"`,
 * `\`, a control byte or a non-ASCII one (below 0x20 as a signed byte) — so that finding a string's end
 * takes a few index reads instead of a loop over its bytes (strings are most of a Windows event line).
 */
import type { Ins } from './wasm.js';
import {
  assemble,
  block,
  br,
  brIf,
  compiledModule,
  instantiate,
  keepBelow,
  loop,
  op,
  popLowest,
  simd,
  when,
} from './wasm.js';

/** Where a line is copied to; the index follows the line buffer. */
export const INDEX_LINE_AT = 64;
/** Lines up to this long are indexed; a longer one is scanned byte by byte. */
export const INDEX_LINE_BYTES = 1 << 16;
/** The index: i32 offsets from the line's start, then one sentinel (INDEX_END). */
export const INDEX_AT = INDEX_LINE_AT + INDEX_LINE_BYTES + 64;
export const INDEX_END = 0x7fffffff;

const [START, END, I, M, N, LIM] = [0, 1, 2, 3, 4, 5];
const [V, QUOTE, SLASH, SPACE] = [6, 7, 8, 9];

/** index(start, end) → count: the offsets (from start) of the stop bytes of memory[start, end). */
function indexModule(): Uint8Array {
  const g = op.get;
  const body: Ins[] = [
    simd.splat8(0x22),
    op.set(QUOTE),
    simd.splat8(0x5c),
    op.set(SLASH),
    simd.splat8(0x20),
    op.set(SPACE),
    g(START),
    op.set(I),
    block(
      'done',
      loop(
        'blocks',
        g(I),
        g(END),
        op.geU,
        brIf('done'),
        g(I),
        simd.load(0),
        op.set(V),
        g(V),
        g(QUOTE),
        simd.eq8,
        g(V),
        g(SLASH),
        simd.eq8,
        simd.or,
        g(V),
        g(SPACE),
        simd.ltS8,
        simd.or,
        simd.bitmask8,
        op.set(M),
        // Bytes past the line's end do not count.
        ...keepBelow(M, [g(END), g(I), op.sub], LIM),
        loop(
          'bits',
          g(M),
          op.eqz,
          when(g(I), op.const(16), op.add, op.set(I), br('blocks')),
          // index[n++] = i + (lowest set bit) - start; clear the bit
          g(N),
          op.const(2),
          op.shl,
          g(I),
          ...popLowest(M),
          op.add,
          g(START),
          op.sub,
          op.store(INDEX_AT),
          g(N),
          op.const(1),
          op.add,
          op.set(N),
          br('bits'),
        ),
      ),
    ),
    g(N),
    op.const(2),
    op.shl,
    op.const(INDEX_END),
    op.store(INDEX_AT),
    g(N),
  ];
  return assemble('index', 2, LIM - 1, body, 4);
}

export type IndexFn = (start: number, end: number) => number;

const indexCode = compiledModule(indexModule);

/** The index function over its own memory; undefined where WebAssembly (with SIMD) is unavailable. */
export function indexInstance(): { index: IndexFn; buffer: ArrayBuffer } | undefined {
  const i = instantiate(indexCode(), INDEX_AT + (INDEX_LINE_BYTES + 1) * 4);
  return i && { index: i.exports['index'] as IndexFn, buffer: i.buffer };
}
