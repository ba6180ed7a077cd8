/**
 * What the three Elastic languages share beyond their token tables: the reference backends'
 * special cases for null values (`NOT NOT _exists_` becomes `_exists_`), windash/base64offset
 * expansions written as one value list, and CIDR networks normalized as Python's ipaddress does.
 */
import type { Result } from '../../diagnostics/index.js';
import type { IrNode, IrRule } from '../../ir/types.js';
import type { BackendConvertOptions } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { containsSpecial } from '../text/strings.js';
import { ipv6Groups, ipv6Text } from '../../util/ipv6.js';
import type { TokenTable } from '../text/token-table.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;
type FieldMatchOf<K extends string> = FieldMatch & { value: { kind: K } };

export function isNullMatch(node: IrNode): node is FieldMatch {
  return node.kind === 'FieldMatch' && node.value.kind === 'Null';
}

const EXPANDING = new Set(['windash', 'base64offset']);

function isExpanding(node: IrNode): boolean {
  return node.kind === 'FieldMatch' && (node.origin.modifiers ?? []).some((m) => EXPANDING.has(m));
}

/** Conversion-state key of the caller's ATT&CK lookups (see convertRule). */
export const ATTACK_STATE = 'elastic.attack';

export class ElasticTextBackend extends TextBackend {
  /** How `not field: null` is written (`_exists_:f`, `?f != null`); absent: the generic NOT. */
  protected notNullExpression?: (field: string) => string;

  constructor(target: string, table: TokenTable, formats: Readonly<Record<string, string>>) {
    super(target, table, formats, 'default');
  }

  /** The caller's ATT&CK lookups travel to the format step in the conversion state. */
  override convertRule(
    rule: IrRule,
    opts: BackendConvertOptions,
  ): Result<{ queries: string[]; raw: string[] }> {
    if (!opts.attack) return super.convertRule(rule, opts);
    return super.convertRule(rule, {
      ...opts,
      state: { ...(opts.state ?? {}), [ATTACK_STATE]: opts.attack },
    });
  }

  protected override printNot(node: Extract<IrNode, { kind: 'Not' }>, ctx: ConversionContext): Printed {
    // The reference writes the raw field name here, without escaping or quoting.
    if (this.notNullExpression && isNullMatch(node.child)) return this.notNullExpression(node.child.field);
    // An expansion written as one value list is a single expression: no parentheses needed.
    if (this.isExpansion(node.child) && node.child.kind === 'Or' && this.decideIn(node.child, ctx)) {
      const expr = this.print(node.child, ctx);
      if (typeof expr !== 'string') return expr;
      return this.table.notToken + this.table.tokenSeparator + expr;
    }
    return super.printNot(node, ctx);
  }

  protected override noGroupNeeded(outer: IrNode, inner: IrNode): boolean {
    if (this.notNullExpression) {
      if (inner.kind === 'Not' && isNullMatch(inner.child)) return true;
      // `NOT _exists_:f` is itself a negation: keep it apart from its neighbours.
      if (isNullMatch(inner)) return false;
    }
    return super.noGroupNeeded(outer, inner);
  }

  /**
   * A windash/base64offset value that has a single variant is still an expansion for the
   * reference: a one-element value list.
   */
  protected override printFieldMatch(node: FieldMatch, ctx: ConversionContext): Printed {
    const parent = ctx.ancestors[ctx.ancestors.length - 2];
    if (isExpanding(node) && !(parent && this.isExpansion(parent))) {
      const or: Extract<IrNode, { kind: 'Or' }> = { kind: 'Or', children: [node] };
      if (this.decideIn(or, ctx)) return this.printIn(or, ctx);
    }
    return super.printFieldMatch(node, ctx);
  }

  /** windash/base64offset variants of one value become one list, as the reference does. */
  protected override decideIn(
    node: Extract<IrNode, { kind: 'And' | 'Or' }>,
    ctx: ConversionContext,
  ): boolean {
    // Expansions are values of their own for the reference: a list of them is not one IN list.
    if (!this.isExpansion(node) && node.children.some(isExpanding)) return false;
    if (!this.isExpansion(node)) return super.decideIn(node, ctx);
    const t = this.table;
    if (node.kind === 'Or' ? !t.convertOrAsIn : !t.convertAndAsIn) return false;
    let field: string | undefined;
    for (const c of node.children) {
      if (c.kind !== 'FieldMatch' || (field !== undefined && c.field !== field)) return false;
      field = c.field;
      if (c.value.kind === 'Str') {
        if (!t.inExpressionsAllowWildcards && containsSpecial(c.value.parts)) return false;
      } else if (c.value.kind !== 'Num') return false;
    }
    return true;
  }

  /** CIDR with the network address normalized (host bits cleared, IPv6 compressed). */
  protected override printCidr(node: FieldMatchOf<'Cidr'>, ctx: ConversionContext): Printed {
    const net = normalizeCidr(node.value.cidr, node.value.version);
    const n: FieldMatchOf<'Cidr'> = net === null ? node : { ...node, value: { ...node.value, cidr: net } };
    return super.printCidr(n, ctx);
  }
}

/** network/prefixlen with the network as Python's ipaddress.ip_network(strict=False) prints it. */
export function normalizeCidr(cidr: string, version: 4 | 6): string | null {
  const [addr = '', lenText = ''] = cidr.split('/');
  const len = Number(lenText);
  if (!Number.isInteger(len)) return null;
  if (version === 4) {
    const o = addr.split('.').map(Number);
    if (o.length !== 4 || o.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
    const n = (((o[0] ?? 0) << 24) | ((o[1] ?? 0) << 16) | ((o[2] ?? 0) << 8) | (o[3] ?? 0)) >>> 0;
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const m = (n & mask) >>> 0;
    return `${[24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.')}/${String(len)}`;
  }
  const groups = ipv6Groups(addr);
  if (groups === null) return null;
  const masked = groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, len - i * 16));
    return g & ((0xffff << (16 - bits)) & 0xffff);
  });
  return `${ipv6Text(masked)}/${String(len)}`;
}

/** Python's ipaddress.ip_address accepts the text (no leading zeros in IPv4 octets). */
export function isIpAddress(s: string): boolean {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(s)) {
    return s.split('.').every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
  }
  return s.includes(':') && ipv6Groups(s) !== null;
}
