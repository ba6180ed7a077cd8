/**
 * Events read straight from the JSON text of a line, without JSON.parse. One pass over the bytes checks
 * the JSON grammar and records, for the evtx JSON shape (`{"Event": {"System", "EventData" | "UserData"}}`),
 * where each field's value lies; a value is decoded only when a matcher asks for it. Building every string
 * and object of the event (what JSON.parse does) costs several times more than the whole pass, and a
 * matcher reads a handful of fields.
 *
 * The fields are exactly those toEventView (src/engine/event.ts) gives for the parsed object — same names,
 * same precedence (System assigns, EventData then UserData only add), same Security 4688 aliases. Anything
 * this reader does not mirror exactly makes it decline, and the line is parsed instead: another top-level
 * shape, arrays or objects as field values, keys that are duplicated, escaped, non-ASCII or start with a
 * digit (JavaScript enumerates those first), nesting deeper than a few levels.
 */
import type { EventView } from './event.js';
import { INTEGRITY, RECORD_KEYS, num, str } from './event.js';
import { Names } from './raw-names.js';
import { RawEventView } from './raw-view.js';

const STRING = 1;
/** A string holding a backslash escape: decoded by JSON.parse of the token. */
const STRING_ESCAPED = 2;
/** A string holding a non-ASCII byte: decoded as UTF-8. */
const STRING_UTF8 = 3;
const NUMBER = 4;
const TRUE = 5;
const FALSE = 6;
const NULL = 7;
/** A value the reader computed (Security 4688 `User`, `IntegrityLevel`): in `synth`. */
const SYNTH = 8;

/** Deepest data object mirrored (flattenData stops at 6; beyond 4 the line is parsed). */
const MAX_DATA_DEPTH = 4;

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Fixed names the reader needs, as ids. */
interface Known {
  event: number;
  system: number;
  eventData: number;
  userData: number;
  text: number;
  attributes: number;
  data: number;
  channel: number;
  eventId: number;
  providerName: number;
  provider: number;
  computer: number;
  hostname: number;
  host: number;
  systemTime: number;
  records: number[];
  newProcessName: number;
  image: number;
  parentProcessName: number;
  parentImage: number;
  processId: number;
  parentProcessId: number;
  newProcessId: number;
  subjectLogonId: number;
  logonId: number;
  subjectUserName: number;
  subjectDomainName: number;
  user: number;
  mandatoryLabel: number;
  integrityLevel: number;
}

/**
 * Reads lines into one reusable view. `read` returns the view for the line (valid until the next call) or
 * undefined when the caller should parse the line itself.
 */
export class RawEventReader {
  private readonly names = new Names();
  private readonly known: Known;
  private buf: Buffer = Buffer.alloc(0);
  private end = 0;
  // Entries of the current line, in reading order: name id, value kind, value span.
  private entName = new Int32Array(256);
  private entKind = new Int32Array(256);
  private entStart = new Int32Array(256);
  private entEnd = new Int32Array(256);
  private entCount = 0;
  // Per name id: the entry holding its value in the current line (when stamp[id] === lineStamp).
  private slotStamp = new Int32Array(1024);
  private slotEntry = new Int32Array(1024);
  // Duplicate-key check: keyStamp[id] === objStamp while reading one object.
  private keyStamp = new Int32Array(1024);
  // Decoded values of the current line: vals[id] when valStamp[id] === lineStamp.
  private valStamp = new Int32Array(1024);
  private vals: unknown[] = [];
  private lowStamp = new Int32Array(1024);
  private lows: (string | undefined)[] = [];
  private objStamp = 0;
  private undoId = new Int32Array(256);
  private undoPrev = new Int32Array(256);
  private undoLen = 0;
  private lineStamp = 0;
  /** Ids set in the current line, in order. */
  private setIds: number[] = [];
  /** Values the reader computed, by entry index (kind SYNTH). */
  private synth: unknown[] = [];
  // Set by string(): the last string had an escape / a non-ASCII byte.
  private escaped = false;
  private wide = false;
  // Set by readData(): the object just read had a direct `#text` key, and that value's entry fields.
  private hadText = false;
  private textKind = 0;
  private textStart = 0;
  private textEnd = 0;
  private readonly view: RawEventView;

  constructor() {
    const n = (s: string): number => this.names.idOfName(s);
    this.known = {
      event: n('Event'),
      system: n('System'),
      eventData: n('EventData'),
      userData: n('UserData'),
      text: n('#text'),
      attributes: n('#attributes'),
      data: n('Data'),
      channel: n('Channel'),
      eventId: n('EventID'),
      providerName: n('Provider_Name'),
      provider: n('Provider'),
      computer: n('Computer'),
      hostname: n('Hostname'),
      host: n('host'),
      systemTime: n('TimeCreated_SystemTime'),
      records: RECORD_KEYS.map(n),
      newProcessName: n('NewProcessName'),
      image: n('Image'),
      parentProcessName: n('ParentProcessName'),
      parentImage: n('ParentImage'),
      processId: n('ProcessId'),
      parentProcessId: n('ParentProcessId'),
      newProcessId: n('NewProcessId'),
      subjectLogonId: n('SubjectLogonId'),
      logonId: n('LogonId'),
      subjectUserName: n('SubjectUserName'),
      subjectDomainName: n('SubjectDomainName'),
      user: n('User'),
      mandatoryLabel: n('MandatoryLabel'),
      integrityLevel: n('IntegrityLevel'),
    };
    for (const id of Object.values(this.known).flat() as number[]) this.ensure(id);
    this.view = new RawEventView(this);
  }

  /** The view of buf[start, end) (one JSON object, trimmed), or undefined: parse it instead. */
  read(buf: Buffer, start: number, end: number): EventView | undefined {
    this.buf = buf;
    this.end = end;
    this.entCount = 0;
    this.undoLen = 0;
    this.synth.length = 0;
    let sys = -1;
    let sysEnd = 0;
    let data = -1;
    let dataEnd = 0;
    let user = -1;
    let userEnd = 0;
    // {"Event": {…}, …}
    let i = this.ws(start);
    if (buf[i] !== 0x7b) return undefined;
    const top = ++this.objStamp;
    let sawEvent = false;
    i = this.ws(i + 1);
    if (buf[i] === 0x7d) return undefined;
    for (;;) {
      const k = this.key(i, top);
      if (k < 0) return undefined;
      i = this.afterColon;
      if (k === this.known.event) {
        if (buf[i] !== 0x7b) return undefined;
        sawEvent = true;
        const evMark = this.undoLen;
        const ev = ++this.objStamp;
        i = this.ws(i + 1);
        if (buf[i] !== 0x7d)
          for (;;) {
            const ek = this.key(i, ev);
            if (ek < 0) return undefined;
            i = this.afterColon;
            if (ek === this.known.system) {
              if (buf[i] !== 0x7b) return undefined;
              sys = this.entCount;
              i = this.readSystem(i);
              sysEnd = this.entCount;
            } else if ((ek === this.known.eventData || ek === this.known.userData) && buf[i] === 0x7b) {
              const from = this.entCount;
              i = this.readData(i, 0);
              if (ek === this.known.eventData) {
                data = from;
                dataEnd = this.entCount;
              } else {
                user = from;
                userEnd = this.entCount;
              }
            } else i = this.skip(i, 0);
            if (i < 0) return undefined;
            i = this.ws(i);
            if (buf[i] === 0x2c) i = this.ws(i + 1);
            else if (buf[i] === 0x7d) break;
            else return undefined;
          }
        this.close(evMark);
        i++;
      } else i = this.skip(i, 0);
      if (i < 0) return undefined;
      i = this.ws(i);
      if (buf[i] === 0x2c) i = this.ws(i + 1);
      else if (buf[i] === 0x7d) break;
      else return undefined;
    }
    if (this.ws(i + 1) !== end || !sawEvent || sys < 0) return undefined;

    // Fields in toEventView's order: System assigns, then EventData and UserData add what is missing.
    const stamp = ++this.lineStamp;
    this.setIds.length = 0;
    for (let k = sys; k < sysEnd; k++) this.assign(this.entName[k]!, k, stamp);
    for (let k = data; k >= 0 && k < dataEnd; k++) this.put(this.entName[k]!, k, stamp);
    for (let k = user; k >= 0 && k < userEnd; k++) this.put(this.entName[k]!, k, stamp);
    const K = this.known;
    const channel = str(this.valueOf(K.channel));
    const eventId = num(this.valueOf(K.eventId));
    if (eventId === 4688 && channel?.toLowerCase() === 'security') this.mapSecurity4688(stamp);
    let recordId: number | string | undefined;
    for (const id of K.records) {
      const v = this.valueOf(id);
      if (typeof v === 'number' || typeof v === 'string') {
        recordId = v;
        break;
      }
    }
    const provider = this.valueOf(K.providerName) ?? this.valueOf(K.provider);
    const computer = this.valueOf(K.computer) ?? this.valueOf(K.hostname) ?? this.valueOf(K.host);
    this.view.reset(buf, start, end, {
      channel,
      eventId,
      provider: str(provider),
      computer: str(computer),
      recordId,
      timestamp: str(this.valueOf(K.systemTime)),
    });
    return this.view;
  }

  /** Value of a field in the current line (undefined when absent). */
  valueOf(id: number): unknown {
    if (id < 0 || id >= this.slotStamp.length || this.slotStamp[id] !== this.lineStamp) return undefined;
    // Decoded once per line: several rules read the same fields.
    if (this.valStamp[id] === this.lineStamp) return this.vals[id];
    const v = this.decode(this.slotEntry[id]!);
    this.valStamp[id] = this.lineStamp;
    this.vals[id] = v;
    return v;
  }

  /** Value of a field by name in the current line. */
  value(name: string): unknown {
    const id = this.names.ids.get(name);
    return id === undefined ? undefined : this.valueOf(id);
  }

  /** The lowercased value of a string field in the current line (once per line); undefined otherwise. */
  lowerString(name: string): string | undefined {
    const id = this.names.ids.get(name);
    if (id === undefined) return undefined;
    if (this.lowStamp[id] === this.lineStamp) return this.lows[id];
    const v = this.valueOf(id);
    const l = typeof v === 'string' ? v.toLowerCase() : undefined;
    if (id < this.lowStamp.length) {
      this.lowStamp[id] = this.lineStamp;
      this.lows[id] = l;
    }
    return l;
  }

  /** The current line's fields, decoded (toEventView's `fields`). */
  fields(): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    for (const id of this.setIds) out[this.names.names[id]!] = this.decode(this.slotEntry[id]!);
    return out;
  }

  private decode(k: number): unknown {
    const s = this.entStart[k]!;
    const e = this.entEnd[k]!;
    const b = this.buf;
    switch (this.entKind[k]) {
      case STRING:
        return b.toString('latin1', s, e);
      case STRING_UTF8:
        return b.toString('utf8', s, e);
      case STRING_ESCAPED:
        return JSON.parse(b.toString('utf8', s - 1, e + 1)) as string;
      case NUMBER: {
        // Plain integers (most numbers in events) without building a string.
        if (e - s < 16) {
          let n = 0;
          let i = s;
          for (; i < e; i++) {
            const d = b[i]! - 0x30;
            if (d < 0 || d > 9) break;
            n = n * 10 + d;
          }
          if (i === e) return n;
        }
        return Number(b.toString('latin1', s, e));
      }
      case TRUE:
        return true;
      case FALSE:
        return false;
      case NULL:
        return null;
      default:
        return this.synth[k];
    }
  }

  private ensure(id: number): void {
    if (id < this.slotStamp.length) return;
    let n = this.slotStamp.length;
    while (n <= id) n *= 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.slotStamp = grow(this.slotStamp);
    this.slotEntry = grow(this.slotEntry);
    this.keyStamp = grow(this.keyStamp);
    this.valStamp = grow(this.valStamp);
    this.lowStamp = grow(this.lowStamp);
  }

  private assign(id: number, k: number, stamp: number): void {
    if (this.slotStamp[id] !== stamp) this.setIds.push(id);
    this.slotStamp[id] = stamp;
    this.slotEntry[id] = k;
  }

  private put(id: number, k: number, stamp: number): void {
    if (this.slotStamp[id] === stamp) return;
    this.slotStamp[id] = stamp;
    this.slotEntry[id] = k;
    this.setIds.push(id);
  }

  private has(id: number): boolean {
    return this.slotStamp[id] === this.lineStamp;
  }

  private synthEntry(value: unknown): number {
    const k = this.entry(-1, SYNTH, 0, 0);
    this.synth[k] = value;
    return k;
  }

  /** Security 4688 under Sysmon's process-creation names (as mapSecurity4688 in event.ts). */
  private mapSecurity4688(stamp: number): void {
    const K = this.known;
    const alias = (to: number, from: number): void => {
      if (this.has(from)) this.put(to, this.slotEntry[from]!, stamp);
    };
    alias(K.image, K.newProcessName);
    alias(K.parentImage, K.parentProcessName);
    alias(K.parentProcessId, K.processId);
    const np = this.valueOf(K.newProcessId);
    if (np !== undefined && np !== null) this.assign(K.processId, this.slotEntry[K.newProcessId]!, stamp);
    else if (!this.has(K.processId)) this.assign(K.processId, this.synthEntry(undefined), stamp);
    alias(K.logonId, K.subjectLogonId);
    const user = this.valueOf(K.subjectUserName);
    const dom = this.valueOf(K.subjectDomainName);
    if (typeof user === 'string')
      this.put(
        K.user,
        this.synthEntry(typeof dom === 'string' && dom !== '' ? `${dom}\\${user}` : user),
        stamp,
      );
    const label = this.valueOf(K.mandatoryLabel);
    if (typeof label === 'string') {
      const lvl = INTEGRITY[label.toUpperCase()];
      if (lvl !== undefined) this.put(K.integrityLevel, this.synthEntry(lvl), stamp);
    }
  }

  private entry(name: number, kind: number, s: number, e: number): number {
    const k = this.entCount++;
    if (k === this.entName.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.entName = grow(this.entName);
      this.entKind = grow(this.entKind);
      this.entStart = grow(this.entStart);
      this.entEnd = grow(this.entEnd);
    }
    this.entName[k] = name;
    this.entKind[k] = kind;
    this.entStart[k] = s;
    this.entEnd[k] = e;
    return k;
  }

  /** An object closed: its keys' duplicate marks give way to its parent's again. */
  private close(mark: number): void {
    for (let k = this.undoLen - 1; k >= mark; k--) this.keyStamp[this.undoId[k]!] = this.undoPrev[k]!;
    this.undoLen = mark;
  }

  private ws(i: number): number {
    const buf = this.buf;
    const end = this.end;
    for (; i < end; i++) {
      const b = buf[i];
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return i;
    }
    return i;
  }

  /** Index after the string token starting at buf[i] (`"`), or -1. Sets `escaped` and `wide`. */
  private string(i: number): number {
    const buf = this.buf;
    const end = this.end;
    let escaped = false;
    let wide = false;
    for (i++; i < end; i++) {
      const b = buf[i]!;
      if (b === 0x22) {
        this.escaped = escaped;
        this.wide = wide;
        return i + 1;
      }
      if (b === 0x5c) {
        escaped = true;
        const c = buf[++i];
        if (c === 0x75) {
          for (let k = 1; k <= 4; k++) {
            const h = buf[i + k]!;
            if (!((h >= 0x30 && h <= 0x39) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46)))
              return -1;
          }
          i += 4;
        } else if (
          c !== 0x22 &&
          c !== 0x5c &&
          c !== 0x2f &&
          c !== 0x62 &&
          c !== 0x66 &&
          c !== 0x6e &&
          c !== 0x72 &&
          c !== 0x74
        )
          return -1;
      } else if (b < 0x20) return -1;
      else if (b >= 0x80) wide = true;
    }
    return -1;
  }

  /** Index after the number token at buf[i], or -1 (JSON's grammar exactly). */
  private number(i: number): number {
    const buf = this.buf;
    if (buf[i] === 0x2d) i++;
    const digit = (k: number): boolean => buf[k]! >= 0x30 && buf[k]! <= 0x39;
    if (buf[i] === 0x30) i++;
    else if (digit(i)) while (digit(i)) i++;
    else return -1;
    if (buf[i] === 0x2e) {
      i++;
      if (!digit(i)) return -1;
      while (digit(i)) i++;
    }
    if (buf[i] === 0x65 || buf[i] === 0x45) {
      i++;
      if (buf[i] === 0x2b || buf[i] === 0x2d) i++;
      if (!digit(i)) return -1;
      while (digit(i)) i++;
    }
    return i > this.end ? -1 : i;
  }

  private literal(i: number, word: string): number {
    for (let k = 0; k < word.length; k++) if (this.buf[i + k] !== word.charCodeAt(k)) return -1;
    return i + word.length > this.end ? -1 : i + word.length;
  }

  /** Set by key(): index of the value after the key's colon. */
  private afterColon = 0;

  /**
   * The key at buf[i] (a plain ASCII string not starting with a digit, not seen before in this object
   * `obj`): its name id, and `afterColon` set. -1 when the reader must decline.
   */
  private key(i: number, obj: number): number {
    const buf = this.buf;
    if (buf[i] !== 0x22) return -1;
    const e = this.string(i);
    if (e < 0 || this.escaped || this.wide) return -1;
    this.lastKeyStart = i + 1;
    this.lastKeyEnd = e - 1;
    const first = buf[i + 1]!;
    if (first >= 0x30 && first <= 0x39) return -1;
    const id = this.names.idOf(buf, i + 1, e - 1);
    if (id < 0) return -1;
    this.ensure(id);
    const prev = this.keyStamp[id]!;
    if (prev === obj) return -1;
    // A nested object's keys overwrite the marks of its parent's: remember them, restored when it closes.
    if (this.undoLen === this.undoId.length) {
      this.undoId = grow(this.undoId);
      this.undoPrev = grow(this.undoPrev);
    }
    this.undoId[this.undoLen] = id;
    this.undoPrev[this.undoLen++] = prev;
    this.keyStamp[id] = obj;
    const c = this.ws(e);
    if (buf[c] !== 0x3a) return -1;
    this.afterColon = this.ws(c + 1);
    return id;
  }

  /** A scalar at buf[i] as an entry for `name`; index after it, or -1 when it is not a scalar. */
  private scalar(i: number, name: number): number {
    const b = this.buf[i];
    let e: number;
    let kind: number;
    if (b === 0x22) {
      e = this.string(i);
      if (e < 0) return -1;
      kind = this.escaped ? STRING_ESCAPED : this.wide ? STRING_UTF8 : STRING;
      this.entry(name, kind, i + 1, e - 1);
      return e;
    }
    if (b === 0x74) {
      e = this.literal(i, 'true');
      kind = TRUE;
    } else if (b === 0x66) {
      e = this.literal(i, 'false');
      kind = FALSE;
    } else if (b === 0x6e) {
      e = this.literal(i, 'null');
      kind = NULL;
    } else {
      e = this.number(i);
      kind = NUMBER;
    }
    if (e < 0) return -1;
    this.entry(name, kind, i, e);
    return e;
  }

  /** Any value at buf[i], checked and skipped; index after it or -1. */
  private skip(i: number, depth: number): number {
    const buf = this.buf;
    const b = buf[i];
    if (b === 0x22) return this.string(i);
    if (b === 0x74) return this.literal(i, 'true');
    if (b === 0x66) return this.literal(i, 'false');
    if (b === 0x6e) return this.literal(i, 'null');
    if (b !== 0x7b && b !== 0x5b) return this.number(i);
    if (depth > 64) return -1;
    const close = b === 0x7b ? 0x7d : 0x5d;
    i = this.ws(i + 1);
    if (buf[i] === close) return i + 1;
    for (;;) {
      if (b === 0x7b) {
        if (buf[i] !== 0x22) return -1;
        i = this.string(i);
        if (i < 0) return -1;
        i = this.ws(i);
        if (buf[i] !== 0x3a) return -1;
        i = this.ws(i + 1);
      }
      i = this.skip(i, depth + 1);
      if (i < 0) return -1;
      i = this.ws(i);
      if (buf[i] === 0x2c) i = this.ws(i + 1);
      else if (buf[i] === close) return i + 1;
      else return -1;
    }
  }

  /** System: scalars by name; `{"#text", "#attributes"}` children as `name` and `name_attribute`. */
  private readSystem(i: number): number {
    const buf = this.buf;
    const mark = this.undoLen;
    const obj = ++this.objStamp;
    i = this.ws(i + 1);
    if (buf[i] === 0x7d) return i + 1;
    for (;;) {
      const k = this.key(i, obj);
      if (k < 0) return -1;
      i = this.afterColon;
      const keyStart = this.keyStart;
      const keyEnd = this.keyEnd;
      if (buf[i] === 0x7b) {
        const childMark = this.undoLen;
        const child = ++this.objStamp;
        i = this.ws(i + 1);
        if (buf[i] !== 0x7d)
          for (;;) {
            const ck = this.key(i, child);
            if (ck < 0) return -1;
            i = this.afterColon;
            if (ck === this.known.text) i = this.scalar(i, k);
            else if (ck === this.known.attributes && buf[i] === 0x7b) {
              const attrsMark = this.undoLen;
              const attrs = ++this.objStamp;
              i = this.ws(i + 1);
              if (buf[i] !== 0x7d)
                for (;;) {
                  const ak = this.key(i, attrs);
                  if (ak < 0) return -1;
                  i = this.afterColon;
                  const name = this.names.idOf(buf, keyStart, keyEnd, this.keyStart, this.keyEnd);
                  if (name < 0) return -1;
                  this.ensure(name);
                  i = this.scalar(i, name);
                  if (i < 0) return -1;
                  i = this.ws(i);
                  if (buf[i] === 0x2c) i = this.ws(i + 1);
                  else if (buf[i] === 0x7d) break;
                  else return -1;
                }
              this.close(attrsMark);
              i++;
            } else i = this.skip(i, 0);
            if (i < 0) return -1;
            i = this.ws(i);
            if (buf[i] === 0x2c) i = this.ws(i + 1);
            else if (buf[i] === 0x7d) break;
            else return -1;
          }
        this.close(childMark);
        i++;
      } else i = this.scalar(i, k);
      if (i < 0) return -1;
      i = this.ws(i);
      if (buf[i] === 0x2c) i = this.ws(i + 1);
      else if (buf[i] === 0x7d) {
        this.close(mark);
        return i + 1;
      } else return -1;
    }
  }

  /**
   * EventData / UserData (flattenData in event.ts): scalars and `{"#text": …}` by name (`#text` itself as
   * `Data`), names with spaces also without them, objects without `#text` contribute their own fields.
   * Sets `hadText` and the text value's span for the caller.
   */
  private readData(i: number, depth: number): number {
    const buf = this.buf;
    const mark = this.undoLen;
    const obj = ++this.objStamp;
    let hadText = false;
    let textKind = 0;
    let textStart = 0;
    let textEnd = 0;
    i = this.ws(i + 1);
    if (buf[i] !== 0x7d)
      for (;;) {
        const k = this.key(i, obj);
        if (k < 0) return -1;
        i = this.afterColon;
        const keyStart = this.keyStart;
        const keyEnd = this.keyEnd;
        if (k === this.known.attributes) i = this.skip(i, 0);
        else if (buf[i] === 0x7b) {
          if (depth + 1 > MAX_DATA_DEPTH) return -1;
          const mark = this.entCount;
          i = this.readData(i, depth + 1);
          if (i < 0) return -1;
          if (k === this.known.text) return -1;
          if (this.hadText) {
            this.entCount = mark;
            this.dataEntry(k === this.known.text ? this.known.data : k, keyStart, keyEnd);
          }
        } else if (buf[i] === 0x5b) return -1;
        else {
          const at = this.entCount;
          i = this.scalar(i, k === this.known.text ? this.known.data : k);
          if (i < 0) return -1;
          if (k === this.known.text) {
            hadText = true;
            textKind = this.entKind[at]!;
            textStart = this.entStart[at]!;
            textEnd = this.entEnd[at]!;
          }
          this.spaced(at, keyStart, keyEnd);
        }
        if (i < 0) return -1;
        i = this.ws(i);
        if (buf[i] === 0x2c) i = this.ws(i + 1);
        else if (buf[i] === 0x7d) break;
        else return -1;
      }
    this.close(mark);
    this.hadText = hadText;
    this.textKind = textKind;
    this.textStart = textStart;
    this.textEnd = textEnd;
    return i + 1;
  }

  /** The `#text` value of the object just read, as an entry for `name`. */
  private dataEntry(name: number, keyStart: number, keyEnd: number): void {
    const at = this.entry(name, this.textKind, this.textStart, this.textEnd);
    this.spaced(at, keyStart, keyEnd);
  }

  /** A name with spaces is also reachable without them (`Threat Name` → `ThreatName`). */
  private spaced(at: number, keyStart: number, keyEnd: number): void {
    const buf = this.buf;
    let space = false;
    for (let i = keyStart; i < keyEnd; i++) if (buf[i] === 0x20) space = true;
    if (!space || this.entName[at] === this.known.data) return;
    const name = Buffer.from(buf.buffer, buf.byteOffset + keyStart, keyEnd - keyStart)
      .toString('latin1')
      .replaceAll(' ', '');
    const id = this.names.idOfName(name);
    if (id < 0) return;
    this.ensure(id);
    this.entry(id, this.entKind[at]!, this.entStart[at]!, this.entEnd[at]!);
  }

  /** Set by key(): the key's text span. */
  private get keyStart(): number {
    return this.lastKeyStart;
  }
  private get keyEnd(): number {
    return this.lastKeyEnd;
  }
  private lastKeyStart = 0;
  private lastKeyEnd = 0;
}
