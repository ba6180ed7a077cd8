/**
 * Sumo Logic Cloud SIEM (CSE) rule expression token table. Values are written by the backend
 * (always double-quoted, backslashes doubled); wildcard matches become `matches /regex/`.
 */
import type { TokenTable } from '../text/token-table.js';

export const sumologicTable: TokenTable = {
  precedence: ['Not', 'And', 'Or'],
  groupExpression: ({ expr }) => `(${expr})`,
  tokenSeparator: ' ',
  orToken: 'OR',
  andToken: 'AND',
  notToken: '!',
  eqToken: '=',
  fieldEscape: '\\',
  fieldEscapeQuote: false,
  strQuote: '',
  escapeChar: '\\',
  wildcardMulti: '*',
  wildcardSingle: '*',
  boolValues: { true: 'true', false: 'false' },
  startswithExpression: ({ field, value }) => `${field} matches /${value}.*/`,
  endswithExpression: ({ field, value }) => `${field} matches /.*${value}/`,
  containsExpression: ({ field, value }) => `${field} matches /.*${value}.*/`,
  wildcardMatchExpression: ({ field, value }) => `${field} matches /${value}/`,
  reExpression: ({ field, regex }) => `${field} matches /${regex}/`,
  reEscapeChar: '\\',
  reEscape: ['/', '.'],
  reEscapeEscapeChar: true,
  reFlagPrefix: false,
  reFlags: { i: 'i' },
  compareOpExpression: ({ field, operator, value }) => `${field} ${operator} ${value}`,
  compareOperators: { lt: '<', lte: '<=', gt: '>', gte: '>=' },
  fieldNullExpression: ({ field }) => `isEmpty(${field})`,
  fieldExistsExpression: ({ field }) => `!isEmpty(${field})`,
  fieldNotExistsExpression: ({ field }) => `isEmpty(${field})`,
  convertOrAsIn: true,
  inExpressionsAllowWildcards: false,
  fieldInListExpression: ({ field, list }) => `${field} in (${list})`,
  orInOperator: 'in',
  listSeparator: ', ',
};
