/**
 * The Splunk target: the SPL token table plus what a table cannot say — regular expressions and
 * field references move into pipelined commands after the search (`| regex`, `| where`), ORed
 * regular expressions become `rex`/`eval` flags searched afterwards, and the three output formats.
 */
import type { Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode } from '../../ir/types.js';
import type { ConditionNode } from '../../sigma/ast.js';
import { matchSelections, parseCondition } from '../../sigma/condition.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext, Deferred } from '../text/context.js';
import { createContext, DeferredText } from '../text/context.js';
import type { Printed } from '../text/printer.js';
import { convertSplunkCorrelation } from './correlations.js';
import { splunkTable } from './table.js';

type FieldMatchOf<K extends string> = Extract<IrNode, { kind: 'FieldMatch' }> & { value: { kind: K } };

export const splunkFormats = {
  default: 'plain SPL queries',
  savedsearches: 'SPL in a savedsearches.conf file (one stanza per rule)',
  data_model: 'tstats queries over CIM data models (use with the splunk_cim pipeline)',
} as const;

export const splunkOptions = {
  min_time: 'savedsearches: dispatch.earliest_time (default -30d)',
  max_time: 'savedsearches: dispatch.latest_time (default now)',
} as const;

const OR_REGEX = 'splunk-or-regex';
const COUNTS = 'splunk.regexFieldCounts';
const MAIN = 'splunk.main';
const SUFFIX = 'splunk.suffix';
const ROOT = 'splunk.root';
const PHANTOM = 'splunk.phantomOr';

/** A regular expression under an OR: extracted with rex, flagged with eval, searched afterwards. */
class OrRegex implements Deferred {
  readonly kind = OR_REGEX;
  negated = false;
  constructor(
    readonly field: string,
    readonly regex: string,
    readonly match: string,
    readonly condition: string,
  ) {}
  render(): string {
    return (
      `rex field=${this.field} "(?<${this.match}>${this.regex})"\n` +
      `| eval ${this.condition}=if(isnotnull(${this.match}), "true", "false")`
    );
  }
}

export class SplunkBackend extends TextBackend {
  constructor() {
    super('splunk', splunkTable, splunkFormats, 'default');
  }

  override print(node: IrNode, ctx: ConversionContext): Printed {
    if (ctx.ancestors.length === 0) ctx.scratch.set(ROOT, node);
    return super.print(node, ctx);
  }

  /**
   * The reference asks whether an item has an OR among its parents, and `1 of x*` matching a
   * single selection leaves an OR there even though it prints as the selection alone.
   */
  protected underOr(node: FieldMatchOf<string>, ctx: ConversionContext): boolean {
    if (this.ancestorIs(ctx, 'Or')) return true;
    let phantom = ctx.scratch.get(PHANTOM) as Set<string> | undefined;
    if (!phantom) ctx.scratch.set(PHANTOM, (phantom = singleOneOf(ctx)));
    return node.origin.selection !== undefined && phantom.has(node.origin.selection);
  }

  /** Regular expressions cannot be part of a search expression in SPL. */
  protected override printRe(node: FieldMatchOf<'Re'>, ctx: ConversionContext): Printed {
    const regex = this.reText(node, ctx);
    if (regex === null) return null;
    if (this.underOr(node, ctx)) {
      let counts = ctx.scratch.get(COUNTS) as Map<string, number> | undefined;
      if (!counts) ctx.scratch.set(COUNTS, (counts = new Map()));
      const n = (counts.get(node.field) ?? 0) + 1;
      counts.set(node.field, n);
      // rex group names cannot contain dots: keep what follows the last one.
      const base = node.field.replace(/^.*\./, '');
      const suffix = n === 1 ? '' : String(n);
      const condition = `${base}Condition${suffix}`;
      ctx.deferred.push(new OrRegex(node.field, regex, `${base}Match${suffix}`, condition));
      return this.printStr(
        {
          kind: 'FieldMatch',
          field: condition,
          value: { kind: 'Str', cased: false, parts: [{ kind: 'Lit', text: 'true' }] },
          origin: node.origin,
        },
        ctx,
      );
    }
    const d = new DeferredText(
      'splunk-regex',
      node.field,
      regex,
      ({ field, op, value }) => `regex ${field}${op}"${value}"`,
      { plain: '=', negated: '!=' },
    );
    ctx.deferred.push(d);
    return d;
  }

  /** Field comparisons need `| where`, which cannot sit inside an OR of the search. */
  protected override printFieldRef(node: FieldMatchOf<'FieldRef'>, ctx: ConversionContext): Printed {
    if (this.ancestorIs(ctx, 'Or'))
      return this.unsupported(ctx, 'field reference (|fieldref) inside OR', node);
    const value = this.fieldRefText(node, ctx);
    if (value === null) return null;
    const d = new DeferredText(
      'splunk-fieldref',
      node.field,
      value,
      ({ field, op, value: v }) => `where ${op}'${field}'='${v}'`,
      { plain: '', negated: 'NOT ' },
    );
    ctx.deferred.push(d);
    return d;
  }

  override finalizeQuery(printed: Printed, ctx: ConversionContext): string | null {
    const orRegex = ctx.deferred.filter((d) => d.kind === OR_REGEX);
    const main = typeof printed === 'string' ? printed : (this.table.deferredOnlyQuery ?? '');
    let query: string | null;
    if (orRegex.length > 0) {
      ctx.deferred = ctx.deferred.filter((d) => d.kind !== OR_REGEX);
      const sep = this.table.deferredSeparator ?? '\n| ';
      const rex = (this.table.deferredStart ?? sep) + orRegex.map((d) => d.render()).join(sep);
      // Leading plain conditions of the top-level AND filter events before rex runs, as in the reference.
      const prefix = ctx.pretty ? '' : this.leadingConjuncts(ctx);
      const rest = prefix && main.startsWith(prefix + ' ') ? main.slice(prefix.length + 1) : main;
      const head = `${rest === main ? '' : prefix}${rex}\n| search ${rest}`;
      query = super.finalizeQuery(head, ctx);
      // tstats already searches the whole main expression; the rex/eval/search pipeline follows it.
      if (query !== null) ctx.scratch.set(SUFFIX, `${rex}\n| search ${main}${query.slice(head.length)}`);
    } else {
      query = super.finalizeQuery(printed, ctx);
      if (query !== null) ctx.scratch.set(SUFFIX, query.slice(main.length));
    }
    ctx.scratch.set(MAIN, main);
    return query;
  }

  /** The printed text of the leading `field=value` conjuncts of the root AND (nested ANDs at the front included). */
  private leadingConjuncts(ctx: ConversionContext): string {
    const root = ctx.scratch.get(ROOT) as IrNode | undefined;
    const parts: string[] = [];
    if (root?.kind !== 'And') return '';
    const walk = (n: IrNode): boolean => {
      if (n.kind === 'And') {
        for (const c of n.children) if (!walk(c)) return false;
        return true;
      }
      if (
        n.kind === 'FieldMatch' &&
        (n.value.kind === 'Str' || n.value.kind === 'Num') &&
        !(n.value.kind === 'Str' && n.value.cased)
      ) {
        const saved = ctx.ancestors;
        ctx.ancestors = [root];
        const p = this.print(n, ctx);
        ctx.ancestors = saved;
        if (typeof p !== 'string') return false;
        parts.push(p);
        return true;
      }
      return false;
    };
    walk(root);
    return parts.join(' ');
  }

  override finalizeQueryFormat(query: string, ctx: ConversionContext, format: string): string | null {
    const fields = ruleFields(ctx);
    switch (format) {
      case 'default':
        return fields.length > 0 ? `${query} | table ${fields.join(',')}` : query;
      case 'savedsearches': {
        const title = ctx.rule.title.replace(/[[\]]/g, '');
        const description = ctx.rule.attributes['description'];
        const settings: [string, string][] = [
          ['description', typeof description === 'string' ? description.trim() : ''],
          ['search', query + (fields.length > 0 ? `\n| table ${fields.join(',')}` : '')],
        ];
        return `\n[${title}]` + settingsText(settings);
      }
      case 'data_model':
        return this.dataModelQuery(ctx);
      default:
        return this.unsupported(ctx, `output format '${format}'`);
    }
  }

  private dataModelQuery(ctx: ConversionContext): string | null {
    const set = ctx.state['data_model_set'];
    if (typeof set !== 'string' || set === '') {
      return this.unsupported(ctx, 'data model output without a data model (use the splunk_cim pipeline)');
    }
    let dataSet = set;
    if (set.includes('.')) {
      const parts = set.split('.');
      if (parts.length !== 2 || parts.some((p) => p === '')) {
        return this.unsupported(ctx, `data model '${set}' (expected data_model.data_set)`);
      }
      dataSet = parts[1] ?? set;
    }
    const fields = ctx.state['fields'];
    if (!Array.isArray(fields)) {
      return this.unsupported(ctx, 'data model output without a field list (use the splunk_cim pipeline)');
    }
    const main = ctx.scratch.get(MAIN) as string;
    const suffix = ctx.scratch.get(SUFFIX) as string;
    const text =
      `| tstats summariesonly=false allow_old_summaries=true fillnull_value="null" count min(_time) as firstTime max(_time) as lastTime from datamodel=${set} where ${main} by ${fields.map(String).join(' ')}${suffix}\n` +
      `| \`drop_dm_object_name(${dataSet})\`\n` +
      `| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)\n` +
      `| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(lastTime)\n`;
    return text.replaceAll('\n', ' ');
  }

  override finalizeOutput(queries: string[], opts: BackendConvertOptions): string[] | string {
    if (opts.format !== 'savedsearches') return queries;
    const o = opts.options ?? {};
    const settings: [string, string][] = [
      ['dispatch.earliest_time', o['min_time'] ?? '-30d'],
      ['dispatch.latest_time', o['max_time'] ?? 'now'],
    ];
    for (const [k, v] of Object.entries(o)) {
      if (k.startsWith('output.')) settings.push([k.slice('output.'.length), v]);
    }
    return '\n[default]' + settingsText(settings) + '\n' + queries.join('\n');
  }

  convertCorrelation(
    corr: IrCorrelation,
    rules: readonly ConvertedRule[],
    opts: BackendConvertOptions,
  ): Result<string[]> {
    const r = convertSplunkCorrelation(this, corr, rules, opts);
    if (!r.ok || opts.format === 'default') return r;
    // The output format wraps correlation queries like rule queries (a savedsearches stanza …).
    const ctx = createContext({
      rule: {
        id: corr.id,
        title: corr.title,
        logsource: {},
        conditions: [],
        tags: [],
        file: '',
        attributes: {},
      },
      options: opts.options ?? {},
      ...(opts.state ? { state: opts.state } : {}),
    });
    const out: string[] = [];
    for (const q of r.value) {
      const f = this.finalizeQueryFormat(q, ctx, opts.format);
      if (f === null) return fail([...r.diagnostics, ...ctx.diagnostics]);
      out.push(f);
    }
    return ok(out, r.diagnostics);
  }
}

/** Selections that a `1 of …` in this condition matches alone. */
function singleOneOf(ctx: ConversionContext): Set<string> {
  const out = new Set<string>();
  const det = ctx.rule.attributes['detection'];
  if (typeof det !== 'object' || det === null) return out;
  const d = det as Record<string, unknown>;
  const conds: unknown[] = Array.isArray(d['condition']) ? d['condition'] : [d['condition']];
  const text = conds[ctx.conditionIndex];
  if (typeof text !== 'string') return out;
  const names = Object.keys(d).filter((k) => k !== 'condition' && k !== 'timeframe');
  const parsed = parseCondition(text, () => ({ line: 1, column: 1 }), ctx.rule.file);
  const walk = (n: ConditionNode | undefined): void => {
    if (!n) return;
    switch (n.kind) {
      case 'And':
      case 'Or':
        walk(n.left);
        walk(n.right);
        break;
      case 'Not':
        walk(n.operand);
        break;
      case 'Quantified': {
        const m = matchSelections(n.pattern, names);
        if (n.quantifier === 'one' && m.length === 1 && m[0] !== undefined) out.add(m[0]);
        break;
      }
      case 'Ref':
        break;
    }
  };
  walk(parsed.ast);
  return out;
}

function ruleFields(ctx: ConversionContext): readonly string[] {
  return ctx.fields;
}

/** savedsearches.conf settings: `key = value`, continuation lines escaped with a backslash. */
function settingsText(settings: readonly [string, string][]): string {
  return settings.map(([k, v]) => `\n${k} = ` + v.split('\n').join(' \\\n')).join('');
}
