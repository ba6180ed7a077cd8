/** Output paths for every page, derived once from the catalogue through `safeSlug` and made unique. */
import type { Catalogue } from '../build/model.js';
import { safeSlug } from './escape.js';

export interface SiteNames {
  detection: Map<string, string>;
  story: Map<string, string>;
  technique: Map<string, string>;
  tactic: Map<string, string>;
  dataSource: Map<string, string>;
}

function assign(folder: string, keys: readonly [string, string][]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const [key, name] of keys) {
    if (out.has(key)) continue;
    const base = safeSlug(name);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    out.set(key, `${folder}/${slug}.html`);
  }
  return out;
}

/** Stories are named by name or id in detections; both reach the same page. */
function withAliases(m: Map<string, string>, aliases: readonly [string, string][]): Map<string, string> {
  for (const [alias, key] of aliases) {
    const path = m.get(key);
    if (path !== undefined && !m.has(alias)) m.set(alias, path);
  }
  return m;
}

export function siteNames(cat: Catalogue): SiteNames {
  return {
    detection: assign(
      'detections',
      cat.detections.map((d) => [d.id, d.slug || d.title]),
    ),
    story: withAliases(
      assign(
        'stories',
        cat.stories.map((s) => [s.name, s.slug || s.name]),
      ),
      cat.stories.map((s) => [s.id, s.name]),
    ),
    technique: assign(
      'techniques',
      cat.techniques.map((t) => [t.id, t.id]),
    ),
    tactic: assign(
      'tactics',
      cat.tactics.map((t) => [t.shortname, t.shortname]),
    ),
    dataSource: assign(
      'data-sources',
      cat.dataSources.map((d) => [d.name, d.slug || d.name]),
    ),
  };
}
