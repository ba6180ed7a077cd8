/**
 * Google SecOps backend: UDM search (format default) and YARA-L 2.0 rules (format yara_l).
 *
 * UDM search has no IN operator and is case-sensitive, so (as the reference does) value lists
 * become one `/a|b/ nocase` regex and string matches carry `nocase` unless the field is an enum.
 * NOT is never written: a negated comparison becomes `!=`. The tree walk follows the reference's,
 * including how it passes the "parent" down (see docs/targets/secops.md for the consequences).
 */
import type { Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode, IrRule, StrPart } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import { createContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import {
  cleanParts,
  containsSpecial,
  dropFirst,
  dropLast,
  endsWithMulti,
  pyNumber,
  startsWithMulti,
} from '../text/strings.js';
import { SECOPS_EVENT_TYPES, SECOPS_PREPEND_METADATA } from './pipeline.js';
import { UDM_ENUM_FIELDS } from './mappings.js';
import { secopsTable } from './table.js';
import { yaraLCorrelation, yaraLRule } from './yara-l.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;
type Bool = Extract<IrNode, { kind: 'And' | 'Or' }>;

/** Characters SigmaString.to_regex escapes, plus `/` (the UDM regex delimiter). */
const RE_ESCAPED = /[\\.^$+?*()[\]{}|/]/g;

/** The string as the reference's convert_value_str writes it inside a regex (wildcards → `.*`, ends trimmed). */
export function udmRegexValue(parts: readonly StrPart[]): string {
  let rx = '';
  for (const p of parts) {
    if (p.kind === 'Lit') rx += p.text.replace(RE_ESCAPED, '\\$&');
    else if (p.kind === 'WildcardMulti') rx += '.*';
    else if (p.kind === 'WildcardSingle') rx += '.';
  }
  if (rx.startsWith('.*')) rx = rx.slice(2);
  if (rx.endsWith('.*')) rx = rx.slice(0, -2);
  return rx;
}

function plainEscaped(parts: readonly StrPart[]): string {
  let out = '';
  for (const p of parts) if (p.kind === 'Lit') out += p.text.replace(/["\\*?]/g, '\\$&');
  return out;
}

function keywordsAsNone(n: IrNode): IrNode {
  switch (n.kind) {
    case 'Keyword':
      return { kind: 'FieldMatch', field: 'None', value: n.value, origin: n.origin };
    case 'And':
    case 'Or':
      return { kind: n.kind, children: n.children.map(keywordsAsNone) };
    case 'Not':
      return { kind: 'Not', child: keywordsAsNone(n.child) };
    default:
      return n;
  }
}

/** Stands for pySigma's ConditionIdentifier, the parent of a selection's tree. */
const IDENTIFIER: IrNode = { kind: 'Const', value: true };

/**
 * Nodes' selections, asked again for every ancestor: memoized for one rule (the backend clears it
 * after each rule, so it holds no node beyond its conversion).
 */
type SelectionMemo = Map<IrNode, string | null>;

/** The one selection all leaves of a node come from; null when they come from several. */
function selectionOf(n: IrNode, selectionCache: SelectionMemo): string | null | undefined {
  if (n.kind === 'Const') return undefined;
  const cached = selectionCache.get(n);
  if (cached !== undefined) return cached;
  let sel: string | null | undefined;
  if (n.kind === 'FieldMatch' || n.kind === 'Keyword') sel = n.origin.selection ?? null;
  else {
    const kids = n.kind === 'Not' ? [n.child] : n.children;
    for (const k of kids) {
      const s = selectionOf(k, selectionCache);
      if (s === undefined) continue;
      if (sel === undefined) sel = s;
      else if (s !== sel) sel = null;
    }
  }
  const out = sel ?? null;
  selectionCache.set(n, out);
  return out;
}

const OPS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

export class SecOpsBackend extends TextBackend {
  constructor() {
    super(
      'secops',
      secopsTable,
      { default: 'UDM search queries', yara_l: 'YARA-L 2.0 detection rules' },
      'default',
    );
  }

  /** The event variable prefix for YARA-L output (`$event1.`), '' for UDM search. */
  private prefix(ctx: ConversionContext): string {
    const p = ctx.scratch.get('prefix');
    return typeof p === 'string' ? p : '';
  }

  override field(name: string): string {
    return name;
  }

  private f(ctx: ConversionContext, name: string): string {
    return this.prefix(ctx) + name;
  }

  private readonly selections: SelectionMemo = new Map();

  /** Rules as the pipelines left them, by id and name, for correlations over them (this run only). */
  private readonly mapped = new Map<string, IrRule>();

  /** A rule as the pipelines mapped it (correlations receive the rules before mapping). */
  mappedRule(rule: IrRule): IrRule {
    return (
      this.mapped.get(rule.id) ?? (rule.name !== undefined ? this.mapped.get(rule.name) : undefined) ?? rule
    );
  }

  override convertRule(
    rule: IrRule,
    opts: BackendConvertOptions,
  ): Result<{ queries: string[]; raw: string[] }> {
    this.mapped.set(rule.id, rule);
    if (rule.name !== undefined) this.mapped.set(rule.name, rule);
    const prefix = opts.format === 'yara_l' ? (opts.options?.['event_variable'] ?? '$event1') + '.' : '';
    // The reference's YARA-L event-variable mapping turns keywords into a field named `None`.
    if (prefix !== '' && opts.options?.['strict_syntax'] !== 'true') {
      rule = { ...rule, conditions: rule.conditions.map(keywordsAsNone) };
    }
    const queries: string[] = [];
    const raw: string[] = [];
    const diags: ConversionContext['diagnostics'] = [];
    for (const [i, cond] of rule.conditions.entries()) {
      const ctx = createContext({
        rule,
        conditionIndex: i,
        state: { ...(opts.state ?? {}) },
        options: opts.options ?? {},
        pretty: opts.pretty ?? false,
      });
      ctx.scratch.set('prefix', prefix);
      ctx.scratch.set('strict', opts.options?.['strict_syntax'] === 'true');
      const q = this.conv(cond, ctx, null, this.parentOf(cond, null));
      diags.push(...ctx.diagnostics);
      if (ctx.diagnostics.some((d) => d.severity === 'error')) continue;
      if (q === null || typeof q !== 'string') continue;
      raw.push(q);
      queries.push(this.finishQuery(rule, q, opts, prefix));
    }
    this.selections.clear();
    if (diags.some((d) => d.severity === 'error')) return fail(diags);
    return ok({ queries, raw }, diags);
  }

  private finishQuery(rule: IrRule, q: string, opts: BackendConvertOptions, prefix: string): string {
    const state = opts.state ?? {};
    const strict = opts.options?.['strict_syntax'] === 'true';
    const types = Array.isArray(state[SECOPS_EVENT_TYPES])
      ? (state[SECOPS_EVENT_TYPES] as string[])
      : undefined;
    // The reference writes an empty `()` group when no event type is known; strict mode leaves it out.
    const prepend =
      state[SECOPS_PREPEND_METADATA] === true && types !== undefined && !(strict && types.length === 0);
    if (opts.format === 'yara_l') {
      const head = prepend ? types.map((t) => `${prefix}metadata.event_type = "${t}"`).join(' OR ') : '';
      return yaraLRule(rule, prepend ? `${head}\n\n${q}` : q, strict);
    }
    if (!prepend) return q;
    return `(${types.map((t) => `metadata.event_type = "${t}"`).join(' OR ')}) AND (${q})`;
  }

  // ------------------------------------------------------------ the reference's tree walk

  private precedence(n: IrNode): number {
    return n.kind === 'Or' ? 0 : n.kind === 'And' ? 1 : n.kind === 'Not' ? 2 : -1;
  }

  private group(n: IrNode, ctx: ConversionContext, parent: IrNode | null): Printed {
    const e = this.conv(n, ctx, null, parent);
    return typeof e === 'string' ? `(${e})` : e;
  }

  /** convert_condition(cond, parent_cond); `parent` is the node's parent in the tree. */
  conv(n: IrNode, ctx: ConversionContext, parentCond: IrNode | null, parent: IrNode | null): Printed {
    const underNot = parentCond?.kind === 'Not';
    switch (n.kind) {
      case 'Or':
        ctx.scratch.set('negated', underNot);
        if (this.decideIn(n, ctx)) return underNot ? this.inNot(n, ctx) : this.inExpr(n, ctx);
        return this.orExpr(n, ctx, parent);
      case 'And':
        return this.andExpr(n, ctx, parent, underNot);
      case 'Not':
        return this.conv(n.child, ctx, n, this.parentOf(n.child, n));
      case 'FieldMatch':
        return this.fieldEq(n, ctx, underNot);
      case 'Keyword':
        return this.keyword(n, ctx);
      case 'Const':
        return null;
    }
  }

  private children(
    n: Bool,
    ctx: ConversionContext,
    parent: IrNode | null,
    direct: (c: IrNode) => boolean,
  ): string[] {
    const out: string[] = [];
    for (const c of n.children) {
      const own = this.parentOf(c, n);
      const p = direct(c) ? this.conv(c, ctx, parent, own) : this.group(c, ctx, own);
      if (typeof p === 'string') out.push(p);
    }
    return out;
  }

  /**
   * The parent pySigma gives a node: a selection's tree hangs below the identifier that named it,
   * so its root has a parent even at the top of the condition (which decides OR parentheses and
   * which negations reach the children).
   */
  private parentOf(child: IrNode, parent: IrNode | null): IrNode | null {
    const sel = selectionOf(child, this.selections);
    if (sel === undefined || sel === null) return parent;
    if (parent !== null && parent.kind !== 'Not' && selectionOf(parent, this.selections) === sel)
      return parent;
    return IDENTIFIER;
  }

  private orExpr(n: Bool, ctx: ConversionContext, parent: IrNode | null): Printed {
    if (this.isExpansion(n)) {
      // The reference prints a windash/base64offset expansion as a bare OR that inherits the negation.
      const neg = ctx.scratch.get('negated') === true;
      const parts = n.children.map((c) =>
        c.kind === 'FieldMatch' ? this.fieldEq(c, ctx, neg) : this.conv(c, ctx, null, null),
      );
      return parts.filter((p): p is string => typeof p === 'string').join(' OR ');
    }
    const parts = this.children(n, ctx, parent, (c) => this.precedence(c) <= this.precedence(n));
    if (parts.length === 0) return null;
    const s = parts.join(' OR ');
    return parent === null ? s : `(${s})`;
  }

  private andExpr(n: Bool, ctx: ConversionContext, parent: IrNode | null, negation: boolean): Printed {
    ctx.scratch.set('negated', false);
    const parts = this.children(
      n,
      ctx,
      parent,
      (c) => negation || c.kind === 'Not' || this.precedence(c) <= this.precedence(n),
    );
    return parts.length === 0 ? null : parts.join(' AND ');
  }

  private inValue(n: FieldMatch, ctx: ConversionContext): string {
    if (n.value.kind === 'Num') return pyNumber(n.value.value, n.value.raw);
    if (n.value.kind !== 'Str') return '';
    const parts = cleanParts(n.value.parts);
    // The reference puts plain values into the list regex unescaped (`.` matches anything, `/` ends it).
    const strict = ctx.scratch.get('strict') === true;
    return containsSpecial(parts) || strict ? udmRegexValue(parts) : plainEscaped(parts);
  }

  private inExpr(n: Bool, ctx: ConversionContext): Printed {
    const first = n.children[0] as FieldMatch;
    const list = n.children.map((c) => this.inValue(c as FieldMatch, ctx)).join('|');
    return `${this.f(ctx, first.field)} = /${list}/ nocase`;
  }

  private inNot(n: Bool, ctx: ConversionContext): Printed {
    const first = n.children[0] as FieldMatch;
    const f = this.f(ctx, first.field);
    return `(${n.children.map((c) => `${f} != /${this.inValue(c as FieldMatch, ctx)}/ nocase`).join(' AND ')})`;
  }

  private fieldEq(n: FieldMatch, ctx: ConversionContext, neg: boolean): Printed {
    const field = this.f(ctx, n.field);
    const eq = neg ? '!=' : '=';
    const v = n.value;
    switch (v.kind) {
      case 'Str': {
        const parts = cleanParts(v.parts);
        if (parts.some((p) => p.kind === 'Placeholder')) return this.convertValueStr(parts, ctx, n);
        if (v.cased) {
          let tpl: ((x: string) => string) | undefined;
          if (endsWithMulti(parts) && !containsSpecial(dropLast(parts))) tpl = (x) => `${field} = /^${x}/`;
          else if (startsWithMulti(parts) && !containsSpecial(dropFirst(parts)))
            tpl = (x) => `${field} = /${x}$/`;
          else if (
            startsWithMulti(parts) &&
            endsWithMulti(parts) &&
            !containsSpecial(dropLast(dropFirst(parts)))
          )
            tpl = (x) => `${field} = /${x}/`;
          if (!tpl) return this.unsupported(ctx, 'case-sensitive exact match (|cased)', n);
          return tpl(udmRegexValue(parts));
        }
        const special = containsSpecial(parts);
        // The reference leaves a value unquoted when it contains a literal `*` or `?` too.
        const strict = ctx.scratch.get('strict') === true;
        const quote = !special && (strict || !parts.some((p) => p.kind === 'Lit' && /[*?]/.test(p.text)));
        const value = special
          ? udmRegexValue(parts)
          : quote
            ? `"${plainEscaped(parts)}"`
            : plainEscaped(parts);
        if (endsWithMulti(parts) && !containsSpecial(dropLast(parts)))
          return `${field} ${eq} /^${value}/ nocase`;
        if (startsWithMulti(parts) && !containsSpecial(dropFirst(parts)))
          return `${field} ${eq} /${value}$/ nocase`;
        if (startsWithMulti(parts) && endsWithMulti(parts) && !containsSpecial(dropLast(dropFirst(parts))))
          return `${field} ${eq} /${value}/ nocase`;
        const nocase = UDM_ENUM_FIELDS.has(n.field) ? '' : ' nocase';
        // The reference writes a value with inner wildcards as bare regex text (`f = a.*b`), which
        // UDM search rejects; we write it as a regex literal (docs/targets/secops.md).
        return `${field} ${eq} ${special ? `/${value}/` : value}${nocase}`;
      }
      case 'Num':
        return `${field} = ${pyNumber(v.value, v.raw)}`;
      case 'Bool':
        return `${field}=${v.value ? 'true' : 'false'}`;
      case 'Null':
        return `${field} = ""`;
      case 'Exists':
        return v.value ? `${field} != ""` : `${field} = ""`;
      case 'Re': {
        let rx = '';
        if (ctx.scratch.get('strict') === true) {
          // Escape only unescaped delimiters; the reference also doubles every backslash.
          for (let i = 0; i < v.pattern.length; i++) {
            const ch = v.pattern.charAt(i);
            if (ch === '\\') {
              rx += ch + v.pattern.charAt(i + 1);
              i++;
            } else rx += ch === '"' || ch === '/' ? '\\' + ch : ch;
          }
        } else for (const ch of v.pattern) rx += ch === '"' || ch === '/' || ch === '\\' ? '\\' + ch : ch;
        const fl = (v.flags.i ? 'i' : '') + (v.flags.m ? 'm' : '') + (v.flags.s ? 's' : '');
        if (fl) rx = `(?${fl})` + rx;
        return `${field} ${eq} /${rx}/ nocase`;
      }
      case 'Cidr':
        return `net.ip_in_range_cidr(${field}, "${v.cidr}")`;
      case 'Compare':
        return `${field} ${OPS[v.op]} ${pyNumber(v.value, v.raw)}`;
      case 'FieldRef':
        return this.unsupported(ctx, 'field reference (|fieldref)', n);
      case 'TimePart':
        return this.unsupported(ctx, `timestamp part (|${v.part})`, n);
      case 'QueryExpr':
        return v.expr.replaceAll('{field}', field);
    }
  }

  private keyword(n: Extract<IrNode, { kind: 'Keyword' }>, ctx: ConversionContext): Printed {
    const v = n.value;
    if (ctx.scratch.get('strict') === true)
      return this.unsupported(ctx, 'keywords (UDM search needs a field)', n);
    if (v.kind === 'Str') {
      const parts = cleanParts(v.parts);
      const value = containsSpecial(parts) ? udmRegexValue(parts) : `"${plainEscaped(parts)}"`;
      return `"${value}"`;
    }
    if (v.kind === 'Num') return pyNumber(v.value, v.raw);
    if (v.kind === 'Re') return v.pattern;
    return this.unsupported(ctx, `a ${v.kind} keyword`, n);
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    if (opts.format !== 'yara_l') {
      return fail([
        {
          code: 'TL5001',
          severity: 'error',
          message: 'unsupported by target: correlations in UDM search (use -f yara_l)',
          file: corr.id,
        },
      ]);
    }
    return yaraLCorrelation(this, corr, rules, opts);
  }

  /** Print a rule's condition with a given YARA-L event variable (for multi-event rules). */
  printWithVariable(rule: IrRule, variable: string): string[] | null {
    const out: string[] = [];
    for (const cond of rule.conditions) {
      const ctx = createContext({ rule });
      ctx.scratch.set('prefix', `${variable}.`);
      const q = this.conv(cond, ctx, null, this.parentOf(cond, null));
      if (ctx.diagnostics.some((d) => d.severity === 'error') || typeof q !== 'string') return null;
      out.push(q);
    }
    return out;
  }
}
