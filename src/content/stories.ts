/** Views computed from the detections that name a story: never written by hand. */
import type { ContentSet, DataSource, Detection, Story } from './model.js';

export interface StorySummary {
  story: Story;
  detections: Detection[];
  /** Technique ids, sorted. */
  techniques: string[];
  /** Tactic shortnames, in the order first seen. */
  tactics: string[];
  dataSources: DataSource[];
  /** Sigma logsources as `product/category` or `product/service`, sorted. */
  logsources: string[];
}

export function summarizeStory(set: ContentSet, story: Story): StorySummary {
  const detections = set.detections.filter((d) =>
    d.tripline.stories.some((s) => s === story.name || s === story.id),
  );
  const dsNames = new Set(detections.flatMap((d) => d.tripline.dataSources));
  const ls = new Set(
    detections.map((d) =>
      [d.logsource.product, d.logsource.category ?? d.logsource.service].filter(Boolean).join('/'),
    ),
  );
  return {
    story,
    detections,
    techniques: [...new Set(detections.flatMap((d) => d.techniques))].sort(),
    tactics: [...new Set(detections.flatMap((d) => d.tactics))],
    dataSources: set.dataSources.filter((s) => dsNames.has(s.name)),
    logsources: [...ls].filter((x) => x !== '').sort(),
  };
}
