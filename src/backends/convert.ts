/**
 * The conversion driver shared by the CLI, the build and the browser: Sigma documents in, target
 * queries out. Per rule: lower → apply pipelines → print → finalize; correlations then embed the
 * converted rules they reference; finally the output format assembles the whole run.
 *
 * Nothing here touches the file system: pipeline files arrive as text (the CLI reads them).
 */
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, hasErrors, ok } from '../diagnostics/index.js';
import { lowerCorrelation, lowerRule } from '../ir/lower.js';
import type { IrCorrelation, IrNode, IrRule } from '../ir/types.js';
import type { ApplyOutput, BuiltinTable, Pipeline, PipelineContext } from '../pipeline/index.js';
import {
  applyPipelines,
  applyPipelinesToCorrelation,
  checkAllowedBackends,
  finalizeQueries,
  loadPipelineYaml,
  postprocessQuery,
  resolvePipeline,
} from '../pipeline/index.js';
import type { SigmaDocument, SigmaFile, SigmaRule } from '../sigma/ast.js';
import { parseSigmaText } from '../sigma/parse.js';
import { getTarget } from './registry.js';
import type { TargetDef } from './target.js';
import type { AttackLookup, Backend, BackendConvertOptions, ConvertedRule } from './text/backend.js';

/** A built-in pipeline name, or a pipeline YAML file already read. */
export type PipelineRef = string | { file: string; text: string };

export interface ConvertOptions {
  target: string;
  /** Pipelines to apply; when absent (and not withoutPipeline) the target's defaults apply. */
  pipelines?: readonly PipelineRef[];
  withoutPipeline?: boolean;
  format?: string;
  /** Backend options (-O key=value). */
  options?: Readonly<Record<string, string>>;
  pretty?: boolean;
  /** Unmapped fields are errors instead of warnings. */
  strict?: boolean;
  /** ATT&CK names for formats that embed them (Elastic Security rules' threat block). */
  attack?: AttackLookup;
}

export interface DocResult {
  file: string;
  id: string;
  title: string;
  kind: SigmaDocument['kind'];
  /** Queries (finalized for the format); undefined when the document failed. */
  output?: string[];
  /** A rule that a correlation in the run refers to and that is therefore not output on its own. */
  referenced?: boolean;
  diagnostics: Diagnostic[];
}

export interface ConvertRun {
  docs: DocResult[];
  /**
   * The assembled output of the run (a list of queries, or one text such as savedsearches.conf), made
   * when first read: a caller that assembles many runs together (the CLI's chunks) never pays for it.
   */
  readonly output: string[] | string;
}

/** A conversion set up once (target, format, pipelines resolved) and run over many documents. */
export class Converter {
  private readonly backend: Backend;
  private readonly bopts: BackendConvertOptions;
  private readonly pctx: PipelineContext;
  /** Warnings from setting up (e.g. a pipeline meant for another target), reported with the run. */
  readonly setupDiagnostics: Diagnostic[];

  private constructor(
    readonly target: TargetDef,
    readonly format: string,
    /** The pipelines applied, resolved (built-ins shared between targets: see resolveBuiltin). */
    readonly pipelines: readonly Pipeline[],
    private readonly opts: ConvertOptions,
    setupDiagnostics: Diagnostic[],
  ) {
    this.backend = target.create();
    this.bopts = { format, pretty: opts.pretty ?? false, options: opts.options ?? {} };
    if (opts.attack) this.bopts.attack = opts.attack;
    this.pctx = target.transformations ? { transformations: target.transformations } : {};
    this.setupDiagnostics = setupDiagnostics;
  }

  static create(opts: ConvertOptions): Result<Converter> {
    const target = getTarget(opts.target);
    if (!target) {
      return fail({ code: 'TL5005', severity: 'error', message: `unknown target '${opts.target}'` });
    }
    const format = opts.format ?? target.defaultFormat;
    if (!(format in target.formats)) {
      return fail({
        code: 'TL5006',
        severity: 'error',
        message: `target '${target.name}' has no output format '${format}' (formats: ${Object.keys(target.formats).join(', ')})`,
      });
    }
    for (const k of Object.keys(opts.options ?? {})) {
      if (!(k in target.options) && !k.startsWith('output.')) {
        return fail({
          code: 'TL5007',
          severity: 'error',
          message: `target '${target.name}' has no option '${k}'${Object.keys(target.options).length ? ` (options: ${Object.keys(target.options).join(', ')})` : ''}`,
        });
      }
    }
    const refs: readonly PipelineRef[] = opts.withoutPipeline
      ? []
      : (opts.pipelines ?? target.formatPipelines?.[format] ?? target.defaultPipelines);
    const pipelines: Pipeline[] = [];
    const setup: Diagnostic[] = [];
    const ctx = target.transformations ? { transformations: target.transformations } : {};
    for (const ref of refs) {
      const r =
        typeof ref === 'string' ? resolveBuiltin(target, ref) : loadPipelineYaml(ref.text, ref.file, ctx);
      if (!r.ok) return fail(r.diagnostics);
      setup.push(...r.diagnostics);
      pipelines.push(r.value);
    }
    setup.push(...checkAllowedBackends(pipelines, target.name));
    return ok(new Converter(target, format, pipelines, opts, setup), setup);
  }

  /**
   * Convert a rule already lowered to the IR (pipelines applied here, or taken from `cache` when a
   * converter with the same pipelines applied them to this rule already).
   */
  convertIr(rule: IrRule, cache?: RuleCache): Result<{ queries: string[]; raw: string[] }> {
    const applied = cache
      ? cache.applied(rule, this.pipelines, () => applyPipelines(rule, this.pipelines, this.pctx))
      : applyPipelines(rule, this.pipelines, this.pctx);
    if (!applied.ok) return fail(withFile(applied.diagnostics, rule.file));
    const a = applied.value;
    const diags = [...withFile(applied.diagnostics, rule.file), ...this.unmappedFields(a.rule, a.state)];
    if (hasErrors(diags)) return fail(diags);
    const r = this.backend.convertRule(a.rule, {
      ...this.bopts,
      state: a.state,
      fields: a.fields,
      applied: a.applied,
    });
    if (!r.ok) return fail([...diags, ...r.diagnostics]);
    diags.push(...r.diagnostics);
    const queries: string[] = [];
    for (const q of r.value.queries) {
      const p = postprocessQuery(q, a.rule, a, this.pipelines, this.pctx);
      if (!p.ok) return fail([...diags, ...withFile(p.diagnostics, rule.file)]);
      queries.push(p.value);
    }
    return ok({ queries, raw: r.value.raw }, diags);
  }

  private unmappedFields(rule: IrRule, state: Record<string, unknown>): Diagnostic[] {
    const known = this.target.knownFields?.(rule, state);
    if (!known) return [];
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    const walk = (n: IrNode): void => {
      if (n.kind === 'And' || n.kind === 'Or') n.children.forEach(walk);
      else if (n.kind === 'Not') walk(n.child);
      else if (n.kind === 'FieldMatch' && !known.has(n.field) && !seen.has(n.field)) {
        seen.add(n.field);
        const d: Diagnostic = {
          code: 'TL5002',
          severity: this.opts.strict ? 'error' : 'warning',
          message: `field '${n.field}' is not mapped to a ${this.target.name} field`,
          file: rule.file,
        };
        if (n.origin.span) d.span = n.origin.span;
        out.push(d);
      }
    };
    rule.conditions.forEach(walk);
    return out;
  }

  /**
   * Convert parsed Sigma files as one collection (correlations may refer to rules in other files).
   * `cache` lets several targets share one lowering per rule, and one pipeline application per rule
   * among converters with the same pipelines (see RuleCache).
   */
  convertFiles(files: readonly SigmaFile[], cache?: RuleCache): ConvertRun {
    const docs: DocResult[] = [];
    const converted = new Map<string, ConvertedRule>();
    const referenced = new Set<string>();
    const all = files.flatMap((f) => f.documents);
    for (const d of all) if (d.kind === 'Correlation') d.rules.forEach((r) => referenced.add(r));
    const pending: { doc: SigmaDocument; result: DocResult }[] = [];
    for (const doc of all) {
      const result: DocResult = {
        file: doc.file,
        id: doc.id ?? '',
        title: doc.title,
        kind: doc.kind,
        diagnostics: [],
      };
      docs.push(result);
      if (doc.kind === 'Filter') {
        result.diagnostics.push({
          code: 'TL5001',
          severity: 'error',
          message: 'unsupported by target: Sigma filters in conversion (apply them with a pipeline)',
          file: doc.file,
          span: doc.span,
        });
        continue;
      }
      if (doc.kind === 'Correlation') {
        pending.push({ doc, result });
        continue;
      }
      const lowered = cache ? cache.lowered(doc) : lowerRule(doc);
      result.diagnostics.push(...lowered.diagnostics);
      if (!lowered.ok) continue;
      const r = this.convertIr(lowered.value, cache);
      result.diagnostics.push(...r.diagnostics);
      if (!r.ok) continue;
      const entry = { rule: lowered.value, queries: r.value.raw };
      converted.set(lowered.value.id, entry);
      if (lowered.value.name !== undefined) converted.set(lowered.value.name, entry);
      const isRef =
        referenced.has(lowered.value.id) ||
        (lowered.value.name !== undefined && referenced.has(lowered.value.name));
      const generate = doc.raw['generate'] === true;
      // Rules a correlation refers to are not output on their own unless they ask to be.
      result.output = isRef && !generate ? [] : r.value.queries;
      if (isRef && !generate) result.referenced = true;
    }
    for (const { doc, result } of pending) {
      if (doc.kind !== 'Correlation') continue;
      const out = this.convertCorrelation(doc, converted);
      result.diagnostics.push(...out.diagnostics);
      if (out.ok) result.output = out.value;
    }
    let output: string[] | string | undefined;
    const assemble = (): string[] | string => (output ??= this.assemble(docs));
    return {
      docs,
      get output() {
        return assemble();
      },
    };
  }

  /**
   * The output of a run from its documents' results: rule queries in document order, then the
   * correlations' (which come after the rules they embed), assembled by the format and the pipelines'
   * finalizers. Public so that a run split over worker threads assembles exactly as one run would.
   */
  assemble(docs: readonly DocResult[]): string[] | string {
    const queries: string[] = [];
    for (const d of docs) if (d.kind !== 'Correlation' && d.output) queries.push(...d.output);
    for (const d of docs) if (d.kind === 'Correlation' && d.output) queries.push(...d.output);
    let output = this.backend.finalizeOutput(queries, this.bopts);
    // Pipeline finalizers (concat, json, yaml) replace the backend's assembly, as in pySigma.
    if (Array.isArray(output)) {
      const f = finalizeQueries(output, this.pipelines);
      if (f.ok && f.value !== undefined) output = f.value;
    }
    return output;
  }

  private convertCorrelation(
    doc: Extract<SigmaDocument, { kind: 'Correlation' }>,
    converted: ReadonlyMap<string, ConvertedRule>,
  ): Result<string[]> {
    const lowered = lowerCorrelation(doc);
    if (!lowered.ok) return fail(lowered.diagnostics);
    if (!this.backend.convertCorrelation) {
      return fail({
        code: 'TL5001',
        severity: 'error',
        message: `unsupported by target: correlation rules on ${this.target.name}`,
        file: doc.file,
        span: doc.span,
      });
    }
    const rules: ConvertedRule[] = [];
    const byRef = (ref: string): IrRule | IrCorrelation | undefined => converted.get(ref)?.rule;
    const appliedCorr = applyPipelinesToCorrelation(
      lowered.value,
      this.pipelines,
      { ...this.pctx, resolveRule: byRef },
      doc.file,
    );
    if (!appliedCorr.ok) return fail(withFile(appliedCorr.diagnostics, doc.file));
    const corr = appliedCorr.value.rule;
    for (const ref of corr.rules) {
      const r = converted.get(ref);
      if (!r) {
        return fail({
          code: 'TL5008',
          severity: 'error',
          message: `correlation refers to rule '${ref}', which is not in the input or did not convert`,
          file: doc.file,
          span: doc.span,
        });
      }
      rules.push(r);
    }
    const r = this.backend.convertCorrelation(corr, rules, { ...this.bopts, state: appliedCorr.value.state });
    return r.ok
      ? ok(
          r.value,
          r.diagnostics.map((d) => ({ ...d, file: doc.file })),
        )
      : r;
  }

  /** Parse and convert one Sigma text (one or more YAML documents). */
  convertText(text: string, file = '<input>'): ConvertRun & { parseDiagnostics: Diagnostic[] } {
    const parsed = parseSigmaText(text, file);
    return { ...this.convertFiles([parsed.file]), parseDiagnostics: parsed.diagnostics };
  }
}

/**
 * What the conversions of one run to several targets share per rule.
 *
 * - The lowering: the IR is immutable (pipelines return new trees), so a rule lowered for one target
 *   is valid for every other.
 * - The pipeline application, among the converters given whose pipelines are the same objects (the
 *   Elastic targets all apply ecs_windows, resolved once: see resolveBuiltin). Applying is a function
 *   of the rule and the pipelines alone (the context's transformations only matter for loading, and
 *   rules have no resolveRule), and nothing downstream changes what it returns: the backends print
 *   from the rule, copy the state before writing to it, and only read the fields and applied ids.
 *   A result is dropped once every converter sharing it took it, so a run over a whole corpus keeps
 *   no more than one converter's worth.
 */
export class RuleCache {
  private readonly lowerings = new Map<SigmaRule, Result<IrRule>>();
  /** Pipeline lists that several of the converters have, and how many have each. */
  private readonly shared: Shared[] = [];
  private readonly applications = new Map<IrRule, Applied[]>();

  constructor(converters: readonly Converter[] = []) {
    const lists: Shared[] = [];
    for (const c of converters) {
      const s = lists.find((x) => samePipelines(x.pipelines, c.pipelines));
      if (s) s.users++;
      else lists.push({ pipelines: c.pipelines, users: 1 });
    }
    this.shared = lists.filter((s) => s.users > 1);
  }

  lowered(doc: SigmaRule): Result<IrRule> {
    let r = this.lowerings.get(doc);
    if (!r) {
      r = lowerRule(doc);
      this.lowerings.set(doc, r);
    }
    return r;
  }

  /** `pipelines` applied to `rule`: computed by `apply`, unless a converter sharing them did it. */
  applied(
    rule: IrRule,
    pipelines: readonly Pipeline[],
    apply: () => Result<ApplyOutput<IrRule>>,
  ): Result<ApplyOutput<IrRule>> {
    const share =
      this.shared.length > 0 ? this.shared.find((s) => samePipelines(s.pipelines, pipelines)) : undefined;
    if (!share) return apply();
    const list = this.applications.get(rule);
    const i = list ? list.findIndex((a) => a.share === share) : -1;
    if (list && i >= 0) {
      const a = list[i]!;
      if (--a.left === 0) {
        list.splice(i, 1);
        if (list.length === 0) this.applications.delete(rule);
      }
      return a.result;
    }
    const result = apply();
    const entry: Applied = { share, left: share.users - 1, result };
    if (list) list.push(entry);
    else this.applications.set(rule, [entry]);
    return result;
  }
}

interface Shared {
  pipelines: readonly Pipeline[];
  users: number;
}

interface Applied {
  share: Shared;
  /** Converters sharing it that have yet to take it. */
  left: number;
  result: Result<ApplyOutput<IrRule>>;
}

function samePipelines(a: readonly Pipeline[], b: readonly Pipeline[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * Built-in pipelines resolved once per (target's pipeline table, its transformation types, ref):
 * targets that share a table and a default (the three Elastic targets) then hold the same Pipeline
 * objects, which lets a RuleCache share their application. Loading is a pure function of those
 * three, and nothing changes a loaded pipeline.
 */
const builtinMemo = new WeakMap<BuiltinTable, WeakMap<object, Map<string, Result<Pipeline>>>>();
const NO_TRANSFORMATIONS = {};

function resolveBuiltin(target: TargetDef, ref: string): Result<Pipeline> {
  let byTransformations = builtinMemo.get(target.pipelines);
  if (!byTransformations) {
    byTransformations = new WeakMap();
    builtinMemo.set(target.pipelines, byTransformations);
  }
  const tkey = target.transformations ?? NO_TRANSFORMATIONS;
  let byRef = byTransformations.get(tkey);
  if (!byRef) {
    byRef = new Map();
    byTransformations.set(tkey, byRef);
  }
  let r = byRef.get(ref);
  if (!r) {
    const ctx = target.transformations ? { transformations: target.transformations } : {};
    r = resolvePipeline(ref, { ...ctx, builtins: target.pipelines });
    byRef.set(ref, r);
  }
  return r;
}

/**
 * Convert the same parsed files to several targets, parsing and lowering each rule once. One run per
 * set of options, in order; a target that cannot be set up gives its setup diagnostics instead.
 */
export function convertManyTargets(
  files: readonly SigmaFile[],
  targets: readonly ConvertOptions[],
): Result<ConvertRun>[] {
  const converters = targets.map((opts) => Converter.create(opts));
  const cache = new RuleCache(converters.flatMap((c) => (c.ok ? [c.value] : [])));
  return converters.map((c) =>
    c.ok ? ok(c.value.convertFiles(files, cache), c.diagnostics) : fail(c.diagnostics),
  );
}

function withFile(ds: readonly Diagnostic[], file: string): Diagnostic[] {
  return ds.map((d) => (d.file === undefined ? { ...d, file } : d));
}

/**
 * Convert one Sigma text to one target: the whole output (a list of queries, or one text).
 * Fails when any document fails; the diagnostics say which.
 */
export function convertSigmaText(
  text: string,
  opts: ConvertOptions,
  file = '<input>',
): Result<string[] | string> {
  const c = Converter.create(opts);
  if (!c.ok) return fail(c.diagnostics);
  const run = c.value.convertText(text, file);
  const diags = [...run.parseDiagnostics, ...run.docs.flatMap((d) => d.diagnostics)];
  if (hasErrors(diags) || run.docs.some((d) => d.output === undefined)) return fail(diags);
  return ok(run.output, diags);
}

/**
 * Convert one parsed Sigma document (with the other documents of its collection, so a correlation
 * finds its rules): the queries of that document, or one text for whole-output formats.
 */
export function convertRule(
  doc: SigmaDocument,
  opts: ConvertOptions,
  collection: readonly SigmaDocument[] = [doc],
): Result<string[] | string> {
  const c = Converter.create(opts);
  if (!c.ok) return fail(c.diagnostics);
  const others = collection.includes(doc) ? collection : [...collection, doc];
  const run = c.value.convertFiles([{ file: doc.file, documents: [...others] }]);
  const mine = run.docs[others.indexOf(doc)];
  if (!mine || mine.output === undefined) return fail(mine?.diagnostics ?? []);
  if (typeof run.output === 'string' && others.length === 1) return ok(run.output, mine.diagnostics);
  return ok(mine.output, mine.diagnostics);
}
