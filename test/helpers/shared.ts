import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Repository root (tests run from build/test/…). */
export const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * ../shared: corpus, conformance outputs, EVTX samples. Present on every dev machine and in CI; a git
 * worktree one level deeper finds it too, and TRIPLINE_SHARED overrides it for checkouts elsewhere.
 */
export const sharedDir =
  process.env.TRIPLINE_SHARED ??
  [resolve(repoRoot, '../shared'), resolve(repoRoot, '../../shared')].find((p) => existsSync(p)) ??
  resolve(repoRoot, '../shared');

export const hasShared = existsSync(resolve(sharedDir, 'corpus/sigmahq'));

export const SKIP_SHARED = '../shared not found (a user clone without the shared data): skipped';

export const corpusDir = resolve(sharedDir, 'corpus/sigmahq');
