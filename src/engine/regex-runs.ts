/**
 * What every match of a regular expression must contain, read from its source: per top-level
 * alternative, the runs of plain characters it holds in order. The matchers check them before running a
 * regex (src/engine/compile.ts); the raw prefilter takes its literals from them (src/engine/prefilter.ts).
 */

/**
 * Per top-level alternative, the runs of plain characters every match holds in this order (outside groups
 * and classes, not made optional by a quantifier); undefined when some alternative has none.
 */
export function regexRuns(source: string): string[][] | undefined {
  const out: string[][] = [];
  for (const b of branches(source)) {
    const runs = branchRuns(b);
    if (runs === undefined || runs.length === 0) return undefined;
    out.push(runs);
  }
  return out;
}

/** The top-level alternatives of a regex source. */
function branches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let from = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(source.slice(from, i));
      from = i + 1;
    }
  }
  branches.push(source.slice(from));
  return branches;
}

function branchRuns(src: string): string[] | undefined {
  const runs: string[] = [];
  let run = '';
  const cut = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    let atom: string | undefined;
    if (c === '\\') {
      const n = src[++i];
      if (n === undefined) return undefined;
      if (/\w/.test(n)) {
        // A class (\d, \w …), an anchor, or an escape with a payload that is not literal text.
        i = escapeEnd(src, i);
        atom = undefined;
      } else atom = n;
    } else if (c === '(' || c === '[') {
      // Skip the group or class: its content is not a plain run.
      let depth = 0;
      let inClass = false;
      for (; i < src.length; i++) {
        const d = src[i]!;
        if (d === '\\') i++;
        else if (inClass) inClass = d !== ']';
        else if (d === '[') {
          inClass = true;
          if (depth === 0) break;
        } else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      if (c === '[') for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
      atom = undefined;
    } else if ('.^$'.includes(c)) atom = undefined;
    else atom = c;
    const q = src[i + 1];
    const optional = q === '*' || q === '?' || (q === '{' && /^\{0[,}]/.test(src.slice(i + 1)));
    const repeated = q === '+' || q === '{';
    if (atom === undefined || optional) cut();
    else {
      run += atom;
      if (repeated) cut();
    }
    if (q === '*' || q === '+' || q === '?') {
      i++;
      if (src[i + 1] === '?') i++;
    } else if (q === '{') {
      const m = /^\{\d*,?\d*\}\??/.exec(src.slice(i + 1));
      if (m) i += m[0].length;
    }
  }
  cut();
  return runs;
}

/**
 * Index of the last character of the escape whose letter is at `i` (`\x41`, `\u{1F600}`, `\cM`,
 * `\p{L}`, `\k<name>`, `\12`): its payload is not literal text.
 */
function escapeEnd(src: string, i: number): number {
  const n = src[i]!;
  const until = (close: string): number => {
    const j = src.indexOf(close, i + 2);
    return j < 0 ? src.length - 1 : j;
  };
  if (n === 'x') return Math.min(i + 2, src.length - 1);
  if (n === 'u') return src[i + 1] === '{' ? until('}') : Math.min(i + 4, src.length - 1);
  if (n === 'c') return Math.min(i + 1, src.length - 1);
  if ((n === 'p' || n === 'P') && src[i + 1] === '{') return until('}');
  if (n === 'k' && src[i + 1] === '<') return until('>');
  let j = i;
  if (/\d/.test(n)) while (j + 1 < src.length && /\d/.test(src[j + 1]!)) j++;
  return j;
}

/**
 * When a regex source is nothing but plain runs joined by `.*` (`\+.*\+.*\+`, `a.*?b`), the runs: such a
 * regex (without the `s` flag, whose `.` crosses lines) matches a value without line terminators exactly
 * when the value holds the runs in order, which indexOf decides in linear time where the regex engine
 * backtracks through every placement. undefined for any other source.
 */
export function dotStarRuns(source: string): string[] | undefined {
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '.' && source[i + 1] === '*') {
      runs.push(run);
      run = '';
      i += source[i + 2] === '?' ? 2 : 1;
    } else if (c === '\\') {
      const n = source[i + 1];
      // Only identity escapes of punctuation are plain (`\d`, `\x41`, `\1` are not).
      if (n === undefined || /[\w\s]/.test(n)) return undefined;
      run += n;
      i++;
    } else if ('^$.|?*+()[]{}'.includes(c)) return undefined;
    else run += c;
  }
  runs.push(run);
  const plain = runs.filter((r) => r !== '');
  return plain.length > 0 ? plain : undefined;
}

/** JavaScript's line terminators: where `.` stops. */
export const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
