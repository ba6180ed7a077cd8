/**
 * Loads the bundled CLI (build/cli/core.cjs, one CommonJS file) with V8's code cache, so a cold
 * `tripline` run neither parses the bundle nor compiles, function by function, the code it runs.
 * `npm run build` writes the caches (scripts/bundle-cli.mjs): after converting and checking the
 * content/ rules (or hunting and testing them) in one process, `script.createCachedData()` holds the
 * bytecode of every function that ran. bin/tripline.js and the worker entries (build/cli/<name>.js)
 * load the bundle through here; esbuild bundles this file into build/cli/load.js.
 *
 * V8 accepts a cache only if it was made by the same V8 with the same flags for a source of the same
 * length, so:
 * - the flags a thread runs with come in two groups, each with its own cache (core.<group>.cache);
 *   setGroupFlags sets them, in the main thread, before the bundle is compiled (workers inherit them);
 * - the core's first line holds a build id (its content hash, written by the build), repeated in the
 *   cache's header: a cache from another build is not even handed to V8;
 * - `--verify-snapshot-checksum` makes V8 write a checksum into the cache and check it before use,
 *   so a damaged cache is rejected (`script.cachedDataRejected`) instead of deserialized.
 * Whatever is wrong with a cache (absent, stale, damaged, other V8), the bundle is compiled from its
 * source as without one: slower, same behaviour.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import type { FlagGroup } from './bundle-entry.js';
import type * as Entry from './bundle-entry.js';

export type { FlagGroup };
export type CliBundle = typeof Entry;

/** The bundle's file name in build/cli. */
export const CORE_FILE = 'core.cjs';
/**
 * The bundle is written inside Node's CommonJS wrapper (so the source is compiled as read, without a
 * copy to add the wrapper): it starts with this, then BUILD_ID_LENGTH hex digits of its id, then `*\/`.
 */
export const BUILD_ID_PREFIX =
  "(function (exports, require, module, __filename, __dirname) {'use strict';/*build:";
export const BUILD_ID_LENGTH = 40;
/** A cache file: this magic, the build id, then V8's data. */
const CACHE_MAGIC = 'TLC1';
const HEADER_LENGTH = CACHE_MAGIC.length + BUILD_ID_LENGTH;

export function cacheFile(dir: string, group: FlagGroup): string {
  return join(dir, `core.${group}.cache`);
}

/**
 * convert and check run each function over a few thousand small inputs once, in a fresh process:
 * V8's optimizing compiler spends more time inlining than the inlined code saves there (SigmaHQ
 * corpus, convert -t splunk: 1.65 → 1.27 s user CPU, check: 1.46 → 1.17 s; same output). Long runs
 * (hunt, evtx, build) keep inlining: their hot loops live long enough to pay it back.
 */
export function groupOf(command: string | undefined): FlagGroup {
  return command === 'convert' || command === 'check' ? 'cold' : 'warm';
}

/** Set the V8 flags of a group, before the bundle is loaded (they are process-wide). */
export function setGroupFlags(group: FlagGroup): void {
  setFlagsFromString('--verify-snapshot-checksum');
  if (group === 'cold') setFlagsFromString('--no-turbo-inlining');
}

/** The build id on the bundle's first line, or undefined. */
function buildIdOf(source: string): string | undefined {
  if (!source.startsWith(BUILD_ID_PREFIX)) return undefined;
  return source.slice(BUILD_ID_PREFIX.length, BUILD_ID_PREFIX.length + BUILD_ID_LENGTH);
}

/** A cache file's header followed by V8's data. */
export function encodeCache(buildId: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(CACHE_MAGIC + buildId, 'latin1'), data]);
}

/** V8's data from a cache file made for this build, or undefined. */
function readCache(file: string, buildId: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_LENGTH || bytes.toString('latin1', 0, HEADER_LENGTH) !== CACHE_MAGIC + buildId)
    return undefined;
  return bytes.subarray(HEADER_LENGTH);
}

export interface LoadedBundle {
  bundle: CliBundle;
  /** The compiled bundle: `script.createCachedData()` after a warm-up gives a cache. */
  script: Script;
  buildId: string | undefined;
  /** What became of the cache: used, refused by V8, or none suitable found. */
  cache: 'accepted' | 'rejected' | 'none';
}

/** Compile and run build/cli/core.cjs (in `dir`), with the group's cache when `useCache`. */
export function loadBundle(dir: string, group: FlagGroup, useCache = true): LoadedBundle {
  const filename = join(dir, CORE_FILE);
  // The build writes the core in ASCII: latin1 is the same text, decoded without UTF-8 checks.
  const source = readFileSync(filename, 'latin1');
  const buildId = buildIdOf(source);
  const cachedData = useCache && buildId ? readCache(cacheFile(dir, group), buildId) : undefined;
  const script = new Script(source, {
    filename,
    ...(cachedData ? { cachedData } : {}),
  });
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as CliBundle };
  wrapper(module.exports, createRequire(filename), module, filename, dir);
  return {
    bundle: module.exports,
    script,
    buildId,
    cache: cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : 'none',
  };
}

/** A worker entry file's body: run its module from the bundle, with the cache of its group. */
export async function startWorker(dir: string, name: string, group: FlagGroup): Promise<void> {
  const worker = loadBundle(dir, group).bundle.workers[name];
  if (!worker) throw new Error(`no worker entry '${name}' in the CLI bundle`);
  await worker.start();
}
