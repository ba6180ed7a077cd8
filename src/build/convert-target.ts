/**
 * One detection, one package target: convert with the target's backend, fall back where the spec
 * says (Elastic correlations and enrichment go to ES|QL), render enrichment flags as native columns,
 * and classify the result as converted / degraded (why) / unsupported (why).
 */
import { stringify } from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';
import { Converter } from '../backends/convert.js';
import type { RuleCache } from '../backends/convert.js';
import type { AttackLookup } from '../backends/text/backend.js';
import { parseSigmaText } from '../sigma/index.js';
import type { SigmaDocument } from '../sigma/index.js';
import type { TargetResult } from './model.js';
import type { PackageTargetSpec } from './targets.js';
import { flagColumn, tablesOf } from './targets.js';
import { explainKqlUnsupported } from './xdr-gaps.js';

/** What the build converts: a content detection or a plain Sigma rule, reduced to what conversion needs. */
export interface ConvertInput {
  file: string;
  documents: readonly SigmaDocument[];
  /** Index of the document the detection is (the others are base rules of a correlation). */
  primary: number;
  kind: 'rule' | 'correlation';
  logsource: { product?: string; category?: string; service?: string };
  enrichment: readonly { name: string; selection: unknown }[];
  overrides: Readonly<Record<string, { query: string }>>;
  /** Sigma fields of risk and threat objects (their target names go to entity mappings). */
  entityFields: readonly string[];
  /** Rules lowered (and pipelines applied) once, shared by this input's conversions to every target. */
  lowering?: RuleCache;
}

/** Converters are set up once per backend/format and reused for every detection of a build. */
export class ConverterPool {
  private readonly pool = new Map<string, Converter | Diagnostic[]>();

  constructor(private readonly attack?: AttackLookup) {}

  get(backend: string, format: string): Converter | Diagnostic[] {
    const key = `${backend}\u0000${format}`;
    let c = this.pool.get(key);
    if (!c) {
      const r = Converter.create(this.attack ? { target: backend, format, attack: this.attack } : { target: backend, format });
      c = r.ok ? r.value : r.diagnostics;
      this.pool.set(key, c);
    }
    return c;
  }
}

interface Attempt {
  queries?: string[];
  errors: string[];
  warnings: string[];
}

const messages = (ds: readonly Diagnostic[], sev: 'error' | 'warning'): string[] => [
  ...new Set(ds.filter((d) => d.severity === sev).map((d) => d.message)),
];

function attempt(pool: ConverterPool, backend: string, format: string, input: ConvertInput): Attempt {
  const c = pool.get(backend, format);
  if (Array.isArray(c)) return { errors: messages(c, 'error'), warnings: [] };
  const run = c.convertFiles([{ file: input.file, documents: [...input.documents] }], input.lowering);
  const mine = run.docs[input.primary];
  if (!mine) return { errors: ['the detection has no convertible document'], warnings: [] };
  // Base rules of a correlation report their own failures; they explain the correlation's.
  const related = input.kind === 'correlation' ? run.docs.flatMap((d) => d.diagnostics) : mine.diagnostics;
  const errors = messages(related, 'error');
  const warnings = messages(related, 'warning');
  if (mine.output === undefined) return { errors: errors.length ? errors : ['conversion failed'], warnings };
  return { queries: mine.output, errors: [], warnings };
}

function flagText(input: ConvertInput, flag: { name: string; selection: unknown }): string {
  return stringify({
    title: flag.name,
    name: flag.name,
    logsource: input.logsource,
    detection: { selection: flag.selection, condition: 'selection' },
  });
}

/** Flag columns for one backend, or the names of the flags it cannot render. */
function renderFlags(
  pool: ConverterPool,
  backend: string,
  format: string,
  input: ConvertInput,
): { columns: string[]; missing: string[] } {
  const columns: string[] = [];
  const missing: string[] = [];
  const c = pool.get(backend, format);
  for (const f of input.enrichment) {
    if (Array.isArray(c)) {
      missing.push(f.name);
      continue;
    }
    const parsed = parseSigmaText(flagText(input, f), `${input.file}#${f.name}`);
    const run = c.convertFiles([parsed.file]);
    const out = run.docs[0]?.output;
    const col = out ? flagColumn(backend, f.name, out) : undefined;
    if (col === undefined) missing.push(f.name);
    else columns.push(col);
  }
  return { columns, missing };
}

const PROBE = 'tripline_probe_value';

/** The target's name for each Sigma field, read off the conversion of `field: <probe>`. */
function fieldNames(pool: ConverterPool, backend: string, format: string, input: ConvertInput): Record<string, string> {
  const out: Record<string, string> = {};
  const c = pool.get(backend, format);
  if (Array.isArray(c) || input.entityFields.length === 0) return out;
  for (const field of input.entityFields) {
    const text = stringify({
      title: 'probe',
      logsource: input.logsource,
      detection: { selection: { [field]: PROBE }, condition: 'selection' },
    });
    const q = c.convertFiles([parseSigmaText(text, `${input.file}#${field}`).file]).docs[0]?.output?.[0];
    const m = q ? /([A-Z_@#][\w.@#-]*)"?\s*(?:=~|==|=|:)\s*[("'/^]*tripline_probe_value/i.exec(q) : null;
    out[field] = m?.[1] ?? field;
  }
  return out;
}

export function convertForTarget(spec: PackageTargetSpec, input: ConvertInput, pool: ConverterPool): TargetResult {
  const base = { format: spec.format, files: [] as string[] };
  const override = input.overrides[spec.name] ?? input.overrides[spec.backend];
  if (override && override.query.trim() !== '') {
    return {
      ...base,
      backend: spec.backend,
      language: spec.language,
      status: 'converted',
      reason: ['reviewed override query'],
      queries: [override.query.trim()],
      tables: tablesOf(spec.backend, [override.query]),
      fields: fieldNames(pool, spec.backend, 'default', input),
      override: true,
    };
  }
  let backend = spec.backend;
  let format = spec.format;
  let language = spec.language;
  let a = attempt(pool, backend, format, input);
  const reasons: string[] = [];
  if (!a.queries && input.kind === 'correlation' && spec.correlationBackend) {
    const alt = attempt(pool, spec.correlationBackend.backend, spec.correlationBackend.format, input);
    if (alt.queries) {
      ({ backend, format, language } = spec.correlationBackend);
      a = alt;
    }
  }
  if (!a.queries) {
    return {
      ...base,
      backend,
      language,
      status: 'unsupported',
      reason: backend === 'kusto' ? explainKqlUnsupported(input, a.errors) : a.errors,
      queries: [],
      tables: [],
      fields: {},
      override: false,
    };
  }
  let queries = a.queries;
  reasons.push(...a.warnings);
  if (input.enrichment.length > 0) {
    if (input.kind === 'correlation') {
      reasons.push('enrichment not rendered: flags describe single events, a correlation outputs aggregates');
    } else {
      let flags = renderFlags(pool, backend, format, input);
      if (flags.missing.length > 0 && spec.enrichmentBackend) {
        const alt = attempt(pool, spec.enrichmentBackend.backend, spec.enrichmentBackend.format, input);
        const altFlags = alt.queries
          ? renderFlags(pool, spec.enrichmentBackend.backend, spec.enrichmentBackend.format, input)
          : undefined;
        if (alt.queries && altFlags && altFlags.missing.length === 0) {
          ({ backend, format, language } = spec.enrichmentBackend);
          queries = alt.queries;
          flags = altFlags;
          reasons.push(...alt.warnings);
        }
      }
      if (flags.missing.length > 0) {
        reasons.push(`enrichment not rendered: ${flags.missing.join(', ')}`);
      } else if (queries.length === 1) {
        queries = [[queries[0] ?? '', ...flags.columns].join('\n')];
      } else {
        reasons.push('enrichment not rendered: the detection converts to several queries');
      }
    }
  }
  return {
    ...base,
    backend,
    language,
    format,
    status: reasons.length > 0 ? 'degraded' : 'converted',
    reason: [...new Set(reasons)],
    queries,
    tables: tablesOf(backend, queries),
    fields: fieldNames(pool, backend, 'default', input),
    override: false,
  };
}
