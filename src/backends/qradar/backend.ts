/**
 * The qradar target: AQL queries `SELECT * FROM events WHERE devicetype… AND …`. Values with
 * wildcards are matched with `LOWER(field) LIKE 'lower-cased value'` (AQL's LIKE is case-sensitive,
 * Sigma is not), keywords are searched in the payload, the rule's log source becomes a devicetype
 * filter (see ./mappings.ts).
 */
import type { Result } from '../../diagnostics/index.js';
import { fail } from '../../diagnostics/index.js';
import type { IrNode, IrRule, StrPart } from '../../ir/types.js';
import type { BackendConvertOptions } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { cleanParts, containsSpecial, pyNumber } from '../text/strings.js';
import { PRODUCT_DEVICE_TYPES, SERVICE_DEVICE_TYPES } from './mappings.js';
import { pySetOrder } from './py-set.js';
import { aqlTable } from './table.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;
type Keyword = Extract<IrNode, { kind: 'Keyword' }>;
type FieldMatchOf<K extends string> = FieldMatch & { value: { kind: K } };

export const qradarFormats = { default: 'AQL queries (SELECT … FROM events WHERE …)' } as const;

/** A converted value that is only digits, wildcards and quotes is compared without LOWER. */
const NUMBER_AS_STRING = /^[0-9%']*$/;

export class QradarBackend extends TextBackend {
  constructor() {
    super('qradar', aqlTable, qradarFormats, 'default');
  }

  /**
   * Only the quote is escaped: a literal % or _ stays as written (the reference does the same,
   * so such characters act as LIKE wildcards; see docs/targets/qradar.md).
   */
  override convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    let out = '';
    for (const p of parts) {
      if (p.kind === 'Lit') out += p.text.replaceAll("'", "''");
      else if (p.kind === 'WildcardMulti') out += '%';
      else if (p.kind === 'WildcardSingle') out += '_';
      else {
        this.report(ctx, 'TL5003', `placeholder '%${p.name}%' was not replaced by any pipeline`, node);
        return null;
      }
    }
    return `'${out}'`;
  }

  /** AQL writes negation as a function-like `NOT(…)`. */
  protected override printNot(node: Extract<IrNode, { kind: 'Not' }>, ctx: ConversionContext): Printed {
    const c = node.child;
    const expr =
      c.kind === 'And' || c.kind === 'Or' || c.kind === 'Not' ? this.printGroup(c, ctx) : this.print(c, ctx);
    if (expr === null || typeof expr !== 'string') return expr;
    return `NOT(${expr})`;
  }

  /** Wildcards need LIKE; LIKE is case-sensitive, so both sides are lower-cased. */
  protected override printStr(node: FieldMatchOf<'Str'>, ctx: ConversionContext): Printed {
    const parts = cleanParts(node.value.parts);
    if (!containsSpecial(parts)) return super.printStr(node, ctx);
    const value = this.convertValueStr(parts, ctx, node);
    if (value === null) return null;
    const f = this.field(node.field);
    return NUMBER_AS_STRING.test(value)
      ? `${f} LIKE ${value.toLowerCase()}`
      : `LOWER(${f}) LIKE ${value.toLowerCase()}`;
  }

  /** windash/base64offset variants are one value list when they can be (else an OR, grouped). */
  protected override decideIn(
    node: Extract<IrNode, { kind: 'And' | 'Or' }>,
    ctx: ConversionContext,
  ): boolean {
    if (!this.isExpansion(node)) return super.decideIn(node, ctx);
    return (
      node.kind === 'Or' &&
      node.children.every(
        (c) =>
          c.kind === 'FieldMatch' &&
          c.field === (node.children[0] as FieldMatch).field &&
          ((c.value.kind === 'Str' && !containsSpecial(c.value.parts)) || c.value.kind === 'Num'),
      )
    );
  }

  protected override noGroupNeeded(outer: IrNode, inner: IrNode): boolean {
    // An expansion prints as a plain OR: grouped by precedence, not by parenthesize.
    if (this.isExpansion(inner)) return outer.kind === 'Or';
    return super.noGroupNeeded(outer, inner);
  }

  /** Value lists: numbers are quoted like strings. */
  protected override printIn(node: Extract<IrNode, { kind: 'And' | 'Or' }>, ctx: ConversionContext): Printed {
    const values: string[] = [];
    let field = '';
    for (const c of node.children) {
      if (c.kind !== 'FieldMatch') return this.printBool(node, ctx);
      field = c.field;
      if (c.value.kind === 'Str') {
        const v = this.convertValueStr(c.value.parts, ctx, c);
        if (v === null) return null;
        values.push(v);
      } else if (c.value.kind === 'Num') values.push(`'${pyNumber(c.value.value, c.value.raw)}'`);
    }
    return `${this.field(field)} IN(${values.join(', ')})`;
  }

  /** Keywords are searched in the event payload (flows: source and destination payloads). */
  protected override printKeyword(node: Keyword, ctx: ConversionContext): Printed {
    const flows = ctx.state['table'] === 'flows';
    const v = node.value;
    if (v.kind === 'Str') {
      const value = this.convertValueStr(cleanParts(v.parts), ctx, node);
      if (value === null) return null;
      if (NUMBER_AS_STRING.test(value)) {
        return flows
          ? `UTF8(sourcepayload) LIKE ${value} OR UTF8(destinationpayload) LIKE ${value}`
          : `UTF8(payload) LIKE ${value}`;
      }
      const lower = value.toLowerCase();
      return flows
        ? `LOWER(UTF8(sourcepayload)) LIKE ${lower} ORLOWER(UTF8(destinationpayload)) LIKE ${lower}`
        : `LOWER(UTF8(payload)) LIKE ${lower}`;
    }
    if (v.kind === 'Num') {
      const n = pyNumber(v.value, v.raw);
      return flows
        ? `UTF8(sourcepayload) LIKE ${n} OR UTF8(destinationpayload) LIKE ${n}`
        : `UTF8(payload) LIKE ${n}`;
    }
    if (v.kind === 'Re') {
      const re = this.convertRegex(v.pattern, v.flags);
      return flows
        ? `UTF8(sourcepayload) LIKE ${re} OR UTF8(destinationpayload) MATCHES ${re}`
        : `UTF8(payload) MATCHES '${re}'`;
    }
    return super.printKeyword(node, ctx);
  }

  override finalizeQueryFormat(query: string, ctx: ConversionContext, format: string): string | null {
    if (format !== 'default') {
      this.report(ctx, 'TL5006', `unknown output format '${format}' for qradar`);
      return null;
    }
    const table = typeof ctx.state['table'] === 'string' ? ctx.state['table'] : 'events';
    const stateFields = ctx.state['fields'];
    const ruleFields = ctx.rule.attributes['fields'];
    const fields = (
      Array.isArray(stateFields) ? stateFields : Array.isArray(ruleFields) ? ruleFields : []
    ).filter((f): f is string => typeof f === 'string');
    const select = fields.length === 0 ? '*' : `*, ${fields.map((f) => this.field(f)).join(', ')}`;
    return `SELECT ${select} FROM ${table} WHERE ${this.deviceTypes(ctx)}${query}`;
  }

  /** `devicetype=N AND ` for the rule's log source; an OR at the top is grouped behind it. */
  private deviceTypes(ctx: ConversionContext): string {
    const ls = ctx.rule.logsource;
    const ids: number[] = [];
    if (ls.product !== undefined) ids.push(...(PRODUCT_DEVICE_TYPES[ls.product] ?? []));
    if (ls.service !== undefined) ids.push(...(SERVICE_DEVICE_TYPES[ls.service] ?? []));
    const fromState = ctx.state['device_types'];
    if (Array.isArray(fromState)) for (const id of fromState) if (typeof id === 'number') ids.push(id);
    // The reference collects the ids in a Python set: its order is the set's iteration order.
    const ordered = pySetOrder(ids);
    if (ordered.length === 0) return '';
    return ordered.length === 1
      ? `devicetype=${String(ordered[0])} AND `
      : `devicetype IN(${ordered.join(', ')}) AND `;
  }

  override convertRule(
    rule: IrRule,
    opts: BackendConvertOptions,
  ): Result<{ queries: string[]; raw: string[] }> {
    const r = super.convertRule(rule, opts);
    if (r.ok && r.value.queries.length === 0) {
      // Every condition was dropped (e.g. only eventSource, which became the devicetype filter).
      return fail([
        ...r.diagnostics,
        {
          code: 'TL5001',
          severity: 'error',
          message:
            'unsupported by target: a rule whose condition only names the log source (nothing left to search)',
          file: rule.file,
        },
      ]);
    }
    return r;
  }

  override finalizeQuery(printed: Printed, ctx: ConversionContext): string | null {
    const q = super.finalizeQuery(printed, ctx);
    if (q === null) return null;
    return this.needsGroup(ctx) ? `(${q})` : q;
  }

  /** Whether the top of the condition is an OR printed as such (not as an IN list). */
  private needsGroup(ctx: ConversionContext): boolean {
    const top = effectiveTop(ctx.rule.conditions[ctx.conditionIndex]);
    if (top?.kind !== 'Or' || this.hasNoDeviceType(ctx)) return false;
    return !this.decideIn(top, ctx);
  }

  private hasNoDeviceType(ctx: ConversionContext): boolean {
    return this.deviceTypes(ctx) === '';
  }
}

/** The node that prints at the top once dropped (Const) branches are left out. */
function effectiveTop(n: IrNode | undefined): IrNode | undefined {
  if (n === undefined) return undefined;
  if (n.kind === 'And' || n.kind === 'Or') {
    const kept = n.children.filter((c) => c.kind !== 'Const');
    if (kept.length === 1) return effectiveTop(kept[0]);
    return { ...n, children: kept };
  }
  return n;
}
