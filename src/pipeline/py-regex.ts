/**
 * Pipeline files carry Python regular expressions (pySigma compiles them with `re`). The common
 * subset is the same in JavaScript; this translates the Python-only spellings we meet in practice
 * (named groups, inline flags at the start, \A and \Z) and Python's re.sub replacement syntax.
 */

export interface PyRegex {
  source: string;
  re: RegExp;
  /** The same pattern with the flags re.match / re.sub need, made on first use. */
  sticky?: RegExp;
  global?: RegExp;
}

/** Compile a Python pattern; returns an error message when it is not valid. */
export function compilePyRegex(pattern: string, extraFlags = ''): PyRegex | string {
  let src = pattern;
  let flags = 'u' + extraFlags;
  // Inline global flags like (?i) at the very start.
  const m = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]!) {
      if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
    }
  }
  src = src
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  try {
    return { source: pattern, re: new RegExp(src, flags) };
  } catch (e) {
    try {
      // Python accepts some escapes the `u` flag rejects (e.g. `\-` outside classes).
      return { source: pattern, re: new RegExp(src, flags.replace('u', '')) };
    } catch {
      return e instanceof Error ? e.message : String(e);
    }
  }
}

/** Python's re.match: anchored at the start, not at the end. */
export function pyMatch(rx: PyRegex, text: string): boolean {
  rx.sticky ??= new RegExp(rx.re.source, rx.re.flags.replace('g', '') + 'y');
  const sticky = rx.sticky;
  sticky.lastIndex = 0;
  return sticky.test(text);
}

/** Python's re.sub(pattern, replacement, text): all matches, Python replacement escapes. */
export function pySub(rx: PyRegex, replacement: string, text: string): string {
  rx.global ??= new RegExp(rx.re.source, rx.re.flags.includes('g') ? rx.re.flags : rx.re.flags + 'g');
  return text.replace(rx.global, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const named =
      typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    const groupCount = args.length - (typeof last === 'object' && last !== null ? 3 : 2);
    const groups = args.slice(0, groupCount) as (string | undefined)[];
    return expandPyReplacement(replacement, groups, named);
  });
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  a: '\x07',
  b: '\b',
  '\\': '\\',
};

function expandPyReplacement(
  repl: string,
  groups: readonly (string | undefined)[],
  named: Record<string, string | undefined>,
): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c !== '\\' || i + 1 >= repl.length) {
      out += c;
      continue;
    }
    const n = repl[i + 1]!;
    if (n === 'g' && repl[i + 2] === '<') {
      const end = repl.indexOf('>', i + 3);
      if (end > 0) {
        const name = repl.slice(i + 3, end);
        out += /^\d+$/.test(name) ? (groups[Number(name)] ?? '') : (named[name] ?? '');
        i = end;
        continue;
      }
    }
    const digits = /^\d{1,2}/.exec(repl.slice(i + 1));
    if (digits) {
      out += groups[Number(digits[0])] ?? '';
      i += digits[0].length;
      continue;
    }
    const esc = simpleEscapes[n];
    if (esc !== undefined) {
      out += esc;
      i++;
      continue;
    }
    // Unknown escapes of ASCII letters are errors in Python; anything else stays as written.
    out += c + n;
    i++;
  }
  return out;
}

/** Python's re.escape (3.7+): escapes only regex metacharacters and whitespace. */
export function pyEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}
