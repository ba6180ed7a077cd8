/** ATT&CK coverage of a set of detections, and which Atomic Red Team tests they answer. */
import type { Tactic, Technique } from './attack.js';
import { TACTICS, TECHNIQUES, lookupTechnique, tacticsFromTags, validateAttackTag } from './attack.js';

export interface CoverageDetection {
  id: string;
  title: string;
  tags: readonly string[];
  /** Atomic test GUIDs the detection names explicitly. */
  atomics?: readonly string[];
}

export interface AtomicTestRef {
  guid: string;
  /** Technique id the test belongs to (T1119). */
  technique: string;
  name: string;
  platforms?: readonly string[];
}

export interface DetectionRef {
  id: string;
  title: string;
}

export interface TechniqueCoverage {
  technique: Technique;
  /** Tactic shortnames this technique is counted under, in matrix order. */
  tactics: string[];
  detections: DetectionRef[];
  /** Atomic tests for this technique (when an atomics index was given). */
  atomics: AtomicTestRef[];
}

export interface TacticCoverage {
  tactic: Tactic;
  /** Covered techniques and sub-techniques under this tactic, sorted by id. */
  techniques: TechniqueCoverage[];
  /** Techniques + sub-techniques in the pinned table under this tactic. */
  total: number;
}

export interface AtomicCoverage {
  atomic: AtomicTestRef;
  detections: DetectionRef[];
  /** `link`: a detection names the GUID; `technique`: a detection covers the test's technique. */
  via: 'link' | 'technique';
}

export interface CoverageReport {
  tactics: TacticCoverage[];
  /** Every covered technique, sorted by id. */
  techniques: TechniqueCoverage[];
  /** Detections without any known technique tag. */
  unmapped: DetectionRef[];
  /** Tags naming techniques not in the pinned table. */
  unknownTechniques: { detection: DetectionRef; tag: string }[];
  atomics?: {
    withDetection: AtomicCoverage[];
    withoutDetection: AtomicTestRef[];
    /** GUIDs named by detections that the atomics index does not hold. */
    unknownLinks: { detection: DetectionRef; guid: string }[];
  };
  totals: { detections: number; techniquesCovered: number; techniquesTotal: number };
}

export function computeCoverage(
  detections: readonly CoverageDetection[],
  atomics?: readonly AtomicTestRef[],
  allTechniques: readonly Technique[] = TECHNIQUES,
): CoverageReport {
  const byTechnique = new Map<string, TechniqueCoverage>();
  const unmapped: DetectionRef[] = [];
  const unknownTechniques: CoverageReport['unknownTechniques'] = [];
  for (const d of detections) {
    const ref = { id: d.id, title: d.title };
    const declaredTactics = tacticsFromTags(d.tags);
    let mapped = false;
    for (const tag of d.tags) {
      const v = validateAttackTag(tag);
      if (v.kind === 'unknown-technique') unknownTechniques.push({ detection: ref, tag });
      if (v.kind !== 'technique') continue;
      mapped = true;
      const t = v.technique;
      // A technique under several tactics counts only under the ones the detection claims, if any.
      const claimed = t.tactics.filter((x) => declaredTactics.includes(x));
      let entry = byTechnique.get(t.id);
      if (!entry) {
        entry = { technique: t, tactics: [], detections: [], atomics: [] };
        byTechnique.set(t.id, entry);
      }
      for (const x of claimed.length > 0 ? claimed : t.tactics) {
        if (!entry.tactics.includes(x)) entry.tactics.push(x);
      }
      if (!entry.detections.some((e) => e.id === d.id)) entry.detections.push(ref);
    }
    if (!mapped) unmapped.push(ref);
  }
  const order = new Map(TACTICS.map((t) => [t.shortname, t.order]));
  for (const e of byTechnique.values()) e.tactics.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const techniques = [...byTechnique.values()].sort((a, b) => a.technique.id.localeCompare(b.technique.id));

  const universe = allTechniques;
  const tactics: TacticCoverage[] = TACTICS.map((tactic) => ({
    tactic,
    techniques: techniques.filter((t) => t.tactics.includes(tactic.shortname)),
    total: universe.filter((t) => t.tactics.includes(tactic.shortname)).length,
  }));

  const report: CoverageReport = {
    tactics,
    techniques,
    unmapped,
    unknownTechniques,
    totals: {
      detections: detections.length,
      techniquesCovered: techniques.length,
      techniquesTotal: universe.length,
    },
  };

  if (atomics) {
    const linkers = new Map<string, DetectionRef[]>();
    for (const d of detections) {
      for (const g of d.atomics ?? []) {
        const key = g.toLowerCase();
        const list = linkers.get(key) ?? [];
        list.push({ id: d.id, title: d.title });
        linkers.set(key, list);
      }
    }
    const known = new Set(atomics.map((a) => a.guid.toLowerCase()));
    const withDetection: AtomicCoverage[] = [];
    const withoutDetection: AtomicTestRef[] = [];
    for (const a of atomics) {
      const tech = lookupTechnique(a.technique);
      const entry = tech ? byTechnique.get(tech.id) : undefined;
      if (entry) entry.atomics.push(a);
      const linked = linkers.get(a.guid.toLowerCase());
      if (linked) withDetection.push({ atomic: a, detections: linked, via: 'link' });
      else if (entry) withDetection.push({ atomic: a, detections: entry.detections, via: 'technique' });
      else withoutDetection.push(a);
    }
    const unknownLinks: { detection: DetectionRef; guid: string }[] = [];
    for (const [guid, refs] of linkers) {
      if (!known.has(guid)) for (const r of refs) unknownLinks.push({ detection: r, guid });
    }
    report.atomics = { withDetection, withoutDetection, unknownLinks };
  }
  return report;
}
