/**
 * SecOps UDM token table. The SecOps printer walks the tree itself (./backend.ts) because the
 * reference's walk differs from the shared one; the table still states the tokens, for the
 * capability matrix and the shared helpers (placeholders, diagnostics).
 */
import type { TokenTable } from '../text/token-table.js';

export const secopsTable: TokenTable = {
  precedence: ['Or', 'And', 'Not'],
  groupExpression: ({ expr }) => `(${expr})`,
  tokenSeparator: ' ',
  orToken: 'OR',
  andToken: 'AND',
  notToken: 'NOT',
  eqToken: '=',
  notEqToken: '!=',
  strQuote: '"',
  escapeChar: '\\',
  wildcardMulti: '*',
  wildcardSingle: '?',
  addEscaped: '\\',
  reExpression: ({ field, regex }) => `${field} = /${regex}/ nocase`,
  notReExpression: ({ field, regex }) => `${field} != /${regex}/ nocase`,
  reEscape: ['"', '/'],
  cidrExpression: ({ field, value }) => `net.ip_in_range_cidr(${field}, "${value}")`,
  compareOpExpression: ({ field, operator, value }) => `${field} ${operator} ${value}`,
  compareOperators: { lt: '<', lte: '<=', gt: '>', gte: '>=' },
  fieldNullExpression: ({ field }) => `${field} = ""`,
  fieldExistsExpression: ({ field }) => `${field} != ""`,
  fieldNotExistsExpression: ({ field }) => `${field} = ""`,
  convertOrAsIn: true,
  inExpressionsAllowWildcards: true,
  fieldInListExpression: ({ field, op, list }) => `${field} ${op} /${list}/ nocase`,
  orInOperator: '=',
  listSeparator: '|',
  unboundValueStrExpression: ({ value }) => `"${value}"`,
  unboundValueNumExpression: ({ value }) => value,
};
