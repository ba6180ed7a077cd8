/** Sigma string patterns (parts with wildcards) → fast string tests, and placeholder expansion. */
import type { IrNode, IrValue, StrPart } from '../ir/index.js';
import { parseSigmaString } from '../ir/index.js';
import { mergeLits } from '../ir/strings.js';

/** How one Str value is tested against an (already case-folded) string. */
export type StrTest =
  | { kind: 'eq' | 'prefix' | 'suffix' | 'contains'; needle: string }
  | { kind: 'any' }
  /** `a*b*c`: segs[0] is a prefix, the last a suffix, the others occur in order between. */
  | { kind: 'glob'; segs: readonly string[] }
  | { kind: 're'; re: RegExp };

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Parts (without placeholders) → the cheapest equivalent test. `fold` lowercases literal text. */
export function strTest(parts: readonly StrPart[], fold: boolean): StrTest {
  const lit = (p: StrPart): string => (p.kind === 'Lit' ? (fold ? p.text.toLowerCase() : p.text) : '');
  const n = parts.length;
  const multi = (i: number): boolean => parts[i]?.kind === 'WildcardMulti';
  const isLit = (i: number): boolean => parts[i]?.kind === 'Lit';
  if (n === 0) return { kind: 'eq', needle: '' };
  if (n === 1 && isLit(0)) return { kind: 'eq', needle: lit(parts[0]!) };
  if (n === 1 && multi(0)) return { kind: 'any' };
  if (n === 2 && multi(0) && isLit(1)) return { kind: 'suffix', needle: lit(parts[1]!) };
  if (n === 2 && isLit(0) && multi(1)) return { kind: 'prefix', needle: lit(parts[0]!) };
  if (n === 3 && multi(0) && isLit(1) && multi(2)) return { kind: 'contains', needle: lit(parts[1]!) };
  if (!parts.some((p) => p.kind === 'WildcardSingle' || p.kind === 'Placeholder')) {
    // Only `*`: literal segments in order, found left to right (leftmost matches are always safe).
    const segs: string[] = [''];
    for (const p of parts) {
      if (p.kind === 'WildcardMulti') segs.push('');
      else segs[segs.length - 1] = segs[segs.length - 1]! + lit(p);
    }
    return { kind: 'glob', segs };
  }
  let src = '^';
  for (const p of parts) {
    if (p.kind === 'Lit') src += escapeRe(lit(p));
    else if (p.kind === 'WildcardMulti') src += '.*';
    else if (p.kind === 'WildcardSingle') src += '.';
  }
  // `u` so that `?` is one code point, not one UTF-16 unit; `s` so that `*` crosses newlines.
  return { kind: 're', re: new RegExp(src + '$', 'su') };
}

export function runStrTest(t: StrTest, s: string): boolean {
  switch (t.kind) {
    case 'eq':
      return s === t.needle;
    case 'prefix':
      return s.startsWith(t.needle);
    case 'suffix':
      return s.endsWith(t.needle);
    case 'contains':
      return s.includes(t.needle);
    case 'any':
      return true;
    case 're':
      return t.re.test(s);
    case 'glob':
      return globMatch(t.segs, s);
  }
}

function globMatch(segs: readonly string[], s: string): boolean {
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  if (!s.startsWith(first)) return false;
  const end = s.length - last.length;
  if (end < first.length || !s.endsWith(last)) return false;
  let at = first.length;
  for (let k = 1; k < segs.length - 1; k++) {
    const seg = segs[k]!;
    const i = s.indexOf(seg, at);
    if (i < 0 || i + seg.length > end) return false;
    at = i + seg.length;
  }
  return true;
}

export type Placeholders = ReadonlyMap<string, readonly string[]>;

/**
 * Replace every Str with placeholders by an Or over the values of the user's placeholder lists (each value
 * is a Sigma string: wildcards allowed). Returns the missing names instead when some are not defined.
 */
export function expandPlaceholders(node: IrNode, ph: Placeholders, missing: Set<string>): IrNode {
  const rec = (n: IrNode): IrNode => {
    switch (n.kind) {
      case 'And':
      case 'Or':
        return { kind: n.kind, children: n.children.map(rec) };
      case 'Not':
        return { kind: 'Not', child: rec(n.child) };
      case 'FieldMatch':
      case 'Keyword': {
        const v = n.value;
        if (v.kind !== 'Str' || !v.parts.some((p) => p.kind === 'Placeholder')) return n;
        const variants = expandParts(v.parts, ph, missing);
        const leaves = variants.map((parts): IrNode => {
          const value: IrValue = { kind: 'Str', parts, cased: v.cased };
          return { ...n, value };
        });
        if (leaves.length === 1) return leaves[0]!;
        return leaves.length === 0 ? { kind: 'Const', value: false } : { kind: 'Or', children: leaves };
      }
      case 'Const':
        return n;
    }
  };
  return rec(node);
}

function expandParts(parts: readonly StrPart[], ph: Placeholders, missing: Set<string>): StrPart[][] {
  let out: StrPart[][] = [[]];
  for (const p of parts) {
    if (p.kind !== 'Placeholder') {
      out = out.map((x) => [...x, p]);
      continue;
    }
    const values = ph.get(p.name);
    if (values === undefined) {
      missing.add(p.name);
      return [];
    }
    out = out.flatMap((x) => values.map((v) => [...x, ...parseSigmaString(v)]));
  }
  return out.map(mergeLits);
}
