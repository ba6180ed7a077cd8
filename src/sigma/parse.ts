/**
 * Sigma YAML → typed documents (rules, correlations, filters), with spans and schema diagnostics.
 * Lint checks that need the whole document live in validate.ts; this file reports only what stops a
 * document from being understood.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type {
  CorrelationCondition,
  SigmaCorrelation,
  SigmaDocument,
  SigmaFile,
  SigmaFilter,
  SigmaRule,
} from './ast.js';
import { META_KEYS, MetaParser } from './parse-meta.js';
import { decodeUtf8, readYamlTape } from './yaml-reader.js';
import { MAP, SCALAR, SEQ, YTape } from './yaml-tape.js';

export interface ParseOutput {
  file: SigmaFile;
  diagnostics: Diagnostic[];
}

const CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];
const CORRELATION_ATTRIBUTES = [
  'type',
  'rules',
  'group-by',
  'timespan',
  'timeframe',
  'condition',
  'aliases',
  'generate',
];
const RULE_KEYS = new Set([...META_KEYS, 'logsource', 'detection']);
const CORRELATION_KEYS = new Set([...META_KEYS, 'correlation', 'generate']);
const FILTER_KEYS = new Set([...META_KEYS, 'logsource', 'filter']);

/** Parse bytes (checks UTF-8 and binary content first). */
export function parseSigmaBytes(bytes: Uint8Array, file: string): ParseOutput {
  const dec = decodeUtf8(bytes, file);
  if (dec.text === undefined) return { file: { file, documents: [] }, diagnostics: dec.diagnostics };
  return parseSigmaText(dec.text, file);
}

/**
 * The tape documents are read into, kept from one file to the next (a parse runs to completion before
 * the next starts); a tape grown by a very large file is let go.
 */
let shared: YTape | undefined;
const KEEP_TAPE_RECORDS = 1 << 16;

export function parseSigmaText(text: string, file: string): ParseOutput {
  const tape = shared ?? new YTape(1 << 14);
  shared = undefined;
  tape.reset();
  try {
    return parseTape(text, file, tape);
  } finally {
    if (tape.kind.length <= KEEP_TAPE_RECORDS) shared = tape;
  }
}

function parseTape(text: string, file: string, tape: YTape): ParseOutput {
  const y = readYamlTape(text, file, tape);
  const diagnostics = [...y.diagnostics];
  const documents: SigmaDocument[] = [];
  const p = new DocParser(file, diagnostics, tape);
  let global = -1;
  let previous = -1;
  let index = 0;
  for (const d of y.docs) {
    const root = d.root;
    if (root < 0 || (tape.kind[root] === SCALAR && tape.value[root] === null)) continue;
    if (tape.kind[root] !== MAP) {
      p.diag('TL1010', 'a Sigma document must be a mapping of attributes', tape.span(root));
      continue;
    }
    const action = tape.entry(root, 'action');
    if (action >= 0) {
      const a = tape.kind[action + 1] === SCALAR ? String(tape.value[action + 1]) : '';
      if (a === 'global') {
        global = without(tape, root, 'action');
      } else if (a === 'reset') {
        global = -1;
      } else if (a === 'repeat') {
        if (previous < 0) {
          p.diag('TL1025', "'action: repeat' needs a rule document before it", tape.span(action));
          continue;
        }
        const merged = merge(tape, previous, without(tape, root, 'action'));
        previous = merged;
        const doc = p.document(merged, index++);
        if (doc) documents.push(doc);
      } else {
        p.diag('TL1025', `unknown action '${a}' (expected global, reset or repeat)`, tape.span(action + 1));
      }
      continue;
    }
    const merged = global >= 0 ? merge(tape, global, root) : root;
    previous = merged;
    const doc = p.document(merged, index++);
    if (doc) documents.push(doc);
  }
  return { file: { file, documents }, diagnostics };
}

/** Appends a copy of the mapping at `map` without its entry `key`; returns the copy. */
function without(tape: YTape, map: number, key: string): number {
  const m = tape.open(MAP, tape.line[map]!, tape.col[map]!);
  for (let e = map + 1; e < tape.end[map]!; e = tape.end[e]!) if (tape.keyOf(e) !== key) tape.copy(e);
  tape.close(m);
  return m;
}

/**
 * Appends the deep merge of two nodes (legacy collections): b's keys win, nested maps merge; the result
 * takes b's position. Returns the merged node.
 */
function merge(tape: YTape, a: number, b: number): number {
  if (tape.kind[a] !== MAP || tape.kind[b] !== MAP) return tape.copy(b);
  const m = tape.open(MAP, tape.line[b]!, tape.col[b]!);
  for (let e = a + 1; e < tape.end[a]!; e = tape.end[e]!) {
    const o = tape.entry(b, tape.keyOf(e));
    if (o < 0) {
      tape.copy(e);
      continue;
    }
    const k = tape.key(tape.keyOf(o), tape.line[o]!, tape.col[o]!);
    merge(tape, e + 1, o + 1);
    tape.close(k);
  }
  for (let o = b + 1; o < tape.end[b]!; o = tape.end[o]!) {
    if (tape.entry(a, tape.keyOf(o)) < 0) tape.copy(o);
  }
  tape.close(m);
  return m;
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

class DocParser extends MetaParser {
  document(root: number, index: number): SigmaDocument | undefined {
    this.attributes(root);
    if (this.at('correlation') >= 0) return this.correlation(root, index);
    if (this.at('filter') >= 0) return this.filter(root, index);
    return this.rule(root, index);
  }

  rule(root: number, index: number): SigmaRule | undefined {
    const tape = this.tape;
    const span = tape.span(root);
    const meta = this.meta(root, index, RULE_KEYS, span);
    const logsource = this.logsource(true, span) ?? { custom: {}, span };
    const de = this.at('detection');
    if (de < 0) {
      this.diag('TL1032', "required attribute 'detection' is missing", span, ['detection']);
      return undefined;
    }
    const detection = this.detection(de + 1, ['detection'], true);
    if (!detection) return undefined;
    // Completes the meta object rather than copying it (`{...meta}`): same keys in the same order.
    return Object.assign(meta, { kind: 'Rule' as const, logsource, detection });
  }

  filter(root: number, index: number): SigmaFilter | undefined {
    const tape = this.tape;
    const span = tape.span(root);
    const meta = this.meta(root, index, FILTER_KEYS, span);
    const logsource = this.logsource(true, span) ?? { custom: {}, span };
    const f = this.at('filter') + 1;
    if (tape.kind[f] !== MAP) {
      this.diag(
        'TL1023',
        "'filter' must be a mapping with 'rules', selections and 'condition'",
        tape.span(f),
        ['filter'],
      );
      return undefined;
    }
    const rulesE = tape.entry(f, 'rules');
    const rules = this.strList(rulesE, 'filter.rules');
    if (rulesE < 0)
      this.diag('TL1023', "filter needs 'rules' (rule ids or names, or 'any')", tape.span(f), [
        'filter',
        'rules',
      ]);
    const detection = this.detection(without(tape, f, 'rules'), ['filter'], true);
    if (!detection) return undefined;
    return Object.assign(meta, { kind: 'Filter' as const, logsource, rules, detection });
  }

  correlation(root: number, index: number): SigmaCorrelation | undefined {
    const tape = this.tape;
    const meta = this.meta(root, index, CORRELATION_KEYS, tape.span(root));
    const c = this.at('correlation') + 1;
    if (tape.kind[c] !== MAP) {
      this.diag(
        'TL1021',
        "'correlation' must be a mapping (type, rules, group-by, timespan, condition)",
        tape.span(c),
        ['correlation'],
      );
      return undefined;
    }
    const span = tape.span(c);
    const typeE = tape.entry(c, 'type');
    const type = this.str(typeE, 'correlation.type');
    let ok = true;
    if (type === undefined) {
      this.diag('TL1021', "correlation needs a 'type'", span, ['correlation', 'type']);
      ok = false;
    } else if (!CORRELATION_TYPES.includes(type)) {
      this.diag(
        'TL1020',
        `unknown correlation type '${type}' (expected ${CORRELATION_TYPES.join(', ')})`,
        tape.span(typeE + 1),
        ['correlation', 'type'],
      );
      ok = false;
    }
    const rulesE = tape.entry(c, 'rules');
    const rules = this.strList(rulesE, 'correlation.rules');
    if (rules.length === 0) {
      this.diag(
        'TL1021',
        "correlation needs at least one rule in 'rules'",
        rulesE >= 0 ? tape.span(rulesE + 1) : span,
        ['correlation', 'rules'],
      );
      ok = false;
    }
    const groupBy = this.strList(tape.entry(c, 'group-by'), 'correlation.group-by');
    let tsE = tape.entry(c, 'timespan');
    if (tsE < 0) tsE = tape.entry(c, 'timeframe');
    const timespan = this.str(tsE, 'correlation.timespan') ?? '';
    const secs = timespanSeconds(timespan);
    if (tsE < 0) {
      this.diag('TL1021', "correlation needs a 'timespan' (e.g. 5m)", span, ['correlation', 'timespan']);
      ok = false;
    } else if (secs === undefined) {
      this.diag(
        'TL1027',
        `invalid timespan '${timespan}' (expected a number and one of s, m, h, d, w, M, y)`,
        tape.span(tsE + 1),
        ['correlation', 'timespan'],
      );
      ok = false;
    }
    let condition: CorrelationCondition | undefined;
    const condE = tape.entry(c, 'condition');
    const temporal = type === 'temporal' || type === 'temporal_ordered';
    if (condE >= 0) {
      condition = this.correlationCondition(condE + 1, type ?? '');
      if (!condition) ok = false;
    } else if (!temporal) {
      this.diag('TL1021', `correlation type '${type ?? '?'}' needs a 'condition' (e.g. gte: 10)`, span, [
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
      this.diag('TL1021', `correlation type '${type}' needs 'field' in its condition`, tape.span(condE + 1), [
        'correlation',
        'condition',
        'field',
      ]);
      ok = false;
    }
    const aliases = this.aliases(tape.entry(c, 'aliases'));
    let genE = tape.entry(c, 'generate');
    if (genE < 0) genE = this.at('generate');
    let generate = false;
    if (genE >= 0) {
      const g = tape.scalarValue(genE + 1);
      if (typeof g === 'boolean') generate = g;
      else
        this.diag('TL1012', "'generate' must be true or false", tape.span(genE + 1), [
          'correlation',
          'generate',
        ]);
    }
    for (let k = c + 1; k < tape.end[c]!; k = tape.end[k]!) {
      const key = tape.keyOf(k);
      if (!CORRELATION_ATTRIBUTES.includes(key)) {
        this.diag(
          'TL1021',
          `unknown correlation attribute '${key}'`,
          tape.span(k),
          ['correlation', key],
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

  private aliases(alE: number): Record<string, Record<string, string>> {
    const aliases: Record<string, Record<string, string>> = {};
    if (alE < 0) return aliases;
    const tape = this.tape;
    const v = alE + 1;
    if (tape.kind[v] !== MAP) {
      this.diag('TL1021', "'aliases' must map alias names to {rule: field}", tape.span(v), [
        'correlation',
        'aliases',
      ]);
      return aliases;
    }
    for (let a = v + 1; a < tape.end[v]!; a = tape.end[a]!) {
      const key = tape.keyOf(a);
      const m = a + 1;
      if (tape.kind[m] !== MAP) {
        this.diag('TL1021', `alias '${key}' must map rule ids or names to field names`, tape.span(m), [
          'correlation',
          'aliases',
          key,
        ]);
        continue;
      }
      const pairs: [string, string][] = [];
      for (let x = m + 1; x < tape.end[m]!; x = tape.end[x]!) {
        pairs.push([tape.keyOf(x), tape.kind[x + 1] === SCALAR ? String(tape.value[x + 1]) : '']);
      }
      aliases[key] = Object.fromEntries(pairs);
    }
    return aliases;
  }

  private correlationCondition(n: number, type: string): CorrelationCondition | undefined {
    const tape = this.tape;
    if (tape.kind[n] !== MAP) {
      this.diag('TL1021', 'correlation condition must be a mapping like {gte: 10}', tape.span(n), [
        'correlation',
        'condition',
      ]);
      return undefined;
    }
    const cond: CorrelationCondition = { bounds: [] };
    for (let e = n + 1; e < tape.end[n]!; e = tape.end[e]!) {
      const key = tape.keyOf(e);
      const v = e + 1;
      const x = tape.scalarValue(v);
      const path = ['correlation', 'condition', key];
      if (key === 'field') {
        if (typeof x === 'string') cond.field = x;
        else if (tape.kind[v] === SEQ && type === 'value_count') {
          const names: string[] = [];
          for (let it = v + 1; it < tape.end[v]!; it = tape.end[it]!)
            names.push(tape.kind[it] === SCALAR ? String(tape.value[it]) : '');
          cond.field = names.join(',');
        } else this.diag('TL1021', "'field' must be a field name", tape.span(v), path);
      } else if (key === 'percentile') {
        if (typeof x === 'number') cond.percentile = x;
        else this.diag('TL1021', "'percentile' must be a number", tape.span(v), path);
      } else if (['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].includes(key)) {
        if (typeof x === 'number') {
          cond.bounds.push({ op: key as CorrelationCondition['bounds'][number]['op'], value: x });
        } else this.diag('TL1021', `'${key}' needs a number`, tape.span(v), path);
      } else {
        this.diag(
          'TL1021',
          `unknown condition operator '${key}' (expected gt, gte, lt, lte, eq, neq, field)`,
          tape.span(e),
          path,
        );
        return undefined;
      }
    }
    if (cond.bounds.length === 0) {
      this.diag(
        'TL1021',
        'correlation condition needs a comparison (gt, gte, lt, lte, eq or neq)',
        tape.span(n),
        ['correlation', 'condition'],
      );
      return undefined;
    }
    return cond;
  }
}
