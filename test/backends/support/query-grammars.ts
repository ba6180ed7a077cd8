/**
 * Small syntax checkers for the three query languages that have no public parser: LogScale CQL,
 * Google SecOps UDM search / YARA-L 2.0 events, and Sumo Logic Cloud SIEM expressions. Each is a
 * tokenizer plus a recursive-descent parser of the subset our printers emit, with function names and
 * arities from the vendors' documentation. They return the problems found (empty: well-formed).
 */

export interface Token {
  kind: 'word' | 'string' | 'regex' | 'op' | 'punct' | 'number';
  text: string;
  pos: number;
}

class Scanner {
  pos = 0;
  readonly tokens: Token[] = [];
  readonly errors: string[] = [];
  constructor(readonly src: string) {}
  peek(o = 0): string {
    return this.src.charAt(this.pos + o);
  }
  eof(): boolean {
    return this.pos >= this.src.length;
  }
  /** A delimited literal with backslash escapes; returns its text including delimiters. */
  delimited(close: string): string | null {
    const start = this.pos;
    this.pos++;
    while (!this.eof()) {
      const c = this.peek();
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === close) {
        this.pos++;
        return this.src.slice(start, this.pos);
      }
      if (c === '\n' && close !== '"') break;
      this.pos++;
    }
    this.errors.push(`unterminated ${close === '/' ? 'regex' : 'string'} at ${start}`);
    return null;
  }
}

/** Brackets and parentheses inside a regex body balance (escapes and character classes respected). */
export function checkRegexBody(body: string): string | null {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) return 'unbalanced ) in regex';
    }
  }
  if (inClass) return 'unterminated [ in regex';
  if (depth !== 0) return 'unbalanced ( in regex';
  return null;
}

// ------------------------------------------------------------------------------------ LogScale

/** CQL functions our printer emits, with the named parameters the documentation lists. */
const CQL_FUNCTIONS: Record<string, { positional: number; named: readonly string[] }> = {
  cidr: { positional: 1, named: ['subnet', 'negate', 'field'] },
  in: { positional: 1, named: ['values', 'ignoreCase', 'field'] },
  regex: { positional: 1, named: ['field', 'flags', 'regex'] },
  test: { positional: 1, named: [] },
  bucket: { positional: 0, named: ['span', 'limit', 'field', 'function', 'buckets'] },
  groupBy: { positional: 1, named: ['function', 'limit', 'field'] },
  count: { positional: 0, named: ['field', 'distinct', 'as'] },
  sum: { positional: 0, named: ['field', 'as'] },
  avg: { positional: 0, named: ['field', 'as'] },
  percentile: { positional: 0, named: ['field', 'percentiles', 'as'] },
};

function tokenizeCql(src: string): { tokens: Token[]; errors: string[] } {
  const s = new Scanner(src);
  // After a comparison operator a `/` opens a regex; elsewhere too (unbound regex), except in test().
  while (!s.eof()) {
    const c = s.peek();
    const at = s.pos;
    if (/\s/.test(c)) {
      s.pos++;
    } else if (c === '"') {
      const t = s.delimited('"');
      if (t !== null) s.tokens.push({ kind: 'string', text: t, pos: at });
    } else if (c === '/') {
      const t = s.delimited('/');
      if (t !== null) {
        let flags = '';
        while (/[a-z]/.test(s.peek())) flags += s.src.charAt(s.pos++);
        if (!/^[ims]*$/.test(flags)) s.errors.push(`unknown regex flags '${flags}' at ${at}`);
        const e = checkRegexBody(t.slice(1, -1));
        if (e) s.errors.push(`${e} at ${at}`);
        s.tokens.push({ kind: 'regex', text: t + flags, pos: at });
      }
    } else if (/[!<>=:]/.test(c)) {
      const two = src.slice(s.pos, s.pos + 2);
      const op = ['!=', '<=', '>=', '==', ':='].includes(two) ? two : c;
      s.pos += op.length;
      s.tokens.push({ kind: 'op', text: op, pos: at });
    } else if (/[()[\]{},;|*]/.test(c)) {
      s.pos++;
      s.tokens.push({ kind: 'punct', text: c, pos: at });
    } else if (/[\w@#$.\\-]/.test(c)) {
      let w = '';
      while (!s.eof() && /[\w@#$.\\-]/.test(s.peek())) w += s.src.charAt(s.pos++);
      s.tokens.push({ kind: /^-?\d+(?:\.\d+)?$/.test(w) ? 'number' : 'word', text: w, pos: at });
    } else {
      s.errors.push(`unexpected '${c}' at ${at}`);
      s.pos++;
    }
  }
  return { tokens: s.tokens, errors: s.errors };
}

class Parser {
  i = 0;
  readonly errors: string[] = [];
  constructor(readonly tokens: Token[]) {}
  peek(o = 0): Token | undefined {
    return this.tokens[this.i + o];
  }
  is(text: string, o = 0): boolean {
    return this.peek(o)?.text === text;
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  expect(text: string): void {
    const t = this.next();
    if (t?.text !== text) this.errors.push(`expected '${text}' but found '${t?.text ?? 'end'}'`);
  }
  fail(msg: string): void {
    this.errors.push(msg);
    this.i = this.tokens.length;
  }
}

function cqlFunction(p: Parser): void {
  const name = p.next()!.text.replace(/^!/, '');
  const def = CQL_FUNCTIONS[name];
  if (!def) return p.fail(`unknown function ${name}()`);
  p.expect('(');
  let positional = 0;
  let depth = 0;
  let argStart = true;
  while (p.peek() && !(depth === 0 && p.is(')'))) {
    const t = p.next()!;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (depth === 0 && t.text === ',') {
      argStart = true;
      continue;
    }
    if (argStart && depth <= 1) {
      if (p.is('=') && t.kind === 'word' && name !== 'test') {
        if (!def.named.includes(t.text)) p.errors.push(`${name}() has no parameter '${t.text}'`);
      } else if (t.text !== '(' && t.text !== '[') positional++;
      argStart = false;
    }
  }
  p.expect(')');
  if (positional > def.positional && name !== 'test')
    p.errors.push(`${name}() takes ${String(def.positional)} unnamed argument(s)`);
}

function cqlPrimary(p: Parser): void {
  const t = p.peek();
  if (!t) return p.fail('expression expected');
  if (t.text === 'not') {
    p.next();
    return cqlPrimary(p);
  }
  if (t.text === '(') {
    p.next();
    cqlAnd(p, ')');
    return p.expect(')');
  }
  if (t.kind === 'regex') {
    p.next();
    return;
  }
  if (t.kind === 'op' && t.text === '!' && p.peek(1)?.kind === 'word' && p.is('(', 2)) {
    p.next();
    return cqlFunction(p);
  }
  if (t.kind === 'word' && p.is('(', 1)) return cqlFunction(p);
  if (t.kind === 'word' || t.kind === 'string') {
    p.next();
    const op = p.next();
    if (!op || op.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.text))
      return p.fail(`comparison operator expected after ${t.text}`);
    const v = p.next();
    if (!v || !(['regex', 'string', 'number', 'word'].includes(v.kind) || v.text === '*'))
      return p.fail(`value expected after ${t.text}${op.text}`);
    return;
  }
  p.fail(`unexpected '${t.text}'`);
}

function cqlOr(p: Parser): void {
  cqlPrimary(p);
  while (p.is('or')) {
    p.next();
    cqlPrimary(p);
  }
}

function cqlAnd(p: Parser, stop: string | null): void {
  while (p.peek() && !p.is('|') && !(stop !== null && p.is(stop)) && !p.is(';') && !p.is('}')) cqlOr(p);
}

/** Check a LogScale query: filter expression, then `| function(…)` stages; `case { …; … }` blocks. */
export function checkLogscale(query: string): string[] {
  const { tokens, errors } = tokenizeCql(query);
  const p = new Parser(tokens);
  const stage = (): void => {
    if (p.is('case') && p.is('{', 1)) {
      p.next();
      p.next();
      for (;;) {
        cqlAnd(p, null);
        while (p.is('|')) {
          p.next();
          // `| name := value` assignments inside case branches
          if (p.peek(1)?.text === ':=') {
            p.next();
            p.next();
            p.next();
          } else cqlAnd(p, null);
        }
        if (p.is(';')) {
          p.next();
          continue;
        }
        break;
      }
      p.expect('}');
      return;
    }
    cqlAnd(p, null);
  };
  stage();
  while (p.is('|')) {
    p.next();
    stage();
  }
  if (p.peek()) p.errors.push(`unexpected '${p.peek()!.text}'`);
  return [...errors, ...p.errors];
}

// ------------------------------------------------------------------------------------ SecOps

const UDM_FUNCTIONS: Record<string, number> = {
  'net.ip_in_range_cidr': 2,
  're.regex': 2,
  'strings.lower': 1,
};

function tokenizeUdm(src: string): { tokens: Token[]; errors: string[] } {
  const s = new Scanner(src);
  let prevValueSlot = true;
  while (!s.eof()) {
    const c = s.peek();
    const at = s.pos;
    if (/\s/.test(c)) {
      s.pos++;
      continue;
    }
    if (c === '"') {
      const t = s.delimited('"');
      if (t !== null) s.tokens.push({ kind: 'string', text: t, pos: at });
    } else if (c === '/' && prevValueSlot) {
      const t = s.delimited('/');
      if (t !== null) {
        const e = checkRegexBody(t.slice(1, -1));
        if (e) s.errors.push(`${e} at ${at}`);
        s.tokens.push({ kind: 'regex', text: t, pos: at });
      }
    } else if (/[!<>=]/.test(c)) {
      const two = src.slice(s.pos, s.pos + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : c;
      s.pos += op.length;
      s.tokens.push({ kind: 'op', text: op, pos: at });
    } else if (/[(),#]/.test(c)) {
      s.pos++;
      s.tokens.push({ kind: 'punct', text: c, pos: at });
    } else if (/[\w$.-]/.test(c)) {
      let w = '';
      while (!s.eof() && /[\w$.-]/.test(s.peek())) w += s.src.charAt(s.pos++);
      s.tokens.push({ kind: /^-?\d+(?:\.\d+)?$/.test(w) ? 'number' : 'word', text: w, pos: at });
    } else {
      s.errors.push(`unexpected '${c}' at ${at}`);
      s.pos++;
    }
    const last = s.tokens[s.tokens.length - 1];
    prevValueSlot = last?.kind === 'op' || last?.text === '(' || last?.text === ',';
  }
  return { tokens: s.tokens, errors: s.errors };
}

function udmPrimary(p: Parser): void {
  const t = p.peek();
  if (!t) return p.fail('expression expected');
  if (t.text === 'NOT' || t.text === 'not') {
    p.next();
    return udmPrimary(p);
  }
  if (t.text === '(') {
    p.next();
    if (p.is(')')) return p.fail('empty parentheses');
    udmOr(p);
    return p.expect(')');
  }
  if (t.kind === 'word' && p.is('(', 1)) {
    const arity = UDM_FUNCTIONS[t.text];
    if (arity === undefined) return p.fail(`unknown function ${t.text}()`);
    p.next();
    p.next();
    let n = 0;
    while (p.peek() && !p.is(')')) {
      const a = p.next()!;
      if (a.text !== ',') n++;
    }
    p.expect(')');
    if (n !== arity) p.errors.push(`${t.text}() takes ${String(arity)} arguments, got ${String(n)}`);
    return;
  }
  if (t.kind === 'word' && !['AND', 'OR'].includes(t.text)) {
    p.next();
    const op = p.next();
    if (!op || op.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.text))
      return p.fail(`comparison operator expected after ${t.text}`);
    const v = p.next();
    if (
      !v ||
      (!['regex', 'string', 'number'].includes(v.kind) &&
        !(v.kind === 'word' && /^(?:true|false)$/.test(v.text)))
    )
      return p.fail(
        `value (string, /regex/ or number) expected after ${t.text} ${op.text}, found '${v?.text ?? 'end'}'`,
      );
    if (p.is('nocase')) p.next();
    return;
  }
  if (t.kind === 'string' && /^""/.test(t.text)) return p.fail(`doubled quotes in '${t.text}'`);
  p.fail(`unexpected '${t.text}'`);
}

function udmAnd(p: Parser): void {
  udmPrimary(p);
  while (p.is('AND') || p.is('and')) {
    p.next();
    udmPrimary(p);
  }
}

function udmOr(p: Parser): void {
  udmAnd(p);
  while (p.is('OR') || p.is('or')) {
    p.next();
    udmAnd(p);
  }
}

/** Check one UDM search expression (or one line of YARA-L events). */
export function checkUdm(query: string): string[] {
  const { tokens, errors } = tokenizeUdm(query);
  const p = new Parser(tokens);
  udmOr(p);
  if (p.peek()) p.errors.push(`unexpected '${p.peek()!.text}'`);
  return [...errors, ...p.errors];
}

/** Check a YARA-L rule: sections in order, balanced braces, each events line a UDM expression. */
export function checkYaraL(rule: string): string[] {
  const errors: string[] = [];
  const m = /^\s*rule\s+[A-Za-z_][\w.-]*\s*\{([\s\S]*)\}\s*$/.exec(rule);
  if (!m) return ['not a `rule name { … }` block'];
  const body = m[1]!;
  const sections = [
    ...body.matchAll(/^\s*(meta|events|match|outcome|condition|conditions|options)\s*:/gm),
  ].map((x) => x[1]!);
  const order = ['meta', 'events', 'match', 'outcome', 'condition', 'conditions', 'options'];
  if (!sections.includes('events')) errors.push('no events section');
  if (!sections.some((s) => s.startsWith('condition'))) errors.push('no condition section');
  for (let i = 1; i < sections.length; i++) {
    if (order.indexOf(sections[i]!) < order.indexOf(sections[i - 1]!))
      errors.push(`section ${sections[i]!} out of order`);
  }
  const events =
    /events\s*:([\s\S]*?)(?=^\s*(?:match|outcome|condition|conditions|options)\s*:)/m.exec(body)?.[1] ?? '';
  for (const line of events
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')) {
    if (/^\$\w+ = \$\w+\.[\w.]+$/.test(line)) continue; // match variable assignment
    for (const e of checkUdm(line)) errors.push(`events: ${e}`);
  }
  const meta = /meta\s*:([\s\S]*?)(?=^\s*events\s*:)/m.exec(body)?.[1] ?? '';
  for (const line of meta
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')) {
    if (!/^\w+ = ".*"$/.test(line)) errors.push(`meta: malformed line '${line}'`);
  }
  const match = /match\s*:\s*([^\n]*)/.exec(body)?.[1];
  if (match !== undefined && !/^\$\w+(?:, \$\w+)* over \d+[smhd]$/.test(match.trim()))
    errors.push(`match: malformed '${match}'`);
  return errors;
}

// ------------------------------------------------------------------------------------ Sumo Logic

const CSE_FUNCTIONS: Record<string, number> = { isEmpty: 1, isNull: 1, isValidIP: 1, toLowerCase: 1 };

function tokenizeCse(src: string): { tokens: Token[]; errors: string[] } {
  const s = new Scanner(src);
  while (!s.eof()) {
    const c = s.peek();
    const at = s.pos;
    if (/\s/.test(c)) {
      s.pos++;
      continue;
    }
    if (c === '"') {
      const t = s.delimited('"');
      if (t !== null) s.tokens.push({ kind: 'string', text: t, pos: at });
    } else if (c === '/' && s.tokens[s.tokens.length - 1]?.text === 'matches') {
      const t = s.delimited('/');
      if (t !== null) {
        const e = checkRegexBody(t.slice(1, -1));
        if (e) s.errors.push(`${e} at ${at}`);
        s.tokens.push({ kind: 'regex', text: t, pos: at });
      }
    } else if (src.startsWith("fields['", s.pos)) {
      const end = src.indexOf("']", s.pos);
      if (end < 0) {
        s.errors.push(`unterminated fields['…'] at ${at}`);
        break;
      }
      s.tokens.push({ kind: 'word', text: src.slice(s.pos, end + 2), pos: at });
      s.pos = end + 2;
    } else if (/[!<>=]/.test(c)) {
      const two = src.slice(s.pos, s.pos + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : c;
      s.pos += op.length;
      s.tokens.push({ kind: 'op', text: op, pos: at });
    } else if (/[(),]/.test(c)) {
      s.pos++;
      s.tokens.push({ kind: 'punct', text: c, pos: at });
    } else if (/[\w.-]/.test(c)) {
      let w = '';
      while (!s.eof() && /[\w.-]/.test(s.peek())) w += s.src.charAt(s.pos++);
      s.tokens.push({ kind: /^-?\d+(?:\.\d+)?$/.test(w) ? 'number' : 'word', text: w, pos: at });
    } else {
      s.errors.push(`unexpected '${c}' at ${at}`);
      s.pos++;
    }
  }
  return { tokens: s.tokens, errors: s.errors };
}

function csePrimary(p: Parser): void {
  const t = p.peek();
  if (!t) return p.fail('expression expected');
  if (t.text === '!') {
    p.next();
    return csePrimary(p);
  }
  if (t.text === '(') {
    p.next();
    cseOr(p);
    return p.expect(')');
  }
  if (t.kind === 'word' && p.is('(', 1)) {
    const arity = CSE_FUNCTIONS[t.text];
    if (arity === undefined) return p.fail(`unknown function ${t.text}()`);
    p.next();
    p.next();
    let n = 0;
    while (p.peek() && !p.is(')')) if (p.next()!.text !== ',') n++;
    p.expect(')');
    if (n !== arity) p.errors.push(`${t.text}() takes ${String(arity)} argument(s)`);
    return;
  }
  if (t.kind === 'word') {
    p.next();
    const op = p.next();
    if (op?.text === 'matches') {
      if (p.next()?.kind !== 'regex') p.fail(`regex expected after ${t.text} matches`);
      return;
    }
    if (op?.text === 'in') {
      p.expect('(');
      let first = true;
      while (p.peek() && !p.is(')')) {
        if (!first) p.expect(',');
        const v = p.next();
        if (!v || !['string', 'number'].includes(v.kind))
          return p.fail(`list value expected in ${t.text} in (…)`);
        first = false;
      }
      return p.expect(')');
    }
    if (!op || op.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.text))
      return p.fail(`operator expected after ${t.text}`);
    const v = p.next();
    if (!v || !(['string', 'number'].includes(v.kind) || /^(?:true|false)$/.test(v.text)))
      return p.fail(`value expected after ${t.text}${op.text}`);
    return;
  }
  p.fail(`unexpected '${t.text}'`);
}

function cseAnd(p: Parser): void {
  csePrimary(p);
  while (p.is('AND')) {
    p.next();
    csePrimary(p);
  }
}

function cseOr(p: Parser): void {
  cseAnd(p);
  while (p.is('OR')) {
    p.next();
    cseAnd(p);
  }
}

/** Check a Cloud SIEM rule expression. */
export function checkCse(expression: string): string[] {
  const { tokens, errors } = tokenizeCse(expression);
  const p = new Parser(tokens);
  cseOr(p);
  if (p.peek()) p.errors.push(`unexpected '${p.peek()!.text}'`);
  return [...errors, ...p.errors];
}
