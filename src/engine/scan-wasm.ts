/**
 * The literal scanner's memory layout and its scan loop as WebAssembly (src/engine/scanner.ts has the
 * algorithm and the same loop in JavaScript): one function, assembled at start-up by src/engine/wasm.ts,
 * over the tables LiteralScanner lays out in the module's memory.
 */
import type { Ins } from './wasm.js';
import { assemble, block, br, brIf, compiledModule, instantiate, loop, op, when } from './wasm.js';

/** Bits of the filter bitset (2^18 bits = 32 KiB: stays in the L1/L2 cache during a scan). */
export const FILTER_BITS = 18;
/** The filter's hash of a gram key: the top FILTER_BITS of key × FILTER_MUL. */
export const FILTER_MUL = 0x9e3779b1;
/** The gram table's hash: the top bits (the header's `shift`) of key × TABLE_MUL. */
export const TABLE_MUL = 0x85ebca6b;

/** Bit 0x20 of each byte of a gram key (scanner.ts gramKey). */
export const GRAM_CASE = 0x20202020;

/**
 * Memory layout of a scanner (WebAssembly memory or a plain buffer): the header at HEADER (per field, a
 * table's byte offset or a scalar: the table mask and shift, the occurrence cap and count), then the
 * tables, then the line buffer.
 */
export const HEADER = 0;
export const FIELDS = [
  'bits',
  'keys',
  'start',
  'count',
  'entLit',
  'entOff',
  'litStart',
  'litBytes',
  'seen',
  'hits',
  'global',
  'occLit',
  'occPos',
  'mask',
  'shift',
  'occCap',
  'occCount',
] as const;
export type Field = (typeof FIELDS)[number];
export const TABLES = HEADER + FIELDS.length * 4;
/** Lines up to this long are scanned by the WebAssembly loop; longer ones by the JavaScript loop. */
export const WASM_LINE_BYTES = 1 << 16;

// Locals of the scan function: its parameters, its own locals, then the header fields.
const START = 0;
const END = 1;
const STAMP = 2;
const [I, W, H, SLOT, KEY, E, E1, LIT, FROM, LEN, L0, K, N, OCC, X, T] = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
];
const LOCAL = (f: Field): number => 19 + FIELDS.indexOf(f);
/** Occurrences a scan records with their positions (more: the line's count says so, none are kept). */
export const OCC_CAP = 1024;
export const OCC_COUNT = FIELDS.indexOf('occCount');

/** Stores value in table[index] (a table of 32-bit entries; `index` and `value` push theirs). */
const put32 = (table: Field, index: Ins[], value: Ins[]): Ins[] => [
  ...index,
  op.const(2),
  op.shl,
  op.get(LOCAL(table)),
  op.add,
  ...value,
  op.store(),
];

/** Pushes table[index] (a table of 32-bit entries; `index` pushes the index). */
const at32 = (table: Field, index: Ins[]): Ins[] => [
  ...index,
  op.const(2),
  op.shl,
  op.get(LOCAL(table)),
  op.add,
  op.load(),
];

/**
 * Pushes the filter word of the gram key `key` pushes, shifted right so that the key's bit is its lowest
 * (the caller masks it); `tmp` holds key × FILTER_MUL. The filter's hash is the top FILTER_BITS of that
 * product: its top 13 bits pick the word, the next 5 the bit, and a 32-bit shift counts modulo 32, so
 * shifting by the product's top 18 bits shifts by the bit's place.
 */
function keyWord(key: Ins[], tmp: number): Ins[] {
  const g = op.get;
  return [
    ...key,
    op.const(FILTER_MUL),
    op.mul,
    op.tee(tmp),
    ...at32('bits', [op.const(32 - FILTER_BITS + 5), op.shrU]),
    g(tmp),
    op.const(32 - FILTER_BITS),
    op.shrU,
    op.shrU,
  ];
}

/** Pushes the filter bit (1 when set, else 0) of the gram key `key` pushes; `tmp` holds key × FILTER_MUL. */
function keyBit(key: Ins[], tmp: number): Ins[] {
  return [...keyWord(key, tmp), op.const(1), op.and];
}

/** keyWord of the window at i + `offset`. */
function filterWord(offset: number, tmp: number): Ins[] {
  return keyWord([op.get(I), op.loadUnaligned(offset), op.const(GRAM_CASE), op.or], tmp);
}

/**
 * Local X's four bytes with ASCII upper case folded to lower case (FOLD on each byte), without a table:
 * a byte b < 0x80 is upper case when b + 0x3f carries into bit 7 and b + 0x25 does not; those bits,
 * shifted to bit 5, are or-ed in. No byte's sum reaches 0x100, so no carry crosses into the next byte.
 */
function fold4(): Ins[] {
  const g = op.get;
  return [
    g(X),
    op.const(0x7f7f7f7f),
    op.and,
    op.set(T),
    g(T),
    op.const(0x3f3f3f3f),
    op.add,
    g(T),
    op.const(0x25252525),
    op.add,
    op.const(-1),
    op.xor,
    op.and,
    g(X),
    op.const(-1),
    op.xor,
    op.and,
    op.const(0x80808080),
    op.and,
    op.const(2),
    op.shrU,
    g(X),
    op.or,
    op.set(X),
  ];
}

/** scan(start, end, stamp) → hit count: the loop of LiteralScanner.scanJs (the window addressed by its start here, by its end there). */
function scanModule(): Uint8Array {
  const g = op.get;
  const body: Ins[] = [
    ...FIELDS.flatMap((f, j) => [op.const(0), op.load(HEADER + 4 * j), op.set(LOCAL(f))]),
    g(START),
    op.set(I),
    block(
      'done',
      loop(
        'line',
        // Two windows at once, the common case: when neither has its bit in the filter, step over both.
        // Otherwise (or near the end) window i goes the single way below.
        block(
          'single',
          g(I),
          op.const(5),
          op.add,
          g(END),
          op.gtU,
          brIf('single'),
          ...filterWord(0, H),
          ...filterWord(1, T),
          op.or,
          op.const(1),
          op.and,
          brIf('single'),
          g(I),
          op.const(2),
          op.add,
          op.set(I),
          br('line'),
        ),
        // i: where the window starts; the line ends when the window would reach past it.
        g(I),
        op.const(4),
        op.add,
        g(END),
        op.gtU,
        brIf('done'),
        // w = gram key of line[i … i + 4); i++
        g(I),
        op.loadUnaligned(),
        op.const(GRAM_CASE),
        op.or,
        op.set(W),
        g(I),
        op.const(1),
        op.add,
        op.set(I),
        // The window's bit in the filter.
        ...keyBit([g(W)], H),
        op.eqz,
        brIf('line'),
        // Look the gram up (open addressing; key 0 = empty).
        g(W),
        op.const(TABLE_MUL),
        op.mul,
        g(LOCAL('shift')),
        op.shrU,
        op.set(SLOT),
        block(
          'found',
          loop(
            'probe',
            ...at32('keys', [g(SLOT)]),
            op.tee(KEY),
            g(W),
            op.eq,
            brIf('found'),
            g(KEY),
            op.eqz,
            brIf('line'),
            g(SLOT),
            op.const(1),
            op.add,
            g(LOCAL('mask')),
            op.and,
            op.set(SLOT),
            br('probe'),
          ),
        ),
        ...at32('start', [g(SLOT)]),
        op.tee(E),
        ...at32('count', [g(SLOT)]),
        op.add,
        op.set(E1),
        loop(
          'entries',
          g(E),
          g(E1),
          op.geU,
          brIf('line'),
          block(
            'next',
            ...at32('entLit', [g(E)]),
            op.set(LIT),
            // from = i - 1 - offset of the gram in the literal (i is one past the window's start)
            g(I),
            op.const(1),
            op.sub,
            ...at32('entOff', [g(E)]),
            op.sub,
            op.set(FROM),
            ...at32('litStart', [g(LIT)]),
            op.set(L0),
            ...at32('litStart', [g(LIT), op.const(1), op.add]),
            g(L0),
            op.sub,
            op.set(LEN),
            g(FROM),
            g(START),
            op.ltS,
            brIf('next'),
            g(FROM),
            g(LEN),
            op.add,
            g(END),
            op.gtS,
            brIf('next'),
            op.const(0),
            op.set(K),
            // Compare four bytes at a time; k reaches len only when every byte matched.
            block(
              'compared',
              loop(
                'compare',
                g(K),
                g(LEN),
                op.geU,
                brIf('compared'),
                // x = the line's next four bytes, ASCII upper case folded (fold4)
                g(FROM),
                g(K),
                op.add,
                op.loadUnaligned(),
                op.set(X),
                ...fold4(),
                // x ^= the literal's next four bytes
                g(LOCAL('litBytes')),
                g(L0),
                op.add,
                g(K),
                op.add,
                op.loadUnaligned(),
                g(X),
                op.xor,
                op.set(X),
                // Fewer than four bytes left: only those count.
                g(LEN),
                g(K),
                op.sub,
                op.const(4),
                op.ltU,
                when(
                  g(X),
                  op.const(1),
                  g(LEN),
                  g(K),
                  op.sub,
                  op.const(3),
                  op.shl,
                  op.shl,
                  op.const(1),
                  op.sub,
                  op.and,
                  op.set(X),
                  // k + 4 is len if they all match (literals have at least MIN_LITERAL = 4 bytes).
                  g(LEN),
                  op.const(4),
                  op.sub,
                  op.set(K),
                ),
                g(X),
                brIf('compared'),
                g(K),
                op.const(4),
                op.add,
                op.set(K),
                br('compare'),
              ),
            ),
            g(K),
            g(LEN),
            op.eq,
            when(
              // The first time in this line: seen[lit] = stamp; hits[n++] = global[lit]
              ...at32('seen', [g(LIT)]),
              g(STAMP),
              op.ne,
              when(
                ...put32('seen', [g(LIT)], [g(STAMP)]),
                ...put32('hits', [g(N)], at32('global', [g(LIT)])),
                g(N),
                op.const(1),
                op.add,
                op.set(N),
              ),
              // Every time, while there is room: occLit[occ] = global[lit]; occPos[occ] = from - start
              g(OCC),
              g(LOCAL('occCap')),
              op.ltU,
              when(
                ...put32('occLit', [g(OCC)], at32('global', [g(LIT)])),
                ...put32('occPos', [g(OCC)], [g(FROM), g(START), op.sub]),
              ),
              g(OCC),
              op.const(1),
              op.add,
              op.set(OCC),
            ),
          ),
          g(E),
          op.const(1),
          op.add,
          op.set(E),
          br('entries'),
        ),
      ),
    ),
    op.const(0),
    g(OCC),
    op.store(HEADER + 4 * OCC_COUNT),
    g(N),
  ];
  return assemble('scan', 3, T - 2 + FIELDS.length, body);
}

export type ScanFn = (start: number, end: number, stamp: number) => number;

const scanCode = compiledModule(scanModule);

/**
 * The scan function over a fresh memory of at least `bytes`; undefined where WebAssembly is unavailable or
 * the memory cannot be had (address space or memory limits): the scanner then runs its JavaScript loop.
 */
export function wasmInstance(bytes: number): { scan: ScanFn; buffer: ArrayBuffer } | undefined {
  const i = instantiate(scanCode(), bytes);
  return i && { scan: i.exports['scan'] as ScanFn, buffer: i.buffer };
}
