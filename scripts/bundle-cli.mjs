/**
 * Bundles the compiled CLI (build/src) into build/cli with esbuild, so `tripline` starts by loading a
 * few files instead of ~220 modules: ≈ 50 ms instead of ≈ 230 ms of CPU for `convert`, paid again by
 * every worker thread. Commands stay lazily loaded (code splitting keeps each dynamic import a chunk).
 *
 * Entry names are kept flat and distinct: code that starts a worker resolves `./convert-worker.js`,
 * `./worker.js`, `./build-worker.js` or `./site-worker.js` next to its own file, and every chunk lives
 * in build/cli beside the entries. A new worker file needs an entry here.
 * The tests import build/src directly; bin/tripline.js runs this bundle.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones.
rmSync('build/cli', { recursive: true, force: true });

await build({
  entryPoints: {
    main: 'build/src/cli/main.js',
    'convert-worker': 'build/src/cli/convert-worker.js',
    worker: 'build/src/evtx/worker.js',
    'build-worker': 'build/src/build/build-worker.js',
    'site-worker': 'build/src/site/site-worker.js',
  },
  outdir: 'build/cli',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // The yaml package's Node build is CommonJS and requires node built-ins.
  banner: {
    js: "import { createRequire as __tripRequire } from 'node:module'; const require = __tripRequire(import.meta.url);",
  },
  // esbuild itself is only imported when the site's converter bundle is built.
  external: ['esbuild'],
  logLevel: 'warning',
});
