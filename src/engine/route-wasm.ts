/**
 * The line router's byte search as WebAssembly with 128-bit SIMD (src/engine/raw-line.ts LineRouter has the
 * same search in JavaScript): one pass over a JSONL line, 16 bytes at a time, that finds the `"Channel"`
 * and `"EventID"` keys and the spellings the prefilter's literal marks cannot see (a `\u` or `\/` escape,
 * UTF-8 E2 84 AA or C4 B0). Each 16-byte step compares the bytes at i and i + 1 against the pairs that
 * start them (`"C`, `"E`, `\u`, `\/`, E2 84, C4 B0) and goes byte by byte only where one is found (a dozen
 * places in a Windows event line, most of them other keys starting with C or E).
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

/** route() writes the `"Channel"` key's end at CHANNEL_AT and the `"EventID"` key's end at EVENT_ID_AT. */
export const CHANNEL_AT = 0;
export const EVENT_ID_AT = 4;
/** Where a line is copied to (the route function reads up to 17 bytes past its end: LINE_SLACK). */
export const LINE_AT = 64;
/** Lines up to this long are routed by the WebAssembly search; longer ones by the JavaScript one. */
export const ROUTE_LINE_BYTES = 1 << 16;
const LINE_SLACK = 64;

/** Bits of route()'s result. */
export const UNSAFE = 1;
export const SLASH = 2;

// Locals: the parameters, then i32 locals, then the two vectors.
const [START, END, I, M, P, Q, K, CH, EV, FLAGS, LIM, STEP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [A0, A1] = [12, 13];

/** The bytes compared against, each splat into a v128 local once per call (after A0, A1). */
const BYTES = [0x22, 0x43, 0x45, 0x5c, 0x75, 0x2f, 0xe2, 0x84, 0xc4, 0xb0];
const splatLocal = (b: number): number => A1 + 1 + BYTES.indexOf(b);

/** Pushes the lanes of vector `v` equal to byte `b` (0xff) or not (0). */
const eq8 = (v: number, b: number): Ins[] => [op.get(v), op.get(splatLocal(b)), simd.eq8];

/** The 32-bit little-endian word of four characters. */
const word = (s: string): number => Buffer.from(s, 'latin1').readInt32LE(0);

/**
 * When the 8 bytes at p spell `key` (its opening quote and 7 characters; the closing quote is checked
 * before): `local` = (local === -1 ? p + 9 : -2), the key's end, or -2 when it occurs again.
 */
function keyAt(key: string, local: number): Ins[] {
  const g = op.get;
  return [
    g(P),
    op.loadUnaligned(),
    op.const(word(key.slice(0, 4))),
    op.eq,
    g(P),
    op.loadUnaligned(4),
    op.const(word(key.slice(4, 8))),
    op.eq,
    op.and,
    when(g(P), op.const(9), op.add, op.const(-2), g(local), op.const(-1), op.eq, op.select, op.set(local)),
  ];
}

/**
 * Pushes the 16-bit mask of the places i + offset + j (j < 16) where a pair starts: `"C`, `"E`, `\u`, `\/`,
 * E2 84 (U+212A is E2 84 AA) or C4 B0 (U+0130).
 */
function candidates(offset: number): Ins[] {
  const g = op.get;
  return [
    g(I),
    simd.load(offset),
    op.set(A0),
    g(I),
    simd.load(offset + 1),
    op.set(A1),
    ...eq8(A0, 0x22),
    ...eq8(A1, 0x43),
    ...eq8(A1, 0x45),
    simd.or,
    simd.and,
    ...eq8(A0, 0x5c),
    ...eq8(A1, 0x75),
    ...eq8(A1, 0x2f),
    simd.or,
    simd.and,
    simd.or,
    ...eq8(A0, 0xe2),
    ...eq8(A1, 0x84),
    simd.and,
    simd.or,
    ...eq8(A0, 0xc4),
    ...eq8(A1, 0xb0),
    simd.and,
    simd.or,
    simd.bitmask8,
  ];
}

function routeModule(): Uint8Array {
  const g = op.get;
  const body: Ins[] = [
    ...BYTES.flatMap((b) => [simd.splat8(b), op.set(splatLocal(b))]),
    op.const(-1),
    op.set(CH),
    op.const(-1),
    op.set(EV),
    g(START),
    op.set(I),
    block(
      'done',
      loop(
        'blocks',
        block(
          'masked',
          // 32 bytes a step while the pairs starting there end inside the line; then 16 at a time, the
          // pairs reaching past the end masked off.
          g(I),
          op.const(33),
          op.add,
          g(END),
          op.leU,
          when(
            ...candidates(16),
            op.const(16),
            op.shl,
            ...candidates(0),
            op.or,
            op.set(M),
            op.const(32),
            op.set(STEP),
            br('masked'),
          ),
          // Pairs (i + j, i + j + 1) inside the line: none left once i + 1 reaches the end.
          g(I),
          op.const(1),
          op.add,
          g(END),
          op.geU,
          brIf('done'),
          ...candidates(0),
          op.set(M),
          op.const(16),
          op.set(STEP),
          // Only pairs that end inside the line: j < end - 1 - i.
          ...keepBelow(M, [g(END), op.const(1), op.sub, g(I), op.sub], LIM),
        ),
        loop(
          'bits',
          block(
            'next',
            g(M),
            op.eqz,
            when(g(I), g(STEP), op.add, op.set(I), br('blocks')),
            // p = i + (lowest set bit); clear it
            g(I),
            ...popLowest(M),
            op.add,
            op.set(P),
            g(P),
            op.load8(),
            op.tee(K),
            op.const(0x22),
            op.eq,
            when(
              // A key spelled exactly, closing quote included.
              g(P),
              op.const(9),
              op.add,
              g(END),
              op.gtU,
              brIf('next'),
              g(P),
              op.load8(8),
              op.const(0x22),
              op.ne,
              brIf('next'),
              ...keyAt('"Channel', CH),
              ...keyAt('"EventID', EV),
              br('next'),
            ),
            g(K),
            op.const(0x5c),
            op.eq,
            when(
              // An escape when the run of backslashes ending at p is odd: q walks back to its start.
              g(P),
              op.set(Q),
              block(
                'run',
                loop(
                  'back',
                  g(Q),
                  g(START),
                  op.leU,
                  brIf('run'),
                  g(Q),
                  op.const(1),
                  op.sub,
                  op.load8(),
                  op.const(0x5c),
                  op.ne,
                  brIf('run'),
                  g(Q),
                  op.const(1),
                  op.sub,
                  op.set(Q),
                  br('back'),
                ),
              ),
              // The run is p - q + 1 backslashes: even when p - q is odd.
              g(P),
              g(Q),
              op.sub,
              op.const(1),
              op.and,
              brIf('next'),
              g(FLAGS),
              op.const(UNSAFE),
              op.const(SLASH),
              g(P),
              op.load8(1),
              op.const(0x75),
              op.eq,
              op.select,
              op.or,
              op.set(FLAGS),
              br('next'),
            ),
            // E2 84 needs AA after it; C4 B0 is whole.
            g(K),
            op.const(0xe2),
            op.eq,
            when(
              g(P),
              op.const(2),
              op.add,
              g(END),
              op.geU,
              brIf('next'),
              g(P),
              op.load8(2),
              op.const(0xaa),
              op.ne,
              brIf('next'),
            ),
            g(FLAGS),
            op.const(UNSAFE),
            op.or,
            op.set(FLAGS),
          ),
          br('bits'),
        ),
      ),
    ),
    op.const(0),
    g(CH),
    op.store(CHANNEL_AT),
    op.const(0),
    g(EV),
    op.store(EVENT_ID_AT),
    g(FLAGS),
  ];
  return assemble('route', 2, STEP - 1, body, 2 + BYTES.length);
}

export type RouteFn = (start: number, end: number) => number;

const routeCode = compiledModule(routeModule);

/** The route function over its own memory; undefined where WebAssembly (with SIMD) is unavailable. */
export function routeInstance(): { route: RouteFn; buffer: ArrayBuffer } | undefined {
  const i = instantiate(routeCode(), LINE_AT + ROUTE_LINE_BYTES + LINE_SLACK);
  return i && { route: i.exports['route'] as RouteFn, buffer: i.buffer };
}
