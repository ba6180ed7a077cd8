/** The value modifiers of Sigma 2.x, their aliases, and which combinations make sense. */

export type ModifierClass =
  | 'string' // contains startswith endswith
  | 'encoding' // base64 base64offset
  | 'charset' // utf16le utf16be utf16
  | 'windash'
  | 'regex' // re
  | 'regexflag' // i m s
  | 'cidr'
  | 'compare' // lt lte gt gte
  | 'exists'
  | 'fieldref'
  | 'expand'
  | 'cased'
  | 'all'
  | 'neq'
  | 'timepart';

export const MODIFIERS: Readonly<Record<string, ModifierClass>> = {
  contains: 'string',
  startswith: 'string',
  endswith: 'string',
  base64: 'encoding',
  base64offset: 'encoding',
  utf16le: 'charset',
  utf16be: 'charset',
  utf16: 'charset',
  windash: 'windash',
  re: 'regex',
  i: 'regexflag',
  m: 'regexflag',
  s: 'regexflag',
  cidr: 'cidr',
  lt: 'compare',
  lte: 'compare',
  gt: 'compare',
  gte: 'compare',
  exists: 'exists',
  fieldref: 'fieldref',
  expand: 'expand',
  cased: 'cased',
  all: 'all',
  neq: 'neq',
  minute: 'timepart',
  hour: 'timepart',
  day: 'timepart',
  week: 'timepart',
  month: 'timepart',
  year: 'timepart',
};

export const MODIFIER_ALIASES: Readonly<Record<string, string>> = {
  wide: 'utf16le',
  ignorecase: 'i',
  multiline: 'm',
  dotall: 's',
};

/** Written name → canonical name (the table's own string, so every item shares it). */
const CANONICAL: ReadonlyMap<string, string> = new Map([
  ...Object.keys(MODIFIERS).map((m): [string, string] => [m, m]),
  ...Object.entries(MODIFIER_ALIASES),
]);

export function canonicalModifier(written: string): string | undefined {
  return CANONICAL.get(written);
}

/** Closest known modifier, for "did you mean" hints. */
export function suggestModifier(written: string): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const m of [...Object.keys(MODIFIERS), ...Object.keys(MODIFIER_ALIASES)]) {
    const d = editDistance(written.toLowerCase(), m);
    if (d < bestDist) {
      bestDist = d;
      best = m;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Pairs of modifier classes that cannot be combined on one field, with the reason. */
const CONFLICTS: readonly [ModifierClass, ModifierClass, string][] = [
  ['regex', 'encoding', 'a regular expression cannot be base64-encoded'],
  ['regex', 'windash', 'windash expands plain strings, not regular expressions'],
  ['regex', 'cidr', 'cidr and re are different match types'],
  ['regex', 'compare', 'comparison and re are different match types'],
  ['cidr', 'string', 'cidr matches networks, not substrings'],
  ['cidr', 'compare', 'cidr and comparison are different match types'],
  ['cidr', 'encoding', 'cidr values cannot be encoded'],
  ['compare', 'string', 'numeric comparison cannot be combined with string matching'],
  ['compare', 'encoding', 'numeric comparison cannot be combined with base64'],
  ['fieldref', 'regex', 'fieldref compares with another field; it is not a regular expression'],
  ['fieldref', 'cidr', 'fieldref compares with another field; it is not a network'],
  ['fieldref', 'compare', 'fieldref cannot be combined with numeric comparison'],
  ['fieldref', 'encoding', 'fieldref values cannot be encoded'],
  ['timepart', 'string', 'date-part modifiers compare numbers'],
  ['timepart', 'regex', 'date-part modifiers compare numbers'],
];

export interface ModifierProblem {
  /** Index in the modifier list of the modifier the problem is reported at. */
  index: number;
  message: string;
}

/** Check a modifier chain (canonical names) for combinations that make no sense. */
export function checkModifierChain(mods: readonly string[]): ModifierProblem[] {
  const problems: ModifierProblem[] = [];
  const classes = mods.map((m) => MODIFIERS[m]);
  const seen = new Map<string, number>();
  mods.forEach((m, i) => {
    if (seen.has(m)) problems.push({ index: i, message: `modifier '${m}' given twice` });
    seen.set(m, i);
  });
  const firstOf = (c: ModifierClass): number => classes.indexOf(c);
  for (const [a, b, why] of CONFLICTS) {
    const ia = firstOf(a);
    const ib = firstOf(b);
    if (ia >= 0 && ib >= 0)
      problems.push({ index: Math.max(ia, ib), message: `'${mods[ia]!}' with '${mods[ib]!}': ${why}` });
  }
  const stringMods = mods.filter((m) => MODIFIERS[m] === 'string');
  if (stringMods.length > 1) {
    problems.push({
      index: mods.lastIndexOf(stringMods[stringMods.length - 1]!),
      message: `only one of contains/startswith/endswith may be used (got ${stringMods.join(', ')})`,
    });
  }
  // re, cidr and exists read the value as written: no value modifier may come before them.
  for (const c of ['regex', 'cidr', 'exists'] as const) {
    const at = firstOf(c);
    const before = mods.slice(0, Math.max(0, at)).filter((m) => !['all', 'neq', 'cased'].includes(m));
    if (at > 0 && before.length > 0) {
      problems.push({
        index: at,
        message: `'${mods[at]!}' applies to the value as written and must come before '${before[0]!}'`,
      });
    }
  }
  const exists = firstOf('exists');
  if (exists >= 0 && mods.length > 1) {
    problems.push({ index: exists, message: "'exists' cannot be combined with other modifiers" });
  }
  const compares = mods.filter((m) => MODIFIERS[m] === 'compare');
  if (compares.length > 1)
    problems.push({
      index: mods.lastIndexOf(compares[1]!),
      message: 'only one comparison modifier may be used',
    });
  mods.forEach((m, i) => {
    if (MODIFIERS[m] === 'regexflag' && firstOf('regex') < 0) {
      problems.push({ index: i, message: `regular-expression flag '${m}' needs the 're' modifier` });
    } else if (MODIFIERS[m] === 'regexflag' && firstOf('regex') > i) {
      problems.push({ index: i, message: `regular-expression flag '${m}' must come after 're'` });
    }
    if (MODIFIERS[m] === 'charset') {
      const enc = mods.findIndex((x, j) => j > i && MODIFIERS[x] === 'encoding');
      if (enc < 0)
        problems.push({
          index: i,
          message: `'${m}' changes the encoding and must be followed by base64 or base64offset`,
        });
    }
  });
  const b64off = mods.indexOf('base64offset');
  if (b64off >= 0 && !mods.includes('contains')) {
    problems.push({ index: b64off, message: "'base64offset' must be combined with 'contains'" });
  }
  return problems;
}
