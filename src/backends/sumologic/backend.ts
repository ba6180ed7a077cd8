/**
 * Sumo Logic Cloud SIEM backend: CSE rule expressions (`field="value"`, `field matches /regex/`,
 * `field in (…)`, `!expr`) wrapped in the rule JSON Cloud SIEM imports (formats default and
 * cse_rule: name, expression, entity selectors, score mapping, ATT&CK tags, category).
 *
 * The reference finishes expressions with text rewrites (quoted values inside `matches /…/`
 * become escaped regex text, Windows EventIDs get their channel prefix, vendor fields are written
 * `fields['…']`, vendor/product filters are prepended); ./finalize.ts does the same steps.
 */
import { ipv6Groups, ipv6Text } from '../../util/ipv6.js';
import type { IrNode, StrPart } from '../../ir/types.js';
import type { BackendConvertOptions } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { pyNumber } from '../text/strings.js';
import { DEFAULT_MIN_CONFIDENCE, blockedMessage, mappingConfidence } from './confidence.js';
import { finalizeExpression, ruleJson, toPythonJson } from './finalize.js';
import { indentedItems } from './pyjson.js';
import { CSE_SCHEMA_FIELDS, CSE_STRING_FIELDS } from './schema.js';
import { sumologicTable } from './table.js';

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;

export const sumologicFormats = {
  default: 'Cloud SIEM rule JSON ({"rules": […]})',
  cse_rule: 'Cloud SIEM rule JSON with full metadata',
} as const;

export const sumologicOptions = {
  rule_source: 'rule_source of the rule JSON (default user)',
  include_conversion_timestamp:
    'add conversion_metadata.conversion_timestamp (default false: deterministic output)',
  include_conversion_metadata: 'add conversion_metadata (default true)',
  include_confidence_metadata:
    'score the field mappings (conversion_metadata.mapping_confidence) and refuse rules below min_confidence (default true)',
  min_confidence: `lowest mean mapping confidence converted, 0 to 1 (default ${DEFAULT_MIN_CONFIDENCE}; 0 converts everything)`,
} as const;

/**
 * A value as a CSE string: pySigma's str(SigmaString) (wildcards as `*` and `?`, literal ones
 * backslash-escaped), then backslashes doubled and double quotes escaped, in double quotes.
 */
function cseString(parts: readonly StrPart[]): string {
  let out = '"';
  for (const p of parts) {
    if (p.kind === 'Lit') {
      let t = p.text;
      if (t.includes('\\')) t = t.replaceAll('\\', '\\\\');
      if (t.includes('*')) t = t.replaceAll('*', '\\\\*');
      if (t.includes('?')) t = t.replaceAll('?', '\\\\?');
      if (t.includes('"')) t = t.replaceAll('"', '\\"');
      out += t;
    } else if (p.kind === 'WildcardMulti') out += '*';
    else if (p.kind === 'WildcardSingle') out += '?';
    else out += `%${p.name}%`;
  }
  return out + '"';
}

/** Whether a regex body has balanced groups and closed character classes. */
function balanced(rx: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < rx.length; i++) {
    const c = rx.charAt(i);
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0 && !inClass;
}

/** IPv6 network → prefixes with a trailing `*` at hex-digit boundaries (a /128 stays exact). */
export function expandCidr6(cidr: string): string[] | null {
  const [addr = '', lenText = ''] = cidr.split('/');
  const len = Number(lenText);
  const groups = ipv6Groups(addr);
  if (!groups || !Number.isInteger(len) || len < 0 || len > 128) return null;
  if (len === 128) return [ipv6Text(groups)];
  const nibbles = Math.ceil(len / 4);
  const digits = groups.map((g) => g.toString(16).padStart(4, '0')).join('');
  const fixed = len % 4 === 0 ? 0 : 4 - (len % 4);
  const base = parseInt(digits.charAt(nibbles - 1), 16) & (0xf << fixed) & 0xf;
  const out: string[] = [];
  for (let v = base; v < base + (1 << fixed); v++) {
    const hex = digits.slice(0, nibbles - 1) + v.toString(16);
    const full = Math.floor(hex.length / 4);
    const parts = [];
    for (let g = 0; g < full; g++) parts.push(parseInt(hex.slice(g * 4, g * 4 + 4), 16).toString(16));
    const rest = hex.slice(full * 4);
    out.push(parts.join(':') + (full > 0 ? ':' : '') + rest + '*');
  }
  return out;
}

export class SumoLogicBackend extends TextBackend {
  /** `fields['…']` texts of dotted vendor fields. */
  private readonly vendorFields = new Map<string, string>();

  constructor() {
    super('sumologic', sumologicTable, sumologicFormats, 'default');
  }

  /** Schema fields bare; dotted vendor fields as `fields['name']`. */
  override field(name: string): string {
    if (name === '' || CSE_SCHEMA_FIELDS.has(name) || !name.includes('.')) return name;
    let text = this.vendorFields.get(name);
    if (text === undefined) {
      text = `fields['${name.startsWith('fields.') ? name.slice(7) : name}']`;
      this.vendorFields.set(name, text);
    }
    return text;
  }

  override convertValueStr(parts: readonly StrPart[], ctx: ConversionContext, node?: IrNode): string | null {
    if (parts.some((p) => p.kind === 'Placeholder')) return super.convertValueStr(parts, ctx, node);
    return cseString(parts);
  }

  protected override printNum(node: FieldMatch & { value: { kind: 'Num' } }): Printed {
    const v = pyNumber(node.value.value, node.value.raw);
    return CSE_STRING_FIELDS.has(node.field)
      ? `${this.field(node.field)}="${v}"`
      : `${this.field(node.field)}=${v}`;
  }

  protected override printIn(node: Extract<IrNode, { kind: 'And' | 'Or' }>, ctx: ConversionContext): Printed {
    const first = node.children[0];
    if (first?.kind !== 'FieldMatch') return super.printIn(node, ctx);
    const quoteNums = CSE_STRING_FIELDS.has(first.field);
    const values: string[] = [];
    for (const c of node.children) {
      if (c.kind !== 'FieldMatch') return super.printIn(node, ctx);
      if (c.value.kind === 'Str') {
        const v = this.convertValueStr(c.value.parts, ctx, c);
        if (v === null) return null;
        values.push(v);
      } else if (c.value.kind === 'Num') {
        const n = pyNumber(c.value.value, c.value.raw);
        values.push(quoteNums ? `"${n}"` : n);
      }
    }
    return `${this.field(first.field)} in (${values.join(', ')})`;
  }

  protected override printFieldRef(
    node: FieldMatch & { value: { kind: 'FieldRef' } },
    ctx: ConversionContext,
  ): Printed {
    return this.unsupported(ctx, 'field reference (|fieldref)', node);
  }

  /**
   * `|re` patterns as the reference writes them (`/`, `.` and every backslash escaped), unless that
   * unbalances the pattern (`\\[` becomes `\\\\[`, an open character class): then backslash
   * escapes are kept whole and only unescaped `/` and `.` are escaped.
   */
  protected override convertRegex(pattern: string, flags: { i: boolean; m: boolean; s: boolean }): string {
    const reference = super.convertRegex(pattern, flags);
    if (balanced(reference)) return reference;
    let out = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charAt(i);
      if (c === '\\') {
        out += c + pattern.charAt(i + 1);
        i++;
      } else out += c === '/' || c === '.' ? '\\' + c : c;
    }
    return out;
  }

  /** IPv6 networks expand to prefix matches at hex-digit boundaries, as the reference does. */
  protected override printCidr(
    node: FieldMatch & { value: { kind: 'Cidr' } },
    ctx: ConversionContext,
  ): Printed {
    if (node.value.version !== 6) return super.printCidr(node, ctx);
    const prefixes = expandCidr6(node.value.cidr);
    if (prefixes === null) return this.unsupported(ctx, `CIDR expansion of ${node.value.cidr}`, node);
    const or: IrNode = {
      kind: 'Or',
      children: prefixes.map((p) => ({
        kind: 'FieldMatch',
        field: node.field,
        value: {
          kind: 'Str',
          cased: false,
          parts: p.endsWith('*')
            ? [{ kind: 'Lit', text: p.slice(0, -1) }, { kind: 'WildcardMulti' }]
            : [{ kind: 'Lit', text: p }],
        },
        origin: node.origin,
      })),
    };
    return this.print(or, ctx);
  }

  protected override printKeyword(
    node: Extract<IrNode, { kind: 'Keyword' }>,
    ctx: ConversionContext,
  ): Printed {
    return this.unsupported(
      ctx,
      'keywords (values without a field): Cloud SIEM expressions need a field',
      node,
    );
  }

  override finalizeQueryFormat(query: string, ctx: ConversionContext): string | null {
    const expr = finalizeExpression(ctx.rule, query);
    let confidence: Record<string, unknown> | undefined;
    if (ctx.options['include_confidence_metadata'] !== 'false') {
      const raw = ctx.options['min_confidence'];
      const min = raw === undefined || raw === '' ? DEFAULT_MIN_CONFIDENCE : Number(raw);
      if (!Number.isFinite(min)) {
        ctx.diagnostics.push({
          code: 'TL5007',
          severity: 'error',
          message: `min_confidence must be a number (got '${raw ?? ''}')`,
          file: ctx.rule.file,
        });
        return null;
      }
      const scored = mappingConfidence(ctx.rule, ctx.applied, min);
      if (scored.blocked) return this.unsupported(ctx, blockedMessage(scored));
      confidence = scored.metadata;
    }
    const obj = ruleJson(ctx.rule, expr, ctx.options, confidence);
    return toPythonJson(obj);
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- same signature as other targets
  override finalizeOutput(queries: string[], opts: BackendConvertOptions): string[] {
    if (queries.length === 0) return [];
    // json.dumps({"rules": [...]}, indent=4) is each rule's own text indented two levels deeper
    // (strings hold no raw newlines), so the rules' texts are reused instead of re-serialized:
    // faster, and Python's float layout (1.0) survives texts made in other workers.
    return [indentedItems(queries, 1, '{\n    "rules": [\n', '\n    ]\n}')];
  }
}
