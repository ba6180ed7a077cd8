/** ATT&CK Navigator layer export (layer format 4.5). */
import { ATTACK_SOURCE } from './attack.js';
import type { CoverageReport } from './coverage.js';

export interface NavigatorTechnique {
  techniqueID: string;
  tactic?: string;
  score: number;
  color: string;
  comment: string;
  enabled: boolean;
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showSubtechniques: boolean;
}

export interface NavigatorLayer {
  name: string;
  versions: { layer: '4.5'; navigator: string; attack?: string };
  domain: 'enterprise-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: number;
  layout: {
    layout: 'side' | 'flat' | 'mini';
    aggregateFunction: 'average' | 'min' | 'max' | 'sum';
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    expandedSubtechniques: 'none' | 'annotated' | 'all';
  };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

export interface NavigatorOptions {
  name?: string;
  description?: string;
  /** ATT&CK content release (e.g. '18'); left out when unknown, which Navigator accepts. */
  attackVersion?: string;
  platforms?: string[];
  /** Link each detection's metadata entry to this URL prefix + detection id, e.g. the site. */
  detectionUrl?: (id: string) => string;
}

/**
 * One technique entry per (technique, tactic) the detections claim; the score is the number of
 * detections, so the gradient shows depth of coverage. Sub-techniques are annotated on their own.
 */
export function toNavigatorLayer(report: CoverageReport, options: NavigatorOptions = {}): NavigatorLayer {
  const techniques: NavigatorTechnique[] = [];
  const annotatedParents = new Set<string>();
  for (const t of report.techniques) {
    if (t.technique.parent) annotatedParents.add(t.technique.parent);
  }
  let maxScore = 1;
  for (const t of report.techniques) {
    const score = t.detections.length;
    maxScore = Math.max(maxScore, score);
    for (const tactic of t.tactics) {
      techniques.push({
        techniqueID: t.technique.id,
        tactic,
        score,
        color: '',
        comment: t.detections.map((d) => d.title).join('; '),
        enabled: true,
        metadata: t.detections.map((d) => ({ name: 'detection', value: `${d.title} (${d.id})` })),
        links: options.detectionUrl
          ? t.detections.map((d) => ({ label: d.title, url: options.detectionUrl!(d.id) }))
          : [],
        showSubtechniques: annotatedParents.has(t.technique.id),
      });
    }
  }
  const versions: NavigatorLayer['versions'] = { layer: '4.5', navigator: '5.1.0' };
  if (options.attackVersion !== undefined) versions.attack = options.attackVersion;
  return {
    name: options.name ?? 'Tripline detection coverage',
    versions,
    domain: 'enterprise-attack',
    description:
      options.description ??
      `${report.totals.detections} detections covering ${report.totals.techniquesCovered} techniques ` +
        `(ATT&CK table: ${ATTACK_SOURCE.source}, spec ${ATTACK_SOURCE.specVersion}, ` +
        `last modified ${ATTACK_SOURCE.lastModified.slice(0, 10)})`,
    filters: { platforms: options.platforms ?? ['Windows', 'Linux', 'macOS'] },
    sorting: 3,
    layout: {
      layout: 'side',
      aggregateFunction: 'average',
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#ffe766ff', '#8ec843ff'], minValue: 0, maxValue: maxScore },
    legendItems: [],
    metadata: [
      { name: 'generator', value: 'tripline coverage' },
      { name: 'attack_table_sha256', value: ATTACK_SOURCE.sha256 },
    ],
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
