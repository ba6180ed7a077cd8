import type { Result } from '../../diagnostics/index.js';
import { fail } from '../../diagnostics/index.js';
import type { IrCorrelation } from '../../ir/types.js';
import type { BackendConvertOptions, ConvertedRule } from '../text/backend.js';

export function convertKustoCorrelation(
  corr: IrCorrelation,
  rules: readonly ConvertedRule[],
  opts: BackendConvertOptions,
): Result<string[]> {
  void rules;
  void opts;
  return fail([
    { code: 'TL5001', severity: 'error', message: `unsupported by target: correlation ${corr.type}` },
  ]);
}
