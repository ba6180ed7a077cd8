/** Backend options (-O key=value) shared by the Elastic targets, as the reference names them. */
import type { ConversionContext } from '../text/context.js';
import type { AttackResolver, RuleFormatOptions } from './rule-formats.js';
import { DEFAULT_INDEX_NAMES } from './rule-formats.js';
import { ATTACK_STATE } from './common.js';

export const elasticOptions = {
  index_names: 'siem_rule*: comma-separated index patterns (default: the Elastic Agent/Beats indices)',
  schedule_interval: 'siem_rule*: how often the rule runs (default 5)',
  schedule_interval_unit: 'siem_rule*: unit of schedule_interval, s/m/h (default m)',
} as const;

export function formatOptions(ctx: ConversionContext, attack: AttackResolver | undefined): RuleFormatOptions {
  const o = ctx.options;
  const names = o['index_names'];
  const interval = o['schedule_interval'] ?? '5';
  const unit = o['schedule_interval_unit'] ?? 'm';
  return {
    indexNames: names ? names.split(',').map((s) => s.trim()) : DEFAULT_INDEX_NAMES,
    interval: `${interval || '5'}${unit || 'm'}`,
    attack: (ctx.state[ATTACK_STATE] as AttackResolver | undefined) ?? attack,
  };
}
