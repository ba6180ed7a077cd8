/**
 * Recognizers for the EQL and ES|QL we emit (the subset of each language the Elastic targets
 * write), after the grammars in the Elasticsearch reference. They answer "does Elasticsearch's
 * parser accept this?" for the test suite: a syntax error is a message with the offset.
 */

type Tok = { t: 'id' | 'str' | 'num' | 'op' | 'bt' | 'nl'; v: string; at: number };

const EQL_ESCAPES = new Set(['"', '\\', 'n', 'r', 't', '/']);
const ESQL_ESCAPES = new Set(['"', '\\', 'n', 'r', 't']);

function tokenize(src: string, escapes: ReadonlySet<string>, lang: 'eql' | 'esql'): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const ops = [
    '==',
    '!=',
    '<=',
    '>=',
    'like~',
    'regex~',
    '<',
    '>',
    ':',
    '(',
    ')',
    ',',
    '|',
    '=',
    '[',
    ']',
    '?',
  ];
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === '\n') {
      out.push({ t: 'nl', v: c, at: i++ });
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const start = i++;
      let v = '';
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string at ${String(start)}`);
        const d = src.charAt(i);
        if (d === '"') break;
        if (d === '\\') {
          const e = src.charAt(i + 1);
          if (!escapes.has(e)) throw new Error(`invalid escape \\${e} at ${String(i)}`);
          v += e;
          i += 2;
          continue;
        }
        if (d === '\n' || d === '\r') throw new Error(`raw line break in string at ${String(i)}`);
        v += d;
        i++;
      }
      i++;
      out.push({ t: 'str', v, at: start });
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unterminated quoted name at ${String(i)}`);
      out.push({ t: 'bt', v: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?(?![\w.])/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    // ES|QL time spans (15minutes) and index patterns are words too.
    const word = lang === 'esql' ? /^[@\w.*-]+/.exec(src.slice(i)) : /^[A-Z_@][\w.@-]*/i.exec(src.slice(i));
    if (word && !(src.startsWith('like~', i) || src.startsWith('regex~', i))) {
      out.push({ t: 'id', v: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = ops.find((o) => src.startsWith(o, i));
    if (!op) throw new Error(`unexpected '${c}' at ${String(i)}`);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  return out;
}

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  is(v: string): boolean {
    const t = this.peek();
    return t !== undefined && (t.t === 'op' || t.t === 'id') && t.v === v;
  }
  take(v: string): void {
    if (!this.is(v)) this.fail(`expected '${v}'`);
    this.i++;
  }
  fail(msg: string): never {
    const t = this.peek();
    throw new Error(`${msg} at ${t ? `${String(t.at)} ('${t.v}')` : 'end'}`);
  }
  done(): void {
    if (this.i < this.toks.length) this.fail('unexpected token');
  }
  skipNl(): void {
    while (this.peek()?.t === 'nl') this.i++;
  }
}

// ------------------------------------------------------------------ EQL

function eqlValue(p: Parser): void {
  const t = p.peek();
  if (t && (t.t === 'str' || t.t === 'num')) p.i++;
  else if (t?.t === 'id' && ['null', 'true', 'false'].includes(t.v)) p.i++;
  else p.fail('expected a value');
}

function eqlField(p: Parser): void {
  if (p.is('?')) p.i++;
  const t = p.peek();
  if (t?.t === 'bt' || (t?.t === 'id' && !['and', 'or', 'not', 'where'].includes(t.v))) p.i++;
  else p.fail('expected a field');
}

function eqlPrimary(p: Parser): void {
  const t = p.peek();
  if (p.is('(')) {
    p.i++;
    eqlExpr(p);
    p.take(')');
    return;
  }
  if (t?.t === 'str' || t?.t === 'num') {
    p.i++;
    return;
  }
  if (t?.t === 'id' && p.toks[p.i + 1]?.v === '(' && p.toks[p.i + 1]?.t === 'op') {
    // function call: cidrMatch(field, "…")
    p.i += 2;
    eqlField(p);
    while (p.is(',')) {
      p.i++;
      eqlValue(p);
    }
    p.take(')');
    return;
  }
  eqlField(p);
  const op = p.peek();
  if (!op || op.t !== 'op') p.fail('expected an operator');
  p.i++;
  switch (op.v) {
    case ':':
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      eqlValue(p);
      return;
    case 'like~':
      p.take('(');
      eqlValue(p);
      while (p.is(',')) {
        p.i++;
        eqlValue(p);
      }
      p.take(')');
      return;
    case 'regex~':
      if (p.peek()?.t !== 'str') p.fail('expected a string');
      p.i++;
      return;
    default:
      p.fail(`unexpected operator '${op.v}'`);
  }
}

function eqlNot(p: Parser): void {
  if (p.is('not')) {
    p.i++;
    eqlNot(p);
  } else eqlPrimary(p);
}

function eqlExpr(p: Parser): void {
  eqlNot(p);
  while (p.is('and') || p.is('or')) {
    p.i++;
    eqlNot(p);
  }
}

/** An EQL query: `any where …`, or a sequence/sample of `[any where …]` filters. */
export function checkEql(query: string): void {
  const p = new Parser(tokenize(query, EQL_ESCAPES, 'eql').filter((t) => t.t !== 'nl'));
  if (p.is('sequence') || p.is('sample')) {
    const seq = p.is('sequence');
    p.i++;
    if (p.is('by')) {
      p.i++;
      eqlField(p);
      while (p.is(',')) {
        p.i++;
        eqlField(p);
      }
    }
    if (seq && p.is('with')) {
      p.i++;
      p.take('maxspan');
      p.take('=');
      if (!/^\d+[smhd]$/.test(p.peek()?.v ?? '') && p.peek()?.t !== 'num') p.fail('expected a time span');
      p.i++;
      if (p.peek()?.t === 'id' && /^[smhd]$/.test(p.peek()?.v ?? '')) p.i++;
    }
    let filters = 0;
    while (p.is('[')) {
      p.i++;
      p.take('any');
      p.take('where');
      eqlExpr(p);
      p.take(']');
      filters++;
      if (p.is('by')) {
        p.i++;
        eqlField(p);
      }
      if (p.is('with')) {
        p.i++;
        p.take('runs');
        p.take('=');
        if (p.peek()?.t !== 'num') p.fail('expected a number');
        p.i++;
      }
    }
    if (filters === 0) p.fail('expected [filter]');
    p.done();
    return;
  }
  p.take('any');
  p.take('where');
  eqlExpr(p);
  p.done();
}

// ------------------------------------------------------------------ ES|QL

function esqlPrimary(p: Parser): void {
  const t = p.peek();
  if (p.is('(')) {
    p.i++;
    esqlExpr(p);
    p.take(')');
  } else if (t?.t === 'str' || t?.t === 'num' || t?.t === 'bt') p.i++;
  else if (t?.t === 'id') {
    p.i++;
    if (p.is('(')) {
      p.i++;
      if (!p.is(')')) {
        esqlExpr(p);
        while (p.is(',')) {
          p.i++;
          esqlExpr(p);
        }
      }
      p.take(')');
    }
  } else p.fail('expected an operand');
}

function esqlPredicate(p: Parser): void {
  esqlPrimary(p);
  if (['==', '!=', '<', '<=', '>', '>='].some((o) => p.is(o))) {
    p.i++;
    esqlPrimary(p);
  } else if (p.is('like') || p.is('rlike')) {
    p.i++;
    if (p.peek()?.t !== 'str') p.fail('expected a pattern string');
    p.i++;
  } else if (p.is('in')) {
    p.i++;
    p.take('(');
    esqlPrimary(p);
    while (p.is(',')) {
      p.i++;
      esqlPrimary(p);
    }
    p.take(')');
  } else if (p.is('is')) {
    p.i++;
    if (p.is('not')) p.i++;
    p.take('null');
  }
}

function esqlNot(p: Parser): void {
  if (p.is('not')) {
    p.i++;
    esqlNot(p);
  } else esqlPredicate(p);
}

function esqlExpr(p: Parser): void {
  esqlNot(p);
  while (p.is('and') || p.is('or')) {
    p.i++;
    esqlNot(p);
  }
}

function esqlAssignments(p: Parser): void {
  const one = (): void => {
    const t = p.peek();
    if (t?.t === 'id' && p.toks[p.i + 1]?.v === '=') p.i += 2;
    esqlExpr(p);
  };
  one();
  while (p.is(',')) {
    p.i++;
    one();
  }
}

/** An ES|QL query: `from … metadata … | where …` and the eval/stats/where commands we append. */
export function checkEsql(query: string): void {
  const p = new Parser(tokenize(query, ESQL_ESCAPES, 'esql'));
  p.take('from');
  const idx = p.peek();
  if (idx?.t !== 'id') p.fail('expected an index pattern');
  p.i++;
  while (p.is(',')) {
    p.i++;
    if (p.peek()?.t !== 'id') p.fail('expected an index pattern');
    p.i++;
  }
  if (p.is('metadata')) {
    p.i++;
    p.i++;
    while (p.is(',')) p.i += 2;
  }
  let commands = 0;
  for (;;) {
    p.skipNl();
    if (!p.is('|')) break;
    p.i++;
    commands++;
    if (p.is('where')) {
      p.i++;
      esqlExpr(p);
    } else if (p.is('eval')) {
      p.i++;
      esqlAssignments(p);
    } else if (p.is('stats')) {
      p.i++;
      esqlAssignments(p);
      if (p.is('by')) {
        p.i++;
        esqlPrimary(p);
        while (p.is(',')) {
          p.i++;
          esqlPrimary(p);
        }
      }
    } else p.fail('unknown command');
  }
  if (commands === 0) p.fail('expected | where');
  p.done();
}

/**
 * Lucene query strings: the npm `lucene` parser (devDependency) does the work. Its grammar allows
 * only escaped special characters inside `/regex/` terms, so a regex body is checked here (it
 * must not contain an unescaped `/`) and replaced by a plain one before parsing.
 */
export function neutralizeLuceneRegexes(q: string): string {
  let out = '';
  let i = 0;
  while (i < q.length) {
    const c = q.charAt(i);
    if (c === '\\') {
      out += c + q.charAt(i + 1);
      i += 2;
    } else if (c === ':' && q.charAt(i + 1) === '/') {
      i += 2;
      while (i < q.length && q.charAt(i) !== '/') i += q.charAt(i) === '\\' ? 2 : 1;
      if (i >= q.length) throw new Error('unterminated regular expression');
      out += ':/x/';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
