/**
 * The Splunk target: the SPL token table plus what a table cannot say — regular expressions and
 * field references move into pipelined commands after the search (`| regex`, `| where`), ORed
 * regular expressions become `rex`/`eval` flags searched afterwards, and the three output formats.
 */
import type { Result } from '../../diagnostics/index.js';
import type { IrCorrelation, IrNode } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';
import { TextBackend } from '../text/backend.js';
import type { ConversionContext, Deferred } from '../text/context.js';
import { DeferredText } from '../text/context.js';
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

  /** Regular expressions cannot be part of a search expression in SPL. */
  protected override printRe(node: FieldMatchOf<'Re'>, ctx: ConversionContext): Printed {
    const regex = this.reText(node, ctx);
    if (regex === null) return null;
    if (this.ancestorIs(ctx, 'Or')) {
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
      const rex =
        this.table.deferredStart + orRegex.map((d) => d.render()).join(this.table.deferredSeparator);
      query = super.finalizeQuery(`${rex}\n| search ${main}`, ctx);
      // tstats searches the main expression first; the rex/eval/search pipeline follows it.
      if (query !== null) ctx.scratch.set(SUFFIX, query);
    } else {
      query = super.finalizeQuery(printed, ctx);
      if (query !== null) ctx.scratch.set(SUFFIX, query.slice(main.length));
    }
    ctx.scratch.set(MAIN, main);
    return query;
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
    return convertSplunkCorrelation(this, corr, rules, opts);
  }
}

function ruleFields(ctx: ConversionContext): string[] {
  const f = ctx.rule.attributes['fields'];
  return Array.isArray(f) ? f.map(String) : [];
}

/** savedsearches.conf settings: `key = value`, continuation lines escaped with a backslash. */
function settingsText(settings: readonly [string, string][]): string {
  return settings.map(([k, v]) => `\n${k} = ` + v.split('\n').join(' \\\n')).join('');
}
