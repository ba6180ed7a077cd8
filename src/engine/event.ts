/**
 * Events as the matchers see them: one flat map from Sigma field names to JSON values, built once per
 * event from whichever shape the input has (the evtx JSON shape `{"Event": {"System", "EventData" |
 * "UserData"}}`, or flat JSON with Sigma names at the top level), plus the routing facts (channel,
 * EventID, provider) and the hit metadata (record id, time, computer).
 */

/**
 * A flat view of one event. Built from a parsed object (`toEventView`) or read lazily from the raw JSON text
 * of a line (src/engine/raw-event.ts); both give the same answers.
 */
export interface EventView {
  /** Field name → value (no prototype, so names like `constructor` are plain keys). */
  readonly fields: Record<string, unknown>;
  /** The object as read (returned in hits). */
  readonly raw: unknown;
  /** The nested object dotted field names are resolved against (the whole event for flat JSON). */
  readonly root: unknown;
  readonly channel: string | undefined;
  readonly eventId: number | undefined;
  readonly provider: string | undefined;
  readonly computer: string | undefined;
  readonly recordId: number | string | undefined;
  /** As written in the event. */
  readonly timestamp: string | undefined;
  /** Milliseconds since the epoch, NaN when absent or unreadable. */
  readonly time: number;
  /** Lowercased string values, filled on first use by case-insensitive matchers. */
  readonly lower: Record<string, string>;
  /**
   * A field's value: the flat name first, then a dotted path through the nested event (cloud and other
   * flat-JSON logs name nested fields `a.b.c`).
   */
  get(name: string): unknown;
  /** The field's value lowercased when it is a string (computed once per event), else undefined. */
  lowerString(name: string): string | undefined;
  /** The event's scalar values, stringified (what keywords search). */
  values(): string[];
  /** values() lowercased and joined by U+0000 (computed once per event): one text for keyword lists. */
  lowerText(): string;
  /**
   * The event's JSON text as read (UTF-8 bytes), when it came from a JSON line the raw reader checked
   * (valid JSON, no duplicate keys): output can carry it as is instead of parsing and writing the event
   * again.
   */
  jsonBytes(): Uint8Array | undefined;
}

/** EventView.lowerText from the values. */
export function lowerText(values: readonly string[]): string {
  // U+0000 is not case-ignorable, so no value's lowercasing (final sigma) depends on its neighbours.
  return values.join('\u0000').toLowerCase();
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"#text": x, "#attributes": …}` → x; anything else unchanged. */
function textOf(v: unknown): unknown {
  if (isObj(v) && '#text' in v) return v['#text'];
  return v;
}

function put(fields: Obj, key: string, value: unknown): void {
  if (!(key in fields)) fields[key] = value;
}

/** EventData / UserData children → fields. Nested elements (UserData) contribute their leaves by name. */
function flattenData(fields: Obj, data: unknown, depth: number): void {
  if (!isObj(data) || depth > 6) return;
  for (const k of Object.keys(data)) {
    if (k === '#attributes') continue;
    const v = data[k];
    if (isObj(v) && !('#text' in v)) {
      flattenData(fields, v, depth + 1);
      continue;
    }
    const name = k === '#text' ? 'Data' : k;
    const value = textOf(v);
    put(fields, name, value);
    // Windows Defender and others name their data "Threat Name", "Source Name" …; Sigma rules write the
    // names without spaces (ThreatName), as Windows event consumers commonly normalize them.
    if (name.includes(' ')) put(fields, name.replaceAll(' ', ''), value);
  }
}

export const INTEGRITY: Record<string, string> = {
  'S-1-16-0': 'Untrusted',
  'S-1-16-4096': 'Low',
  'S-1-16-8192': 'Medium',
  'S-1-16-8448': 'Medium',
  'S-1-16-12288': 'High',
  'S-1-16-16384': 'System',
  'S-1-16-20480': 'Protected',
};

/**
 * Security 4688 carries process creation under its own names; Sigma's process_creation rules are written
 * with Sysmon's. Add the Sysmon names (never overriding a field the event already has).
 */
function mapSecurity4688(f: Obj): void {
  const alias = (to: string, from: string): void => {
    if (from in f) put(f, to, f[from]);
  };
  alias('Image', 'NewProcessName');
  alias('ParentImage', 'ParentProcessName');
  alias('ParentProcessId', 'ProcessId');
  f['ProcessId'] = f['NewProcessId'] ?? f['ProcessId'];
  alias('LogonId', 'SubjectLogonId');
  const user = f['SubjectUserName'];
  const dom = f['SubjectDomainName'];
  if (typeof user === 'string')
    put(f, 'User', typeof dom === 'string' && dom !== '' ? `${dom}\\${user}` : user);
  const label = f['MandatoryLabel'];
  if (typeof label === 'string') {
    const lvl = INTEGRITY[label.toUpperCase()];
    if (lvl !== undefined) put(f, 'IntegrityLevel', lvl);
  }
}

const TIME_KEYS = ['@timestamp', 'timestamp', 'TimeCreated', 'SystemTime', 'UtcTime', 'time', 'eventTime'];
export const RECORD_KEYS = ['EventRecordID', 'record_id', 'RecordNumber', 'RecordID'];

/** Parse the timestamp shapes events use; times without a zone are UTC (as Windows writes them). */
export function parseTime(v: unknown): number {
  if (typeof v === 'number') return v > 1e11 ? v : v * 1000;
  if (typeof v !== 'string' || v === '') return NaN;
  const fast = isoUtc(v);
  if (fast === fast) return fast;
  let s = v.trim();
  if (/^\d{4}-\d\d-\d\d \d/.test(s)) s = s.replace(' ', 'T');
  // JavaScript dates keep milliseconds only; more fractional digits are fine to drop.
  s = s.replace(/(\.\d{3})\d+/, '$1');
  if (/T\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/.test(s)) s += 'Z';
  return Date.parse(s);
}

function digitsAt(s: string, at: number, n: number): number {
  let x = 0;
  for (let k = at; k < at + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    x = x * 10 + d;
  }
  return x;
}

/**
 * `YYYY-MM-DDThh:mm:ss[.fff…]Z`, the form Windows events carry, without the regexes of the general path;
 * NaN for anything else (the general path decides). Gives what Date.parse gives for these strings.
 */
function isoUtc(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 0x5a || s.charCodeAt(10) !== 0x54) return NaN;
  if (s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return NaN;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  if (sec < 0 || sec > 59) return NaN;
  let ms = 0;
  if (n > 20) {
    // A fraction of at least three digits (milliseconds; the rest is dropped).
    if (s[19] !== '.' || n < 24 || digitsAt(s, 20, n - 21) < 0) return NaN;
    ms = digitsAt(s, 20, 3);
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export interface EventMeta {
  /** Record id when the event has none of its own (e.g. the EVTX record header number). */
  fallbackRecordId?: number | string;
  /** Overrides the timestamp found in the event. */
  timestamp?: string;
}

/** Build the flat view of a parsed JSON event (either shape). */
export function toEventView(raw: unknown, meta: EventMeta = {}): EventView {
  const fields: Obj = Object.create(null) as Obj;
  let root: unknown = raw;
  const ev = isObj(raw) && isObj(raw['Event']) ? raw['Event'] : undefined;
  let time: unknown;
  if (ev && isObj(ev['System'])) {
    root = ev;
    const sys = ev['System'];
    // System names win over EventData names (EventData sometimes has its own "Channel", "ProcessID" …).
    for (const k of Object.keys(sys)) {
      const v = sys[k];
      if (isObj(v)) {
        if ('#text' in v) fields[k] = v['#text'];
        const attrs = v['#attributes'];
        if (isObj(attrs)) for (const a of Object.keys(attrs)) fields[`${k}_${a}`] = attrs[a];
      } else fields[k] = v;
    }
    flattenData(fields, ev['EventData'], 0);
    flattenData(fields, ev['UserData'], 0);
    time = fields['TimeCreated_SystemTime'];
  } else if (isObj(raw)) {
    for (const k of Object.keys(raw)) fields[k] = textOf(raw[k]);
    for (const k of TIME_KEYS) {
      const v = fields[k];
      if (v !== undefined && v !== null) {
        time = isObj(v) && isObj(v['#attributes']) ? v['#attributes']['SystemTime'] : v;
        break;
      }
    }
  }
  const eventId = num(fields['EventID']);
  const channel = str(fields['Channel']);
  if (eventId === 4688 && channel?.toLowerCase() === 'security') mapSecurity4688(fields);
  let recordId: number | string | undefined;
  for (const k of RECORD_KEYS) {
    const v = fields[k];
    if (typeof v === 'number' || typeof v === 'string') {
      recordId = v;
      break;
    }
  }
  recordId ??= meta.fallbackRecordId;
  const timestamp = meta.timestamp ?? str(time);
  return new ObjectEventView(fields, raw, root, {
    channel,
    eventId,
    provider: str(fields['Provider_Name'] ?? fields['Provider']),
    computer: str(fields['Computer'] ?? fields['Hostname'] ?? fields['host']),
    recordId,
    timestamp,
  });
}

export interface ViewMeta {
  channel: string | undefined;
  eventId: number | undefined;
  provider: string | undefined;
  computer: string | undefined;
  recordId: number | string | undefined;
  timestamp: string | undefined;
}

/** The view of a parsed object. */
class ObjectEventView implements EventView {
  readonly channel: string | undefined;
  readonly eventId: number | undefined;
  readonly provider: string | undefined;
  readonly computer: string | undefined;
  readonly recordId: number | string | undefined;
  readonly timestamp: string | undefined;
  readonly time: number;
  readonly lower: Record<string, string> = Object.create(null) as Record<string, string>;

  constructor(
    readonly fields: Record<string, unknown>,
    readonly raw: unknown,
    readonly root: unknown,
    meta: ViewMeta,
  ) {
    this.channel = meta.channel;
    this.eventId = meta.eventId;
    this.provider = meta.provider;
    this.computer = meta.computer;
    this.recordId = meta.recordId;
    this.timestamp = meta.timestamp;
    this.time = parseTime(meta.timestamp);
  }

  get(name: string): unknown {
    const v = this.fields[name];
    if (v !== undefined || !name.includes('.')) return v;
    return dottedValue(this.root, name);
  }

  lowerString(name: string): string | undefined {
    const v = this.get(name);
    if (typeof v !== 'string') return undefined;
    let l = this.lower[name];
    if (l === undefined) this.lower[name] = l = v.toLowerCase();
    return l;
  }

  values(): string[] {
    return scalarValues(this.fields);
  }

  private text: string | undefined;
  lowerText(): string {
    return (this.text ??= lowerText(this.values()));
  }

  jsonBytes(): undefined {
    return undefined;
  }
}

/** `a.b.c` through nested objects (`{"#text": …}` unwrapped on the way). */
export function dottedValue(root: unknown, name: string): unknown {
  let cur: unknown = root;
  for (const p of name.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = textOf(cur[p]);
  }
  return cur;
}

/** A field's value (see EventView.get). */
export function fieldValue(ev: EventView, name: string): unknown {
  return ev.get(name);
}

/** Every scalar value in the event, stringified (what keywords search). */
export function allValues(ev: EventView): string[] {
  return ev.values();
}

/** Every scalar under the values of `fields`, stringified. */
export function scalarValues(fields: Record<string, unknown>): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 32) return;
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObj(v)) for (const k of Object.keys(v)) visit(v[k], depth + 1);
  };
  for (const k of Object.keys(fields)) visit(fields[k], 0);
  return out;
}
