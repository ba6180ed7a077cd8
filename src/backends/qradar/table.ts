/**
 * AQL (IBM QRadar's Ariel Query Language) as a token table: the WHERE clause of
 * `SELECT … FROM events`, as the reference QRadar AQL backend writes it.
 */
import type { TokenTable } from '../text/token-table.js';

export const aqlTable: TokenTable = {
  precedence: ['Not', 'Or', 'And'],
  groupExpression: ({ expr }) => `(${expr})`,
  // Every boolean sub-expression is grouped.
  parenthesize: true,

  tokenSeparator: ' ',
  orToken: 'OR',
  andToken: 'AND',
  notToken: 'NOT',
  eqToken: '=',

  // Property names with spaces are double-quoted; names that are function calls are not.
  fieldQuote: '"',
  fieldQuotePattern: /^(?:\S+$|.*\([^()]*\).*)/,

  // SQL strings: a quote is doubled; % and _ are the LIKE wildcards.
  strQuote: "'",
  escapeChar: "'",
  wildcardMulti: '%',
  wildcardSingle: '_',
  boolValues: { true: 'true', false: 'false' },

  reExpression: ({ field, regex }) => `${field} MATCHES '${regex}'`,
  reEscapeChar: "'",
  reEscape: ["'"],
  reEscapeEscapeChar: true,

  cidrExpression: ({ field, value }) => `INCIDR('${value}', ${field})`,

  compareOpExpression: ({ field, operator, value }) => `${field}${operator}${value}`,
  compareOperators: { lt: '<', lte: '<=', gt: '>', gte: '>=' },

  fieldNullExpression: ({ field }) => `${field} IS NULL`,

  convertOrAsIn: true,
  convertAndAsIn: false,
  inExpressionsAllowWildcards: false,
  fieldInListExpression: ({ field, op, list }) => `${field} ${op}(${list})`,
  orInOperator: 'IN',
  listSeparator: ', ',
};
