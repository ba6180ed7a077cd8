/**
 * The target registry: every conversion target, by name. A new target adds one line to `targets`.
 */
import { elasticEqlTarget, elasticEsqlTarget, elasticLuceneTarget } from './elastic/index.js';
import { qradarTarget } from './qradar/index.js';
import { logscaleTarget } from './logscale/index.js';
import { secopsTarget } from './secops/index.js';
import { kustoTarget } from './kusto/index.js';
import { splunkTarget } from './splunk/index.js';
import { sumologicTarget } from './sumologic/index.js';
import type { TargetDef } from './target.js';

export type { TargetDef } from './target.js';

const targets: readonly TargetDef[] = [
  splunkTarget,
  elasticLuceneTarget,
  elasticEqlTarget,
  elasticEsqlTarget,
  qradarTarget,
  sumologicTarget,
  secopsTarget,
  logscaleTarget,
  kustoTarget,
];

const byName = new Map(targets.map((t) => [t.name, t]));

export function getTarget(name: string): TargetDef | undefined {
  return byName.get(name);
}

export function listTargets(): readonly TargetDef[] {
  return targets;
}
