/**
 * The pinned ATT&CK Enterprise table: lookups by id, tactics in matrix order, tag validation.
 * Pure data and functions (no Node APIs), so the site bundle can use it too.
 */
import {
  ATTACK_SOURCE,
  DATA_COMPONENT_ROWS,
  PLATFORM_NAMES,
  TACTIC_ROWS,
  TECHNIQUE_ROWS,
} from './enterprise-data.js';

export { ATTACK_SOURCE };

export interface Tactic {
  /** TA0009 */
  id: string;
  /** collection (the form used in Sigma tags and Navigator layers) */
  shortname: string;
  /** Collection */
  name: string;
  /** Position in the Enterprise matrix, 0-based. */
  order: number;
}

export interface Technique {
  /** T1119 or T1003.001 */
  id: string;
  name: string;
  subtechnique: boolean;
  /** Parent technique id for a sub-technique. */
  parent?: string;
  /** Tactic shortnames, in matrix order. */
  tactics: readonly string[];
  platforms: readonly string[];
  url: string;
}

export interface DataComponent {
  id: string;
  name: string;
}

export const TACTICS: readonly Tactic[] = TACTIC_ROWS.map(([id, shortname, name], order) => ({
  id,
  shortname,
  name,
  order,
}));

const tacticByShortname = new Map(TACTICS.map((t) => [t.shortname, t]));
const tacticById = new Map(TACTICS.map((t) => [t.id, t]));

function maskToList<T>(mask: number, values: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < values.length; i++) if (mask & (1 << i)) out.push(values[i]!);
  return out;
}

export const TECHNIQUES: readonly Technique[] = TECHNIQUE_ROWS.map(([id, name, tacticMask, platformMask]) => {
  const dot = id.indexOf('.');
  const t: Technique = {
    id,
    name,
    subtechnique: dot >= 0,
    tactics: maskToList(tacticMask, TACTICS).map((x) => x.shortname),
    platforms: maskToList(platformMask, PLATFORM_NAMES),
    url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}`,
  };
  if (dot >= 0) t.parent = id.slice(0, dot);
  return t;
});

export const DATA_COMPONENTS: readonly DataComponent[] = DATA_COMPONENT_ROWS.map(([id, name]) => ({
  id,
  name,
}));

const techniqueById = new Map(TECHNIQUES.map((t) => [t.id, t]));

/** Case-insensitive: `T1119`, `t1119`, `T1003.001`. Undefined when the id is not in the pinned table. */
export function lookupTechnique(id: string): Technique | undefined {
  return techniqueById.get(id.trim().toUpperCase());
}

/** By shortname (`collection`), id (`TA0009`) or name (`Command and Control`), case-insensitive. */
export function lookupTactic(key: string): Tactic | undefined {
  const k = key.trim();
  return (
    tacticByShortname.get(k.toLowerCase().replaceAll(' ', '-').replaceAll('_', '-')) ??
    tacticById.get(k.toUpperCase())
  );
}

/** Sub-techniques of a technique, sorted by id. */
export function subtechniquesOf(id: string): Technique[] {
  const parent = id.toUpperCase();
  return TECHNIQUES.filter((t) => t.parent === parent);
}

/** Techniques and sub-techniques under one tactic, sorted by id. */
export function techniquesByTactic(tactic: string): Technique[] {
  const t = lookupTactic(tactic);
  if (!t) return [];
  return TECHNIQUES.filter((x) => x.tactics.includes(t.shortname));
}

export type AttackTag =
  | { kind: 'technique'; technique: Technique }
  | { kind: 'tactic'; tactic: Tactic }
  /** Groups (G0001), software (S0001) and campaigns (C0001) are not in the pinned table: checked for form only. */
  | { kind: 'group' | 'software' | 'campaign'; id: string }
  | { kind: 'unknown-technique'; id: string }
  | { kind: 'unknown-tactic'; name: string }
  | { kind: 'not-attack' }
  | { kind: 'malformed'; reason: string };

const TECHNIQUE_RE = /^t\d{4}(?:\.\d{3})?$/;
const OTHER_RE = /^([gsc])\d{4}$/;

/**
 * Classify a Sigma tag against the pinned table: `attack.t1119`, `attack.collection`,
 * `attack.command-and-control` (the Sigma spelling; `_` is accepted too), `attack.g0007`.
 * Tags outside the `attack.` namespace are `not-attack`.
 */
export function validateAttackTag(tag: string): AttackTag {
  if (!tag.toLowerCase().startsWith('attack.')) return { kind: 'not-attack' };
  const rest = tag.slice('attack.'.length);
  if (rest.length === 0) return { kind: 'malformed', reason: 'empty ATT&CK tag' };
  if (rest !== rest.toLowerCase()) return { kind: 'malformed', reason: 'ATT&CK tags are lowercase' };
  if (/^t\d/.test(rest)) {
    if (!TECHNIQUE_RE.test(rest)) {
      return { kind: 'malformed', reason: 'technique ids look like t1234 or t1234.001' };
    }
    const technique = lookupTechnique(rest);
    return technique
      ? { kind: 'technique', technique }
      : { kind: 'unknown-technique', id: rest.toUpperCase() };
  }
  const other = OTHER_RE.exec(rest);
  if (other) {
    const kind = other[1] === 'g' ? 'group' : other[1] === 's' ? 'software' : 'campaign';
    return { kind, id: rest.toUpperCase() };
  }
  const tactic = tacticByShortname.get(rest.replaceAll('_', '-'));
  return tactic ? { kind: 'tactic', tactic } : { kind: 'unknown-tactic', name: rest };
}

/** Technique ids named by a list of tags (unknown ones left out), deduplicated, in tag order. */
export function techniquesFromTags(tags: readonly string[]): Technique[] {
  const seen = new Set<string>();
  const out: Technique[] = [];
  for (const tag of tags) {
    const v = validateAttackTag(tag);
    if (v.kind === 'technique' && !seen.has(v.technique.id)) {
      seen.add(v.technique.id);
      out.push(v.technique);
    }
  }
  return out;
}

/** Tactic shortnames named by a list of tags, in matrix order. */
export function tacticsFromTags(tags: readonly string[]): string[] {
  const set = new Set<string>();
  for (const tag of tags) {
    const v = validateAttackTag(tag);
    if (v.kind === 'tactic') set.add(v.tactic.shortname);
  }
  return TACTICS.filter((t) => set.has(t.shortname)).map((t) => t.shortname);
}
