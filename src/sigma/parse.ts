/**
 * Sigma YAML → typed documents (rules, correlations, filters), with spans and schema diagnostics.
 * Lint checks that need the whole document live in validate.ts; this file reports only what stops a
 * document from being understood.
 */
import type { Diagnostic, Span } from '../diagnostics/index.js';
import type {
  CorrelationCondition,
  Logsource,
  SigmaCorrelation,
  SigmaDocument,
  SigmaFile,
  SigmaFilter,
  SigmaMeta,
  SigmaRule,
} from './ast.js';
import { packed } from './packed.js';
import { DetectionParser } from './parse-detection.js';
import { decodeUtf8, readYaml, toPlain } from './yaml-reader.js';
import type { YEntry, YNode } from './yaml-reader.js';

export interface ParseOutput {
  file: SigmaFile;
  diagnostics: Diagnostic[];
}

const META_KEYS = new Set([
  'title',
  'id',
  'name',
  'related',
  'taxonomy',
  'status',
  'description',
  'license',
  'author',
  'references',
  'date',
  'modified',
  'tags',
  'level',
  'falsepositives',
  'fields',
  'scope',
]);
/** Optional string attributes of SigmaMeta, in the order they are added to it. */
const OPTIONAL_STRING_KEYS = [
  'id',
  'name',
  'status',
  'description',
  'license',
  'author',
  'date',
  'modified',
  'level',
  'taxonomy',
] as const;
const RULE_KEYS = new Set([...META_KEYS, 'logsource', 'detection']);
const CORRELATION_KEYS = new Set([...META_KEYS, 'correlation', 'generate']);
const FILTER_KEYS = new Set([...META_KEYS, 'logsource', 'filter']);

/** Parse bytes (checks UTF-8 and binary content first). */
export function parseSigmaBytes(bytes: Uint8Array, file: string): ParseOutput {
  const dec = decodeUtf8(bytes, file);
  if (dec.text === undefined) return { file: { file, documents: [] }, diagnostics: dec.diagnostics };
  return parseSigmaText(dec.text, file);
}

export function parseSigmaText(text: string, file: string): ParseOutput {
  const y = readYaml(text, file);
  const diagnostics = [...y.diagnostics];
  const documents: SigmaDocument[] = [];
  const p = new DocParser(file, diagnostics, text);
  let global: YMap | undefined;
  let previous: YMap | undefined;
  let index = 0;
  for (const d of y.docs) {
    const root = d.root;
    if (root === undefined || (root.kind === 'scalar' && root.value === null)) continue;
    if (root.kind !== 'map') {
      p.diag('TL1010', 'a Sigma document must be a mapping of attributes', root.span);
      continue;
    }
    const action = entry(root, 'action');
    if (action) {
      const a = action.value.kind === 'scalar' ? String(action.value.value) : '';
      const rest: YMap = {
        kind: 'map',
        entries: root.entries.filter((e) => e.key !== 'action'),
        span: root.span,
      };
      if (a === 'global') {
        global = rest;
      } else if (a === 'reset') {
        global = undefined;
      } else if (a === 'repeat') {
        if (!previous) {
          p.diag('TL1025', "'action: repeat' needs a rule document before it", action.keySpan);
          continue;
        }
        const merged = merge(previous, rest);
        previous = merged;
        const doc = p.document(merged, index++);
        if (doc) documents.push(doc);
      } else {
        p.diag('TL1025', `unknown action '${a}' (expected global, reset or repeat)`, action.value.span);
      }
      continue;
    }
    const merged = global ? merge(global, root) : root;
    previous = merged;
    const doc = p.document(merged, index++);
    if (doc) documents.push(doc);
  }
  return { file: { file, documents }, diagnostics };
}

// A loop rather than entries.find: a rule looks up some thirty keys, and a closure per lookup showed up
// in allocation profiles.
function entry(map: YNode & { kind: 'map' }, key: string): YEntry | undefined {
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

type YMap = YNode & { kind: 'map' };

/** Deep merge of mappings (legacy collections): b's keys win, nested maps merge. */
function merge(a: YMap, b: YMap): YMap {
  return mergeNode(a, b) as YMap;
}

function mergeNode(a: YNode, b: YNode): YNode {
  if (a.kind !== 'map' || b.kind !== 'map') return b;
  const entries: YEntry[] = a.entries.map((e) => {
    const o = b.entries.find((x) => x.key === e.key);
    return o ? { ...o, value: mergeNode(e.value, o.value) } : e;
  });
  for (const e of b.entries) if (!a.entries.some((x) => x.key === e.key)) entries.push(e);
  return { kind: 'map', entries, span: b.span };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESPAN_RE = /^(\d+)([smhdwMy])$/;
const TIMESPAN_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  M: 2592000,
  y: 31536000,
};

export function timespanSeconds(t: string): number | undefined {
  const m = TIMESPAN_RE.exec(t.trim());
  if (!m) return undefined;
  return Number(m[1]) * TIMESPAN_SECONDS[m[2]!]!;
}

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

class DocParser extends DetectionParser {
  document(root: YNode & { kind: 'map' }, index: number): SigmaDocument | undefined {
    if (entry(root, 'correlation')) return this.correlation(root, index);
    if (entry(root, 'filter')) return this.filter(root, index);
    return this.rule(root, index);
  }

  private str(e: YEntry | undefined, path: string): string | undefined {
    if (!e) return undefined;
    const v = e.value;
    if (v.kind === 'scalar' && v.value !== null) {
      if (typeof v.value === 'string') return v.value;
      return v.raw || String(v.value);
    }
    if (v.kind === 'scalar') return undefined;
    this.diag('TL1012', `'${path}' must be a string`, v.span, [path]);
    return undefined;
  }

  private strList(e: YEntry | undefined, path: string): string[] {
    if (!e) return [];
    const v = e.value;
    if (v.kind === 'scalar') return v.value === null ? [] : [String(v.value)];
    if (v.kind === 'seq') {
      const out: string[] = [];
      v.items.forEach((it, i) => {
        if (it.kind === 'scalar' && it.value !== null)
          out.push(typeof it.value === 'string' ? it.value : it.raw || String(it.value));
        else if (it.kind !== 'scalar')
          this.diag('TL1012', `'${path}' items must be strings`, it.span, [path, i]);
      });
      return packed(out);
    }
    this.diag('TL1012', `'${path}' must be a list of strings`, v.span, [path]);
    return [];
  }

  private meta(root: YNode & { kind: 'map' }, index: number, known: Set<string>): SigmaMeta {
    const keySpans: Record<string, Span> = {};
    const custom: Record<string, unknown> = {};
    for (const e of root.entries) {
      keySpans[e.key] = e.keySpan;
      if (!known.has(e.key)) custom[e.key] = toPlain(e.value);
    }
    const titleE = entry(root, 'title');
    const title = this.str(titleE, 'title');
    if (title === undefined)
      this.diag('TL1011', "required attribute 'title' is missing", titleE?.value.span ?? root.span, [
        'title',
      ]);
    const related: SigmaMeta['related'] = [];
    const relE = entry(root, 'related');
    if (relE) {
      if (relE.value.kind !== 'seq')
        this.diag('TL1024', "'related' must be a list of {id, type}", relE.value.span, ['related']);
      else
        relE.value.items.forEach((it, i) => {
          if (it.kind !== 'map') {
            this.diag('TL1024', "'related' entries must be mappings with 'id' and 'type'", it.span, [
              'related',
              i,
            ]);
            return;
          }
          const id = this.str(entry(it, 'id'), 'related.id');
          const type = this.str(entry(it, 'type'), 'related.type');
          if (id === undefined || type === undefined) {
            this.diag('TL1024', "'related' entries need both 'id' and 'type'", it.span, ['related', i]);
            return;
          }
          related.push({ id, type });
        });
    }
    const m: SigmaMeta = {
      file: this.file,
      index,
      span: root.span,
      title: title ?? '',
      references: this.strList(entry(root, 'references'), 'references'),
      tags: this.strList(entry(root, 'tags'), 'tags'),
      falsepositives: this.strList(entry(root, 'falsepositives'), 'falsepositives'),
      fields: this.strList(entry(root, 'fields'), 'fields'),
      related: packed(related),
      scope: this.strList(entry(root, 'scope'), 'scope'),
      custom,
      keySpans,
      raw: toPlain(root) as Record<string, unknown>,
    };
    for (const k of OPTIONAL_STRING_KEYS) {
      const e = entry(root, k);
      // YAML may read an unquoted date as a number-like or other scalar; keep the source text.
      const v =
        e?.value.kind === 'scalar' && e.value.value !== null
          ? typeof e.value.value === 'string'
            ? e.value.value
            : e.value.raw
          : this.str(e, k);
      if (v !== undefined) m[k] = v;
    }
    return m;
  }

  private logsource(root: YNode & { kind: 'map' }, required: boolean): Logsource | undefined {
    const e = entry(root, 'logsource');
    if (!e) {
      if (required)
        this.diag('TL1011', "required attribute 'logsource' is missing", root.span, ['logsource']);
      return undefined;
    }
    if (e.value.kind !== 'map') {
      this.diag(
        'TL1030',
        "'logsource' must be a mapping (category, product, service, definition)",
        e.value.span,
        ['logsource'],
      );
      return undefined;
    }
    const ls: Logsource = { custom: {}, span: e.value.span };
    for (const le of e.value.entries) {
      if (le.value.kind !== 'scalar') {
        this.diag('TL1030', `'logsource.${le.key}' must be a string`, le.value.span, ['logsource', le.key]);
        continue;
      }
      const v = le.value.value === null ? undefined : String(le.value.value);
      if (le.key === 'category' || le.key === 'product' || le.key === 'service' || le.key === 'definition') {
        if (v !== undefined) ls[le.key] = v;
      } else ls.custom[le.key] = le.value.value;
    }
    return ls;
  }

  rule(root: YNode & { kind: 'map' }, index: number): SigmaRule | undefined {
    const meta = this.meta(root, index, RULE_KEYS);
    const logsource = this.logsource(root, true) ?? { custom: {}, span: root.span };
    const de = entry(root, 'detection');
    if (!de) {
      this.diag('TL1032', "required attribute 'detection' is missing", root.span, ['detection']);
      return undefined;
    }
    const detection = this.detection(de.value, ['detection'], true);
    if (!detection) return undefined;
    // Completes the meta object rather than copying it (`{...meta}`): same keys in the same order.
    return Object.assign(meta, { kind: 'Rule' as const, logsource, detection });
  }

  filter(root: YNode & { kind: 'map' }, index: number): SigmaFilter | undefined {
    const meta = this.meta(root, index, FILTER_KEYS);
    const logsource = this.logsource(root, true) ?? { custom: {}, span: root.span };
    const fe = entry(root, 'filter')!;
    if (fe.value.kind !== 'map') {
      this.diag(
        'TL1023',
        "'filter' must be a mapping with 'rules', selections and 'condition'",
        fe.value.span,
        ['filter'],
      );
      return undefined;
    }
    const rulesE = entry(fe.value, 'rules');
    const rules = this.strList(rulesE, 'filter.rules');
    if (!rulesE)
      this.diag('TL1023', "filter needs 'rules' (rule ids or names, or 'any')", fe.value.span, [
        'filter',
        'rules',
      ]);
    const body: YNode = {
      kind: 'map',
      entries: fe.value.entries.filter((x) => x.key !== 'rules'),
      span: fe.value.span,
    };
    const detection = this.detection(body, ['filter'], true);
    if (!detection) return undefined;
    return Object.assign(meta, { kind: 'Filter' as const, logsource, rules, detection });
  }

  correlation(root: YNode & { kind: 'map' }, index: number): SigmaCorrelation | undefined {
    const meta = this.meta(root, index, CORRELATION_KEYS);
    const ce = entry(root, 'correlation')!;
    if (ce.value.kind !== 'map') {
      this.diag(
        'TL1021',
        "'correlation' must be a mapping (type, rules, group-by, timespan, condition)",
        ce.value.span,
        ['correlation'],
      );
      return undefined;
    }
    const c = ce.value;
    const typeE = entry(c, 'type');
    const type = this.str(typeE, 'correlation.type');
    const TYPES = [
      'event_count',
      'value_count',
      'temporal',
      'temporal_ordered',
      'value_sum',
      'value_avg',
      'value_percentile',
    ];
    let ok = true;
    if (type === undefined) {
      this.diag('TL1021', "correlation needs a 'type'", c.span, ['correlation', 'type']);
      ok = false;
    } else if (!TYPES.includes(type)) {
      this.diag(
        'TL1020',
        `unknown correlation type '${type}' (expected ${TYPES.join(', ')})`,
        typeE!.value.span,
        ['correlation', 'type'],
      );
      ok = false;
    }
    const rulesE = entry(c, 'rules');
    const rules = this.strList(rulesE, 'correlation.rules');
    if (rules.length === 0) {
      this.diag('TL1021', "correlation needs at least one rule in 'rules'", rulesE?.value.span ?? c.span, [
        'correlation',
        'rules',
      ]);
      ok = false;
    }
    const groupBy = this.strList(entry(c, 'group-by'), 'correlation.group-by');
    const tsE = entry(c, 'timespan') ?? entry(c, 'timeframe');
    const timespan = this.str(tsE, 'correlation.timespan') ?? '';
    const secs = timespanSeconds(timespan);
    if (!tsE) {
      this.diag('TL1021', "correlation needs a 'timespan' (e.g. 5m)", c.span, ['correlation', 'timespan']);
      ok = false;
    } else if (secs === undefined) {
      this.diag(
        'TL1027',
        `invalid timespan '${timespan}' (expected a number and one of s, m, h, d, w, M, y)`,
        tsE.value.span,
        ['correlation', 'timespan'],
      );
      ok = false;
    }
    let condition: CorrelationCondition | undefined;
    const condE = entry(c, 'condition');
    const temporal = type === 'temporal' || type === 'temporal_ordered';
    if (condE) {
      condition = this.correlationCondition(condE.value, type ?? '');
      if (!condition) ok = false;
    } else if (!temporal) {
      this.diag('TL1021', `correlation type '${type ?? '?'}' needs a 'condition' (e.g. gte: 10)`, c.span, [
        'correlation',
        'condition',
      ]);
      ok = false;
    }
    if (
      type &&
      ['value_count', 'value_sum', 'value_avg', 'value_percentile'].includes(type) &&
      condition &&
      condition.field === undefined
    ) {
      this.diag('TL1021', `correlation type '${type}' needs 'field' in its condition`, condE!.value.span, [
        'correlation',
        'condition',
        'field',
      ]);
      ok = false;
    }
    const aliases: Record<string, Record<string, string>> = {};
    const alE = entry(c, 'aliases');
    if (alE) {
      if (alE.value.kind !== 'map') {
        this.diag('TL1021', "'aliases' must map alias names to {rule: field}", alE.value.span, [
          'correlation',
          'aliases',
        ]);
      } else {
        for (const a of alE.value.entries) {
          if (a.value.kind !== 'map') {
            this.diag('TL1021', `alias '${a.key}' must map rule ids or names to field names`, a.value.span, [
              'correlation',
              'aliases',
              a.key,
            ]);
            continue;
          }
          aliases[a.key] = Object.fromEntries(
            a.value.entries.map((x) => [x.key, x.value.kind === 'scalar' ? String(x.value.value) : '']),
          );
        }
      }
    }
    const genE = entry(c, 'generate') ?? entry(root, 'generate');
    let generate = false;
    if (genE) {
      if (genE.value.kind === 'scalar' && typeof genE.value.value === 'boolean') generate = genE.value.value;
      else
        this.diag('TL1012', "'generate' must be true or false", genE.value.span, ['correlation', 'generate']);
    }
    for (const k of c.entries) {
      if (
        !['type', 'rules', 'group-by', 'timespan', 'timeframe', 'condition', 'aliases', 'generate'].includes(
          k.key,
        )
      ) {
        this.diag(
          'TL1021',
          `unknown correlation attribute '${k.key}'`,
          k.keySpan,
          ['correlation', k.key],
          'warning',
        );
      }
    }
    if (!ok || type === undefined) return undefined;
    const corr: SigmaCorrelation = {
      ...meta,
      kind: 'Correlation',
      type,
      rules,
      groupBy,
      timespan,
      timespanSeconds: secs ?? 0,
      aliases,
      generate,
    };
    if (condition) corr.condition = condition;
    return corr;
  }

  private correlationCondition(n: YNode, type: string): CorrelationCondition | undefined {
    if (n.kind !== 'map') {
      this.diag('TL1021', 'correlation condition must be a mapping like {gte: 10}', n.span, [
        'correlation',
        'condition',
      ]);
      return undefined;
    }
    const cond: CorrelationCondition = { bounds: [] };
    for (const e of n.entries) {
      const path = ['correlation', 'condition', e.key];
      if (e.key === 'field') {
        if (e.value.kind === 'scalar' && typeof e.value.value === 'string') cond.field = e.value.value;
        else if (e.value.kind === 'seq' && type === 'value_count')
          cond.field = e.value.items.map((x) => (x.kind === 'scalar' ? String(x.value) : '')).join(',');
        else this.diag('TL1021', "'field' must be a field name", e.value.span, path);
      } else if (e.key === 'percentile') {
        if (e.value.kind === 'scalar' && typeof e.value.value === 'number') cond.percentile = e.value.value;
        else this.diag('TL1021', "'percentile' must be a number", e.value.span, path);
      } else if (['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].includes(e.key)) {
        if (e.value.kind === 'scalar' && typeof e.value.value === 'number') {
          cond.bounds.push({
            op: e.key as CorrelationCondition['bounds'][number]['op'],
            value: e.value.value,
          });
        } else this.diag('TL1021', `'${e.key}' needs a number`, e.value.span, path);
      } else {
        this.diag(
          'TL1021',
          `unknown condition operator '${e.key}' (expected gt, gte, lt, lte, eq, neq, field)`,
          e.keySpan,
          path,
        );
        return undefined;
      }
    }
    if (cond.bounds.length === 0) {
      this.diag('TL1021', 'correlation condition needs a comparison (gt, gte, lt, lte, eq or neq)', n.span, [
        'correlation',
        'condition',
      ]);
      return undefined;
    }
    return cond;
  }
}
