/**
 * The typed token table: everything a text query language needs to say about itself so the shared
 * printer (./printer.ts) can write its queries. It mirrors the class variables of pySigma's
 * TextQueryBackend so a table can be read side by side with a reference backend, but every template
 * is a function of typed arguments: a misspelt placeholder fails to compile instead of at conversion.
 *
 * An optional entry that is absent means "the target cannot express this": the printer then reports
 * ONE diagnostic (TL5001, naming the feature) and the rule fails; nothing is dropped silently.
 */
import type { CompareOp, TimePart } from '../../ir/types.js';

/** Boolean node kinds, used to state operator precedence. */
export type BoolKind = 'Not' | 'And' | 'Or';

/** Arguments of string match templates (eq, startswith, endswith, contains, wildcard, case-sensitive). */
export interface StrMatchArgs {
  /** Field name, escaped and quoted by the table's field rules. */
  field: string;
  /** The value converted (escaped, wildcards replaced) and quoted. */
  value: string;
  /** The value as a regular expression (escaped for the target), computed on first use. */
  readonly regex: string;
}

export interface ReArgs {
  field: string;
  /** The regular expression, escaped by re* entries, with a `(?ims)` prefix when reFlagPrefix. */
  regex: string;
  /** Flag tokens from reFlags for the flags that are set, '' for the others. */
  flags: { i: string; m: string; s: string };
}

export interface CidrArgs {
  /** Field as mapped (pySigma does not escape/quote it here). */
  rawField: string;
  /** Field escaped and quoted. */
  field: string;
  /** The whole CIDR value, e.g. 10.0.0.0/8. */
  value: string;
  network: string;
  prefixlen: number;
  netmask: string;
}

export interface CompareArgs {
  field: string;
  /** Operator token from compareOperators. */
  operator: string;
  value: string;
}

export interface FieldRefArgs {
  field1: string;
  field2: string;
}

export interface InListArgs {
  field: string;
  /** orInOperator or andInOperator. */
  op: string;
  /** Converted values joined with listSeparator. */
  list: string;
}

export interface UnboundArgs {
  value: string;
  readonly regex: string;
}

export interface UnboundReArgs {
  value: string;
  flags: { i: string; m: string; s: string };
}

export type Template<A> = (args: A) => string;

export interface TokenTable {
  /** Operator precedence, tightest binding first (pySigma default: Not, And, Or; SPL: Not, Or, And). */
  precedence: readonly [BoolKind, BoolKind, BoolKind];
  /** Grouping for precedence overrides, e.g. `(expr)`. */
  groupExpression?: Template<{ expr: string }>;
  /** Put parentheses around every boolean sub-expression (targets without strict precedence). */
  parenthesize?: boolean;

  tokenSeparator: string;
  orToken: string;
  andToken: string;
  notToken: string;
  eqToken: string;
  notEqToken?: string;
  /** Write a negated comparison with the not* templates instead of the not token. */
  convertNotAsNotEq?: boolean;
  /** field = value; default `${field}${eqToken}${value}`. */
  eqExpression?: Template<StrMatchArgs>;
  notEqExpression?: Template<StrMatchArgs>;

  // Field names
  fieldQuote?: string;
  /** Quote when the (escaped) name does NOT match this pattern (or matches, see negation). */
  fieldQuotePattern?: RegExp;
  /** Default true: quote when the pattern does not match. */
  fieldQuotePatternNegation?: boolean;
  fieldEscape?: string;
  /** Default true: escape the field quote character too. */
  fieldEscapeQuote?: boolean;
  /** Must be a global (/g) pattern: every match gets fieldEscape prepended. */
  fieldEscapePattern?: RegExp;

  // String values
  strQuote: string;
  strQuotePattern?: RegExp;
  /** Default true. */
  strQuotePatternNegation?: boolean;
  escapeChar?: string;
  wildcardMulti?: string;
  wildcardSingle?: string;
  /** Characters escaped besides the wildcards and the string quote. */
  addEscaped?: string;
  /** Characters removed from values. */
  filterChars?: string;
  /** Characters escaped in addition in the `regex` rendering of a plain string. */
  addEscapedRe?: string;
  boolValues?: { true: string; false: string };

  startswithExpression?: Template<StrMatchArgs>;
  notStartswithExpression?: Template<StrMatchArgs>;
  startswithExpressionAllowSpecial?: boolean;
  endswithExpression?: Template<StrMatchArgs>;
  notEndswithExpression?: Template<StrMatchArgs>;
  endswithExpressionAllowSpecial?: boolean;
  containsExpression?: Template<StrMatchArgs>;
  notContainsExpression?: Template<StrMatchArgs>;
  containsExpressionAllowSpecial?: boolean;
  /** Used when a value has wildcards and eq cannot match them. */
  wildcardMatchExpression?: Template<StrMatchArgs>;

  // Case-sensitive (`|cased`) matching
  caseSensitiveMatchExpression?: Template<StrMatchArgs>;
  caseSensitiveStartswithExpression?: Template<StrMatchArgs>;
  caseSensitiveStartswithExpressionAllowSpecial?: boolean;
  caseSensitiveEndswithExpression?: Template<StrMatchArgs>;
  caseSensitiveEndswithExpressionAllowSpecial?: boolean;
  caseSensitiveContainsExpression?: Template<StrMatchArgs>;
  caseSensitiveContainsExpressionAllowSpecial?: boolean;

  // Regular expressions
  reExpression?: Template<ReArgs>;
  notReExpression?: Template<ReArgs>;
  /** Default `\`. */
  reEscapeChar?: string;
  /** Strings escaped with reEscapeChar inside regular expressions. */
  reEscape?: readonly string[];
  /** Default true: the escape character itself is escaped too. */
  reEscapeEscapeChar?: boolean;
  /** Default true: flags become a `(?ims)` prefix. */
  reFlagPrefix?: boolean;
  /** Flag tokens; a flag missing here is unsupported. Default {i:'i', m:'m', s:'s'}. */
  reFlags?: Partial<Record<'i' | 'm' | 's', string>>;

  cidrExpression?: Template<CidrArgs>;
  notCidrExpression?: Template<CidrArgs>;

  compareOpExpression?: Template<CompareArgs>;
  compareOperators?: Record<CompareOp, string>;

  fieldEqualsFieldExpression?: Template<FieldRefArgs>;
  fieldEqualsFieldStartswithExpression?: Template<FieldRefArgs>;
  fieldEqualsFieldEndswithExpression?: Template<FieldRefArgs>;
  fieldEqualsFieldContainsExpression?: Template<FieldRefArgs>;
  /** Whether field1 / field2 get the normal escaping and quoting. Default [true, true]. */
  fieldEqualsFieldEscapingQuoting?: readonly [boolean, boolean];

  fieldTimestampPartExpression?: Template<{ field: string; timestampPart: string }>;
  timestampPartMapping?: Partial<Record<TimePart, string>>;

  fieldNullExpression?: Template<{ field: string }>;
  fieldExistsExpression?: Template<{ field: string }>;
  /** When absent, a negated exists is written as not + fieldExistsExpression. */
  fieldNotExistsExpression?: Template<{ field: string }>;

  // "field in (list)"
  convertOrAsIn?: boolean;
  convertAndAsIn?: boolean;
  inExpressionsAllowWildcards?: boolean;
  fieldInListExpression?: Template<InListArgs>;
  orInOperator?: string;
  andInOperator?: string;
  listSeparator?: string;

  // Keywords (values without a field)
  unboundValueStrExpression?: Template<UnboundArgs>;
  unboundValueNumExpression?: Template<{ value: string }>;
  unboundValueReExpression?: Template<UnboundReArgs>;

  // Deferred parts (e.g. SPL `| regex`), appended after the main query
  deferredStart?: string;
  deferredSeparator?: string;
  /** The main query when only deferred parts exist, e.g. `*`. Default ''. */
  deferredOnlyQuery?: string;

  /** Result of an AND / OR whose children were all dropped (default: drop it too). */
  emptyAndExpression?: string;
  emptyOrExpression?: string;
}
