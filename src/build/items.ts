/**
 * What the build converts, one item per detection: a content detection or a plain Sigma rule,
 * reduced to its catalogue entry (everything but the target results) and its conversion input.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { TACTICS, lookupTactic, lookupTechnique } from '../attack/index.js';
import type { AttackLookup } from '../backends/text/backend.js';
import type { Detection } from '../content/index.js';
import type { SigmaDocument } from '../sigma/index.js';
import type { ConvertInput } from './convert-target.js';
import type { CatalogueDetection } from './model.js';

export interface Item {
  entry: Omit<CatalogueDetection, 'targets' | 'slug'>;
  input: ConvertInput;
  /** Text that determines the conversion (the whole source file). */
  text: string;
  /** The source file's text, parsed again by a conversion worker. */
  source: string;
  label: string;
  file: string;
}

export const ATTACK: AttackLookup = {
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

export function contentItem(d: Detection, text: string): Item {
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
    source: text,
    label: d.relPath,
    file: d.file,
  };
}

function stringifySelection(sel: unknown): string {
  return stringify(sel, { lineWidth: 0 }).trimEnd();
}

export function plainItems(file: string, rel: string, text: string, docs: readonly SigmaDocument[]): Item[] {
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
      source: text,
      label: docs.length > 1 ? `${rel}#${primary}` : rel,
      file,
    });
  });
  return items;
}
