/**
 * Bundles the compiled CLI (build/src) into build/cli with esbuild, so `tripline` starts by loading
 * one file instead of ~220 modules (≈ 50 ms instead of ≈ 230 ms of CPU for `convert`), then writes
 * V8 code caches for it, so a cold run neither parses the bundle nor compiles the functions it runs
 * (see src/cli/bundle-loader.ts; `convert -t splunk` over the SigmaHQ corpus: figures in
 * docs/conversion.md, Speed). build/cli holds:
 * - core.cjs (+ .map): every command and worker module, CommonJS (a code cache needs a script:
 *   vm.Script takes one, ES modules do not on Node 20). Modules are evaluated on first use, as the
 *   dynamic imports they come from. It is written inside Node's CommonJS wrapper (a function
 *   expression, which only the loader runs); its first line carries a build id (the content hash),
 *   which the caches repeat; non-ASCII characters (in comments) are escaped so it reads as latin1;
 * - load.js: the loader (src/cli/bundle-loader.ts), which bin/tripline.js imports;
 * - convert-worker.js, worker.js, build-worker.js, site-worker.js: worker entries, resolved by the code
 *   that starts them next to its own file (here: core.cjs); each loads the core and runs its module.
 *   The list is `workers` in src/cli/bundle-entry.ts;
 * - core.cold.cache, core.warm.cache: the code caches of the two flag groups, each written by a child
 *   process that runs a few commands over content/ with the group's flags (scripts/cli-cache.mjs).
 * The tests import build/src directly; bin/tripline.js runs this bundle (`--version` and `--help`
 * excepted: they run main() from build/src, which loads 5 small modules).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { BUILD_ID_LENGTH, BUILD_ID_PREFIX } from '../build/src/cli/bundle-loader.js';

const PLACEHOLDER = '0'.repeat(BUILD_ID_LENGTH);

rmSync('build/cli', { recursive: true, force: true });
mkdirSync('build/cli', { recursive: true });

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

const core = await build({
  ...common,
  entryPoints: ['build/src/cli/bundle-entry.js'],
  outfile: 'build/cli/core.cjs',
  format: 'cjs',
  sourcemap: true,
  write: false,
  // The id is filled in below; `import.meta.url` (workers and files found next to the code) is the
  // core's own URL.
  banner: {
    js: `${BUILD_ID_PREFIX}${PLACEHOLDER}*/var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;`,
  },
  define: { 'import.meta.url': '__importMetaUrl' },
  // esbuild itself is only imported when the site's converter bundle is built: a script compiled by
  // vm.Script cannot import() on Node 20 without an experimental flag, so that import becomes a require.
  plugins: [
    {
      name: 'esbuild-by-require',
      setup(b) {
        b.onResolve({ filter: /^esbuild$/ }, (args) =>
          args.kind === 'dynamic-import' ? { path: 'esbuild', namespace: 'by-require' } : { external: true },
        );
        b.onLoad({ filter: /.*/, namespace: 'by-require' }, () => ({
          contents: "module.exports = require('esbuild');",
        }));
      },
    },
  ],
});
for (const f of core.outputFiles) {
  if (!f.path.endsWith('.cjs')) {
    writeFileSync(f.path, f.contents);
    continue;
  }
  if (/[^\w$.]import\(/.test(f.text))
    throw new Error('core.cjs has a dynamic import(): vm.Script cannot run it');
  // esbuild writes strings and identifiers in ASCII but keeps some comments as they are.
  const escaped = f.text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const text = `${escaped}\n})`;
  const id = createHash('sha1').update(text).digest('hex');
  writeFileSync(f.path, text.replace(PLACEHOLDER, id), 'latin1');
}

await build({
  ...common,
  entryPoints: { load: 'build/src/cli/bundle-loader.js' },
  outdir: 'build/cli',
  format: 'esm',
});

const { workers } = await import('../build/src/cli/bundle-entry.js');
for (const [name, { group }] of Object.entries(workers)) {
  writeFileSync(
    `build/cli/${name}.js`,
    `import { fileURLToPath } from 'node:url';\nimport { startWorker } from './load.js';\n` +
      `await startWorker(fileURLToPath(new URL('.', import.meta.url)), '${name}', '${group}');\n`,
  );
}

for (const group of ['cold', 'warm']) {
  const r = spawnSync(process.execPath, ['scripts/cli-cache.mjs', group], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`writing the ${group} code cache failed (exit ${r.status})`);
}
