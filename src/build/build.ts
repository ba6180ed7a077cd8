/**
 * runBuild: the whole `tripline build` — catalogue (with the conversion cache), packages for every
 * target, ATT&CK layers, index.json, the build report. Writes only under the output folder.
 */
import { resolve } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import { computeCoverage, toNavigatorLayer } from '../attack/index.js';
import { ConversionCache } from './cache.js';
import type { BuildCatalogueOptions, CatalogueBuild } from './catalogue.js';
import { buildCatalogueFull, buildCatalogueParallel } from './catalogue.js';
import type { Catalogue, PackageTarget } from './model.js';
import { writeElastic } from './packages/elastic.js';
import { writeMicrosoft } from './packages/microsoft.js';
import { OutputTree } from './packages/output.js';
import { writeLogscale, writeQradar, writeSecops, writeSigma, writeSumologic } from './packages/others.js';
import { writeSplunk } from './packages/splunk.js';
import type { BuildReport } from './report.js';
import { buildReport, renderReportText } from './report.js';
import { ConvertWorkerHandle } from './workers.js';

export interface RunBuildOptions extends Omit<BuildCatalogueOptions, 'cache'> {
  /** Output folder (default dist). */
  out: string;
  /** Reuse conversions from `<out>/.cache` (default true). */
  incremental?: boolean;
}

export interface BuildResult {
  catalogue: Catalogue;
  report: BuildReport;
  reportText: string;
  /** Files written, relative to the output folder. */
  files: string[];
  out: string;
}

const CACHE_FILE = '.cache/conversions.json';

/** Render every package into an in-memory tree (the catalogue's `files` lists are filled in). */
export function renderPackages(cat: Catalogue): OutputTree {
  const out = new OutputTree();
  const has = (t: PackageTarget): boolean => cat.targets.some((x) => x.name === t);
  if (has('splunk')) writeSplunk(cat, out);
  if (has('sentinel') || has('defender')) writeMicrosoft(cat, out);
  if (has('elastic')) writeElastic(cat, out);
  if (has('qradar')) writeQradar(cat, out);
  if (has('sumologic')) writeSumologic(cat, out);
  if (has('secops')) writeSecops(cat, out);
  if (has('logscale')) writeLogscale(cat, out);
  writeSigma(cat, out);
  const covered = (t?: PackageTarget): Parameters<typeof computeCoverage>[0] =>
    cat.detections
      .filter((d) => t === undefined || (d.targets[t] && d.targets[t].status !== 'unsupported'))
      .map((d) => ({ id: d.id, title: d.title, tags: d.tags }));
  const layer = (t?: PackageTarget): string =>
    JSON.stringify(
      toNavigatorLayer(computeCoverage(covered(t)), {
        name: t ? `Tripline coverage: ${t}` : 'Tripline coverage',
        description: t ? `Detections deployable on ${t}` : 'All detections',
      }),
      null,
      2,
    ) + '\n';
  out.add('attack/layer.json', layer());
  for (const t of cat.targets) out.add(`attack/layer-${t.name}.json`, layer(t.name));
  return out;
}

/** The in-memory output of a build besides the catalogue: packages, index.json, the report. */
function renderOutputs(cat: Catalogue, cache: ConversionCache): { tree: OutputTree; report: BuildReport; reportText: string } {
  const tree = renderPackages(cat);
  const report = buildReport(cat, { converted: cache.misses, cached: cache.hits, reconverted: cache.reconverted });
  const reportText = renderReportText(report);
  tree.add('index.json', JSON.stringify(cat, null, 1) + '\n');
  tree.add('build-report.json', JSON.stringify(report, null, 1) + '\n');
  tree.add('build-report.txt', reportText);
  return { tree, report, reportText };
}

function writeError(options: RunBuildOptions, e: unknown): Result<never> {
  return fail({
    code: 'TL8102',
    severity: 'error',
    message: `cannot write the build output: ${(e as Error).message}`,
    file: options.out,
  });
}

function loadCache(options: RunBuildOptions, cacheFile: string): ConversionCache {
  return options.incremental === false ? new ConversionCache() : ConversionCache.load(cacheFile);
}

/** The whole build on this thread (what tests and library callers use; the CLI uses runBuildAsync). */
export function runBuild(contentDir: string | undefined, options: RunBuildOptions): Result<BuildResult> {
  const outDir = resolve(options.out);
  const cacheFile = resolve(outDir, CACHE_FILE);
  const cache = loadCache(options, cacheFile);
  const built = buildCatalogueFull(contentDir, { ...options, cache });
  if (!built.ok) return fail(built.diagnostics);
  return writeOutputs(built.value.catalogue, cache, outDir, cacheFile, options, built.diagnostics);
}

export interface RunBuildAsyncOptions extends RunBuildOptions {
  /** Convert on a worker thread as well as this one (default true); the output is the same either way. */
  workers?: boolean;
  /**
   * Called with the catalogue as soon as it is built, before the packages are rendered and written:
   * the CLI hands it to the site renderer on another thread there.
   */
  onCatalogue?: (cat: Catalogue) => void;
}

/**
 * runBuild using both cores: conversions are shared with a worker thread, and `onCatalogue` lets the
 * caller start other work (the site) on another thread before the packages are rendered and written.
 * Produces exactly what runBuild produces.
 */
export async function runBuildAsync(
  contentDir: string | undefined,
  options: RunBuildAsyncOptions,
): Promise<Result<BuildResult>> {
  const outDir = resolve(options.out);
  const cacheFile = resolve(outDir, CACHE_FILE);
  // Plain Sigma folders are where builds get large (a content folder alone is a few dozen detections).
  // The worker starts first so that its module loading overlaps reading and parsing the rules here.
  const worker = options.workers === false || !options.rules?.length ? undefined : new ConvertWorkerHandle();
  let built: Result<CatalogueBuild>;
  let cache: ConversionCache;
  try {
    cache = loadCache(options, cacheFile);
    built = worker
      ? await buildCatalogueParallel(contentDir, { ...options, cache, worker })
      : buildCatalogueFull(contentDir, { ...options, cache });
  } finally {
    await worker?.close();
  }
  if (!built.ok) return fail(built.diagnostics);
  options.onCatalogue?.(built.value.catalogue);
  return writeOutputs(built.value.catalogue, cache, outDir, cacheFile, options, built.diagnostics);
}

/** Render the packages, report and catalogue, write them and the cache. */
function writeOutputs(
  cat: Catalogue,
  cache: ConversionCache,
  outDir: string,
  cacheFile: string,
  options: RunBuildOptions,
  diagnostics: Diagnostic[],
): Result<BuildResult> {
  const { tree, report, reportText } = renderOutputs(cat, cache);
  let files: string[];
  try {
    files = tree.write(outDir);
    cache.save(cacheFile);
  } catch (e) {
    return writeError(options, e);
  }
  return ok({ catalogue: cat, report, reportText, files, out: outDir }, diagnostics);
}
