/**
 * Sigma strings as pySigma's SigmaString sees them, for the transformations that work on the
 * "plain" text of a value (replace_string, map_string, match_string): str() joins the parts with
 * `*`, `?` and `%name%`, escaping literal `*` and `?`; parsing reads `\*`, `\?`, `\\` as escaped characters.
 */
import type { IrValue, StrPart } from '../ir/types.js';
import { parseSigmaString as parseIrString } from '../ir/strings.js';

export type StrValue = Extract<IrValue, { kind: 'Str' }>;

export function strToPlain(parts: readonly StrPart[]): string {
  let s = '';
  for (const p of parts) {
    switch (p.kind) {
      case 'Lit':
        // SigmaString.to_plain escapes literal wildcard characters (not backslashes).
        s += p.text.replace(/[*?]/g, (c) => '\\' + c);
        break;
      case 'WildcardMulti':
        s += '*';
        break;
      case 'WildcardSingle':
        s += '?';
        break;
      case 'Placeholder':
        s += `%${p.name}%`;
        break;
    }
  }
  return s;
}

/** Merge adjacent literal parts and drop empty ones (SigmaString keeps its parts merged). */
export function mergeParts(parts: readonly StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const p of parts) {
    if (p.kind === 'Lit') {
      if (p.text === '') continue;
      const last = out[out.length - 1];
      if (last?.kind === 'Lit') {
        out[out.length - 1] = { kind: 'Lit', text: last.text + p.text };
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

/** Parse a Sigma string (wildcards, escapes); with placeholders, `%name%` parts as `expand` does. */
export function parseSigmaString(text: string, placeholders = false): StrPart[] {
  const parts = parseIrString(text);
  return placeholders ? insertPlaceholders(parts) : parts;
}

/** pySigma's insert_placeholders: `%name%` in literal parts becomes a placeholder, `\%` a percent sign. */
export function insertPlaceholders(parts: readonly StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const p of parts) {
    if (p.kind !== 'Lit') {
      out.push(p);
      continue;
    }
    let last = 0;
    for (const m of p.text.matchAll(/(?<!\\)%(\w+)%/g)) {
      const before = p.text.slice(last, m.index).replaceAll('\\%', '%');
      if (before !== '') out.push({ kind: 'Lit', text: before });
      out.push({ kind: 'Placeholder', name: m[1]! });
      last = m.index + m[0].length;
    }
    const rest = p.text.slice(last).replaceAll('\\%', '%');
    if (rest !== '') out.push({ kind: 'Lit', text: rest });
  }
  return out;
}

export function hasPlaceholder(parts: readonly StrPart[], handled?: (name: string) => boolean): boolean {
  return parts.some((p) => p.kind === 'Placeholder' && (handled === undefined || handled(p.name)));
}

export function partsEqual(a: readonly StrPart[], b: readonly StrPart[]): boolean {
  const x = mergeParts(a);
  const y = mergeParts(b);
  if (x.length !== y.length) return false;
  return x.every((p, i) => {
    const q = y[i]!;
    if (p.kind !== q.kind) return false;
    if (p.kind === 'Lit') return q.kind === 'Lit' && p.text === q.text;
    if (p.kind === 'Placeholder') return q.kind === 'Placeholder' && p.name === q.name;
    return true;
  });
}

/**
 * SigmaString.replace_placeholders: each placeholder is replaced by each of its alternatives, the
 * first placeholder varying slowest; the result is every combination.
 */
export function expandPlaceholders(
  parts: readonly StrPart[],
  alternatives: (name: string) => StrPart[][],
): StrPart[][] {
  const idx = parts.findIndex((p) => p.kind === 'Placeholder');
  if (idx < 0) return [mergeParts(parts)];
  const prefix = parts.slice(0, idx);
  const ph = parts[idx] as Extract<StrPart, { kind: 'Placeholder' }>;
  const suffixes = expandPlaceholders(parts.slice(idx + 1), alternatives);
  const out: StrPart[][] = [];
  for (const alt of alternatives(ph.name)) {
    for (const suf of suffixes) out.push(mergeParts([...prefix, ...alt, ...suf]));
  }
  return out;
}

/** Python's str() of the number pySigma holds (SigmaNumber keeps integral floats as int). */
export function pyNumberText(value: number): string {
  return String(value);
}
