/** The client-side search index: one entry per detection, technique and story, written as a JS file. */
import type { Catalogue } from '../build/model.js';
import type { SiteNames } from './names.js';

export interface SearchEntry {
  kind: 'detection' | 'technique' | 'story';
  title: string;
  url: string;
  /** Lower-cased haystack: title first (the page script ranks hits near the start higher). */
  h: string;
}

export function searchIndex(cat: Catalogue, names: SiteNames): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const t of cat.techniques) {
    const url = names.technique.get(t.id);
    if (url)
      out.push({
        kind: 'technique',
        title: `${t.id} ${t.name}`,
        url,
        h: `${t.id} ${t.name} ${t.tactics.join(' ')}`.toLowerCase(),
      });
  }
  for (const d of cat.detections) {
    const url = names.detection.get(d.id);
    if (!url) continue;
    const text = [
      d.title,
      d.id,
      ...d.techniques.map((t) => `${t.id} ${t.name}`),
      ...d.tags,
      d.description,
      ...d.stories,
      ...d.dataSources,
    ];
    out.push({ kind: 'detection', title: d.title, url, h: text.join(' ').toLowerCase().slice(0, 2000) });
  }
  for (const s of cat.stories) {
    const url = names.story.get(s.name);
    if (url)
      out.push({
        kind: 'story',
        title: s.name,
        url,
        h: [s.name, s.id, ...s.techniques, s.description].join(' ').toLowerCase().slice(0, 2000),
      });
  }
  return out;
}
