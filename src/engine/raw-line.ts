/**
 * What the engine reads of a JSONL line before anything else (src/engine/engine.ts matchLine): where the
 * `"Channel"` and `"EventID"` keys are and the values after them, which route the line to its candidate
 * rules, and whether the line spells characters in ways the prefilter's literal marks cannot see
 * (src/engine/prefilter.ts says why those marks hold otherwise).
 */

import {
  CHANNEL_AT,
  EVENT_ID_AT,
  LINE_AT,
  ROUTE_LINE_BYTES,
  SLASH,
  UNSAFE,
  routeInstance,
} from './route-wasm.js';
import type { RouteFn } from './route-wasm.js';

/** The routing keys; one regex pass finds both (four indexOf passes cost 4× as much: `"` is everywhere). */
const ROUTING_KEYS = /"(?:Channel|EventID)"/g;

/**
 * Where the `"Channel"` and `"EventID"` keys of the line end (plus `base`): -1 when absent, -2 when one
 * occurs more than once (ambiguous: the line is parsed instead). Field names are case-sensitive
 * (toEventView reads `Channel` and `EventID`), so the search is too.
 */
export function routingKeys(line: string, base: number): [channel: number, eventId: number] {
  let channel = -1;
  let eventId = -1;
  ROUTING_KEYS.lastIndex = 0;
  for (let m = ROUTING_KEYS.exec(line); m !== null; m = ROUTING_KEYS.exec(line)) {
    const end = base + m.index + 9; // both keys are 9 characters with their quotes
    if (line.charCodeAt(m.index + 1) === 0x43) channel = channel === -1 ? end : -2;
    else eventId = eventId === -1 ? end : -2;
  }
  return [channel, eventId];
}

/**
 * The literal marks cannot be trusted: a `\u` escape (after an odd run of backslashes: an escape JSON does
 * not need, which may spell any character, a key's too), or one of the two non-ASCII characters whose
 * lowercase is ASCII (U+212A as UTF-8 E2 84 AA; U+0130 as C4 B0), in the line read as latin1. (A `\/`
 * escape hides only the literals that hold `/`: matchLine looks for it where the set has such literals.)
 */
export function unsafeText(line: string): boolean {
  return escapes(line, '\\u') || line.includes('\u00e2\u0084\u00aa') || line.includes('\u00c4\u00b0');
}

/** The line holds `pair` (a backslash and a character) as an escape, not after an escaped backslash. */
export function escapes(line: string, pair: string): boolean {
  for (let i = line.indexOf(pair); i >= 0; i = line.indexOf(pair, i + 1)) {
    let j = i - 1;
    while (j >= 0 && line.charCodeAt(j) === 0x5c) j--;
    if ((i - j) % 2 === 1) return true;
  }
  return false;
}

/**
 * What a line's routing needs (routingKeys, unsafeText and the `\/` escape, for matchLine), found by one
 * WebAssembly SIMD pass over its bytes (src/engine/route-wasm.ts); where WebAssembly is unavailable or the
 * line is longer than the module's buffer, by the string searches above over the line as latin1 (they
 * cost ≈ 0.8 µs a benchmark line with its latin1 copy; the SIMD pass ≈ 0.4).
 */
export class LineRouter {
  /** Where the `"Channel"` key ends (its index in the buffer; -1 absent; -2 spelled more than once). */
  channelAt = -1;
  /** Where the `"EventID"` key ends (as channelAt). */
  eventIdAt = -1;
  /** unsafeText holds for the line. */
  unsafe = false;
  /** The line holds a `\/` escape. */
  slash = false;
  private readonly fn: RouteFn | undefined;
  private readonly mem: Uint8Array | undefined;
  private readonly header: Int32Array | undefined;

  constructor(useWasm = true) {
    const wasm = useWasm ? routeInstance() : undefined;
    this.fn = wasm?.route;
    if (wasm) {
      this.mem = new Uint8Array(wasm.buffer);
      this.header = new Int32Array(wasm.buffer, 0, Math.max(CHANNEL_AT, EVENT_ID_AT) / 4 + 1);
    }
  }

  /** Route buf[s, e). */
  route(buf: Uint8Array, s: number, e: number): void {
    if (this.fn && e - s <= ROUTE_LINE_BYTES) {
      this.mem!.set(buf.subarray(s, e), LINE_AT);
      const flags = this.fn(LINE_AT, LINE_AT + e - s);
      const ch = this.header![CHANNEL_AT / 4]!;
      const ev = this.header![EVENT_ID_AT / 4]!;
      this.channelAt = ch < 0 ? ch : ch - LINE_AT + s;
      this.eventIdAt = ev < 0 ? ev : ev - LINE_AT + s;
      this.unsafe = (flags & UNSAFE) !== 0;
      this.slash = (flags & SLASH) !== 0;
      return;
    }
    const line = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
    [this.channelAt, this.eventIdAt] = routingKeys(line, s);
    this.unsafe = unsafeText(line);
    this.slash = escapes(line, '\\/');
  }
}

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return i;
}

/** The bytes just before `after` spell `key` exactly. */
function keyIs(buf: Uint8Array, after: number, key: string): boolean {
  const from = after - key.length;
  if (from < 0) return false;
  for (let k = 0; k < key.length; k++) if (buf[from + k] !== key.charCodeAt(k)) return false;
  return true;
}

/** Where the value after `key` (spelled just before `at`) and its colon starts; -1 when not so spelled. */
function valueAfter(buf: Uint8Array, at: number, end: number, key: string): number {
  if (!keyIs(buf, at, key)) return -1;
  const i = skipWs(buf, at, end);
  return buf[i] === 0x3a ? skipWs(buf, i + 1, end) : -1;
}

/**
 * The channel string after a `"Channel"` key (undefined for JSON null: no channel); null when it cannot be
 * read cheaply (escapes, not a string).
 */
export function readChannel(buf: Uint8Array, at: number, end: number): string | undefined | null {
  let i = valueAfter(buf, at, end, '"Channel"');
  if (i < 0) return null;
  if (buf[i] === 0x6e && buf[i + 1] === 0x75 && buf[i + 2] === 0x6c && buf[i + 3] === 0x6c) return undefined;
  if (buf[i] !== 0x22) return null;
  const from = i + 1;
  for (i = from; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x22) return Buffer.from(buf.buffer, buf.byteOffset + from, i - from).toString('utf8');
    if (b === 0x5c) return null;
  }
  return null;
}

/**
 * The EventID after an `"EventID"` key: a number, a string of digits, or `{"#text": …}`. undefined when
 * the value is not a plain integer (the event has no numeric EventID); null when unreadable cheaply.
 */
export function readEventId(buf: Uint8Array, at: number, end: number): number | undefined | null {
  let i = valueAfter(buf, at, end, '"EventID"');
  if (i < 0) return null;
  if (buf[i] === 0x7b) {
    // {"#attributes": {…}, "#text": 4688}: find "#text" at depth 1.
    let depth = 0;
    for (; i < end; i++) {
      const b = buf[i]!;
      if (b === 0x22) {
        if (depth === 1 && keyIs(buf, i + 7, '"#text"')) {
          i = valueAfter(buf, i + 7, end, '"#text"');
          if (i < 0) return null;
          break;
        }
        for (i++; i < end && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
      } else if (b === 0x7b) depth++;
      else if (b === 0x7d && --depth === 0) return undefined;
    }
    if (i >= end) return null;
  }
  const quoted = buf[i] === 0x22;
  if (quoted) i++;
  let n = 0;
  let digits = 0;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) {
    n = n * 10 + buf[i]! - 0x30;
    i++;
    digits++;
  }
  if (digits === 0 || digits > 15) return quoted && buf[i] === 0x22 && digits === 0 ? undefined : null;
  if (quoted) return buf[i] === 0x22 ? n : undefined;
  const b = buf[i];
  if (b === 0x2e || b === 0x65 || b === 0x45) return null; // 4688.0 / 4.688e3: leave it to the parser
  return n;
}
