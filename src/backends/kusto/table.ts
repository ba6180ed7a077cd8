/**
 * KQL as a token table: the facts of the Kusto Query Language that the reference Kusto backend
 * (pySigma-backend-kusto) writes, so default output matches it byte for byte. What a table cannot
 * say (`not(…)`, `==` for numbers, IN lists mixed with wildcard values) lives in ./backend.ts.
 */
import type { TokenTable } from '../text/token-table.js';

export const kustoTable: TokenTable = {
  precedence: ['Not', 'And', 'Or'],
  groupExpression: ({ expr }) => `(${expr})`,
  // The reference groups every boolean sub-expression, even where precedence makes it redundant.
  parenthesize: true,

  tokenSeparator: ' ',
  orToken: 'or',
  andToken: 'and',
  notToken: 'not',
  // `=~` is KQL's case-insensitive equality, which keeps Sigma's case-insensitive semantics.
  eqToken: ' =~ ',

  fieldQuote: "'",
  fieldQuotePattern: /^\w+$/,
  fieldEscape: '',
  fieldEscapePattern: /\s/g,

  strQuote: '"',
  escapeChar: '\\',
  wildcardMulti: '*',
  // KQL string operators know no wildcards; a `?` only survives inside values printed as regexes.
  wildcardSingle: '*',
  addEscaped: '\\',
  boolValues: { true: 'true', false: 'false' },

  // startswith / endswith / contains are case-insensitive in KQL, like Sigma's default matching.
  startswithExpression: ({ field, value }) => `${field} startswith ${value}`,
  endswithExpression: ({ field, value }) => `${field} endswith ${value}`,
  containsExpression: ({ field, value }) => `${field} contains ${value}`,
  wildcardMatchExpression: ({ field, regex }) => `${field} matches regex "${regex}"`,

  caseSensitiveMatchExpression: ({ field, value }) => `${field} == ${value}`,
  caseSensitiveStartswithExpression: ({ field, value }) => `${field} startswith_cs ${value}`,
  caseSensitiveEndswithExpression: ({ field, value }) => `${field} endswith_cs ${value}`,
  caseSensitiveContainsExpression: ({ field, value }) => `${field} contains_cs ${value}`,

  reExpression: ({ field, regex }) => `${field} matches regex "${regex}"`,
  reEscapeChar: '\\',
  reEscape: ['"'],

  cidrExpression: ({ field, value }) => `ipv4_is_in_range(${field}, "${value}")`,

  compareOpExpression: ({ field, operator, value }) => `${field} ${operator} ${value}`,
  compareOperators: { lt: '<', lte: '<=', gt: '>', gte: '>=' },

  fieldEqualsFieldExpression: ({ field1, field2 }) => `${field1} =~ ${field2}`,
  fieldEqualsFieldStartswithExpression: ({ field1, field2 }) => `${field1} startswith ${field2}`,
  fieldEqualsFieldEndswithExpression: ({ field1, field2 }) => `${field1} endswith ${field2}`,
  fieldEqualsFieldContainsExpression: ({ field1, field2 }) => `${field1} contains ${field2}`,

  fieldNullExpression: ({ field }) => `isnull(${field})`,
  fieldExistsExpression: ({ field }) => `isnotempty(${field})`,
  fieldNotExistsExpression: ({ field }) => `isempty(${field})`,

  convertOrAsIn: true,
  convertAndAsIn: true,
  inExpressionsAllowWildcards: true,
  fieldInListExpression: ({ field, op, list }) => `${field} ${op} (${list})`,
  orInOperator: 'in~',
  andInOperator: 'has_all',
  listSeparator: ', ',

  unboundValueStrExpression: ({ value }) => value,
  unboundValueNumExpression: ({ value }) => value,
  unboundValueReExpression: ({ value }) => `_=~${value}`,

  deferredStart: '\n| ',
  deferredSeparator: '\n| ',
  deferredOnlyQuery: '*',
};
