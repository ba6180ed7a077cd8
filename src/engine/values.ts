/** Scalar helpers shared by the matchers: IP/CIDR, numbers, date parts, regex screening. */
import type { TimePart } from '../ir/index.js';
import { parseTime } from './event.js';

/** IPv4 → 4 bytes, IPv6 → 16 bytes (embedded IPv4 and `::` accepted); undefined when not an address. */
export function parseIp(s: string): number[] | undefined {
  const t = s.trim();
  if (t.includes(':')) return parseIp6(t);
  return parseIp4(t);
}

function parseIp4(s: string): number[] | undefined {
  const p = s.split('.');
  if (p.length !== 4) return undefined;
  const out: number[] = [];
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x)) return undefined;
    const n = Number(x);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIp6(s0: string): number[] | undefined {
  let s = s0;
  const pct = s.indexOf('%'); // zone id
  if (pct >= 0) s = s.slice(0, pct);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIp4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = group(halves[0]!);
  const b = halves.length === 2 ? group(halves[1]!) : [];
  if (!a || !b) return undefined;
  let words: number[];
  if (halves.length === 2) {
    if (a.length + b.length > 7) return undefined;
    words = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    if (a.length !== 8) return undefined;
    words = a;
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 255);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** A compiled CIDR test: network bytes and prefix length. */
export function cidrTester(cidr: string): ((s: string) => boolean) | undefined {
  const slash = cidr.indexOf('/');
  const net = parseIp(slash < 0 ? cidr : cidr.slice(0, slash));
  if (!net) return undefined;
  const bits = slash < 0 ? net.length * 8 : Number(cidr.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > net.length * 8) return undefined;
  return (s: string): boolean => {
    const ip = parseIp(s);
    if (ip?.length !== net.length) return false;
    let left = bits;
    for (let i = 0; left > 0; i++, left -= 8) {
      const mask = left >= 8 ? 255 : (0xff << (8 - left)) & 255;
      if (((ip[i]! ^ net[i]!) & mask) !== 0) return false;
    }
    return true;
  };
}

/** A field value as a number for lt/lte/gt/gte: JSON numbers and numeric strings. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const DECIMAL = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Num equality as SIEMs do it: a JSON number equal to the value, or a string holding the same decimal
 * number (`"4688"`, `"0042"` = 42). Hex strings are not numbers here (JSON never writes them as numbers).
 */
export function numEquals(v: unknown, value: number, raw: string): boolean {
  if (typeof v === 'number') return v === value;
  if (typeof v === 'string') {
    const t = v.trim();
    return t.toLowerCase() === raw.toLowerCase() || (DECIMAL.test(t) && Number(t) === value);
  }
  return false;
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the first Thursday). */
function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

/** The date part of a timestamp value (UTC), or undefined when the value is not a time. */
export function timePart(v: unknown, part: TimePart): number | undefined {
  const ms = parseTime(v);
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}

/**
 * Screen a (JavaScript) regex for exponential backtracking: a group that contains an unbounded quantifier
 * (`+`, `*`, `{n,}`) and is itself repeated (`(a+)+`, `(\w+\s?)*`, `(?:.*x){3,}`), or a repeated group of
 * alternatives where one alternative is a prefix of another (`(a|ab)*`). Returns a reason or undefined.
 */
export function hostileRegex(source: string): string | undefined {
  interface Frame {
    unbounded: boolean;
    alts: string[];
    altStart: number;
  }
  const stack: Frame[] = [{ unbounded: false, alts: [], altStart: 0 }];
  let lastGroup: Frame | undefined;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      lastGroup = undefined;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    const top = stack[stack.length - 1]!;
    if (c === '[') {
      inClass = true;
      lastGroup = undefined;
    } else if (c === '(') {
      let j = i + 1;
      if (source[j] === '?') {
        j++;
        if (source[j] === '<' && source[j + 1] !== '=' && source[j + 1] !== '!')
          j = source.indexOf('>', j) + 1;
        else j++;
      }
      stack.push({ unbounded: false, alts: [], altStart: j });
      lastGroup = undefined;
      i = j - 1;
    } else if (c === '|') {
      top.alts.push(source.slice(top.altStart, i));
      top.altStart = i + 1;
    } else if (c === ')' && stack.length > 1) {
      const g = stack.pop()!;
      g.alts.push(source.slice(g.altStart, i));
      if (g.unbounded) stack[stack.length - 1]!.unbounded = true;
      lastGroup = g;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(source.slice(i)))) {
      const m = c === '{' ? /^\{(\d+),(\d*)\}/.exec(source.slice(i)) : null;
      const unbounded = c !== '{' || m?.[2] === '' || Number(m?.[2]) > 16;
      if (lastGroup && unbounded) {
        if (lastGroup.unbounded) return 'a repeated group contains an unbounded quantifier';
        const alts = lastGroup.alts;
        for (let a = 0; a < alts.length; a++)
          for (let b = 0; b < alts.length; b++)
            if (a !== b && alts[a] !== '' && alts[b]!.startsWith(alts[a]!))
              return 'a repeated group has overlapping alternatives';
      }
      if (unbounded) top.unbounded = true;
      if (m) i += m[0].length - 1;
      lastGroup = undefined;
    } else if (c !== '?') lastGroup = undefined;
  }
  return undefined;
}
