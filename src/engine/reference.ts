/**
 * The reference interpreter: walks the IR for every event, with the plainest code that states Sigma's
 * semantics (a backtracking wildcard matcher, no batching, no caches, no prefilter). It is slow on
 * purpose; tests run it beside the compiled matchers and require the same answers.
 */
import type { IrNode, IrValue, StrPart } from '../ir/index.js';
import { translateRegex } from '../sigma/index.js';
import type { EventView } from './event.js';
import { fieldValue, parseTime } from './event.js';

/** Does the tree match the event? Placeholders must already be expanded. */
export function referenceMatch(node: IrNode, ev: EventView): boolean {
  switch (node.kind) {
    case 'And':
      return node.children.every((c) => referenceMatch(c, ev));
    case 'Or':
      return node.children.some((c) => referenceMatch(c, ev));
    case 'Not':
      return !referenceMatch(node.child, ev);
    case 'Const':
      return node.value;
    case 'FieldMatch':
      return fieldMatches(fieldValue(ev, node.field), node.value, ev);
    case 'Keyword':
      return scalars(ev.fields).some((s) => keywordMatches(s, node.value));
  }
}

/** Every scalar under a value, in document order. */
function scalars(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(scalars);
  if (typeof v === 'object') return Object.values(v).flatMap(scalars);
  return [v];
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function fieldMatches(v: unknown, value: IrValue, ev: EventView): boolean {
  if (value.kind === 'Null') return v === undefined || v === null;
  if (value.kind === 'Exists') return (v !== undefined && v !== null) === value.value;
  const items = v === undefined || v === null ? [] : Array.isArray(v) ? (v.flat(Infinity) as unknown[]) : [v];
  return items.some((x) => x !== undefined && x !== null && scalarMatches(x, value, ev));
}

function keywordMatches(s: unknown, value: IrValue): boolean {
  const t = text(s);
  if (t === undefined) return false;
  switch (value.kind) {
    case 'Str':
      return wildcardMatch(
        t,
        [{ kind: 'WildcardMulti' }, ...value.parts, { kind: 'WildcardMulti' }],
        !value.cased,
      );
    case 'Num':
      return t.toLowerCase().includes(value.raw.toLowerCase());
    case 'Bool':
      return t.toLowerCase().includes(String(value.value));
    case 'Re':
      return regex(value).test(t);
    default:
      return false;
  }
}

function regex(value: Extract<IrValue, { kind: 'Re' }>): RegExp {
  const t = translateRegex(value.pattern, value.flags);
  if (!t.ok) throw new Error(t.message);
  const f = t.value.flags;
  return new RegExp(t.value.source, (f.i ? 'i' : '') + (f.m ? 'm' : '') + (f.s ? 's' : ''));
}

function scalarMatches(x: unknown, value: IrValue, ev: EventView): boolean {
  switch (value.kind) {
    case 'Str': {
      const t = text(x);
      return t !== undefined && wildcardMatch(t, value.parts, !value.cased);
    }
    case 'Num':
      if (typeof x === 'number') return x === value.value;
      if (typeof x === 'string') {
        const t = x.trim();
        return (
          t.toLowerCase() === value.raw.toLowerCase() ||
          (/^[+-]?\d+(?:\.\d+)?$/.test(t) && Number(t) === value.value)
        );
      }
      return false;
    case 'Bool':
      return x === value.value || (typeof x === 'string' && x.toLowerCase() === String(value.value));
    case 'Re': {
      const t = text(x);
      return t !== undefined && regex(value).test(t);
    }
    case 'Cidr':
      return typeof x === 'string' && inCidr(x, value.cidr);
    case 'Compare': {
      const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
      if (!Number.isFinite(n)) return false;
      if (value.op === 'lt') return n < value.value;
      if (value.op === 'lte') return n <= value.value;
      if (value.op === 'gt') return n > value.value;
      return n >= value.value;
    }
    case 'FieldRef': {
      const mine = text(x)?.toLowerCase();
      if (mine === undefined) return false;
      const others = scalars(fieldValue(ev, value.field)).map((o) => text(o)?.toLowerCase());
      return others.some((o) => {
        if (o === undefined) return false;
        if (value.parts === 'contains') return mine.includes(o);
        if (value.parts === 'startswith') return mine.startsWith(o);
        if (value.parts === 'endswith') return mine.endsWith(o);
        return mine === o;
      });
    }
    case 'TimePart': {
      const ms = parseTime(x);
      if (Number.isNaN(ms)) return false;
      const d = new Date(ms);
      const parts: Record<string, number> = {
        minute: d.getUTCMinutes(),
        hour: d.getUTCHours(),
        day: d.getUTCDate(),
        month: d.getUTCMonth() + 1,
        year: d.getUTCFullYear(),
        week: isoWeek(d),
      };
      return parts[value.part] === value.value;
    }
    case 'Null':
    case 'Exists':
    case 'QueryExpr':
      return false;
  }
}

/** Backtracking wildcard match over code points; case folding by lowercasing both sides. */
export function wildcardMatch(s: string, parts: readonly StrPart[], fold: boolean): boolean {
  // Code points, not UTF-16 units: `?` stands for one character.
  const subject = Array.from(fold ? s.toLowerCase() : s);
  const pat: ({ lit: string } | { multi: true } | { single: true })[] = [];
  for (const p of parts) {
    if (p.kind === 'Lit') for (const c of fold ? p.text.toLowerCase() : p.text) pat.push({ lit: c });
    else if (p.kind === 'WildcardMulti') pat.push({ multi: true });
    else if (p.kind === 'WildcardSingle') pat.push({ single: true });
    else return false;
  }
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (pat.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    const p = pat[j];
    if (p === undefined) r = i === subject.length;
    else if ('multi' in p) r = go(i, j + 1) || (i < subject.length && go(i + 1, j));
    else if ('single' in p) r = i < subject.length && go(i + 1, j + 1);
    else r = subject[i] === p.lit && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** IP in CIDR by comparing the leading bits as text, via BigInt. */
function inCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/');
  const a = ipBits(ip.trim());
  const b = ipBits(net!);
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  const n = len === undefined ? b.length : Number(len);
  return a.slice(0, n) === b.slice(0, n);
}

function ipBits(s: string): string | undefined {
  if (!s.includes(':')) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
    if (!m) return undefined;
    const nums = m.slice(1).map(Number);
    if (nums.some((x) => x > 255)) return undefined;
    return nums.map((x) => x.toString(2).padStart(8, '0')).join('');
  }
  let t = s.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const bits = ipBits(v4[1]!);
    if (bits === undefined) return undefined;
    const hi = parseInt(bits.slice(0, 16), 2).toString(16);
    const lo = parseInt(bits.slice(16), 2).toString(16);
    t = t.slice(0, t.length - v4[1]!.length) + hi + ':' + lo;
  }
  const sides = t.split('::');
  if (sides.length > 2) return undefined;
  const words = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const head = words(sides[0]!);
  const tail = sides.length === 2 ? words(sides[1]!) : [];
  const fill = sides.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (sides.length === 2 && fill === 0)) return undefined;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (all.length !== 8 || all.some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return undefined;
  return all
    .map((w) =>
      BigInt('0x' + w)
        .toString(2)
        .padStart(16, '0'),
    )
    .join('');
}

function isoWeek(d: Date): number {
  // Thursday of this ISO week decides the year; count weeks from that year's first Thursday's week.
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Day = (new Date(jan4).getUTCDay() + 6) % 7;
  const week1Thursday = jan4 - jan4Day * 86400000 + 3 * 86400000;
  return 1 + Math.round((thursday - week1Thursday) / (7 * 86400000));
}
