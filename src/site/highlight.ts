/**
 * A small syntax highlighter for the seven query languages: keywords, strings, numbers, operators
 * and comments, emitted as escaped HTML with `<t-kw>`-style elements. Tokens are escaped one by one, so
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

/**
 * A token as a `<t-…>` element (an undefined custom element: inline, styled by the site CSS). Half the
 * bytes of `<span class="t-…">`, which mattered: highlighted queries are most of the site's pages.
 */
const span = (cls: string, text: string): string => `<t-${cls}>${esc(text)}</t-${cls}>`;

/** Sticky copies of the language's operator patterns (matched in place, without slicing the query). */
const STICKY_OPS = new Map<RegExp, RegExp>();
function stickyOps(re: RegExp): RegExp {
  let s = STICKY_OPS.get(re);
  if (!s) {
    s = new RegExp(re.source.replace(/^\^/, ''), 'y');
    STICKY_OPS.set(re, s);
  }
  return s;
}

const NUM = /\d+(?:\.\d+)?\b/y;
const WORD = /[A-Z_$][\w$.-]*/iy;
const YARAL_REGEX = /\/[^/\n]+\/(?:\s|nocase|$)/y;
/**
 * Brackets and commas stay plain text: they are most of a long query's tokens, and a span around each
 * tripled the size of the pages of large rule sets without telling the reader anything.
 */
const PLAIN_PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);

function at(re: RegExp, text: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(text)?.[0];
}

/** Highlights one query; the result is safe HTML for inside a `<code>` element. */
export function highlight(query: string, lang: QueryLanguage): string {
  const def = LANGS[lang];
  const ops = stickyOps(def.operators);
  let out = '';
  // Plain text is collected as a range and escaped in one go.
  let plain = 0;
  const flush = (i: number): void => {
    if (i > plain) out += esc(query.slice(plain, i));
  };
  let i = 0;
  const n = query.length;
  const commentStarts = def.comments.map((c) => c[0]);
  while (i < n) {
    const ch = query[i]!;
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const comment = commentStarts.includes(ch) ? def.comments.find((c) => query.startsWith(c, i)) : undefined;
    if (comment !== undefined && (lang !== 'yaml' || i === 0 || /\s/.test(query[i - 1]!))) {
      const end = comment === '```' ? query.indexOf('```', i + 3) : query.indexOf('\n', i);
      const stop = end < 0 ? n : comment === '```' ? end + 3 : end;
      flush(i);
      out += span('com', query.slice(i, stop));
      i = plain = stop;
      continue;
    }
    if (
      ch === '"' ||
      ch === "'" ||
      (ch === '/' && lang === 'yaral' && at(YARAL_REGEX, query, i) !== undefined)
    ) {
      let j = i + 1;
      while (j < n && query[j] !== ch && query[j] !== '\n') j += query[j] === '\\' ? 2 : 1;
      const stop = Math.min(n, j + 1);
      flush(i);
      out += span('str', query.slice(i, stop));
      i = plain = stop;
      continue;
    }
    if (ch >= '0' && ch <= '9' && (i === 0 || !/[\w.$]/.test(query[i - 1]!))) {
      const num = at(NUM, query, i);
      if (num !== undefined) {
        flush(i);
        out += span('num', num);
        i = plain = i + num.length;
        continue;
      }
    }
    const word = at(WORD, query, i);
    if (word !== undefined) {
      // A trailing '-' or '.' belongs to the next token (an operator), not the word.
      const w = word.replace(/[.-]+$/, '');
      const key = def.caseInsensitive ? w.toLowerCase() : w;
      const cls = def.keywords.has(key) ? 'kw' : query[i + w.length] === '(' ? 'fn' : undefined;
      if (cls) {
        flush(i);
        out += span(cls, w);
        plain = i + w.length;
      }
      i += w.length;
      continue;
    }
    if (PLAIN_PUNCTUATION.has(ch)) {
      i++;
      continue;
    }
    const op = at(ops, query, i);
    if (op !== undefined) {
      flush(i);
      out += span('op', op);
      i = plain = i + op.length;
      continue;
    }
    i++;
  }
  flush(n);
  return out;
}
