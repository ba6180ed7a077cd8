/**
 * The content-hash cache of conversions: one entry per (input text, package target, build version).
 * Unchanged inputs reuse their stored result; the build counts hits and misses so tests (and users,
 * in the summary) can see what was reconverted.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TargetResult } from './model.js';

/** Bump when conversion or rendering changes so stale results are not reused. */
export const BUILD_CACHE_VERSION = '2';

export class ConversionCache {
  private entries = new Map<string, TargetResult>();
  private readonly used = new Set<string>();
  hits = 0;
  misses = 0;
  /** Source paths reconverted in this build, with the package target. */
  readonly reconverted: string[] = [];

  static key(parts: readonly string[]): string {
    const h = createHash('sha256');
    for (const p of [BUILD_CACHE_VERSION, ...parts]) h.update(p).update('\u0000');
    return h.digest('hex');
  }

  /** Load from a file; a missing or unreadable cache is an empty one (it is only a speed-up). */
  static load(file: string | undefined): ConversionCache {
    const c = new ConversionCache();
    if (file === undefined) return c;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { version?: string; entries?: Record<string, TargetResult> };
      if (data.version === BUILD_CACHE_VERSION && data.entries) c.entries = new Map(Object.entries(data.entries));
    } catch {
      // No cache yet, or a damaged one: start empty.
    }
    return c;
  }

  /** Whether a result is stored for the key (without counting a hit). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  lookup(key: string): TargetResult | undefined {
    const v = this.entries.get(key);
    if (v) {
      this.hits++;
      this.used.add(key);
      return { ...v, files: [] };
    }
    return undefined;
  }

  store(key: string, value: TargetResult, label: string): void {
    this.misses++;
    this.reconverted.push(label);
    this.entries.set(key, { ...value, files: [] });
    this.used.add(key);
  }

  /** Write only the entries this build used, so the cache does not grow without bound. */
  save(file: string): void {
    const entries: Record<string, TargetResult> = {};
    for (const k of this.used) {
      const v = this.entries.get(k);
      if (v) entries[k] = v;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: BUILD_CACHE_VERSION, entries }));
  }
}
