/**
 * Shared by the kusto tests: where ../shared is, the SigmaHQ corpus files, and conversion of one
 * file to its queries (or error) with a kusto pipeline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KustoConvertOptions } from '../../src/backends/kusto/driver.js';
import { convertKustoText } from '../../src/backends/kusto/driver.js';
import { walkFiles } from '../../src/util/files.js';

export const repoRoot = resolve(import.meta.dirname, '../../..');
// ../shared beside the repository; a worktree under <repo parent>/wt/<name> finds it one level up.
const besideRepo = resolve(repoRoot, '../shared');
const besideWorktrees = resolve(repoRoot, '../../shared');
export const shared = existsSync(besideRepo) || !existsSync(besideWorktrees) ? besideRepo : besideWorktrees;
export const haveShared = existsSync(shared);

export function corpusFiles(): string[] {
  const root = join(shared, 'corpus/sigmahq');
  return walkFiles([root], ['.yml', '.yaml']).files.filter((f) => !f.includes('regression_data'));
}

/** Queries of every rule in a file, or `ERR:` lines with the first diagnostic of a failed rule. */
export function convertFile(path: string, opts: KustoConvertOptions): string[] {
  const r = convertKustoText(readFileSync(path, 'utf8'), path, opts);
  if (!r.ok) return [`ERR:${r.diagnostics[0]?.message ?? ''}`];
  return r.value.flatMap((d) =>
    d.result.ok
      ? d.result.value
      : [`ERR:${d.result.diagnostics.find((x) => x.severity === 'error')?.message ?? ''}`],
  );
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
