/**
 * Sigma regular expressions are PCRE-flavoured; the engine runs them as JavaScript RegExp. This turns the
 * common PCRE/Python spellings into JavaScript ones and reports what JavaScript cannot express.
 * Differences kept (documented in docs/engine.md): no possessive quantifiers or atomic groups, no
 * inline flags except at the very start, `$` matches only at the end (as Python's `\Z`, not before a final
 * newline).
 */
export interface TranslatedRegex {
  source: string;
  flags: { i: boolean; m: boolean; s: boolean };
}

export type RegexTranslation = { ok: true; value: TranslatedRegex } | { ok: false; message: string };

export function translateRegex(
  pattern: string,
  flags: { i: boolean; m: boolean; s: boolean },
): RegexTranslation {
  const f = { ...flags };
  let src = pattern;
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('x')) return { ok: false, message: 'the verbose flag (?x) is not supported' };
    for (const c of lead[1]!) f[c as 'i' | 'm' | 's'] = true;
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return { ok: false, message: 'pattern ends with a lone backslash' };
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'Z' || n === 'z')) out += '$';
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      } else if (src[i + 1] === '^' && src[i + 2] === ']') {
        out += '^\\]';
        i += 2;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      const back = /^P=(\w+)\)/.exec(rest);
      if (back) {
        out += `\\k<${back[1]!}>`;
        i += 2 + back[0].length - 1;
        continue;
      }
      if (rest.startsWith('>')) return { ok: false, message: 'atomic groups (?>…) are not supported' };
      if (/^[imsx-]+[):]/.test(rest))
        return { ok: false, message: 'inline flags are only supported at the start of the pattern' };
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && src[i + 1] === '+') {
      return { ok: false, message: 'possessive quantifiers are not supported' };
    }
    out += c;
  }
  try {
    new RegExp(out, (f.i ? 'i' : '') + (f.m ? 'm' : '') + (f.s ? 's' : ''));
  } catch (e) {
    return { ok: false, message: (e as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  return { ok: true, value: { source: out, flags: f } };
}
