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
import type { EventView, ViewMeta } from './event.js';
import { INTEGRITY, RECORD_KEYS, num, str } from './event.js';
import { FNV_OFFSET, FNV_PRIME, Names } from './raw-names.js';
import type { FieldSpans } from './prefilter-index.js';
import { JsonScanner } from './raw-scan.js';
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
/** A string holding a backslash escape and a non-ASCII byte: decoded as STRING_ESCAPED is. */
const STRING_ESCAPED_UTF8 = 9;

/** Deepest data object mirrored (flattenData stops at 6; beyond 4 the line is parsed). */
const MAX_DATA_DEPTH = 4;

/**
 * Nesting levels of the objects whose keys the reader reads: the line 0, Event 1, System / EventData /
 * UserData 2, a System child 3 and its `#attributes` 4, data objects down to 2 + MAX_DATA_DEPTH = 6.
 */
const LEVEL_BITS = 3;

/** Stamps (of objects, of lines) start again above this: they are kept in Int32Arrays. */
const STAMP_LIMIT = 2 ** 30;

/** Size of the key prediction table (a power of two). */
const PREDICTIONS = 1 << 14;

function resize<T extends Int32Array<ArrayBuffer>>(a: T, n: number): T {
  const b = new Int32Array(n) as T;
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
export class RawEventReader extends JsonScanner implements FieldSpans {
  private readonly names = new Names();
  private readonly known: Known;
  // Entries of the current line, in reading order: name id, value kind, value span.
  private entName = new Int32Array(256);
  private entKind = new Int32Array(256);
  private entStart = new Int32Array(256);
  private entEnd = new Int32Array(256);
  private entCount = 0;
  // Per name id: the entry holding its value in the current line (when stamp[id] === lineStamp).
  private slotStamp = new Int32Array(1024);
  private slotEntry = new Int32Array(1024);
  // Duplicate-key check: keyStamp[id << LEVEL_BITS | level] holds the stamp of the last object at that
  // level that had the key (an object's stamp is unique; its children are at other levels).
  private keyStamp = new Int32Array(1024 << LEVEL_BITS);
  // Key prediction: after the two keys whose ids hash to context c, the next key read last time was id
  // nextKey[c] - 1 (0: none). Lines of one kind repeat their keys in the same order: a predicted key is
  // compared, not hashed. Two keys, for `#attributes` follows each System child.
  private readonly nextKey = new Int32Array(PREDICTIONS);
  private context = 0;
  private prevKey = 0;
  private readonly startKey: number;
  // System attributes' names (`Provider` + `Name` → `Provider_Name`): by the attribute's id, the parent's
  // id + 1 and the combined id last seen.
  private comboParent = new Int32Array(1024);
  private comboId = new Int32Array(1024);
  // Decoded values of the current line: vals[id] when valStamp[id] === lineStamp.
  private valStamp = new Int32Array(1024);
  private vals: unknown[] = [];
  private lowStamp = new Int32Array(1024);
  private lows: (string | undefined)[] = [];
  private objStamp = 0;
  private lineStamp = 0;
  /** Calls of read(): a view knows whether the reader still holds its line. */
  reads = 0;
  /** Ids set in the current line, in order. */
  private setIds = new Int32Array(256);
  private setCount = 0;
  /** Values the reader computed, by entry index (kind SYNTH; set with the entry, never read otherwise). */
  private synth: unknown[] = [];
  // Set by readData(): the object just read had a direct `#text` key, and that value's entry fields.
  private hadText = false;
  private textKind = 0;
  private textStart = 0;
  private textEnd = 0;
  private readonly view: RawEventView;

  /** `useIndex: false`: strings scanned byte by byte, not through the WebAssembly index (for tests). */
  constructor(useIndex = true) {
    super(useIndex);
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
    // A name no key spells (keys with `"` are escaped): what the first key of a line follows.
    this.startKey = n('"');
    this.ensure(this.startKey);
    this.view = new RawEventView(this);
  }

  /** The view of buf[start, end) (one JSON object, trimmed), or undefined: parse it instead. */
  read(buf: Buffer, start: number, end: number): EventView | undefined {
    this.begin(buf, start, end);
    this.entCount = 0;
    this.reads++;
    if (this.objStamp > STAMP_LIMIT || this.lineStamp > STAMP_LIMIT) this.restamp();
    this.prevKey = this.startKey;
    this.context = this.startKey;
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
      const k = this.key(i, 0, top);
      if (k < 0) return undefined;
      i = this.afterColon;
      if (k === this.known.event) {
        if (buf[i] !== 0x7b) return undefined;
        sawEvent = true;
        const ev = ++this.objStamp;
        i = this.ws(i + 1);
        if (buf[i] !== 0x7d)
          for (;;) {
            const ek = this.key(i, 1, ev);
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
    this.setCount = 0;
    for (let k = sys; k < sysEnd; k++) this.assign(this.entName[k]!, k, stamp);
    for (let k = data; k >= 0 && k < dataEnd; k++) this.put(this.entName[k]!, k, stamp);
    for (let k = user; k >= 0 && k < userEnd; k++) this.put(this.entName[k]!, k, stamp);
    const K = this.known;
    if (
      num(this.valueById(K.eventId)) === 4688 &&
      str(this.valueById(K.channel))?.toLowerCase() === 'security'
    )
      this.mapSecurity4688(stamp);
    // The view's metadata is decoded when first asked for (hits, correlations, routing of unsafe lines).
    this.view.reset(buf, start, end, this.reads);
    return this.view;
  }

  /** The current line's metadata (toEventView's). */
  meta(): ViewMeta {
    const K = this.known;
    let recordId: number | string | undefined;
    for (const id of K.records) {
      const v = this.valueById(id);
      if (typeof v === 'number' || typeof v === 'string') {
        recordId = v;
        break;
      }
    }
    return {
      channel: str(this.valueById(K.channel)),
      eventId: num(this.valueById(K.eventId)),
      provider: str(this.valueById(K.providerName) ?? this.valueById(K.provider)),
      computer: str(this.valueById(K.computer) ?? this.valueById(K.hostname) ?? this.valueById(K.host)),
      recordId,
      timestamp: str(this.valueById(K.systemTime)),
    };
  }

  /** Stamps start again before they overflow the Int32Arrays that hold them. */
  private restamp(): void {
    this.objStamp = 0;
    this.keyStamp.fill(0);
    this.lineStamp = 0;
    this.slotStamp.fill(0);
    this.valStamp.fill(0);
    this.lowStamp.fill(0);
  }

  /** Value of a field in the current line (undefined when absent). */
  valueById(id: number): unknown {
    if (id < 0 || id >= this.slotStamp.length || this.slotStamp[id] !== this.lineStamp) return undefined;
    // Decoded once per line: several rules read the same fields.
    if (this.valStamp[id] === this.lineStamp) return this.vals[id];
    const v = this.decode(this.slotEntry[id]!);
    this.valStamp[id] = this.lineStamp;
    this.vals[id] = v;
    return v;
  }

  /** The id under which holds() knows a field (-1: never, e.g. a name with non-ASCII characters). */
  fieldId(name: string): number {
    const id = this.names.idOfName(name);
    if (id >= 0) this.ensure(id);
    return id;
  }

  /**
   * Whether the value of field `id` in the current line lies over bytes [from, from + len) of the line (a
   * string's closing quote counts as its own); true for a value the reader computed (Security 4688's `User`
   * is joined from two fields), false for an absent field. For the prefilter (FieldSpans).
   */
  holds(id: number, from: number, len: number): boolean {
    if (this.slotStamp[id] !== this.lineStamp) return false;
    const k = this.slotEntry[id]!;
    if (this.entKind[k] === SYNTH) return true;
    return from >= this.entStart[k]! && from + len <= this.entEnd[k]! + 1;
  }

  /** Whether the raw text of field `id`'s value holds a non-ASCII byte, or the value is computed (FieldSpans). */
  nonAsciiBytes(id: number): boolean {
    if (this.slotStamp[id] !== this.lineStamp) return false;
    const kind = this.entKind[this.slotEntry[id]!];
    return kind === STRING_UTF8 || kind === STRING_ESCAPED_UTF8 || kind === SYNTH;
  }

  /** Value of a field by name in the current line. */
  value(name: string): unknown {
    const id = this.names.ids.get(name);
    return id === undefined ? undefined : this.valueById(id);
  }

  /** The lowercased value of a string field in the current line (once per line); undefined otherwise. */
  lowerString(name: string): string | undefined {
    const id = this.names.ids.get(name);
    if (id === undefined) return undefined;
    if (this.lowStamp[id] === this.lineStamp) return this.lows[id];
    const v = this.valueById(id);
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
    for (let k = 0; k < this.setCount; k++) {
      const id = this.setIds[k]!;
      out[this.names.names[id]!] = this.decode(this.slotEntry[id]!);
    }
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
      case STRING_ESCAPED_UTF8:
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
    this.slotStamp = resize(this.slotStamp, n);
    this.slotEntry = resize(this.slotEntry, n);
    this.keyStamp = resize(this.keyStamp, n << LEVEL_BITS);
    this.comboParent = resize(this.comboParent, n);
    this.comboId = resize(this.comboId, n);
    this.valStamp = resize(this.valStamp, n);
    this.lowStamp = resize(this.lowStamp, n);
  }

  private assign(id: number, k: number, stamp: number): void {
    if (this.slotStamp[id] !== stamp) this.setId(id);
    this.slotStamp[id] = stamp;
    this.slotEntry[id] = k;
  }

  private put(id: number, k: number, stamp: number): void {
    if (this.slotStamp[id] === stamp) return;
    this.slotStamp[id] = stamp;
    this.slotEntry[id] = k;
    this.setId(id);
  }

  private setId(id: number): void {
    if (this.setCount === this.setIds.length) this.setIds = resize(this.setIds, this.setCount * 2);
    this.setIds[this.setCount++] = id;
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
    const np = this.valueById(K.newProcessId);
    if (np !== undefined && np !== null) this.assign(K.processId, this.slotEntry[K.newProcessId]!, stamp);
    else if (!this.has(K.processId)) this.assign(K.processId, this.synthEntry(undefined), stamp);
    alias(K.logonId, K.subjectLogonId);
    const user = this.valueById(K.subjectUserName);
    const dom = this.valueById(K.subjectDomainName);
    if (typeof user === 'string')
      this.put(
        K.user,
        this.synthEntry(typeof dom === 'string' && dom !== '' ? `${dom}\\${user}` : user),
        stamp,
      );
    const label = this.valueById(K.mandatoryLabel);
    if (typeof label === 'string') {
      const lvl = INTEGRITY[label.toUpperCase()];
      if (lvl !== undefined) this.put(K.integrityLevel, this.synthEntry(lvl), stamp);
    }
  }

  private entry(name: number, kind: number, s: number, e: number): number {
    const k = this.entCount++;
    if (k === this.entName.length) {
      this.entName = resize(this.entName, k * 2);
      this.entKind = resize(this.entKind, k * 2);
      this.entStart = resize(this.entStart, k * 2);
      this.entEnd = resize(this.entEnd, k * 2);
    }
    this.entName[k] = name;
    this.entKind[k] = kind;
    this.entStart[k] = s;
    this.entEnd[k] = e;
    return k;
  }

  /** Set by key(): index of the value after the key's colon. */
  private afterColon = 0;

  /**
   * The key at buf[i] (a plain ASCII string not starting with a digit, not seen before in this object `obj`
   * at nesting `level`): its name id, and `afterColon` set. -1 when the reader must decline.
   */
  private key(i: number, level: number, obj: number): number {
    const buf = this.buf;
    const end = this.end;
    if (buf[i] !== 0x22) return -1;
    const names = this.names;
    // The key that followed the previous two last time, if it is spelled here (then it is the whole
    // string: names hold no `"`, `\`, control or non-ASCII byte).
    const context = (Math.imul(this.prevKey, 0x9e3779b1) ^ this.context) & (PREDICTIONS - 1);
    let id = this.nextKey[context]! - 1;
    const len = id >= 0 ? names.len[id]! : 0;
    let e: number;
    if (id >= 0 && i + 1 + len < end && buf[i + 1 + len] === 0x22 && names.matches(id, buf, i + 1))
      e = i + 2 + len;
    else {
      // Scan the string and hash it in the same pass; an escape, a control or non-ASCII byte: decline.
      let h = FNV_OFFSET;
      let j = i + 1;
      for (; j < end; j++) {
        const b = buf[j]!;
        if (b === 0x22) break;
        if (b === 0x5c || b < 0x20 || b >= 0x80) return -1;
        h = Math.imul(h ^ b, FNV_PRIME);
      }
      if (j === end) return -1;
      id = names.find(h, buf, i + 1, j);
      if (id < 0) return -1;
      this.ensure(id);
      this.nextKey[context] = id + 1;
      e = j + 1;
    }
    this.context = this.prevKey;
    this.prevKey = id;
    this.lastKeyStart = i + 1;
    this.lastKeyEnd = e - 1;
    const first = buf[i + 1]!;
    if (first >= 0x30 && first <= 0x39) return -1;
    const at = (id << LEVEL_BITS) | level;
    if (this.keyStamp[at] === obj) return -1;
    this.keyStamp[at] = obj;
    const c = buf[e] === 0x3a ? e : this.ws(e);
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
      kind = this.escaped
        ? this.wide
          ? STRING_ESCAPED_UTF8
          : STRING_ESCAPED
        : this.wide
          ? STRING_UTF8
          : STRING;
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

  /** System: scalars by name; `{"#text", "#attributes"}` children as `name` and `name_attribute`. */
  private readSystem(i: number): number {
    const buf = this.buf;
    const obj = ++this.objStamp;
    i = this.ws(i + 1);
    if (buf[i] === 0x7d) return i + 1;
    for (;;) {
      const k = this.key(i, 2, obj);
      if (k < 0) return -1;
      i = this.afterColon;
      const keyStart = this.keyStart;
      const keyEnd = this.keyEnd;
      if (buf[i] === 0x7b) {
        const child = ++this.objStamp;
        i = this.ws(i + 1);
        if (buf[i] !== 0x7d)
          for (;;) {
            const ck = this.key(i, 3, child);
            if (ck < 0) return -1;
            i = this.afterColon;
            if (ck === this.known.text) i = this.scalar(i, k);
            else if (ck === this.known.attributes && buf[i] === 0x7b) {
              const attrs = ++this.objStamp;
              i = this.ws(i + 1);
              if (buf[i] !== 0x7d)
                for (;;) {
                  const ak = this.key(i, 4, attrs);
                  if (ak < 0) return -1;
                  i = this.afterColon;
                  const name = this.combo(k, keyStart, keyEnd, ak);
                  if (name < 0) return -1;
                  i = this.scalar(i, name);
                  if (i < 0) return -1;
                  i = this.ws(i);
                  if (buf[i] === 0x2c) i = this.ws(i + 1);
                  else if (buf[i] === 0x7d) break;
                  else return -1;
                }
              i++;
            } else i = this.skip(i, 0);
            if (i < 0) return -1;
            i = this.ws(i);
            if (buf[i] === 0x2c) i = this.ws(i + 1);
            else if (buf[i] === 0x7d) break;
            else return -1;
          }
        i++;
      } else i = this.scalar(i, k);
      if (i < 0) return -1;
      i = this.ws(i);
      if (buf[i] === 0x2c) i = this.ws(i + 1);
      else if (buf[i] === 0x7d) return i + 1;
      else return -1;
    }
  }

  /**
   * EventData / UserData (flattenData in event.ts): scalars and `{"#text": …}` by name (`#text` itself as
   * `Data`), names with spaces also without them, objects without `#text` contribute their own fields.
   * Sets `hadText` and the text value's span for the caller.
   */
  private readData(i: number, depth: number): number {
    const buf = this.buf;
    const obj = ++this.objStamp;
    let hadText = false;
    let textKind = 0;
    let textStart = 0;
    let textEnd = 0;
    i = this.ws(i + 1);
    if (buf[i] !== 0x7d)
      for (;;) {
        const k = this.key(i, 2 + depth, obj);
        if (k < 0) return -1;
        i = this.afterColon;
        if (k === this.known.attributes) i = this.skip(i, 0);
        else if (buf[i] === 0x7b) {
          if (depth + 1 > MAX_DATA_DEPTH) return -1;
          const mark = this.entCount;
          i = this.readData(i, depth + 1);
          if (i < 0) return -1;
          if (k === this.known.text) return -1;
          if (this.hadText) {
            // The `#text` value, as an entry for the key.
            this.entCount = mark;
            this.spaced(this.entry(k, this.textKind, this.textStart, this.textEnd), k);
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
          this.spaced(at, k);
        }
        if (i < 0) return -1;
        i = this.ws(i);
        if (buf[i] === 0x2c) i = this.ws(i + 1);
        else if (buf[i] === 0x7d) break;
        else return -1;
      }
    this.hadText = hadText;
    this.textKind = textKind;
    this.textStart = textStart;
    this.textEnd = textEnd;
    return i + 1;
  }

  /** A name with spaces is also reachable without them (`Threat Name` → `ThreatName`). */
  private spaced(at: number, key: number): void {
    if (this.names.spaced[key] === 0 || this.entName[at] === this.known.data) return;
    const id = this.names.idOfName(this.names.names[key]!.replaceAll(' ', ''));
    if (id < 0) return;
    this.ensure(id);
    this.entry(id, this.entKind[at]!, this.entStart[at]!, this.entEnd[at]!);
  }

  /** Id of `parent_attr` for an attribute of a System child (`Provider` + `Name` → `Provider_Name`). */
  private combo(parent: number, parentStart: number, parentEnd: number, attr: number): number {
    if (this.comboParent[attr] === parent + 1) return this.comboId[attr]!;
    const id = this.names.idOf(this.buf, parentStart, parentEnd, this.keyStart, this.keyEnd);
    if (id < 0) return -1;
    this.ensure(id);
    this.comboParent[attr] = parent + 1;
    this.comboId[attr] = id;
    return id;
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
