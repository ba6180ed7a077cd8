/**
 * buildCatalogue: content folder and/or plain Sigma rule folders in, the catalogue out (every
 * detection converted for every package target, stories/data sources/techniques computed).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, hasErrors, ok } from '../diagnostics/index.js';
import { ATTACK_SOURCE, TACTICS, techniquesByTactic } from '../attack/index.js';
import type { ContentSet } from '../content/index.js';
import { loadContent, summarizeStory } from '../content/index.js';
import { parseSigmaText } from '../sigma/index.js';
import { walkFiles } from '../util/files.js';
import { RuleCache } from '../backends/convert.js';
import { ConversionCache } from './cache.js';
import type { ConvertInput } from './convert-target.js';
import { ConverterPool, convertForTarget } from './convert-target.js';
import type { Item } from './items.js';
import { ATTACK, contentItem, plainItems } from './items.js';
import type {
  Catalogue,
  CatalogueDetection,
  CatalogueStory,
  PackageTarget,
  TargetResult,
  TargetStatus,
} from './model.js';
import { PACKAGE_TARGETS } from './model.js';
import { SlugAllocator } from './slug.js';
import { PACKAGE_SPECS } from './targets.js';

export interface BuildCatalogueOptions {
  /** Plain Sigma rule folders (e.g. a SigmaHQ checkout's rules/), built alongside the content. */
  rules?: readonly string[];
  /** Package targets to build (default: all). */
  targets?: readonly string[];
  /** Conversion cache (see ConversionCache.load); without one everything is converted. */
  cache?: ConversionCache;
  /** Called after each conversion the cache could not answer (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** Everything a build run needs besides the catalogue: the content set and where each input came from. */
export interface CatalogueBuild {
  catalogue: Catalogue;
  content?: ContentSet;
  /** Absolute source file by detection id (for copying clean Sigma rules). */
  sourceFiles: Map<string, string>;
}

function selectTargets(names: readonly string[] | undefined): Result<PackageTarget[]> {
  if (!names || names.length === 0) return ok([...PACKAGE_TARGETS]);
  const out: PackageTarget[] = [];
  for (const n of names.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    const t = PACKAGE_TARGETS.find((p) => p === n);
    if (!t) {
      return fail({
        code: 'TL8101',
        severity: 'error',
        message: `unknown package target '${n}' (targets: ${PACKAGE_TARGETS.join(', ')})`,
      });
    }
    if (!out.includes(t)) out.push(t);
  }
  return ok(out);
}

/** Everything read and parsed before conversion. */
interface Prepared {
  items: Item[];
  targets: PackageTarget[];
  content?: ContentSet;
  diagnostics: Diagnostic[];
}

function prepare(contentDir: string | undefined, options: BuildCatalogueOptions): Result<Prepared> {
  const diagnostics: Diagnostic[] = [];
  const targets = selectTargets(options.targets);
  if (!targets.ok) return fail(targets.diagnostics);
  const items: Item[] = [];
  let content: ContentSet | undefined;
  if (contentDir !== undefined) {
    const loaded = loadContent(contentDir, { checkDatasets: false });
    if (!loaded.ok) return fail(loaded.diagnostics);
    diagnostics.push(...loaded.diagnostics);
    content = loaded.value;
    for (const d of content.detections) items.push(contentItem(d, content.sources.get(d.file) ?? readFileSync(d.file, 'utf8')));
  }
  for (const dir of options.rules ?? []) {
    const root = resolve(dir);
    if (!existsSync(root)) {
      return fail({ code: 'TL8100', severity: 'error', message: `Sigma rules directory '${dir}' not found`, file: dir });
    }
    const base = statSync(root).isDirectory() ? root : resolve(root, '..');
    for (const file of walkFiles([root], ['.yml', '.yaml']).files) {
      const text = readFileSync(file, 'utf8');
      const rel = relative(base, file).split(sep).join('/');
      const parsed = parseSigmaText(text, file);
      if (hasErrors(parsed.diagnostics) || parsed.file.documents.length === 0) {
        diagnostics.push({
          code: 'TL8103',
          severity: 'warning',
          message: `left out: ${parsed.diagnostics.find((x) => x.severity === 'error')?.message ?? 'no Sigma rule in the file'}`,
          file,
        });
        continue;
      }
      items.push(...plainItems(file, rel, text, parsed.file.documents));
    }
  }
  // An id used twice is built once: the later items are dropped here, before any conversion.
  const seenIds = new Set<string>();
  const unique = items.filter((item) => {
    if (!seenIds.has(item.entry.id)) {
      seenIds.add(item.entry.id);
      return true;
    }
    diagnostics.push({
      code: 'TL8103',
      severity: 'warning',
      message: `left out: id ${item.entry.id} already used by another detection`,
      file: item.file,
    });
    return false;
  });
  const prepared: Prepared = { items: unique, targets: targets.value, diagnostics };
  if (content) prepared.content = content;
  return ok(prepared);
}

/** One conversion the cache could not answer: an item converted for one package target. */
export interface ConversionJob {
  key: string;
  item: number;
  target: PackageTarget;
}

/**
 * The cache key of every (item, target), in build order. Keyed by what conversion depends on, not the
 * package name, so Sentinel and Defender share one KQL conversion. The source text is hashed once per
 * item; the per-target key hashes that digest with the target's settings.
 */
function conversionKeys(p: Prepared): string[][] {
  return p.items.map((item) => {
    const textKey = ConversionCache.key([item.text]);
    return p.targets.map((t) => {
      const spec = PACKAGE_SPECS[t];
      return ConversionCache.key([
        spec.backend,
        spec.format,
        JSON.stringify([spec.correlationBackend, spec.enrichmentBackend]),
        textKey,
      ]);
    });
  });
}

/** The conversions a build has to run (each distinct key missing from the cache, once). */
function pendingJobs(p: Prepared, keys: readonly string[][], cache: ConversionCache): ConversionJob[] {
  const jobs: ConversionJob[] = [];
  const seen = new Set<string>();
  keys.forEach((row, item) =>
    row.forEach((key, j) => {
      const target = p.targets[j];
      if (target === undefined || seen.has(key) || cache.has(key)) return;
      seen.add(key);
      jobs.push({ key, item, target });
    }),
  );
  return jobs;
}

/** Converts the given jobs on this thread, one lowering per item shared by its targets. */
export function runJobs(
  jobs: readonly ConversionJob[],
  inputOf: (item: number) => ConvertInput,
  pool: ConverterPool,
  onDone?: () => void,
): Map<string, TargetResult> {
  const out = new Map<string, TargetResult>();
  let lastItem = -1;
  let lowering = new RuleCache();
  for (const job of jobs) {
    if (job.item !== lastItem) {
      lastItem = job.item;
      lowering = new RuleCache();
    }
    out.set(job.key, convertForTarget(PACKAGE_SPECS[job.target], { ...inputOf(job.item), lowering }, pool));
    onDone?.();
  }
  return out;
}

/** Sequential assembly from the conversion results: same order, counts and cache use as converting inline. */
function finish(
  p: Prepared,
  keys: readonly string[][],
  results: ReadonlyMap<string, TargetResult>,
  cache: ConversionCache,
): Result<CatalogueBuild> {
  const slugs = new SlugAllocator();
  const detections: CatalogueDetection[] = [];
  const sourceFiles = new Map<string, string>();
  const byTarget: Record<string, Record<TargetStatus, number>> = {};
  for (const t of p.targets) byTarget[t] = { converted: 0, degraded: 0, unsupported: 0 };
  p.items.forEach((item, i) => {
    const det: CatalogueDetection = { ...item.entry, slug: slugs.take(item.entry.title, 'detection'), targets: {} };
    p.targets.forEach((t, j) => {
      const key = keys[i]?.[j] ?? '';
      let r = cache.lookup(key);
      if (!r) {
        const fresh = results.get(key);
        if (!fresh) throw new Error(`internal: no conversion for ${item.label} ${t}`);
        r = fresh;
        cache.store(key, r, `${item.label} ${t}`);
      }
      det.targets[t] = { ...r, files: [] };
      const counts = byTarget[t];
      if (counts) counts[r.status]++;
    });
    detections.push(det);
    sourceFiles.set(det.id, item.file);
  });
  const catalogue = assemble(detections, p.content, p.targets);
  catalogue.totals.byTarget = byTarget;
  const build: CatalogueBuild = { catalogue, sourceFiles };
  if (p.content) build.content = p.content;
  return ok(build, p.diagnostics);
}

function progressCounter(total: number, onProgress: BuildCatalogueOptions['onProgress']): (() => void) | undefined {
  if (!onProgress) return undefined;
  let done = 0;
  return () => onProgress(++done, total);
}

export function buildCatalogueFull(contentDir: string | undefined, options: BuildCatalogueOptions = {}): Result<CatalogueBuild> {
  const prepared = prepare(contentDir, options);
  if (!prepared.ok) return fail(prepared.diagnostics);
  const p = prepared.value;
  const cache = options.cache ?? new ConversionCache();
  const keys = conversionKeys(p);
  const jobs = pendingJobs(p, keys, cache);
  const results = runJobs(
    jobs,
    (i) => (p.items[i] as Item).input,
    new ConverterPool(ATTACK),
    progressCounter(jobs.length, options.onProgress),
  );
  return finish(p, keys, results, cache);
}

/** What a conversion worker needs to rebuild an item's input: the file text is parsed again there. */
export interface WorkerItem {
  file: string;
  source: string;
  input: Omit<ConvertInput, 'documents' | 'lowering'>;
}

/**
 * Converts on this thread and on the given worker at once (see build-worker.ts): jobs are handed
 * out in chunks as each side becomes free. Results are keyed by cache key, so the catalogue does not
 * depend on which thread converted what.
 */
export async function buildCatalogueParallel(
  contentDir: string | undefined,
  options: BuildCatalogueOptions & { worker: ConversionWorker },
): Promise<Result<CatalogueBuild>> {
  const prepared = prepare(contentDir, options);
  if (!prepared.ok) return fail(prepared.diagnostics);
  const p = prepared.value;
  const cache = options.cache ?? new ConversionCache();
  const keys = conversionKeys(p);
  const jobs = pendingJobs(p, keys, cache);
  const tick = progressCounter(jobs.length, options.onProgress);
  const results = new Map<string, TargetResult>();
  const pool = new ConverterPool(ATTACK);
  const chunks: ConversionJob[][] = [];
  for (let i = 0; i < jobs.length; ) {
    // Chunks end on an item boundary so one item's targets share one lowering.
    let j = Math.min(jobs.length, i + CHUNK);
    while (j < jobs.length && jobs[j]?.item === jobs[j - 1]?.item) j++;
    chunks.push(jobs.slice(i, j));
    i = j;
  }
  const workerItem = (i: number): WorkerItem => {
    const item = p.items[i] as Item;
    const { file, primary, kind, logsource, enrichment, overrides, entityFields } = item.input;
    return {
      file: item.file,
      source: item.source,
      input: { file, primary, kind, logsource, enrichment, overrides, entityFields },
    };
  };
  // A small build is not worth the messages: everything is converted here.
  const useWorker = jobs.length >= 2 * CHUNK;
  let next = 0;
  const remoteLoop = async (): Promise<void> => {
    for (;;) {
      if (!useWorker) return;
      const chunk = chunks[next++];
      if (!chunk) return;
      const items = [...new Set(chunk.map((j) => j.item))];
      let got: Map<string, TargetResult>;
      try {
        got = await options.worker.convert(chunk, new Map(items.map((i) => [i, workerItem(i)])));
      } catch {
        // A worker that died is only lost speed: its chunk, and the rest, are converted here.
        got = runJobs(chunk, (i) => (p.items[i] as Item).input, pool);
        for (const [k, v] of got) results.set(k, v);
        return;
      }
      for (const [k, v] of got) {
        results.set(k, v);
        tick?.();
      }
    }
  };
  // Two requests in flight, so the worker has its next chunk queued while it answers one.
  const remote = Promise.all([remoteLoop(), remoteLoop()]);
  for (;;) {
    const chunk = chunks[next++];
    if (!chunk) break;
    for (const [k, v] of runJobs(chunk, (i) => (p.items[i] as Item).input, pool, tick)) results.set(k, v);
    // Let the worker's answer in and hand it its next chunk.
    await new Promise<void>((r) => setImmediate(r));
  }
  await remote;
  return finish(p, keys, results, cache);
}

const CHUNK = 96;

/** The conversion worker as the catalogue sees it (implemented in build-worker.ts). */
export interface ConversionWorker {
  convert(jobs: readonly ConversionJob[], items: ReadonlyMap<number, WorkerItem>): Promise<Map<string, TargetResult>>;
}

function assemble(detections: CatalogueDetection[], content: ContentSet | undefined, targets: readonly PackageTarget[]): Catalogue {
  const slugs = new SlugAllocator();
  const stories: CatalogueStory[] = (content?.stories ?? []).map((s) => {
    const sum = summarizeStory(content as ContentSet, s);
    const o: CatalogueStory = {
      id: s.id,
      slug: slugs.take(s.name, 'story'),
      name: s.name,
      version: s.version,
      date: s.date,
      author: s.author,
      description: s.description,
      narrative: s.narrative,
      references: s.references,
      category: s.category,
      detections: sum.detections.map((d) => d.id),
      techniques: sum.techniques,
      tactics: sum.tactics,
      dataSources: sum.dataSources.map((x) => x.name),
      logsources: sum.logsources,
    };
    if (s.modified !== undefined) o.modified = s.modified;
    return o;
  });
  const dsSlugs = new SlugAllocator();
  const dataSources = (content?.dataSources ?? []).map((s) => {
    const o: Catalogue['dataSources'][number] = {
      name: s.name,
      slug: dsSlugs.take(s.name, 'data-source'),
      provider: s.provider,
      logsource: { ...s.logsource },
      fields: s.fields,
      targets: s.targets,
      references: s.references,
      detections: detections.filter((d) => d.dataSources.includes(s.name)).map((d) => d.id),
    };
    if (s.id !== undefined) o.id = s.id;
    if (s.description !== undefined) o.description = s.description;
    if (s.channel !== undefined) o.channel = s.channel;
    if (s.eventId !== undefined) o.eventId = s.eventId;
    if (s.exampleEvent !== undefined) o.exampleEvent = s.exampleEvent;
    return o;
  });
  const techMap = new Map<string, Catalogue['techniques'][number]>();
  for (const d of detections) {
    for (const t of d.techniques) {
      let e = techMap.get(t.id);
      if (!e) {
        e = { id: t.id, name: t.name, url: t.url, tactics: [], detections: [] };
        techMap.set(t.id, e);
      }
      for (const tac of t.tactics) if (!e.tactics.includes(tac)) e.tactics.push(tac);
      e.detections.push(d.id);
    }
  }
  const techniques = [...techMap.values()].sort((a, b) => a.id.localeCompare(b.id));
  const tactics = TACTICS.map((t) => ({
    id: t.id,
    shortname: t.shortname,
    name: t.name,
    techniques: techniques.filter((x) => x.tactics.includes(t.shortname)).map((x) => x.id),
    total: techniquesByTactic(t.shortname).length,
  }));
  return {
    version: 1,
    generatedBy: 'tripline build',
    attack: { version: ATTACK_SOURCE.lastModified },
    targets: targets.map((t) => ({
      name: t,
      backend: PACKAGE_SPECS[t].backend,
      language: PACKAGE_SPECS[t].language,
      label: PACKAGE_SPECS[t].label,
    })),
    detections,
    stories,
    dataSources,
    techniques,
    tactics,
    totals: { detections: detections.length, techniques: techniques.length, byTarget: {} },
  };
}

/** The catalogue of a content folder and/or plain Sigma rule folders (see BuildCatalogueOptions). */
export function buildCatalogue(contentDir: string | undefined, options: BuildCatalogueOptions = {}): Result<Catalogue> {
  const r = buildCatalogueFull(contentDir, options);
  return r.ok ? ok(r.value.catalogue, r.diagnostics) : r;
}
