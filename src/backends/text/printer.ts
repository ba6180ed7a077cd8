/**
 * The shared text query printer: pySigma's TextQueryBackend conversion algorithm over our IR,
 * driven by a TokenTable. Backends subclass it only for what a table cannot say (SPL's deferred
 * `| regex`, Kusto's `in~` splitting …) by overriding the protected methods.
 *
 * Byte compatibility rests on three rules kept from the reference:
 * - a child is grouped when its operator binds looser than its parent's (table.precedence);
 * - an OR (or AND) whose children all compare one field with plain values becomes an IN list;
 * - a value's leading/trailing `*` picks the startswith/endswith/contains template when defined
 *   (./values.ts).
 */
import type { IrNode } from '../../ir/types.js';
import { unreachable } from '../../util/assert.js';
import type { ConversionContext } from './context.js';
import { containsSpecial, pyNumber } from './strings.js';
import type { Printed } from './values.js';
import { isDeferred, ValuePrinter } from './values.js';

export type { FieldMatch, FieldMatchOf, Keyword, Printed } from './values.js';
export { expandCidr, isDeferred, ValuePrinter } from './values.js';

/** Modifiers whose variants lowering expands into an Or (pySigma: a SigmaExpansion value). */
const EXPANDING_MODIFIERS = new Set(['windash', 'base64offset']);

export class TextPrinter extends ValuePrinter {
  // ---------------------------------------------------------------- tree walk

  /** convert_condition: dispatch on node kind. */
  override print(node: IrNode, ctx: ConversionContext): Printed {
    ctx.ancestors.push(node);
    try {
      switch (node.kind) {
        case 'Or':
        case 'And':
          return this.decideIn(node, ctx) ? this.printIn(node, ctx) : this.printBool(node, ctx);
        case 'Not':
          return this.printNot(node, ctx);
        case 'FieldMatch':
          return this.printFieldMatch(node, ctx);
        case 'Keyword':
          return this.printKeyword(node, ctx);
        case 'Const':
          return null;
        default:
          return unreachable(node);
      }
    } finally {
      ctx.ancestors.pop();
    }
  }

  /** An Or that lowering built from windash/base64offset variants of one value. */
  protected isExpansion(node: IrNode): boolean {
    if (node.kind !== 'Or' || node.children.length === 0) return false;
    for (const c of node.children) {
      if (c.kind !== 'FieldMatch' && c.kind !== 'Keyword') return false;
      const mods = c.origin.modifiers;
      if (mods === undefined || !mods.some((m) => EXPANDING_MODIFIERS.has(m))) return false;
    }
    return true;
  }

  private precedenceIndex(kind: IrNode['kind']): number {
    if (kind !== 'And' && kind !== 'Or' && kind !== 'Not') return -1;
    return this.table.precedence.indexOf(kind);
  }

  /** compare_precedence: true when the child needs no grouping inside the parent. */
  protected noGroupNeeded(outer: IrNode, inner: IrNode, ctx?: ConversionContext): boolean {
    // --pretty is for people: an AND inside an OR (or the reverse) always gets its parentheses,
    // unless it prints as one IN list, which keeps the target's own precedence rule.
    if (
      ctx?.pretty &&
      (inner.kind === 'And' || inner.kind === 'Or') &&
      inner.kind !== outer.kind &&
      !this.decideInFor(inner)
    ) {
      return false;
    }
    const leaf = inner.kind === 'FieldMatch' || inner.kind === 'Keyword' || inner.kind === 'Const';
    if (this.table.parenthesize && !leaf && !this.isExpansion(inner)) return false;
    return this.precedenceIndex(inner.kind) <= this.precedenceIndex(outer.kind);
  }

  protected indent(ctx: ConversionContext, depth = ctx.depth): string {
    return '  '.repeat(depth);
  }

  /** convert_condition_group */
  protected printGroup(node: IrNode, ctx: ConversionContext): Printed {
    ctx.depth++;
    const expr = this.print(node, ctx);
    ctx.depth--;
    if (expr === null || isDeferred(expr)) return expr;
    const group = this.table.groupExpression;
    if (!group) return this.unsupported(ctx, 'grouping with parentheses', node);
    if (ctx.pretty)
      return group({ expr: `\n${this.indent(ctx, ctx.depth + 1)}${expr}\n${this.indent(ctx)}` });
    return group({ expr });
  }

  protected joiner(token: string, ctx: ConversionContext): string {
    if (ctx.pretty) {
      const t = token.trim();
      return `\n${this.indent(ctx, ctx.depth)}${t ? t + ' ' : ''}`;
    }
    const sep = this.table.tokenSeparator;
    return sep === token ? token : sep + token + sep;
  }

  /** convert_condition_and / convert_condition_or */
  protected printBool(node: Extract<IrNode, { kind: 'And' | 'Or' }>, ctx: ConversionContext): Printed {
    const token = node.kind === 'And' ? this.table.andToken : this.table.orToken;
    const parts: string[] = [];
    for (const child of node.children) {
      const p = this.noGroupNeeded(node, child, ctx) ? this.print(child, ctx) : this.printGroup(child, ctx);
      if (p !== null && !isDeferred(p)) parts.push(p);
    }
    if (parts.length === 0) {
      const empty = node.kind === 'And' ? this.table.emptyAndExpression : this.table.emptyOrExpression;
      return empty ?? null;
    }
    return parts.join(this.joiner(token, ctx));
  }

  /** convert_condition_not */
  protected printNot(node: Extract<IrNode, { kind: 'Not' }>, ctx: ConversionContext): Printed {
    const child = node.child;
    const t = this.table;
    // The reference groups only boolean children. An expansion (windash variants) is an OR but
    // was a single item there, so it printed ungrouped (`NOT a OR b`), which changes the meaning;
    // we group it (a deliberate difference, see docs/targets/splunk.md).
    if (child.kind === 'And' || child.kind === 'Or' || child.kind === 'Not') {
      const group = this.printGroup(child, ctx);
      if (group === null) return null;
      if (t.convertNotAsNotEq || isDeferred(group)) return group;
      return t.notToken + t.tokenSeparator + group;
    }
    const expr = this.print(child, ctx);
    if (expr === null) return null;
    if (isDeferred(expr)) {
      expr.negated = !expr.negated;
      return expr;
    }
    if (t.convertNotAsNotEq) return expr;
    return t.notToken + t.tokenSeparator + expr;
  }

  // ---------------------------------------------------------------- IN lists

  /** Whether a node prints as one IN list (which needs no parentheses of its own in --pretty). */
  private decideInFor(node: Extract<IrNode, { kind: 'And' | 'Or' }>): boolean {
    return this.decideIn(node, undefined);
  }

  /** decide_convert_condition_as_in_expression */
  protected decideIn(
    node: Extract<IrNode, { kind: 'And' | 'Or' }>,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook for subclasses
    ctx: ConversionContext | undefined,
  ): boolean {
    const t = this.table;
    if (node.kind === 'Or' ? !t.convertOrAsIn : !t.convertAndAsIn) return false;
    if (node.children.length === 0 || this.isExpansion(node)) return false;
    let field: string | undefined;
    for (const c of node.children) {
      if (c.kind !== 'FieldMatch') return false;
      if (field !== undefined && c.field !== field) return false;
      field = c.field;
      if (c.value.kind === 'Str') {
        if (!t.inExpressionsAllowWildcards && containsSpecial(c.value.parts)) return false;
      } else if (c.value.kind !== 'Num') return false;
    }
    return true;
  }

  /** convert_condition_as_in_expression */
  protected printIn(node: Extract<IrNode, { kind: 'And' | 'Or' }>, ctx: ConversionContext): Printed {
    const t = this.table;
    const op = node.kind === 'Or' ? t.orInOperator : t.andInOperator;
    if (!t.fieldInListExpression || t.listSeparator === undefined || op === undefined) {
      return this.unsupported(ctx, 'field in value list', node);
    }
    const values: string[] = [];
    let field = '';
    for (const c of node.children) {
      if (c.kind !== 'FieldMatch') return this.printBool(node, ctx);
      field = c.field;
      if (c.value.kind === 'Str') {
        const v = this.convertValueStr(c.value.parts, ctx, c);
        if (v === null) return null;
        values.push(v);
      } else if (c.value.kind === 'Num') values.push(pyNumber(c.value.value, c.value.raw));
    }
    return t.fieldInListExpression({ field: this.field(field), op, list: values.join(t.listSeparator) });
  }
}
