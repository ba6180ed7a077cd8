/**
 * CrowdStrike LogScale (CQL) token table. LogScale compares `field=value` case-sensitively, so the
 * reference writes every plain string as an anchored, case-insensitive regex (`/^value$/i`); the
 * printer override in ./backend.ts picks the anchors.
 */
import type { TokenTable } from '../text/token-table.js';

export const logscaleTable: TokenTable = {
  // CQL binds OR tighter than the implicit AND (juxtaposition).
  precedence: ['Not', 'Or', 'And'],
  groupExpression: ({ expr }) => `(${expr})`,
  tokenSeparator: ' ',
  orToken: 'or',
  andToken: ' ',
  notToken: 'not',
  eqToken: '=',

  fieldQuote: '"',
  fieldQuotePattern: /^[@|#]?[\w.]+$/,
  fieldQuotePatternNegation: true,
  fieldEscape: '\\',
  fieldEscapeQuote: true,

  strQuote: '"',
  escapeChar: '\\',
  wildcardMulti: '.*',
  wildcardSingle: '.',
  addEscaped: '\\',
  boolValues: { true: 'true', false: 'false' },

  reExpression: ({ field, regex, flags }) => `${field}=/${regex}/${flags.i}${flags.m}${flags.s}`,
  reEscapeChar: '\\',
  // The reference leaves `/` unescaped, which ends the regex literal early; we escape it.
  reEscape: ['"', '/'],
  reEscapeEscapeChar: false,
  reFlagPrefix: false,
  reFlags: { i: 'i', m: 'm', s: 's' },

  caseSensitiveMatchExpression: ({ field, value }) => `${field}=${value}`,
  caseSensitiveStartswithExpression: ({ field, value }) => `${field}=/^${value}/`,
  caseSensitiveEndswithExpression: ({ field, value }) => `${field}=/${value}$/`,
  caseSensitiveContainsExpression: ({ field, value }) => `${field}=/${value}/`,

  compareOpExpression: ({ field, operator, value }) => `${field}${operator}${value}`,
  compareOperators: { lt: '<', lte: '<=', gt: '>', gte: '>=' },

  fieldNullExpression: ({ field }) => `${field}!=*`,

  // `/` inside the keyword would end the regex literal (the reference leaves it unescaped).
  unboundValueStrExpression: ({ value }) => `/${value.replaceAll('/', '\\/')}/i`,
  unboundValueNumExpression: ({ value }) => `/${value}/i`,
  unboundValueReExpression: ({ value, flags }) => `/${value}/${flags.i}${flags.m}${flags.s}`,

  deferredStart: '| ',
  deferredSeparator: '| ',
  deferredOnlyQuery: '',
};

/** Characters the reference escapes when it writes a plain string as a regex. */
export const LOGSCALE_RE_ESCAPED = '*$^.|?()[]{}+/\\';
