/**
 * EQL correlations as the reference writes them: `sequence … with maxspan` for temporal_ordered
 * and for event_count (a run of the same event, `with runs=N`), `sample by` for temporal (EQL
 * samples have no time window). Each referenced rule becomes one `[any where …]` filter.
 */
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { fail, ok } from '../../diagnostics/index.js';
import type { IrCorrelation } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';

function unsupported(corr: IrCorrelation, what: string): Diagnostic {
  return {
    code: 'TL5001',
    severity: 'error',
    message: `unsupported by target: ${what} (correlation '${corr.title}')`,
  };
}

export function convertEqlCorrelation(
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- one signature for every target
  opts: BackendConvertOptions,
): Result<string[]> {
  if (Object.keys(corr.aliases).length > 0) {
    return fail([unsupported(corr, 'correlation field aliases in EQL')]);
  }
  const queries = rules.flatMap((r) => r.queries);
  const filters = queries.map((q) => ` \n [any where ${q}]`).join('');
  const by = corr.groupBy.length > 0 ? ` by ${corr.groupBy.join(', ')}` : '';
  const maxspan = ` with maxspan=${corr.timespanRaw}`;
  switch (corr.type) {
    case 'temporal':
      return ok([`sample${by}${filters} `]);
    case 'temporal_ordered': {
      const suffix = corr.condition.field !== undefined ? `by ${corr.condition.field}` : '';
      const runs = runsOf(corr);
      const tail =
        corr.condition.field !== undefined && runs !== null ? `${suffix} with runs=${String(runs)}` : '';
      return ok([`sequence${by}${maxspan}${filters} ${tail}`]);
    }
    case 'event_count': {
      const runs = runsOf(corr);
      if (runs === null)
        return fail([unsupported(corr, 'event_count condition other than gt/gte/eq in EQL')]);
      return ok([`sequence${by}${maxspan}${filters}  with runs=${String(runs)}`]);
    }
    default:
      return fail([unsupported(corr, `${corr.type} correlation in EQL`)]);
  }
}

/** The run length the reference writes: the bound's value, whatever its operator. */
function runsOf(corr: IrCorrelation): number | null {
  const b = corr.condition.bounds.find((x) => x.op === 'gt' || x.op === 'gte' || x.op === 'eq');
  return b ? b.value : null;
}
