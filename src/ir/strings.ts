/** Sigma string values: parsing wildcards and escapes into parts, and the encodings modifiers apply. */
import { packed } from '../sigma/packed.js';
import type { StrPart } from './types.js';

/**
 * `*` and `?` are wildcards; `\*`, `\?` and `\\` are the literal characters; a backslash before anything
 * else is itself literal (so Windows paths need no doubling).
 */
const SPECIAL = /[\\*?]/;
const BACKSLASH = 0x5c;
const STAR_CODE = 0x2a;
const QUESTION = 0x3f;

/**
 * The wildcard parts, shared by every string (lowered rules stay in memory during a conversion; a part is
 * never modified in place).
 */
export const STAR: StrPart = { kind: 'WildcardMulti' };
export const QMARK: StrPart = { kind: 'WildcardSingle' };

export function parseSigmaString(s: string): StrPart[] {
  // Most values have no wildcard or backslash: one literal, without the scan.
  if (!SPECIAL.test(s)) return s === '' ? [] : [{ kind: 'Lit', text: s }];
  const parts: StrPart[] = [];
  // Literal text is copied in slices (from `from` up to the next escape or wildcard), and the next
  // special character is found with indexOf (one search per kind of character), not a character loop:
  // Windows paths are full of backslashes, and native search is fast before the JIT has warmed up.
  let lit = '';
  let from = 0;
  let bs = s.indexOf('\\');
  let star = s.indexOf('*');
  let qm = s.indexOf('?');
  for (let i = first(bs, star, qm); i >= 0; i = first(bs, star, qm)) {
    let next = i + 1;
    if (i === bs) {
      const n = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (n === STAR_CODE || n === QUESTION || n === BACKSLASH) {
        // Drop the backslash; the escaped character starts the next slice.
        lit += s.slice(from, i);
        from = i + 1;
        next = i + 2;
      }
    } else {
      lit += s.slice(from, i);
      if (lit !== '') parts.push({ kind: 'Lit', text: lit });
      lit = '';
      parts.push(i === star ? STAR : QMARK);
      from = i + 1;
    }
    if (bs >= 0 && bs < next) bs = s.indexOf('\\', next);
    if (star >= 0 && star < next) star = s.indexOf('*', next);
    if (qm >= 0 && qm < next) qm = s.indexOf('?', next);
  }
  lit += s.slice(from);
  if (lit !== '') parts.push({ kind: 'Lit', text: lit });
  return packed(parts);
}

/** The smallest of three indexes that are not -1, or -1. */
function first(a: number, b: number, c: number): number {
  let m = a;
  if (b >= 0 && (m < 0 || b < m)) m = b;
  if (c >= 0 && (m < 0 || c < m)) m = c;
  return m;
}

/** Split literal parts on `%name%` into Placeholder parts (the `expand` modifier). */
export function insertPlaceholders(parts: readonly StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const p of parts) {
    if (p.kind !== 'Lit') {
      out.push(p);
      continue;
    }
    let last = 0;
    for (const m of p.text.matchAll(/%(\w+)%/g)) {
      if (m.index > last) out.push({ kind: 'Lit', text: p.text.slice(last, m.index) });
      out.push({ kind: 'Placeholder', name: m[1]! });
      last = m.index + m[0].length;
    }
    if (last < p.text.length) out.push({ kind: 'Lit', text: p.text.slice(last) });
  }
  return mergeLits(out);
}

export function mergeLits(parts: readonly StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.kind === 'Lit' && p.text === '') continue;
    if (p.kind === 'Lit' && prev?.kind === 'Lit')
      out[out.length - 1] = { kind: 'Lit', text: prev.text + p.text };
    else out.push(p);
  }
  return out;
}

export function hasSpecial(parts: readonly StrPart[]): boolean {
  return parts.some((p) => p.kind !== 'Lit');
}

export function plainText(parts: readonly StrPart[]): string {
  return parts
    .map((p) =>
      p.kind === 'Lit'
        ? p.text
        : p.kind === 'WildcardMulti'
          ? '*'
          : p.kind === 'WildcardSingle'
            ? '?'
            : `%${p.name}%`,
    )
    .join('');
}

/** Inverse of parseSigmaString: Sigma source text with escapes. */
export function sigmaText(parts: readonly StrPart[]): string {
  return parts
    .map((p) =>
      p.kind === 'Lit'
        ? p.text.replace(/[*?]|\\(?=[*?\\]|$)/g, (c) => '\\' + c)
        : p.kind === 'WildcardMulti'
          ? '*'
          : p.kind === 'WildcardSingle'
            ? '?'
            : `%${p.name}%`,
    )
    .join('');
}

/** Each literal char followed by NUL (UTF-16LE of ASCII, as pySigma's wide modifier writes it). */
export function utf16Chars(text: string, order: 'le' | 'be'): string {
  let out = '';
  for (const ch of text) {
    const buf = Buffer.from(ch, order === 'le' ? 'utf16le' : 'utf16le');
    if (order === 'be') buf.swap16();
    out += buf.toString('latin1');
  }
  return out;
}

/** The bytes a base64 modifier encodes: the text as UTF-8, except code units produced by utf16 modifiers. */
export function textBytes(text: string, utf16: boolean): Buffer {
  // Strings produced by the utf16* modifiers hold one char per byte (latin1); plain strings are UTF-8.
  return utf16 ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

export function base64(bytes: Buffer): string {
  return bytes.toString('base64');
}

/** The three base64 variants that match `bytes` at any offset inside a longer encoded text. */
export function base64Offsets(bytes: Buffer): string[] {
  const start = [0, 2, 3];
  const end: (number | undefined)[] = [undefined, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const e = end[(bytes.length + i) % 3];
    out.push(enc.slice(start[i], e));
  }
  return out;
}

/** windash: every `-` or `/` that starts a word after a non-word char, in all five dash forms. */
export function windashVariants(parts: readonly StrPart[]): StrPart[][] {
  const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
  // Split the literal text into segments around replaceable dashes, keeping non-literal parts.
  type Seg = { kind: 'part'; part: StrPart } | { kind: 'dash' };
  const segs: Seg[] = [];
  const full = parts;
  for (let pi = 0; pi < full.length; pi++) {
    const p = full[pi]!;
    if (p.kind !== 'Lit') {
      segs.push({ kind: 'part', part: p });
      continue;
    }
    const t = p.text;
    let last = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t[i]!;
      if (c !== '-' && c !== '/') continue;
      const before = i > 0 ? t[i - 1]! : undefined;
      const after = t[i + 1];
      // \B before [-/]: the position before the dash is not a word boundary; since '-' and '/' are
      // non-word chars, that means the char before is a non-word char (or the start of the string).
      const beforeWord = before !== undefined ? /\w/.test(before) : pi > 0 ? false : false;
      const afterWord = after !== undefined && /\w/.test(after);
      if (!beforeWord && afterWord) {
        if (i > last) segs.push({ kind: 'part', part: { kind: 'Lit', text: t.slice(last, i) } });
        segs.push({ kind: 'dash' });
        last = i + 1;
      }
    }
    if (last < t.length) segs.push({ kind: 'part', part: { kind: 'Lit', text: t.slice(last) } });
  }
  const n = segs.filter((s) => s.kind === 'dash').length;
  if (n === 0) return [mergeLits(parts)];
  const out: StrPart[][] = [];
  const total = DASHES.length ** n;
  for (let k = 0; k < total && out.length < 4096; k++) {
    // First dash varies slowest (itertools.product order).
    let rem = k;
    const choice: number[] = [];
    for (let j = n - 1; j >= 0; j--) {
      choice[j] = rem % DASHES.length;
      rem = Math.floor(rem / DASHES.length);
    }
    let d = 0;
    out.push(
      mergeLits(
        segs.map((s) => (s.kind === 'part' ? s.part : { kind: 'Lit' as const, text: DASHES[choice[d++]!]! })),
      ),
    );
  }
  return out;
}
