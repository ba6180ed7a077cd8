/**
 * The EventViews of RawEventReader: the reused view of the line just read, and the detached view a hit
 * keeps (the line's bytes, fields decoded or the line parsed on first use).
 */
import type { EventView, ViewMeta } from './event.js';
import { dottedValue, lowerText, parseTime, scalarValues, toEventView } from './event.js';
import type { RawEventReader } from './raw-event.js';

/**
 * The view of the line the reader last read (reused for the next line). Fields and metadata are decoded
 * from the reader on first use; once the reader has moved on (another read, even a declined one), they
 * come from parsing the line's bytes instead.
 */
export class RawEventView implements EventView {
  private meta: ViewMeta | undefined;
  private lowerCache: Record<string, string> | undefined;
  private text: string | undefined;
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** The reader's `reads` when this line was read. */
  private line = 0;
  private parsedTime: number | undefined;
  private parsed: EventView | undefined;

  constructor(private readonly reader: RawEventReader) {}

  reset(buf: Uint8Array, start: number, end: number, line: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.line = line;
    this.meta = undefined;
    this.parsedTime = undefined;
    this.parsed = undefined;
    this.lowerCache = undefined;
    this.text = undefined;
  }

  /** Whether the reader still holds this line. */
  private get live(): boolean {
    return this.reader.reads === this.line;
  }

  private get metadata(): ViewMeta {
    return (this.meta ??= this.live ? this.reader.meta() : this.materialize());
  }

  get channel(): string | undefined {
    return this.metadata.channel;
  }
  get eventId(): number | undefined {
    return this.metadata.eventId;
  }
  get provider(): string | undefined {
    return this.metadata.provider;
  }
  get computer(): string | undefined {
    return this.metadata.computer;
  }
  get recordId(): number | string | undefined {
    return this.metadata.recordId;
  }
  get timestamp(): string | undefined {
    return this.metadata.timestamp;
  }

  /** The compiled matchers use lowerString (cached by the reader); this record is for other callers. */
  get lower(): Record<string, string> {
    return (this.lowerCache ??= Object.create(null) as Record<string, string>);
  }

  get time(): number {
    return (this.parsedTime ??= parseTime(this.timestamp));
  }

  /** The line parsed the ordinary way (only for what the reader does not keep: the raw object, dotted paths). */
  private materialize(): EventView {
    return (this.parsed ??= toEventView(JSON.parse(this.jsonText())));
  }

  get fields(): Record<string, unknown> {
    return this.live ? this.reader.fields() : this.materialize().fields;
  }

  get raw(): unknown {
    return this.materialize().raw;
  }

  get root(): unknown {
    return this.materialize().root;
  }

  get(name: string): unknown {
    if (!this.live) return this.materialize().get(name);
    const v = this.reader.value(name);
    if (v !== undefined || !name.includes('.')) return v;
    return dottedValue(this.root, name);
  }

  lowerString(name: string): string | undefined {
    if (!this.live) return this.materialize().lowerString(name);
    const l = this.reader.lowerString(name);
    if (l !== undefined || !name.includes('.')) return l;
    const v = this.get(name);
    return typeof v === 'string' ? v.toLowerCase() : undefined;
  }

  values(): string[] {
    return scalarValues(this.fields);
  }

  lowerText(): string {
    return (this.text ??= lowerText(this.values()));
  }

  jsonBytes(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  private jsonText(): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + this.start, this.end - this.start).toString(
      'utf8',
    );
  }

  /** A copy that outlives the line (for hits and correlation inputs); parses the line only if asked to. */
  detach(): EventView {
    return new DetachedEventView(
      Buffer.from(this.buf.subarray(this.start, this.end)),
      this.metadata,
      this.time,
    );
  }
}

/** A hit's event: the line's bytes and its metadata; fields and the raw object by parsing on first use. */
class DetachedEventView implements EventView {
  readonly channel: string | undefined;
  readonly eventId: number | undefined;
  readonly provider: string | undefined;
  readonly computer: string | undefined;
  readonly recordId: number | string | undefined;
  readonly timestamp: string | undefined;
  private parsed: EventView | undefined;

  constructor(
    private readonly line: Buffer,
    meta: ViewMeta,
    readonly time: number,
  ) {
    this.channel = meta.channel;
    this.eventId = meta.eventId;
    this.provider = meta.provider;
    this.computer = meta.computer;
    this.recordId = meta.recordId;
    this.timestamp = meta.timestamp;
  }

  private materialize(): EventView {
    return (this.parsed ??= toEventView(JSON.parse(this.jsonText())));
  }

  get fields(): Record<string, unknown> {
    return this.materialize().fields;
  }
  get raw(): unknown {
    return this.materialize().raw;
  }
  get root(): unknown {
    return this.materialize().root;
  }
  get lower(): Record<string, string> {
    return this.materialize().lower;
  }
  get(name: string): unknown {
    return this.materialize().get(name);
  }
  lowerString(name: string): string | undefined {
    return this.materialize().lowerString(name);
  }
  values(): string[] {
    return this.materialize().values();
  }
  lowerText(): string {
    return this.materialize().lowerText();
  }
  jsonBytes(): Uint8Array {
    return this.line;
  }

  private jsonText(): string {
    return this.line.toString('utf8');
  }
}

/** A view that outlives its line: detached raw views, anything else as is. */
export function detached(ev: EventView): EventView {
  return ev instanceof RawEventView ? ev.detach() : ev;
}
