/**
 * SPL as a token table: the facts of Splunk's search language that the reference Splunk backend
 * (pySigma-backend-splunk) writes, so default output matches it byte for byte.
 */
import type { TokenTable } from '../text/token-table.js';

export const splunkTable: TokenTable = {
  // In SPL an implicit AND (a space) binds looser than OR: `a OR b c` is `(a OR b) AND c`.
  precedence: ['Not', 'Or', 'And'],
  groupExpression: ({ expr }) => `(${expr})`,

  tokenSeparator: ' ',
  orToken: 'OR',
  andToken: ' ',
  notToken: 'NOT',
  eqToken: '=',

  fieldQuote: '"',
  fieldQuotePattern: /^[\w.]+$/,

  strQuote: '"',
  escapeChar: '\\',
  wildcardMulti: '*',
  // SPL has no single-character wildcard; `?` widens to `*` as in the reference.
  wildcardSingle: '*',
  addEscaped: '\\',
  boolValues: { true: 'true', false: 'false' },

  reExpression: ({ regex }) => regex,
  reEscapeChar: '\\',
  reEscape: ['"'],

  cidrExpression: ({ field, value }) => `${field}="${value}"`,

  compareOpExpression: ({ field, operator, value }) => `${field}${operator}${value}`,
  compareOperators: { lt: '<', lte: '<=', gt: '>', gte: '>=' },

  fieldEqualsFieldExpression: ({ field2 }) => field2,
  fieldNullExpression: ({ field }) => `NOT ${field}=*`,
  fieldExistsExpression: ({ field }) => `${field}=*`,
  fieldNotExistsExpression: ({ field }) => `NOT ${field}=*`,

  convertOrAsIn: true,
  convertAndAsIn: false,
  inExpressionsAllowWildcards: true,
  fieldInListExpression: ({ field, op, list }) => `${field} ${op} (${list})`,
  orInOperator: 'IN',
  listSeparator: ', ',

  unboundValueStrExpression: ({ value }) => value,
  unboundValueNumExpression: ({ value }) => value,
  unboundValueReExpression: ({ value }) => value,

  deferredStart: '\n| ',
  deferredSeparator: '\n| ',
  deferredOnlyQuery: '*',
};
