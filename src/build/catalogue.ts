/**
 * buildCatalogue: content folder and/or plain Sigma rule folders in, the catalogue out (every
 * detection converted for every package target, stories/data sources/techniques computed).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, hasErrors, ok } from '../diagnostics/index.js';
import { ATTACK_SOURCE, TACTICS, lookupTactic, lookupTechnique, techniquesByTactic } from '../attack/index.js';
import type { AttackLookup } from '../backends/text/backend.js';
import type { ContentSet, Detection } from '../content/index.js';
import { loadContent, summarizeStory } from '../content/index.js';
import { parseSigmaText } from '../sigma/index.js';
import type { SigmaDocument } from '../sigma/index.js';
import { walkFiles } from '../util/files.js';
import { ConversionCache } from './cache.js';
import type { ConvertInput } from './convert-target.js';
import { ConverterPool, convertForTarget } from './convert-target.js';
import type {
  Catalogue,
  CatalogueDetection,
  CatalogueStory,
  PackageTarget,
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
  /** Called after each detection is converted (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** Everything a build run needs besides the catalogue: the content set and where each input came from. */
export interface CatalogueBuild {
  catalogue: Catalogue;
  content?: ContentSet;
  /** Absolute source file by detection id (for copying clean Sigma rules). */
  sourceFiles: Map<string, string>;
}

interface Item {
  entry: Omit<CatalogueDetection, 'targets' | 'slug'>;
  input: ConvertInput;
  /** Text that determines the conversion (the whole source file). */
  text: string;
  label: string;
  file: string;
}

const ATTACK: AttackLookup = {
  tacticId: (s) => lookupTactic(s)?.id,
  techniqueName: (id) => lookupTechnique(id)?.name,
};

const LEVELS = new Set(['informational', 'low', 'medium', 'high', 'critical']);

function stripTripline(text: string): string {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return text;
  return docs
    .map((d) => {
      d.delete('tripline');
      return d.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

function techniqueRefs(ids: readonly string[], tactics: readonly string[]): CatalogueDetection['techniques'] {
  return ids.map((id) => {
    const t = lookupTechnique(id);
    const claimed = t ? t.tactics.filter((x) => tactics.includes(x)) : [];
    return {
      id,
      name: t?.name ?? id,
      tactics: claimed.length ? claimed : [...(t?.tactics ?? [])],
      url: t?.url ?? `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
    };
  });
}

function tacticRefs(shortnames: readonly string[]): CatalogueDetection['tactics'] {
  return shortnames.flatMap((s) => {
    const t = lookupTactic(s);
    return t ? [{ id: t.id, shortname: t.shortname, name: t.name }] : [];
  });
}

function contentItem(d: Detection, text: string): Item {
  const tb = d.tripline;
  const entry: Item['entry'] = {
    id: d.id,
    title: d.title,
    description: d.description ?? '',
    level: d.level ?? 'medium',
    severity: tb.severity,
    confidence: tb.confidence,
    type: tb.type,
    origin: 'content',
    source: d.relPath,
    kind: d.kind,
    techniques: techniqueRefs(d.techniques, d.tactics),
    tactics: tacticRefs(d.tactics),
    tags: d.tags,
    dataSources: tb.dataSources,
    stories: tb.stories,
    falsepositives: d.falsepositives,
    references: d.references,
    triage: tb.triage,
    riskObjects: tb.riskObjects.map((r) => ({ ...r })),
    threatObjects: tb.threatObjects.map((r) => ({ ...r })),
    enrichment: tb.enrichment.map((f) => ({ name: f.name, selection: stringifySelection(f.selection) })),
    tests: tb.tests.map((t) => {
      const o: CatalogueDetection['tests'][number] = {
        name: t.name,
        kind: t.kind,
        expectMatches: t.expect.matches,
        expectEnrichment: t.expect.enrichment,
      };
      if (t.description !== undefined) o.description = t.description;
      if (t.dataset !== undefined) o.dataset = t.dataset;
      if (t.events !== undefined) o.events = t.events;
      return o;
    }),
    atomics: tb.atomics.map((a) => ({
      guid: a.guid,
      technique: a.technique,
      name: a.name,
      telemetry: a.telemetry.map((x) => ({ ...x })),
    })),
    sigma: stripTripline(text),
    logsource: { ...d.logsource },
  };
  for (const k of ['status', 'author', 'date', 'modified'] as const) {
    const v = d[k];
    if (v !== undefined) entry[k] = v;
  }
  if (tb.howToImplement !== undefined) entry.howToImplement = tb.howToImplement;
  if (tb.response !== undefined) entry.response = tb.response;
  if (tb.tuning !== undefined) entry.tuning = tb.tuning;
  return {
    entry,
    input: {
      file: d.file,
      documents: d.sigma,
      primary: d.primary,
      kind: d.kind,
      logsource: d.logsource,
      enrichment: tb.enrichment,
      overrides: tb.overrides,
      entityFields: [...new Set([...tb.riskObjects, ...tb.threatObjects].map((o) => o.field))],
    },
    text,
    label: d.relPath,
    file: d.file,
  };
}

function stringifySelection(sel: unknown): string {
  return stringify(sel, { lineWidth: 0 }).trimEnd();
}

function plainItems(file: string, rel: string, text: string, docs: readonly SigmaDocument[]): Item[] {
  const referenced = new Set(docs.flatMap((d) => (d.kind === 'Correlation' ? d.rules : [])));
  const items: Item[] = [];
  docs.forEach((doc, primary) => {
    if (doc.kind === 'Filter') return;
    const isRef = (doc.id !== undefined && referenced.has(doc.id)) || (doc.name !== undefined && referenced.has(doc.name));
    if (isRef && doc.raw['generate'] !== true) return;
    const firstRule = docs.find((x) => x.kind === 'Rule');
    const ls = doc.kind === 'Rule' ? doc.logsource : firstRule?.kind === 'Rule' ? firstRule.logsource : undefined;
    const logsource: ConvertInput['logsource'] = {};
    if (ls?.product !== undefined) logsource.product = ls.product;
    if (ls?.category !== undefined) logsource.category = ls.category;
    if (ls?.service !== undefined) logsource.service = ls.service;
    const techniques = doc.tags
      .map((t) => /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t)?.[1]?.toUpperCase())
      .filter((x): x is string => x !== undefined);
    const tactics = TACTICS.filter((t) => doc.tags.some((g) => g.toLowerCase() === `attack.${t.shortname.replace(/-/g, '_')}` || g.toLowerCase() === `attack.${t.shortname}`)).map((t) => t.shortname);
    const level = doc.level !== undefined && LEVELS.has(doc.level) ? doc.level : 'medium';
    const kind = doc.kind === 'Correlation' ? 'correlation' : 'rule';
    const entry: Item['entry'] = {
      id: doc.id ?? `${rel}#${primary}`,
      title: doc.title,
      description: doc.description ?? '',
      level,
      severity: level,
      confidence: 'medium',
      type: kind === 'correlation' ? 'Correlation' : 'TTP',
      origin: 'sigma',
      source: rel,
      kind,
      techniques: techniqueRefs(techniques, tactics),
      tactics: tacticRefs(tactics),
      tags: doc.tags,
      dataSources: [],
      stories: [],
      falsepositives: doc.falsepositives,
      references: doc.references,
      riskObjects: [],
      threatObjects: [],
      enrichment: [],
      tests: [],
      atomics: [],
      sigma: text,
      logsource,
    };
    for (const k of ['status', 'author', 'date', 'modified'] as const) {
      const v = doc[k];
      if (v !== undefined) entry[k] = v;
    }
    items.push({
      entry,
      input: { file, documents: docs, primary, kind, logsource, enrichment: [], overrides: {}, entityFields: [] },
      text: `${primary}\u0000${text}`,
      label: docs.length > 1 ? `${rel}#${primary}` : rel,
      file,
    });
  });
  return items;
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

export function buildCatalogueFull(contentDir: string | undefined, options: BuildCatalogueOptions = {}): Result<CatalogueBuild> {
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

  const pool = new ConverterPool(ATTACK);
  const cache = options.cache ?? new ConversionCache();
  const slugs = new SlugAllocator();
  const seenIds = new Set<string>();
  const detections: CatalogueDetection[] = [];
  const sourceFiles = new Map<string, string>();
  const byTarget: Record<string, Record<TargetStatus, number>> = {};
  for (const t of targets.value) byTarget[t] = { converted: 0, degraded: 0, unsupported: 0 };
  // Sentinel and Defender share the KQL conversion: convert once per backend/format per input.
  items.forEach((item, i) => {
    if (seenIds.has(item.entry.id)) {
      diagnostics.push({
        code: 'TL8103',
        severity: 'warning',
        message: `left out: id ${item.entry.id} already used by another detection`,
        file: item.file,
      });
      return;
    }
    seenIds.add(item.entry.id);
    const det: CatalogueDetection = { ...item.entry, slug: slugs.take(item.entry.title, 'detection'), targets: {} };
    for (const t of targets.value) {
      const spec = PACKAGE_SPECS[t];
      // Keyed by what conversion depends on (not the package name): Sentinel and Defender share KQL.
      const key = ConversionCache.key([
        spec.backend,
        spec.format,
        JSON.stringify([spec.correlationBackend, spec.enrichmentBackend]),
        item.text,
      ]);
      let r = cache.lookup(key);
      if (!r) {
        r = convertForTarget(spec, item.input, pool);
        cache.store(key, r, `${item.label} ${t}`);
      }
      det.targets[t] = { ...r, files: [] };
      const counts = byTarget[t];
      if (counts) counts[r.status]++;
    }
    detections.push(det);
    sourceFiles.set(det.id, item.file);
    options.onProgress?.(i + 1, items.length);
  });

  const catalogue = assemble(detections, content, targets.value);
  catalogue.totals.byTarget = byTarget;
  const build: CatalogueBuild = { catalogue, sourceFiles };
  if (content) build.content = content;
  return ok(build, diagnostics);
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
