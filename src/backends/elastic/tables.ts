/**
 * The three Elastic query languages as token tables: Lucene query strings, EQL and ES|QL. Each
 * states the facts the reference backends (pySigma-backend-elasticsearch) write, so default output
 * matches them byte for byte; the backend classes beside this file add what a table cannot say.
 */
import type { TokenTable } from '../text/token-table.js';

const COMPARE = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** Elasticsearch query_string (Lucene) syntax. */
export const luceneTable: TokenTable = {
  // query_string has no strict precedence between AND and OR: every boolean sub-expression is grouped.
  precedence: ['Not', 'Or', 'And'],
  groupExpression: ({ expr }) => `(${expr})`,
  parenthesize: true,

  tokenSeparator: ' ',
  orToken: 'OR',
  andToken: 'AND',
  notToken: 'NOT',
  eqToken: ':',

  // Field names are not quoted; whitespace and `*` in them are backslash-escaped.
  fieldEscape: '\\',
  fieldEscapePattern: /[\s*]/g,

  // Values are bare words with every reserved character escaped; only the empty string is quoted.
  strQuote: '"',
  strQuotePattern: /^$/,
  strQuotePatternNegation: false,
  escapeChar: '\\',
  wildcardMulti: '*',
  wildcardSingle: '?',
  addEscaped: '+-=&|!(){}[]<>^"~*?:\\/ ',
  boolValues: { true: 'true', false: 'false' },

  reExpression: ({ field, regex }) => `${field}:/${regex}/`,
  reEscapeChar: '\\',
  reEscape: ['/'],
  reEscapeEscapeChar: false,

  cidrExpression: ({ field, network, prefixlen }) => `${field}:${network}\\/${String(prefixlen)}`,

  compareOpExpression: ({ field, operator, value }) => `${field}:${operator}${value}`,
  compareOperators: COMPARE,

  fieldNullExpression: ({ field }) => `NOT _exists_:${field}`,
  fieldExistsExpression: ({ field }) => `_exists_:${field}`,
  fieldNotExistsExpression: ({ field }) => `NOT _exists_:${field}`,

  convertOrAsIn: true,
  convertAndAsIn: false,
  inExpressionsAllowWildcards: true,
  fieldInListExpression: ({ field, op, list }) => `${field}${op}(${list})`,
  orInOperator: ':',
  listSeparator: ' OR ',

  unboundValueStrExpression: ({ value }) => `*${value}*`,
  unboundValueNumExpression: ({ value }) => value,
};

/** Event Query Language: the condition of an `any where …` query. */
export const eqlTable: TokenTable = {
  precedence: ['Not', 'Or', 'And'],
  groupExpression: ({ expr }) => `(${expr})`,
  parenthesize: true,

  tokenSeparator: ' ',
  orToken: 'or',
  andToken: 'and',
  notToken: 'not',
  // `field:"value"` is EQL's case-insensitive wildcard match, the closest to Sigma's semantics.
  eqToken: ':',

  // Backticks around names that start with a digit, contain whitespace or start with '-'
  // (the reference tests with Python's re.match, which anchors at the start only).
  fieldQuote: '`',
  fieldQuotePattern: /^(?:\d|.*\s|-)/,
  fieldQuotePatternNegation: false,

  strQuote: '"',
  escapeChar: '\\',
  wildcardMulti: '*',
  wildcardSingle: '?',
  addEscaped: '\n\r\t\\"',
  boolValues: { true: 'true', false: 'false' },

  reExpression: ({ field, regex }) => `${field} regex~ "${regex}"`,
  reEscapeChar: '\\',
  reEscape: ['/'],
  reEscapeEscapeChar: false,

  caseSensitiveMatchExpression: ({ field, value }) => `${field} == ${value}`,

  cidrExpression: ({ field, network, prefixlen }) => `cidrMatch(${field}, "${network}/${String(prefixlen)}")`,

  compareOpExpression: ({ field, operator, value }) => `${field} ${operator} ${value}`,
  compareOperators: COMPARE,

  fieldNullExpression: ({ field }) => `?${field} == null`,

  convertOrAsIn: true,
  convertAndAsIn: false,
  inExpressionsAllowWildcards: true,
  fieldInListExpression: ({ field, op, list }) => `${field}${op}(${list})`,
  orInOperator: ' like~ ',
  listSeparator: ', ',

  // The value arrives quoted already (every EQL string is quoted).
  unboundValueStrExpression: ({ value }) => value,
  unboundValueNumExpression: ({ value }) => value,
};

/** ES|QL: the condition of the `| where …` command. */
export const esqlTable: TokenTable = {
  precedence: ['Not', 'And', 'Or'],
  groupExpression: ({ expr }) => `(${expr})`,

  tokenSeparator: ' ',
  orToken: 'or',
  andToken: 'and',
  notToken: 'not',
  eqToken: '==',

  fieldQuote: '`',
  fieldQuotePattern: /^[\w.]+$/,

  strQuote: '"',
  escapeChar: '\\',
  wildcardMulti: '*',
  wildcardSingle: '?',
  addEscaped: '\\',
  boolValues: { true: 'true', false: 'false' },

  startswithExpression: ({ field, value }) => `starts_with(${field}, ${value})`,
  endswithExpression: ({ field, value }) => `ends_with(${field}, ${value})`,
  wildcardMatchExpression: ({ field, value }) => `${field} like ${value}`,

  reExpression: ({ field, regex }) => `${field} rlike "${regex}"`,
  reEscapeChar: '\\',
  reEscape: ['"'],
  reEscapeEscapeChar: true,

  cidrExpression: ({ field, value }) => `cidr_match(${field}, "${value}")`,

  compareOpExpression: ({ field, operator, value }) => `${field}${operator}${value}`,
  compareOperators: COMPARE,

  fieldEqualsFieldExpression: ({ field1, field2 }) => `${field1}==${field2}`,

  fieldNullExpression: ({ field }) => `${field} is null`,
  fieldExistsExpression: ({ field }) => `${field} is not null`,
  fieldNotExistsExpression: ({ field }) => `${field} is null`,

  convertOrAsIn: true,
  convertAndAsIn: false,
  inExpressionsAllowWildcards: false,
  fieldInListExpression: ({ field, op, list }) => `${field} ${op} (${list})`,
  orInOperator: 'in',
  listSeparator: ', ',
};
