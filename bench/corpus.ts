/** Where the benchmarks find ../shared, and the SigmaHQ corpus folders the conversion benchmarks read. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { walkFiles } from '../src/util/files.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** ../shared from the repository (or from a worktree one level deeper; TRIPLINE_SHARED overrides), if present. */
export const sharedDir = [
  process.env.TRIPLINE_SHARED,
  resolve(repoRoot, '../shared'),
  resolve(repoRoot, '../../shared'),
].find((d) => d !== undefined && existsSync(d));

/**
 * rules, rules-emerging-threats and rules-threat-hunting: the ~3,750 rules issue 5 measures. Without
 * ../shared there is nothing to measure: the benchmark says so and exits.
 */
export function corpusRuleFiles(): { dirs: string[]; files: string[] } {
  if (!sharedDir) {
    console.log('../shared not found: nothing to measure');
    process.exit(0);
  }
  const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) =>
    resolve(sharedDir, 'corpus/sigmahq', d),
  );
  return { dirs, files: walkFiles(dirs, ['.yml', '.yaml']).files };
}
