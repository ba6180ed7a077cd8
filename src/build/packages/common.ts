/** Small helpers the package writers share. */
import type { CatalogueDetection, PackageTarget, TargetResult } from '../model.js';

/** The detections that have something to deploy on a target (converted or degraded). */
export function deployable(
  detections: readonly CatalogueDetection[],
  target: PackageTarget,
): { d: CatalogueDetection; r: TargetResult }[] {
  return detections.flatMap((d) => {
    const r = d.targets[target];
    return r && r.status !== 'unsupported' && r.queries.length > 0 ? [{ d, r }] : [];
  });
}

/** Parent technique ids (T1003 for T1003.001), unique, in order. */
export function parentTechniques(d: CatalogueDetection): string[] {
  return [...new Set(d.techniques.map((t) => t.id.split('.')[0] ?? t.id))];
}

export const RISK_SCORE: Readonly<Record<string, number>> = {
  informational: 10,
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
};

/** Flags the query computes as columns (those the target could render). */
export function renderedFlags(d: CatalogueDetection, r: TargetResult): string[] {
  if (r.reason.some((x) => x.startsWith('enrichment not rendered'))) return [];
  return d.enrichment.map((e) => e.name);
}
