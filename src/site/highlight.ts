/**
 * A small syntax highlighter for the seven query languages: keywords, strings, numbers, operators
 * and comments, emitted as escaped HTML with `<span class="t-…">`. Tokens are escaped one by one, so
 * a hostile query cannot inject markup.
 */
import { esc } from './escape.js';

export type QueryLanguage =
  'kql' | 'spl' | 'lucene' | 'eql' | 'esql' | 'aql' | 'sumo' | 'yaral' | 'cql' | 'yaml';

interface LanguageDef {
  keywords: ReadonlySet<string>;
  caseInsensitive: boolean;
  /** Line comment starters. */
  comments: readonly string[];
  operators: RegExp;
}

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

const COMMON_OPS = /^(?:==|!=|<=|>=|=~|!~|=>|\|\||&&|[=<>!|:+\-*/%,()[\]{}])/;

const LANGS: Record<QueryLanguage, LanguageDef> = {
  kql: {
    keywords: words(
      'where and or not extend project summarize by let union search take limit sort order asc desc count has has_any has_all contains startswith endswith in matches regex between join on kind true false bin ago now isnotempty isempty tolower toupper iff case distinct top mv-expand parse',
    ),
    caseInsensitive: false,
    comments: ['//'],
    operators: COMMON_OPS,
  },
  spl: {
    keywords: words(
      'search where eval stats by as and or not in like table fields rename dedup sort head tail rex regex lookup tstats from count values dc earliest latest bin span if case match true false null streamstats eventstats transaction inputlookup makeresults',
    ),
    caseInsensitive: true,
    comments: ['```'],
    operators: COMMON_OPS,
  },
  lucene: { keywords: words('AND OR NOT TO'), caseInsensitive: false, comments: [], operators: COMMON_OPS },
  eql: {
    keywords: words(
      'any process file network registry where and or not in sequence by with maxspan until true false null like regex',
    ),
    caseInsensitive: false,
    comments: ['//'],
    operators: COMMON_OPS,
  },
  esql: {
    keywords: words(
      'from where eval stats by keep drop rename sort limit and or not in like rlike is null true false case mv_expand metadata count count_distinct values to_lower to_upper',
    ),
    caseInsensitive: true,
    comments: ['//'],
    operators: COMMON_OPS,
  },
  aql: {
    keywords: words(
      'select from where and or not in like ilike imatches matches group by having order asc desc last start stop count distinct as events flows null true false utf8 qidname logsourcetypename devicetype',
    ),
    caseInsensitive: true,
    comments: ['--'],
    operators: COMMON_OPS,
  },
  sumo: {
    keywords: words(
      'and or not in where matches count by timeslice fields if isnull isempty first last sort limit parse json nodrop as',
    ),
    caseInsensitive: true,
    comments: ['//'],
    operators: COMMON_OPS,
  },
  yaral: {
    keywords: words(
      'rule meta events match outcome condition over by and or not nocase re regex any all if count count_distinct array_distinct max min sum strings true false',
    ),
    caseInsensitive: false,
    comments: ['//'],
    operators: COMMON_OPS,
  },
  cql: {
    keywords: words(
      'and or not in case if groupby select table count sort head tail regex match wildcard format eval join defineTable bucket window',
    ),
    caseInsensitive: true,
    comments: ['//'],
    operators: COMMON_OPS,
  },
  yaml: {
    keywords: words('true false null'),
    caseInsensitive: true,
    comments: ['#'],
    operators: /^[:\-|>[\]{},]/,
  },
};

const span = (cls: string, text: string): string => `<span class="t-${cls}">${esc(text)}</span>`;

/** Highlights one query; the result is safe HTML for inside a `<code>` element. */
export function highlight(query: string, lang: QueryLanguage): string {
  const def = LANGS[lang];
  let out = '';
  let i = 0;
  const n = query.length;
  while (i < n) {
    const rest = query.slice(i);
    const comment = def.comments.find((c) => rest.startsWith(c));
    if (comment !== undefined && (lang !== 'yaml' || i === 0 || /\s/.test(query[i - 1]!))) {
      const end = comment === '```' ? query.indexOf('```', i + 3) : query.indexOf('\n', i);
      const stop = end < 0 ? n : comment === '```' ? end + 3 : end;
      out += span('com', query.slice(i, stop));
      i = stop;
      continue;
    }
    const ch = query[i]!;
    if (
      ch === '"' ||
      ch === "'" ||
      (ch === '/' && lang === 'yaral' && /^\/[^/\n]+\/(?:\s|nocase|$)/.test(rest))
    ) {
      let j = i + 1;
      while (j < n && query[j] !== ch && query[j] !== '\n') j += query[j] === '\\' ? 2 : 1;
      const stop = Math.min(n, j + 1);
      out += span('str', query.slice(i, stop));
      i = stop;
      continue;
    }
    const num = /^\d+(?:\.\d+)?\b/.exec(rest);
    if (num && (i === 0 || !/[\w.$]/.test(query[i - 1]!))) {
      out += span('num', num[0]);
      i += num[0].length;
      continue;
    }
    const word = /^[A-Z_$][\w$.-]*/i.exec(rest);
    if (word) {
      let w = word[0];
      // A trailing '-' or '.' belongs to the next token (an operator), not the word.
      w = w.replace(/[.-]+$/, '');
      const key = def.caseInsensitive ? w.toLowerCase() : w;
      out += def.keywords.has(key) ? span('kw', w) : query[i + w.length] === '(' ? span('fn', w) : esc(w);
      i += w.length;
      continue;
    }
    const op = def.operators.exec(rest);
    if (op) {
      out += span('op', op[0]);
      i += op[0].length;
      continue;
    }
    out += esc(ch);
    i++;
  }
  return out;
}
