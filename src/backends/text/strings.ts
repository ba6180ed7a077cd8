/**
 * Operations on IR string values (StrPart[]) that pySigma's SigmaString offers and the printer
 * needs: wildcard tests at the ends, slicing off one element, conversion into query text with
 * escaping, and the regular-expression rendering. Literal parts are split per character only
 * where slicing needs it.
 */
import type { ReFlags, StrPart } from '../../ir/types.js';

export type Parts = readonly StrPart[];

/** Drop empty literals so "first/last element" tests see real content. */
export function cleanParts(parts: Parts): readonly StrPart[] {
  return parts.some((p) => p.kind === 'Lit' && p.text.length === 0)
    ? parts.filter((p) => p.kind !== 'Lit' || p.text.length > 0)
    : parts;
}

export function containsSpecial(parts: Parts): boolean {
  return parts.some((p) => p.kind !== 'Lit');
}

/**
 * containsSpecial of the parts with `head` elements dropped at the start and `tail` at the end
 * (dropFirst/dropLast only shorten literals, so only whole non-literal elements matter), without
 * building the sliced copies.
 */
export function specialBetween(parts: Parts, head: 0 | 1, tail: 0 | 1): boolean {
  for (let i = head; i < parts.length - tail; i++) if (parts[i]!.kind !== 'Lit') return true;
  return false;
}

export function startsWithMulti(parts: Parts): boolean {
  return parts[0]?.kind === 'WildcardMulti';
}

export function endsWithMulti(parts: Parts): boolean {
  return parts[parts.length - 1]?.kind === 'WildcardMulti';
}

/** parts[1:] in pySigma terms: drop the first element (a special, or one character). */
export function dropFirst(parts: Parts): StrPart[] {
  const first = parts[0];
  if (first === undefined) return [];
  if (first.kind !== 'Lit') return parts.slice(1);
  const rest = first.text.slice(1);
  return rest ? [{ kind: 'Lit', text: rest }, ...parts.slice(1)] : parts.slice(1);
}

/** parts[:-1]: drop the last element. */
export function dropLast(parts: Parts): StrPart[] {
  const last = parts[parts.length - 1];
  if (last === undefined) return [];
  const head = parts.slice(0, -1);
  if (last.kind !== 'Lit') return head;
  const rest = last.text.slice(0, -1);
  return rest ? [...head, { kind: 'Lit', text: rest }] : head;
}

export interface StrConvertOptions {
  escapeChar: string;
  wildcardMulti: string | undefined;
  wildcardSingle: string | undefined;
  /** Characters escaped besides wildcards. */
  addEscaped: string;
  filterChars: string;
}

/** Why a value could not be converted (the printer turns this into a diagnostic). */
export type StrConvertError =
  { kind: 'placeholder'; name: string } | { kind: 'wildcard'; which: 'multi' | 'single' };

/** Which characters a converter escapes or filters: a flag table for ASCII, a set beyond. */
class CharSet {
  private readonly ascii = new Uint8Array(128);
  private readonly other = new Set<string>();
  readonly empty: boolean;
  constructor(chars: string) {
    for (const ch of chars) {
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && c < 128) this.ascii[c] = 1;
      else this.other.add(ch);
    }
    this.empty = chars === '';
  }
  has(text: string, i: number): boolean {
    const c = text.charCodeAt(i);
    if (c < 128) return this.ascii[c] === 1;
    return this.other.size > 0 && (this.other.has(text[i]!) || this.other.has(text.slice(i, i + 2)));
  }
}

/** SigmaString.convert prepared once per token table: escape literals, write wildcards. */
export class StrConverter {
  private readonly escaped: CharSet;
  private readonly filtered: CharSet;

  constructor(private readonly o: StrConvertOptions) {
    this.escaped = new CharSet((o.wildcardMulti ?? '') + (o.wildcardSingle ?? '') + o.addEscaped);
    this.filtered = new CharSet(o.filterChars);
  }

  private literal(t: string): string {
    if (this.escaped.empty && this.filtered.empty) return t;
    let out = '';
    let from = 0;
    for (let i = 0; i < t.length; i++) {
      if (!this.filtered.empty && this.filtered.has(t, i)) {
        out += t.slice(from, i);
        from = i + 1;
      } else if (this.escaped.has(t, i)) {
        out += t.slice(from, i) + this.o.escapeChar;
        from = i;
      }
    }
    return from === 0 ? (out === '' ? t : out + t) : out + t.slice(from);
  }

  convert(parts: Parts): string | StrConvertError {
    let out = '';
    for (const p of parts) {
      switch (p.kind) {
        case 'Lit':
          out += this.literal(p.text);
          break;
        case 'WildcardMulti':
          if (this.o.wildcardMulti === undefined) return { kind: 'wildcard', which: 'multi' };
          out += this.o.wildcardMulti;
          break;
        case 'WildcardSingle':
          if (this.o.wildcardSingle === undefined) return { kind: 'wildcard', which: 'single' };
          out += this.o.wildcardSingle;
          break;
        case 'Placeholder':
          return { kind: 'placeholder', name: p.name };
      }
    }
    return out;
  }
}

/** SigmaString.convert (one-off; printers keep a StrConverter). */
export function convertStr(parts: Parts, o: StrConvertOptions): string | StrConvertError {
  return new StrConverter(o).convert(parts);
}

/** Characters Python's re.escape escapes (3.7+). */
const PY_RE_SPECIAL = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');

function pyReEscape(s: string, extra: string): string {
  let out = '';
  for (const ch of s) out += PY_RE_SPECIAL.has(ch) || extra.includes(ch) ? '\\' + ch : ch;
  return out;
}

/** SigmaString.to_regex: the plain string as a regular expression. */
export function strToRegex(parts: Parts, addEscapedRe: string): string {
  let rx = '';
  for (const p of parts) {
    if (p.kind === 'Lit') rx += pyReEscape(p.text, addEscapedRe);
    else if (p.kind === 'WildcardMulti') rx += '.*';
    else if (p.kind === 'WildcardSingle') rx += '.';
  }
  return rx;
}

export interface ReEscapeOptions {
  escaped: readonly string[];
  escapeChar: string;
  escapeEscapeChar: boolean;
  flagPrefix: boolean;
}

/**
 * SigmaRegularExpression.escape: prefix every occurrence of an escaped string (and of the escape
 * character itself when asked) with the escape character; prepend `(?ims)` flags when asked.
 */
export function escapeRegex(pattern: string, flags: ReFlags, o: ReEscapeOptions): string {
  const needles = [...o.escaped, ...(o.escapeEscapeChar ? [o.escapeChar] : [])].filter((s) => s.length > 0);
  let out = '';
  if (needles.length === 0) out = pattern;
  else {
    let i = 0;
    while (i < pattern.length) {
      const hit = needles.find((n) => pattern.startsWith(n, i));
      if (hit !== undefined) {
        out += o.escapeChar + hit;
        i += hit.length;
      } else {
        out += pattern.charAt(i);
        i++;
      }
    }
  }
  if (o.flagPrefix) {
    const f = (flags.i ? 'i' : '') + (flags.m ? 'm' : '') + (flags.s ? 's' : '');
    if (f) out = `(?${f})` + out;
  }
  return out;
}

/** Python str() of a number as pySigma prints SigmaNumber values. */
export function pyNumber(value: number, raw: string): string {
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : raw;
  const s = String(value);
  return s.includes('e') ? raw : s;
}
