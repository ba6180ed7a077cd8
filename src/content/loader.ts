/**
 * loadContent(dir): read a content folder (detections/, stories/, data-sources/, datasets/), validate
 * every file against the schemas, resolve references, and check the ATT&CK mapping.
 *
 * The result is `ok` whenever the folder exists, with every finding in `diagnostics` (callers use
 * `hasErrors`): a content set with one broken file is still worth reporting on. Files that cannot be
 * read as content at all are left out of the set.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Diagnostic, Result, Span } from '../diagnostics/index.js';
import { catalog, compareDiagnostics, fail, ok } from '../diagnostics/index.js';
import { walkFiles } from '../util/files.js';
import { crossChecks } from '../sigma/index.js';
import type { AtomicIndex } from './atomics.js';
import { parseDetectionFile } from './detection-file.js';
import type { ContentSet, DataSource, Detection, Story, TargetMapping } from './model.js';
import { DATA_SOURCE, STORY } from './schemas.js';
import { report, validateNode } from './schema-dsl.js';
import { readDatasetText } from './datasets.js';
import { asRecord, asString, asStrings, customKeys, keySpanAt, readContentYaml } from './yaml-doc.js';

export interface LoadOptions {
  /** Resolve atomic GUIDs against this index (from loadAtomicIndex); unknown GUIDs are errors. */
  atomics?: AtomicIndex;
  /** Parse dataset files and report bad lines (default true). */
  checkDatasets?: boolean;
}

const YAML_EXT = ['.yml', '.yaml'];

function rel(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export function loadContent(dir: string, options: LoadOptions = {}): Result<ContentSet> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return fail({
      code: 'TL8028',
      severity: 'error',
      message: `content directory '${dir}' not found`,
      file: dir,
    });
  }
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const read = (file: string): string | undefined => {
    try {
      const text = readFileSync(file, 'utf8');
      sources.set(file, text);
      return text;
    } catch (e) {
      diagnostics.push({
        code: 'TL8001',
        severity: 'error',
        message: `cannot read file: ${(e as Error).message}`,
        file,
      });
      return undefined;
    }
  };

  // A folder without the standard sub-folders is taken to be a folder of detections.
  const standard = ['detections', 'stories', 'data-sources'].some((d) => existsSync(join(root, d)));
  const detDirs = standard ? [join(root, 'detections')] : [root];
  const detFiles = walkFiles(
    detDirs.filter((d) => existsSync(d)),
    YAML_EXT,
  ).files;
  const storyFiles =
    standard && existsSync(join(root, 'stories')) ? walkFiles([join(root, 'stories')], YAML_EXT).files : [];
  const dsFiles =
    standard && existsSync(join(root, 'data-sources'))
      ? walkFiles([join(root, 'data-sources')], YAML_EXT).files
      : [];

  const detections: Detection[] = [];
  for (const f of detFiles) {
    const text = read(f);
    if (text === undefined) continue;
    const d = parseDetectionFile(text, f, rel(root, f), diagnostics);
    if (d) detections.push(d);
  }
  const stories: Story[] = [];
  for (const f of storyFiles) {
    const text = read(f);
    if (text !== undefined) {
      const s = parseStory(text, f, rel(root, f), diagnostics);
      if (s) stories.push(s);
    }
  }
  const dataSources: DataSource[] = [];
  for (const f of dsFiles) {
    const text = read(f);
    if (text !== undefined) {
      const s = parseDataSource(text, f, rel(root, f), diagnostics);
      if (s) dataSources.push(s);
    }
  }

  const set: ContentSet = { root, detections, stories, dataSources, sources };
  crossCheck(set, options, diagnostics);
  diagnostics.sort(compareDiagnostics);
  return ok(set, diagnostics);
}

function duplicateCheck<T extends { file: string }>(
  items: readonly T[],
  key: (t: T) => string | undefined,
  what: string,
  diagnostics: Diagnostic[],
): void {
  const seen = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined || k === '') continue;
    const prev = seen.get(k.toLowerCase());
    if (prev) {
      diagnostics.push({
        code: 'TL8021',
        severity: 'error',
        message: `${what} '${k}' is also used by ${prev.file}`,
        file: it.file,
      });
    } else seen.set(k.toLowerCase(), it);
  }
}

function crossCheck(set: ContentSet, options: LoadOptions, diagnostics: Diagnostic[]): void {
  // Duplicate Sigma ids/names and correlation references, across every detection file.
  diagnostics.push(...crossChecks(set.detections.flatMap((d) => d.sigma)));
  duplicateCheck(set.stories, (s) => s.id, 'story id', diagnostics);
  duplicateCheck(set.stories, (s) => s.name, 'story name', diagnostics);
  duplicateCheck(set.dataSources, (s) => s.name, 'data source name', diagnostics);

  const storyKeys = new Set(set.stories.flatMap((s) => [s.name, s.id]));
  const dsKeys = new Set(set.dataSources.map((s) => s.name));
  const checkDatasets = options.checkDatasets ?? true;

  for (const d of set.detections) {
    const text = set.sources.get(d.file) ?? '';
    const where = (needle: string): Span => locate(text, needle, text.indexOf('tripline:')) ?? d.span;
    const b = d.tripline;
    for (const s of b.stories) {
      if (!storyKeys.has(s)) {
        diagnostics.push({
          code: 'TL8012',
          severity: 'error',
          message: `story '${s}' not found under stories/ (stories are named by name or id)`,
          file: d.file,
          span: where(s),
          path: ['tripline', 'stories'],
        });
      }
    }
    // A folder of bare detections has no data-source files to check against.
    if (set.dataSources.length > 0) {
      for (const s of b.dataSources) {
        if (!dsKeys.has(s)) {
          diagnostics.push({
            code: 'TL8013',
            severity: 'error',
            message: `data source '${s}' not found under data-sources/`,
            file: d.file,
            span: where(s),
            path: ['tripline', 'data_sources'],
          });
        }
      }
    }
    const positives = b.tests.filter((t) => t.kind === 'positive').length;
    const negatives = b.tests.filter((t) => t.kind === 'negative').length;
    if (positives === 0 || negatives === 0) {
      diagnostics.push({
        code: 'TL8019',
        severity: 'error',
        message: `needs at least one positive and one negative test (has ${positives} positive, ${negatives} negative)`,
        file: d.file,
        span: where('tests:'),
        path: ['tripline', 'tests'],
      });
    }
    for (const t of b.tests) {
      if (t.dataset === undefined) continue;
      const path = resolve(set.root, t.dataset);
      t.datasetPath = path;
      if (!existsSync(path)) {
        diagnostics.push({
          code: 'TL8014',
          severity: 'error',
          message: `dataset '${t.dataset}' not found (paths are relative to the content root ${set.root})`,
          file: d.file,
          span: t.span,
          path: ['tripline', 'tests'],
        });
      } else if (checkDatasets && !path.toLowerCase().endsWith('.evtx')) {
        const r = readDatasetText(readFileSync(path, 'utf8'), path);
        diagnostics.push(...r.diagnostics);
      }
    }
    if (options.atomics) {
      for (const a of b.atomics) {
        const known = options.atomics.byGuid.get(a.guid);
        if (!known) {
          diagnostics.push({
            code: 'TL8024',
            severity: 'error',
            message: `atomic test ${a.guid} not found in ${options.atomics.dir}`,
            file: d.file,
            span: a.span,
            path: ['tripline', 'atomics'],
          });
        } else if (known.technique !== a.technique) {
          diagnostics.push({
            code: 'TL8024',
            severity: 'error',
            message: `atomic test ${a.guid} belongs to ${known.technique}, not ${a.technique}`,
            file: d.file,
            span: a.span,
            path: ['tripline', 'atomics'],
          });
        } else if (known.name !== a.name) {
          diagnostics.push({
            code: 'TL8029',
            severity: 'warning',
            message: `atomic test ${a.guid} is named '${known.name}' in Atomic Red Team`,
            file: d.file,
            span: a.span,
            path: ['tripline', 'atomics'],
          });
        }
      }
    }
  }
}

/** First occurrence of a string in a text, as a span (for references we only hold as values). */
function locate(text: string, needle: string, from: number): Span | undefined {
  const at = text.indexOf(needle, Math.max(0, from));
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { line, column };
}

function parseStory(
  text: string,
  file: string,
  relPath: string,
  diagnostics: Diagnostic[],
): Story | undefined {
  const y = readContentYaml(text, file, diagnostics);
  const doc = y?.docs[0];
  if (!y || !doc) return undefined;
  const before = diagnostics.length;
  validateNode({ file, diagnostics }, STORY, doc.root, []);
  if (diagnostics.slice(before).some((d) => catalog[d.code].severity === 'error')) return undefined;
  const r = asRecord(doc.data) ?? {};
  const category = r.category;
  const s: Story = {
    file,
    relPath,
    id: asString(r.id) ?? '',
    name: asString(r.name) ?? '',
    version: typeof r.version === 'number' ? r.version : 1,
    date: asString(r.date) ?? '',
    author: asString(r.author) ?? '',
    description: asString(r.description) ?? '',
    narrative: asString(r.narrative) ?? '',
    references: asStrings(r.references),
    category: asStrings(category),
    tags: asStrings(r.tags),
    custom: customKeys(r),
  };
  const m = asString(r.modified);
  if (m !== undefined) s.modified = m;
  return s;
}

function parseDataSource(
  text: string,
  file: string,
  relPath: string,
  diagnostics: Diagnostic[],
): DataSource | undefined {
  const y = readContentYaml(text, file, diagnostics);
  const doc = y?.docs[0];
  if (!y || !doc) return undefined;
  const before = diagnostics.length;
  const ctx = { file, diagnostics };
  validateNode(ctx, DATA_SOURCE, doc.root, []);
  if (diagnostics.slice(before).some((d) => catalog[d.code].severity === 'error')) return undefined;
  const r = asRecord(doc.data) ?? {};
  const ls = asRecord(r.logsource) ?? {};
  const targets: Record<string, TargetMapping> = {};
  for (const [t, v] of Object.entries(asRecord(r.targets) ?? {})) {
    const m = asRecord(v) ?? {};
    const tm: TargetMapping = {
      fields: Object.fromEntries(
        Object.entries(asRecord(m.fields) ?? {}).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      ),
    };
    for (const k of ['table', 'index', 'sourcetype', 'source', 'notes'] as const) {
      const x = asString(m[k]);
      if (x !== undefined) tm[k] = x;
    }
    targets[t] = tm;
  }
  const fields = asStrings(r.fields);
  const example = asRecord(r.example_event);
  // The example event should use the fields the source declares.
  if (example) {
    const flat = flattenKeys(example);
    for (const f of fields) {
      if (!flat.has(f)) {
        report(
          ctx,
          'TL8005',
          `field '${f}' is declared but absent from example_event`,
          keySpanAt(doc.root, ['example_event']),
          ['example_event'],
        );
      }
    }
  }
  const s: DataSource = {
    file,
    relPath,
    name: asString(r.name) ?? '',
    provider: asString(r.provider) ?? '',
    logsource: Object.fromEntries(
      (['product', 'category', 'service'] as const).flatMap((k) => {
        const v = asString(ls[k]);
        return v !== undefined ? [[k, v]] : [];
      }),
    ),
    fields,
    targets,
    references: asStrings(r.references),
    custom: customKeys(r),
  };
  const id = asString(r.id);
  if (id !== undefined) s.id = id;
  const desc = asString(r.description);
  if (desc !== undefined) s.description = desc;
  const ch = asString(r.channel);
  if (ch !== undefined) s.channel = ch;
  if (typeof r.event_id === 'number') s.eventId = r.event_id;
  if (example) s.exampleEvent = example;
  return s;
}

/** Field names of an event: flat keys, plus System/EventData children of the evtx JSON shape. */
function flattenKeys(e: Record<string, unknown>): Set<string> {
  const out = new Set(Object.keys(e));
  const ev = asRecord(e.Event);
  if (ev) {
    for (const part of ['System', 'EventData', 'UserData']) {
      for (const k of Object.keys(asRecord(ev[part]) ?? {})) out.add(k);
    }
  }
  return out;
}
