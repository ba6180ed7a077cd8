/**
 * Bundles the converter for the browser with esbuild (a devDependency, loaded only when a bundle is
 * built). `node:` modules are replaced by a stub whose functions throw if called, so modules that
 * merely import node:fs (for CLI paths) do not break the browser bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The TypeScript entry: next to this file in src/, or found from build/src/site or the CLI bundle (build/cli). */
export function converterEntryPath(): string | undefined {
  const candidates = [
    resolve(here, 'browser/converter-entry.ts'),
    resolve(here, '../../../src/site/browser/converter-entry.ts'),
    resolve(here, '../../src/site/browser/converter-entry.ts'),
  ];
  return candidates.find((p) => existsSync(p));
}

/** A bundle made earlier (`npm run build` writes build/site/converter.js). */
function prebuiltPath(): string | undefined {
  const candidates = [
    resolve(here, '../../site/converter.js'),
    resolve(here, '../../build/site/converter.js'),
    resolve(here, '../site/converter.js'),
  ];
  return candidates.find((p) => existsSync(p));
}

interface EsbuildLike {
  build(opts: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

const NODE_STUB = `module.exports = new Proxy({}, { get: function (_, k) {
  if (k === '__esModule') return false;
  return function () { throw new Error('not available in the browser: ' + String(k)); };
} });`;

/** The converter bundle's text, or an error message when neither esbuild nor a prebuilt bundle exists. */
export async function bundleConverter(): Promise<
  { ok: true; code: string } | { ok: false; message: string }
> {
  const entry = converterEntryPath();
  let esbuild: EsbuildLike | undefined;
  try {
    esbuild = (await import('esbuild')) as EsbuildLike;
  } catch {
    esbuild = undefined;
  }
  if (esbuild && entry) {
    const r = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      minify: true,
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
      plugins: [
        {
          name: 'node-stub',
          setup(b: {
            onResolve(o: { filter: RegExp }, f: (a: { path: string }) => unknown): void;
            onLoad(o: { filter: RegExp; namespace: string }, f: () => unknown): void;
          }): void {
            b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
            b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: NODE_STUB, loader: 'js' }));
          },
        },
      ],
    });
    const code = r.outputFiles?.[0]?.text;
    if (code !== undefined) return { ok: true, code };
  }
  const pre = prebuiltPath();
  if (pre) return { ok: true, code: readFileSync(pre, 'utf8') };
  return { ok: false, message: 'esbuild is not installed and no prebuilt converter bundle was found' };
}
