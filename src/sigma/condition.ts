/**
 * Sigma condition parser: precedence not > and > or, parentheses, `1 of x*` / `any of x*` / `all of x*`,
 * `them`. Every node carries the span of its first token; errors point at the offending token.
 */
import type { Diagnostic, Span } from '../diagnostics/index.js';
import type { ConditionNode } from './ast.js';

type TokKind = 'ident' | 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'of' | 'pipe' | 'end';
interface Token {
  kind: TokKind;
  text: string;
  /** 0-based index in the condition text. */
  index: number;
}

// A Map, not an object literal: a selection named `constructor` must not find Object.prototype's.
const KEYWORDS: ReadonlyMap<string, TokKind> = new Map([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['of', 'of'],
]);

/** `[\w*.\-?]`: the characters of selection names, patterns and keywords. */
function isWordChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2a || // *
    c === 0x2e || // .
    c === 0x2d || // -
    c === 0x3f // ?
  );
}

function tokenize(text: string): { tokens: Token[]; bad?: number } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(') tokens.push({ kind: 'lparen', text: c, index: i++ });
    else if (c === ')') tokens.push({ kind: 'rparen', text: c, index: i++ });
    else if (c === '|') {
      // Legacy aggregation: whatever follows the pipe is not condition syntax; the parser reports it.
      tokens.push({ kind: 'pipe', text: c, index: i });
      break;
    } else if (isWordChar(text.charCodeAt(i))) {
      const start = i;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      // Keywords are at most three letters: longer words (selection names) are not lower-cased.
      const kind = word.length <= 3 ? KEYWORDS.get(word.toLowerCase()) : undefined;
      tokens.push({ kind: kind ?? 'ident', text: word, index: start });
    } else return { tokens, bad: i };
  }
  tokens.push({ kind: 'end', text: '', index: text.length });
  return { tokens };
}

export interface ConditionParseResult {
  ast?: ConditionNode;
  diagnostics: Diagnostic[];
}

/**
 * @param at maps a 0-based index in `text` to a source span (the caller knows where the scalar sits).
 */
export function parseCondition(
  text: string,
  at: (index: number) => Span,
  file: string,
): ConditionParseResult {
  const err = (
    index: number,
    message: string,
    code: 'TL2001' | 'TL2007' = 'TL2001',
  ): ConditionParseResult => ({
    diagnostics: [{ code, severity: 'error', message, file, span: at(index) }],
  });
  const { tokens, bad } = tokenize(text);
  if (bad !== undefined) return err(bad, `unexpected character '${text[bad]!}' in condition`);
  if (tokens.length === 1) return err(0, 'empty condition');
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  let failure: { index: number; message: string; code?: 'TL2007' } | undefined;
  const fail = (t: Token, message: string, code?: 'TL2007'): undefined => {
    failure ??= code ? { index: t.index, message, code } : { index: t.index, message };
    return undefined;
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'end of condition' : `'${t.text}'`);
  let depth = 0;

  const parseOr = (): ConditionNode | undefined => {
    let left = parseAnd();
    while (left && peek().kind === 'or') {
      next();
      const right = parseAnd();
      if (!right) return undefined;
      left = { kind: 'Or', left, right, span: left.span };
    }
    return left;
  };
  const parseAnd = (): ConditionNode | undefined => {
    let left = parseNot();
    while (left && peek().kind === 'and') {
      next();
      const right = parseNot();
      if (!right) return undefined;
      left = { kind: 'And', left, right, span: left.span };
    }
    return left;
  };
  const parseNot = (): ConditionNode | undefined => {
    const t = peek();
    if (t.kind === 'not') {
      next();
      if (++depth > 200) return fail(t, 'condition nested too deeply');
      const operand = parseNot();
      depth--;
      return operand ? { kind: 'Not', operand, span: at(t.index) } : undefined;
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode | undefined => {
    const t = next();
    if (t.kind === 'lparen') {
      if (++depth > 200) return fail(t, 'condition nested too deeply');
      const inner = parseOr();
      depth--;
      if (!inner) return undefined;
      const close = next();
      if (close.kind !== 'rparen')
        return fail(
          close,
          `expected ')' to close the '(' at column ${t.index + 1}, found ${describe(close)}`,
        );
      return inner.kind === 'And' || inner.kind === 'Or' ? { ...inner, parens: true } : inner;
    }
    if (t.kind === 'ident') {
      if (peek().kind === 'of') {
        next();
        const q = t.text.toLowerCase();
        let quantifier: 'one' | 'all';
        if (q === '1' || q === 'any') quantifier = 'one';
        else if (q === 'all') quantifier = 'all';
        else return fail(t, `'${t.text} of' is not supported; use '1 of', 'any of' or 'all of'`);
        const target = next();
        if (target.kind !== 'ident')
          return fail(
            target,
            `expected a selection name, pattern or 'them' after 'of', found ${describe(target)}`,
          );
        const pattern = target.text.toLowerCase() === 'them' ? 'them' : target.text;
        return { kind: 'Quantified', quantifier, pattern, span: at(t.index) };
      }
      if (/^(?:all|any)$/i.test(t.text)) {
        return fail(peek(), `expected 'of' after '${t.text}'`);
      }
      return { kind: 'Ref', name: t.text, span: at(t.index) };
    }
    if (t.kind === 'pipe')
      return fail(
        t,
        "legacy aggregation ('| count() …') is not part of Sigma 2; write a correlation rule",
        'TL2007',
      );
    return fail(t, `expected a selection, 'not' or '(', found ${describe(t)}`);
  };

  const ast = parseOr();
  if (!ast || failure) {
    const f = failure ?? { index: 0, message: 'invalid condition' };
    return err(f.index, f.message, f.code ?? 'TL2001');
  }
  const rest = peek();
  if (rest.kind === 'pipe')
    return err(
      rest.index,
      "legacy aggregation ('| count() …') is not part of Sigma 2; write a correlation rule",
      'TL2007',
    );
  if (rest.kind !== 'end') {
    const hint =
      rest.kind === 'ident' ? " (missing 'and'/'or'?)" : rest.kind === 'rparen' ? " (unbalanced ')')" : '';
    return err(rest.index, `unexpected ${describe(rest)}${hint}`);
  }
  return { ast, diagnostics: [] };
}

/**
 * Selection names matched by a quantifier pattern, as pySigma resolves them: `*` is any text and the
 * pattern matches a prefix of the name (so `1 of sel` also covers `sel2`); names starting with `_` are
 * never matched; `them` matches every other selection.
 */
export function matchSelections(pattern: string, names: readonly string[]): string[] {
  const visible = names.filter((n) => !n.startsWith('_'));
  if (pattern === 'them') return visible;
  // The usual `sel` and `sel*` are a plain prefix test (a trailing `.*` adds nothing to an unanchored end).
  const star = pattern.indexOf('*');
  if (star < 0 || star === pattern.length - 1) {
    const prefix = star < 0 ? pattern : pattern.slice(0, star);
    return visible.filter((n) => n.startsWith(prefix));
  }
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
        .join('.*'),
  );
  return visible.filter((n) => re.test(n));
}
