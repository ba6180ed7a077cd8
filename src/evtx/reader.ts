/**
 * EVTX container: file header, 64 KiB chunks, event record headers, checksums, slack carving.
 *
 * Files are read one chunk at a time (each chunk gets its own buffer, so records handed out stay
 * valid while the next chunk is read) — memory is constant per chunk whatever the file size.
 * Problems become diagnostics with the file and absolute byte offset; every readable record is
 * still returned, and nothing thrown by malformed input escapes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Diagnostic, DiagnosticCode } from '../diagnostics/index.js';
import { catalog } from '../diagnostics/index.js';
import { ChunkDecoder } from './binxml.js';
import { crc32 } from './crc32.js';
import type { JsonObject } from './json.js';
import { toEvtxJson, toEvtxJsonText } from './json.js';
import type { XElement } from './tree.js';
import { EvtxFormatError, filetimeIso7 } from './values.js';
import { toXml } from './xml.js';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;
const RECORD_MAGIC = 0x00002a2a;
const RECORD_MAGIC_BYTES = Uint8Array.of(0x2a, 0x2a, 0, 0);
const MIN_RECORD_SIZE = 28;

export interface EvtxReadOptions {
  /** Also carve records from chunk slack space (after the free-space offset). */
  recover?: boolean;
  /** Name used in records and diagnostics (defaults to the path, or `<buffer>`). */
  file?: string;
}

/** One event record. `event` and `xml` are rendered on first access and then kept. */
export interface EvtxRecord {
  readonly file: string;
  /** Record number from the record header; a bigint only when it exceeds 2^53 − 1. */
  readonly recordId: number | bigint;
  /** Written time from the record header: ISO 8601 UTC, 7 fractional digits, `Z`. */
  readonly timestamp: string;
  /** Carved from slack space by `recover`, not part of the live log. */
  readonly recovered: boolean;
  /** Absolute byte offset of the record in the file. */
  readonly offset: number;
  /** The evtx JSON shape: `{"Event": {"#attributes": …, "System": …, "EventData": …}}`. */
  readonly event: JsonObject;
  /**
   * `event` as JSON text, written directly (faster than building the object), keys in document
   * order as evtx_dump writes them (`JSON.stringify(event)` would move integer-like keys first).
   */
  readonly eventJson: string;
  /** `<Event xmlns=…>…</Event>` in python-evtx's layout. */
  readonly xml: string;
  /** The resolved XML tree, for callers that want to walk it themselves. */
  readonly tree: XElement;
}

class Record implements EvtxRecord {
  private eventCache: JsonObject | undefined;
  private xmlCache: string | undefined;
  constructor(
    readonly file: string,
    readonly recordId: number | bigint,
    private readonly ticks: bigint,
    readonly recovered: boolean,
    readonly offset: number,
    readonly tree: XElement,
  ) {}
  get timestamp(): string {
    return filetimeIso7(this.ticks);
  }
  get event(): JsonObject {
    return (this.eventCache ??= toEvtxJson(this.tree));
  }
  get eventJson(): string {
    return toEvtxJsonText(this.tree);
  }
  get xml(): string {
    return (this.xmlCache ??= toXml(this.tree));
  }
}

export interface EvtxReadResult {
  /** Lazily read records; iterate once. */
  records: Iterable<EvtxRecord>;
  /** Filled while `records` is iterated; complete once iteration has finished. */
  diagnostics: Diagnostic[];
}

interface ByteSource {
  size: number;
  /** Fresh bytes at `pos` (shorter at end of input). */
  read(pos: number, len: number): Uint8Array;
  close(): void;
}

function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return {
    size,
    read(pos, len) {
      const n = Math.max(0, Math.min(len, size - pos));
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, pos + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
    close() {
      closeSync(fd);
    },
  };
}

function bufferSource(data: Uint8Array): ByteSource {
  return {
    size: data.length,
    read: (pos, len) => data.subarray(pos, Math.min(data.length, pos + len)),
    close() {},
  };
}

const ELF_FILE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00];
const ELF_CHNK = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00];

function hasMagic(buf: Uint8Array, magic: readonly number[]): boolean {
  if (buf.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (buf[i] !== magic[i]) return false;
  return true;
}

function isZero(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end && i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

function u32(buf: Uint8Array, pos: number): number {
  return (
    ((buf[pos] ?? 0) |
      ((buf[pos + 1] ?? 0) << 8) |
      ((buf[pos + 2] ?? 0) << 16) |
      ((buf[pos + 3] ?? 0) << 24)) >>>
    0
  );
}

function u16(buf: Uint8Array, pos: number): number {
  return (buf[pos] ?? 0) | ((buf[pos + 1] ?? 0) << 8);
}

function u64(buf: Uint8Array, pos: number): bigint {
  return BigInt(u32(buf, pos)) | (BigInt(u32(buf, pos + 4)) << 32n);
}

function recordNumber(buf: Uint8Array, pos: number): number | bigint {
  const lo = u32(buf, pos);
  const hi = u32(buf, pos + 4);
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return u64(buf, pos);
}

/** Index of the next record magic at or after `from`, or -1. */
function nextMagic(buf: Uint8Array, from: number, end: number): number {
  const i = Buffer.from(buf.buffer, buf.byteOffset, Math.min(end, buf.length)).indexOf(
    RECORD_MAGIC_BYTES,
    from,
  );
  return i;
}

class Reader {
  constructor(
    private readonly file: string,
    private readonly opts: EvtxReadOptions,
    readonly diagnostics: Diagnostic[],
  ) {}

  diag(code: DiagnosticCode, message: string, offset?: number): void {
    const d: Diagnostic = { code, severity: catalog[code].severity, message, file: this.file };
    if (offset !== undefined) d.offset = offset;
    this.diagnostics.push(d);
  }

  *read(open: () => ByteSource): Generator<EvtxRecord> {
    let src: ByteSource;
    try {
      src = open();
    } catch (e) {
      this.diag('TL7001', `cannot read the file: ${(e as Error).message}`);
      return;
    }
    try {
      yield* this.readSource(src);
    } finally {
      src.close();
    }
  }

  private *readSource(src: ByteSource): Generator<EvtxRecord> {
    const header = src.read(0, FILE_HEADER_SIZE);
    if (!hasMagic(header, ELF_FILE)) {
      this.diag('TL7002', 'not an EVTX file: the file header magic "ElfFile" is missing', 0);
      // Still look for chunks: a damaged header should not hide intact chunks behind it.
    } else if (header.length < 128) {
      this.diag('TL7006', `file is truncated inside its header (${header.length} bytes)`, header.length);
      return;
    } else {
      if (crc32(header, 0, 120) !== u32(header, 124))
        this.diag('TL7003', 'file header checksum mismatch', 124);
      const minor = u16(header, 36);
      const major = u16(header, 38);
      if (major !== 3 || (minor !== 1 && minor !== 2)) {
        this.diag(
          'TL7004',
          `unsupported format version ${major}.${minor} (expected 3.1 or 3.2); reading anyway`,
          36,
        );
      }
      if (u32(header, 120) & 1)
        this.diag('TL7005', 'file was not cleanly closed (dirty flag set); reading all chunks', 120);
    }
    const chunkSpan = src.size - FILE_HEADER_SIZE;
    if (chunkSpan > 0 && chunkSpan % CHUNK_SIZE !== 0) {
      const lastStart = FILE_HEADER_SIZE + Math.floor(chunkSpan / CHUNK_SIZE) * CHUNK_SIZE;
      this.diag(
        'TL7006',
        `file ends inside a chunk (${src.size - lastStart} of ${CHUNK_SIZE} bytes present)`,
        src.size,
      );
    }
    for (let off = FILE_HEADER_SIZE, index = 0; off < src.size; off += CHUNK_SIZE, index++) {
      const buf = src.read(off, CHUNK_SIZE);
      if (buf.length < 8 || isZero(buf, 0, 8)) continue; // never-used, preallocated chunk
      if (!hasMagic(buf, ELF_CHNK)) {
        this.diag('TL7010', `chunk ${index}: bad chunk magic; chunk skipped`, off);
        if (this.opts.recover === true)
          yield* this.carve(new ChunkDecoder(buf), buf, off, CHUNK_HEADER_SIZE, buf.length);
        continue;
      }
      yield* this.chunk(buf, off, index);
    }
  }

  private *chunk(buf: Uint8Array, off: number, index: number): Generator<EvtxRecord> {
    if (buf.length < CHUNK_HEADER_SIZE) return;
    const headerCrc = crc32(buf, 128, CHUNK_HEADER_SIZE, crc32(buf, 0, 120));
    if (headerCrc !== u32(buf, 124))
      this.diag('TL7011', `chunk ${index}: header checksum mismatch`, off + 124);
    let free = u32(buf, 48);
    if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
      this.diag(
        'TL7013',
        `chunk ${index}: free-space offset ${free} is outside the chunk; reading up to the chunk end`,
        off + 48,
      );
      free = buf.length;
    } else if (free > buf.length) {
      free = buf.length; // truncated chunk, already reported for the file
    } else if (crc32(buf, CHUNK_HEADER_SIZE, free) !== u32(buf, 52)) {
      this.diag('TL7012', `chunk ${index}: event records checksum mismatch`, off + 52);
    }
    const decoder = new ChunkDecoder(buf);
    let pos = CHUNK_HEADER_SIZE;
    while (pos + MIN_RECORD_SIZE <= free) {
      const size = u32(buf, pos + 4);
      if (u32(buf, pos) !== RECORD_MAGIC || size < MIN_RECORD_SIZE || pos + size > free) {
        if (isZero(buf, pos, free)) break; // zero padding after the last record
        const why = u32(buf, pos) !== RECORD_MAGIC ? 'no record signature' : `record size ${size} is invalid`;
        const next = nextMagic(buf, pos + 1, free);
        this.diag(
          'TL7020',
          `chunk ${index}: ${why} at this offset; ${next < 0 ? 'rest of chunk skipped' : `resuming at 0x${(off + next).toString(16)}`}`,
          off + pos,
        );
        if (next < 0) break;
        pos = next;
        continue;
      }
      const rec = this.record(decoder, buf, off, pos, size, false, index);
      if (rec) yield rec;
      pos += size;
    }
    if (this.opts.recover === true) yield* this.carve(decoder, buf, off, Math.max(pos, free), buf.length);
  }

  private record(
    decoder: ChunkDecoder,
    buf: Uint8Array,
    off: number,
    pos: number,
    size: number,
    recovered: boolean,
    index: number,
  ): Record | undefined {
    if (u32(buf, pos + size - 4) !== size && !recovered) {
      this.diag(
        'TL7020',
        `chunk ${index}: record size copy does not match its header (${u32(buf, pos + size - 4)} ≠ ${size})`,
        off + pos + size - 4,
      );
    }
    try {
      const tree = decoder.decodeRecord(pos + 24, pos + size - 4);
      return new Record(
        this.file,
        recordNumber(buf, pos + 8),
        u64(buf, pos + 16),
        recovered,
        off + pos,
        tree,
      );
    } catch (e) {
      // Anything thrown while decoding (our format errors, a RangeError from a view) means the
      // bytes are malformed: report it for this record and carry on with the next one.
      if (!recovered) {
        const at = e instanceof EvtxFormatError && e.offset > 0 ? e.offset : pos;
        const why = e instanceof Error ? e.message : String(e);
        this.diag(
          'TL7021',
          `chunk ${index}: record ${String(recordNumber(buf, pos + 8))} could not be decoded: ${why}`,
          off + at,
        );
      }
      return undefined;
    }
  }

  /** Records left in slack space: a signature, a sane size and a matching size copy. */
  private *carve(
    decoder: ChunkDecoder,
    buf: Uint8Array,
    off: number,
    from: number,
    end: number,
  ): Generator<EvtxRecord> {
    let pos = from;
    let found = 0;
    while (pos + MIN_RECORD_SIZE <= end) {
      const at = nextMagic(buf, pos, end);
      if (at < 0 || at + MIN_RECORD_SIZE > end) break;
      const size = u32(buf, at + 4);
      if (size >= MIN_RECORD_SIZE && at + size <= end && u32(buf, at + size - 4) === size) {
        const rec = this.record(decoder, buf, off, at, size, true, 0);
        if (rec) {
          found++;
          yield rec;
          pos = at + size;
          continue;
        }
      }
      pos = at + 1;
    }
    if (found > 0) this.diag('TL7022', `recovered ${found} record(s) from slack space`, off + from);
  }
}

/**
 * Read an EVTX file (path) or in-memory bytes. Records are produced lazily, one chunk in memory
 * at a time; diagnostics accumulate as they are met.
 */
export function readEvtx(input: string | Uint8Array, opts: EvtxReadOptions = {}): EvtxReadResult {
  const file = opts.file ?? (typeof input === 'string' ? input : '<buffer>');
  const diagnostics: Diagnostic[] = [];
  const reader = new Reader(file, opts, diagnostics);
  const open = (): ByteSource => (typeof input === 'string' ? fileSource(input) : bufferSource(input));
  return { records: { [Symbol.iterator]: () => reader.read(open) }, diagnostics };
}
