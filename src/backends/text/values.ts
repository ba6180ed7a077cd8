/**
 * Field names and values in query text: the part of pySigma's TextQueryBackend that turns one
 * `field = value` item (or a keyword) into text with the token table's templates, quoting and
 * escaping. The tree walk (grouping, NOT, IN lists) is TextPrinter in ./printer.ts.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { IrNode, IrValue, IrValueKind, StrPart } from '../../ir/types.js';
import type { ConversionContext, Deferred } from './context.js';
import {
  cleanParts,
  containsSpecial,
  StrConverter,
  dropFirst,
  dropLast,
  endsWithMulti,
  escapeRegex,
  pyNumber,
  specialBetween,
  startsWithMulti,
  strToRegex,
} from './strings.js';
import type { BoolKind, ReArgs, StrMatchArgs, Template, TokenTable } from './token-table.js';

/** What printing a node yields: query text, a deferred part, or nothing (dropped). */
export type Printed = string | Deferred | null;

export function isDeferred(p: Printed): p is Deferred {
  return p !== null && typeof p === 'object';
}

export type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;
export type Keyword = Extract<IrNode, { kind: 'Keyword' }>;
type ValueOf<K extends IrValueKind> = Extract<IrValue, { kind: K }>;
export type FieldMatchOf<K extends IrValueKind> = FieldMatch & { value: ValueOf<K> };

export abstract class ValuePrinter {
  private readonly strConverter: StrConverter;

  constructor(readonly table: TokenTable) {
    this.strConverter = new StrConverter({
      escapeChar: table.escapeChar ?? '',
      wildcardMulti: table.wildcardMulti,
      wildcardSingle: table.wildcardSingle,
      addEscaped: table.strQuote + (table.addEscaped ?? ''),
      filterChars: table.filterChars ?? '',
    });
  }

  // ---------------------------------------------------------------- diagnostics

  /** Report a construct the target cannot express: one code (TL5001) naming the feature. */
  unsupported(ctx: ConversionContext, feature: string, node?: IrNode): null {
    this.report(ctx, 'TL5001', `unsupported by target: ${feature}`, node);
    return null;
  }

  report(
    ctx: ConversionContext,
    code: Diagnostic['code'],
    message: string,
    node?: IrNode,
    severity: Diagnostic['severity'] = 'error',
  ): void {
    const d: Diagnostic = { code, severity, message, file: ctx.rule.file };
    const origin = node && (node.kind === 'FieldMatch' || node.kind === 'Keyword') ? node.origin : undefined;
    if (origin?.span) d.span = origin.span;
    if (origin?.selection !== undefined) {
      d.path =
        origin.key !== undefined
          ? ['detection', origin.selection, origin.key]
          : ['detection', origin.selection];
    }
    ctx.diagnostics.push(d);
  }

  /** Print any node (the tree walk lives in TextPrinter). */
  abstract print(node: IrNode, ctx: ConversionContext): Printed;

  /** Whether any ancestor (excluding the node itself) has this kind: parent_condition_chain_contains. */
  protected ancestorIs(ctx: ConversionContext, kind: BoolKind): boolean {
    for (let i = ctx.ancestors.length - 2; i >= 0; i--) if (ctx.ancestors[i]?.kind === kind) return true;
    return false;
  }

  // ---------------------------------------------------------------- fields and values

  /** Field names as written (escaped, quoted): a pure function of the name, and a run names few fields. */
  private readonly fieldText = new Map<string, string>();

  /** escape_and_quote_field */
  field(name: string): string {
    let text = this.fieldText.get(name);
    if (text === undefined) {
      text = this.escapeAndQuoteField(name);
      this.fieldText.set(name, text);
    }
    return text;
  }

  private escapeAndQuoteField(name: string): string {
    const t = this.table;
    let escaped = name;
    if (t.fieldEscape !== undefined) {
      const positions = new Set<number>();
      if (t.fieldEscapePattern) for (const m of name.matchAll(t.fieldEscapePattern)) positions.add(m.index);
      if ((t.fieldEscapeQuote ?? true) && t.fieldQuote) {
        let i = name.indexOf(t.fieldQuote);
        while (i >= 0) {
          positions.add(i);
          i = name.indexOf(t.fieldQuote, i + 1);
        }
      }
      if (positions.size > 0) {
        escaped = '';
        let prev = 0;
        for (const p of [...positions].sort((a, b) => a - b)) {
          escaped += name.slice(prev, p) + t.fieldEscape;
          prev = p;
        }
        escaped += name.slice(prev);
      }
    }
    if (t.fieldQuote !== undefined) {
      let quote = true;
      if (t.fieldQuotePattern) {
        quote = t.fieldQuotePattern.test(escaped);
        if (t.fieldQuotePattern.global || t.fieldQuotePattern.sticky) t.fieldQuotePattern.lastIndex = 0;
        if (t.fieldQuotePatternNegation ?? true) quote = !quote;
      }
      if (quote) return t.fieldQuote + escaped + t.fieldQuote;
    }
    return escaped;
  }

  protected decideStringQuoting(parts: readonly StrPart[]): boolean {
    const t = this.table;
    if (t.strQuote === '') return false;
    if (!t.strQuotePattern) return true;
    let m = t.strQuotePattern.test(plainText(parts));
    if (t.strQuotePattern.global || t.strQuotePattern.sticky) t.strQuotePattern.lastIndex = 0;
    if (t.strQuotePatternNegation ?? true) m = !m;
    return m;
  }

  /** convert_value_str: escape, write wildcards, quote. Null (with a diagnostic) when impossible. */
  convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    const t = this.table;
    const r = this.strConverter.convert(parts);
    if (typeof r !== 'string') {
      if (r.kind === 'placeholder') {
        this.report(ctx, 'TL5003', `placeholder '%${r.name}%' was not replaced by any pipeline`, node);
        return null;
      }
      return this.unsupported(ctx, `${r.which === 'multi' ? 'multi' : 'single'}-character wildcard`, node);
    }
    return this.decideStringQuoting(parts) ? t.strQuote + r + t.strQuote : r;
  }

  /** strRegex for template arguments computed on demand. */
  regexOf(parts: readonly StrPart[]): string {
    return this.strRegex(parts);
  }

  /** The regex rendering of a plain string, escaped for the target (the `regex` template argument). */
  protected strRegex(parts: readonly StrPart[]): string {
    return this.convertRegex(strToRegex(parts, this.table.addEscapedRe ?? ''), {
      i: false,
      m: false,
      s: false,
    });
  }

  /** convert_value_re */
  protected convertRegex(pattern: string, flags: { i: boolean; m: boolean; s: boolean }): string {
    const t = this.table;
    return escapeRegex(pattern, flags, {
      escaped: t.reEscape ?? [],
      escapeChar: t.reEscapeChar ?? '\\',
      escapeEscapeChar: t.reEscapeEscapeChar ?? true,
      flagPrefix: t.reFlagPrefix ?? true,
    });
  }

  /** get_flag_template; null (with a diagnostic) when a set flag has no token. */
  protected flagTokens(
    ctx: ConversionContext,
    flags: { i: boolean; m: boolean; s: boolean },
    node: IrNode,
  ): { i: string; m: string; s: string } | null {
    const tokens = this.table.reFlags ?? { i: 'i', m: 'm', s: 's' };
    const out = { i: '', m: '', s: '' };
    for (const f of ['i', 'm', 's'] as const) {
      if (!flags[f]) continue;
      const tok = tokens[f];
      if (tok === undefined) return this.unsupported(ctx, `regular expression flag '${f}'`, node);
      out[f] = tok;
    }
    return out;
  }

  // ---------------------------------------------------------------- field = value

  /** Whether the node sits under a NOT and the table writes negations as not-equal operators. */
  protected negatedHere(ctx: ConversionContext): boolean {
    return this.table.convertNotAsNotEq === true && this.ancestorIs(ctx, 'Not');
  }

  private readonly fieldHandlers: {
    [K in IrValueKind]: (n: FieldMatchOf<K>, ctx: ConversionContext) => Printed;
  } = {
    Str: (n, ctx) => (n.value.cased ? this.printCasedStr(n, ctx) : this.printStr(n, ctx)),
    Num: (n, ctx) => this.printNum(n, ctx),
    Bool: (n, ctx) => this.printBoolValue(n, ctx),
    Null: (n, ctx) => this.printNull(n, ctx),
    Re: (n, ctx) => this.printRe(n, ctx),
    Cidr: (n, ctx) => this.printCidr(n, ctx),
    Compare: (n, ctx) => this.printCompare(n, ctx),
    Exists: (n, ctx) => this.printExists(n, ctx),
    FieldRef: (n, ctx) => this.printFieldRef(n, ctx),
    TimePart: (n, ctx) => this.printTimePart(n, ctx),
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook for subclasses
    QueryExpr: (n, ctx) => n.value.expr.replaceAll('{field}', this.field(n.field)),
  };

  /** convert_condition_field_eq_val: dispatch on value kind. */
  protected printFieldMatch(node: FieldMatch, ctx: ConversionContext): Printed {
    const handler = this.fieldHandlers[node.value.kind] as (n: FieldMatch, ctx: ConversionContext) => Printed;
    return handler(node, ctx);
  }

  /** Pick a template by the value's wildcards at the ends (convert_condition_field_eq_val_str). */
  protected printStr(node: FieldMatchOf<'Str'>, ctx: ConversionContext): Printed {
    const t = this.table;
    const neg = this.negatedHere(ctx);
    const parts = cleanParts(node.value.parts);
    const starts = neg ? t.notStartswithExpression : t.startswithExpression;
    const ends = neg ? t.notEndswithExpression : t.endswithExpression;
    const contains = neg ? t.notContainsExpression : t.containsExpression;
    let expr: Template<StrMatchArgs>;
    let value: readonly StrPart[];
    if (
      starts &&
      endsWithMulti(parts) &&
      (t.startswithExpressionAllowSpecial || !specialBetween(parts, 0, 1))
    ) {
      expr = starts;
      value = dropLast(parts);
    } else if (
      ends &&
      startsWithMulti(parts) &&
      (t.endswithExpressionAllowSpecial || !specialBetween(parts, 1, 0))
    ) {
      expr = ends;
      value = dropFirst(parts);
    } else if (
      contains &&
      startsWithMulti(parts) &&
      endsWithMulti(parts) &&
      (t.containsExpressionAllowSpecial || !specialBetween(parts, 1, 1))
    ) {
      expr = contains;
      value = dropLast(dropFirst(parts));
    } else if (t.wildcardMatchExpression && containsSpecial(parts)) {
      expr = t.wildcardMatchExpression;
      value = parts;
    } else {
      expr = (neg ? t.notEqExpression : t.eqExpression) ?? this.defaultEq(neg);
      value = parts;
    }
    return this.applyStrTemplate(expr, node, value, ctx);
  }

  private defaultEq(neg: boolean): Template<StrMatchArgs> {
    const tok = neg ? (this.table.notEqToken ?? this.table.eqToken) : this.table.eqToken;
    return (a) => a.field + tok + a.value;
  }

  protected applyStrTemplate(
    expr: Template<StrMatchArgs>,
    node: FieldMatch,
    value: readonly StrPart[],
    ctx: ConversionContext,
  ): Printed {
    const converted = this.convertValueStr(value, ctx, node);
    if (converted === null) return null;
    return expr(new LazyStrArgs(this.field(node.field), converted, value, this));
  }

  /** convert_condition_field_eq_val_str_case_sensitive */
  protected printCasedStr(node: FieldMatchOf<'Str'>, ctx: ConversionContext): Printed {
    const t = this.table;
    const parts = cleanParts(node.value.parts);
    if (
      t.caseSensitiveStartswithExpression &&
      endsWithMulti(parts) &&
      (t.caseSensitiveStartswithExpressionAllowSpecial || !specialBetween(parts, 0, 1))
    ) {
      return this.applyStrTemplate(t.caseSensitiveStartswithExpression, node, dropLast(parts), ctx);
    }
    if (
      t.caseSensitiveEndswithExpression &&
      startsWithMulti(parts) &&
      (t.caseSensitiveEndswithExpressionAllowSpecial || !specialBetween(parts, 1, 0))
    ) {
      return this.applyStrTemplate(t.caseSensitiveEndswithExpression, node, dropFirst(parts), ctx);
    }
    if (
      t.caseSensitiveContainsExpression &&
      startsWithMulti(parts) &&
      endsWithMulti(parts) &&
      (t.caseSensitiveContainsExpressionAllowSpecial || !specialBetween(parts, 1, 1))
    ) {
      return this.applyStrTemplate(t.caseSensitiveContainsExpression, node, dropLast(dropFirst(parts)), ctx);
    }
    if (t.caseSensitiveMatchExpression)
      return this.applyStrTemplate(t.caseSensitiveMatchExpression, node, parts, ctx);
    return this.unsupported(ctx, 'case-sensitive matching (|cased)', node);
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook for subclasses
  protected printNum(node: FieldMatchOf<'Num'>, ctx: ConversionContext): Printed {
    return this.field(node.field) + this.table.eqToken + pyNumber(node.value.value, node.value.raw);
  }

  protected printBoolValue(node: FieldMatchOf<'Bool'>, ctx: ConversionContext): Printed {
    const tok = this.table.boolValues?.[node.value.value ? 'true' : 'false'];
    if (tok === undefined) return this.unsupported(ctx, 'boolean values', node);
    return this.field(node.field) + this.table.eqToken + tok;
  }

  protected printNull(node: FieldMatchOf<'Null'>, ctx: ConversionContext): Printed {
    const tpl = this.table.fieldNullExpression;
    if (!tpl) return this.unsupported(ctx, 'null value (field is empty)', node);
    return tpl({ field: this.field(node.field) });
  }

  /** The regular expression as the re template writes it (convert_condition_field_eq_val_re). */
  protected reText(
    node: FieldMatchOf<'Re'>,
    ctx: ConversionContext,
    field = this.field(node.field),
  ): string | null {
    const neg = this.negatedHere(ctx);
    const tpl: Template<ReArgs> | undefined = neg ? this.table.notReExpression : this.table.reExpression;
    if (!tpl) return this.unsupported(ctx, 'regular expressions (|re)', node);
    const flags = this.flagTokens(ctx, node.value.flags, node);
    if (!flags) return null;
    return tpl({ field, regex: this.convertRegex(node.value.pattern, node.value.flags), flags });
  }

  protected printRe(node: FieldMatchOf<'Re'>, ctx: ConversionContext): Printed {
    return this.reText(node, ctx);
  }

  protected cidrText(node: FieldMatchOf<'Cidr'>, ctx: ConversionContext): string | null {
    const neg = this.negatedHere(ctx);
    const tpl = neg ? this.table.notCidrExpression : this.table.cidrExpression;
    if (!tpl) return null;
    const [network = '', len = '0'] = node.value.cidr.split('/');
    const prefixlen = Number(len);
    return tpl({
      rawField: node.field,
      field: this.field(node.field),
      value: node.value.cidr,
      network,
      prefixlen,
      netmask: netmask(node.value.version, prefixlen),
    });
  }

  /** Native CIDR template, else the reference's expansion into prefix wildcard matches. */
  protected printCidr(node: FieldMatchOf<'Cidr'>, ctx: ConversionContext): Printed {
    const native = this.cidrText(node, ctx);
    if (native !== null) return native;
    const prefixes = expandCidr(node.value.cidr, node.value.version);
    if (prefixes === null) return this.unsupported(ctx, `CIDR expansion of ${node.value.cidr}`, node);
    const or: IrNode = {
      kind: 'Or',
      children: prefixes.map((p) => ({
        kind: 'FieldMatch',
        field: node.field,
        value: { kind: 'Str', cased: false, parts: [{ kind: 'Lit', text: p }, { kind: 'WildcardMulti' }] },
        origin: node.origin,
      })),
    };
    return this.print(or, ctx);
  }

  protected printCompare(node: FieldMatchOf<'Compare'>, ctx: ConversionContext): Printed {
    const t = this.table;
    if (!t.compareOpExpression || !t.compareOperators)
      return this.unsupported(ctx, 'numeric comparison', node);
    return t.compareOpExpression({
      field: this.field(node.field),
      operator: t.compareOperators[node.value.op],
      value: pyNumber(node.value.value, node.value.raw),
    });
  }

  /** convert_condition_field_eq_val_exists */
  protected printExists(node: FieldMatchOf<'Exists'>, ctx: ConversionContext): Printed {
    const t = this.table;
    const f = this.field(node.field);
    if (node.value.value || t.fieldNotExistsExpression === undefined) {
      if (!t.fieldExistsExpression) return this.unsupported(ctx, 'field existence (|exists)', node);
      const e = t.fieldExistsExpression({ field: f });
      if (node.value.value) return e;
      return t.convertNotAsNotEq ? e : t.notToken + t.tokenSeparator + e;
    }
    return t.fieldNotExistsExpression({ field: f });
  }

  protected fieldRefText(node: FieldMatchOf<'FieldRef'>, ctx: ConversionContext): string | null {
    const t = this.table;
    const [q1, q2] = t.fieldEqualsFieldEscapingQuoting ?? [true, true];
    const args = {
      field1: q1 ? this.field(node.field) : node.field,
      field2: q2 ? this.field(node.value.field) : node.value.field,
    };
    const which = node.value.parts;
    const tpl =
      which === 'contains'
        ? t.fieldEqualsFieldContainsExpression
        : which === 'startswith'
          ? t.fieldEqualsFieldStartswithExpression
          : which === 'endswith'
            ? t.fieldEqualsFieldEndswithExpression
            : t.fieldEqualsFieldExpression;
    if (!tpl) return this.unsupported(ctx, `field reference${which ? ` (${which})` : ''} (|fieldref)`, node);
    return tpl(args);
  }

  protected printFieldRef(node: FieldMatchOf<'FieldRef'>, ctx: ConversionContext): Printed {
    return this.fieldRefText(node, ctx);
  }

  protected printTimePart(node: FieldMatchOf<'TimePart'>, ctx: ConversionContext): Printed {
    const t = this.table;
    const part = t.timestampPartMapping?.[node.value.part];
    if (!t.fieldTimestampPartExpression || part === undefined) {
      return this.unsupported(ctx, `timestamp part (|${node.value.part})`, node);
    }
    return (
      t.fieldTimestampPartExpression({ field: this.field(node.field), timestampPart: part }) +
      t.eqToken +
      String(node.value.value)
    );
  }

  // ---------------------------------------------------------------- keywords

  /** convert_condition_val */
  protected printKeyword(node: Keyword, ctx: ConversionContext): Printed {
    const t = this.table;
    const v = node.value;
    switch (v.kind) {
      case 'Str': {
        if (!t.unboundValueStrExpression)
          return this.unsupported(ctx, 'keywords (values without a field)', node);
        const parts = cleanParts(v.parts);
        const value = this.convertValueStr(parts, ctx, node);
        if (value === null) return null;
        let regex: string | undefined;
        const compute = (): string => this.strRegex(parts);
        return t.unboundValueStrExpression({
          value,
          get regex() {
            return (regex ??= compute());
          },
        });
      }
      case 'Num':
        if (!t.unboundValueNumExpression) return this.unsupported(ctx, 'numeric keywords', node);
        return t.unboundValueNumExpression({ value: pyNumber(v.value, v.raw) });
      case 'Re': {
        if (!t.unboundValueReExpression) return this.unsupported(ctx, 'regular expression keywords', node);
        const flags = this.flagTokens(ctx, v.flags, node);
        if (!flags) return null;
        return t.unboundValueReExpression({ value: this.convertRegex(v.pattern, v.flags), flags });
      }
      case 'QueryExpr':
        return v.expr;
      default:
        this.report(ctx, 'TL5009', `a ${v.kind} value cannot stand alone as a keyword without a field`, node);
        return null;
    }
  }
}

/** The value text of a string without wildcards rendered (for str_quote_pattern tests). */
function plainText(parts: readonly StrPart[]): string {
  let s = '';
  for (const p of parts) {
    s +=
      p.kind === 'Lit'
        ? p.text
        : p.kind === 'WildcardMulti'
          ? '*'
          : p.kind === 'WildcardSingle'
            ? '?'
            : `%${p.name}%`;
  }
  return s;
}

/**
 * String template arguments whose `regex` is rendered only when a template reads it (few do). A
 * class, so the getter lives on the prototype rather than on an object built for every value.
 */
class LazyStrArgs implements StrMatchArgs {
  private regexText: string | undefined;
  constructor(
    readonly field: string,
    readonly value: string,
    private readonly parts: readonly StrPart[],
    private readonly printer: ValuePrinter,
  ) {}
  get regex(): string {
    return (this.regexText ??= this.printer.regexOf(this.parts));
  }
}

function netmask(version: 4 | 6, prefixlen: number): string {
  if (version === 4) {
    const bits = prefixlen === 0 ? 0 : (0xffffffff << (32 - prefixlen)) >>> 0;
    return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join('.');
  }
  const groups: string[] = [];
  for (let g = 0; g < 8; g++) {
    const n = Math.max(0, Math.min(16, prefixlen - g * 16));
    groups.push(((0xffff << (16 - n)) & 0xffff).toString(16));
  }
  return groups.join(':');
}

/**
 * SigmaCIDRExpression.expand for IPv4: the prefixes (with trailing wildcard) covering the network,
 * split at octet boundaries as the reference does. IPv6 and unusual masks: null (unsupported).
 */
export function expandCidr(cidr: string, version: 4 | 6): string[] | null {
  if (version !== 4) return null;
  const [addr = '', lenText = ''] = cidr.split('/');
  const len = Number(lenText);
  const octets = addr.split('.').map(Number);
  if (octets.length !== 4 || !Number.isInteger(len) || len < 0 || len > 32) return null;
  const full = Math.floor(len / 8);
  const rem = len % 8;
  const head = octets.slice(0, full).join('.');
  if (rem === 0) return [full === 0 ? '' : full === 4 ? head : head + '.'];
  const base = (octets[full] ?? 0) & (0xff << (8 - rem));
  const out: string[] = [];
  for (let v = base; v < base + (1 << (8 - rem)); v++) {
    const prefix = (head ? head + '.' : '') + String(v);
    out.push(full + 1 === 4 ? prefix : prefix + '.');
  }
  return out;
}
