/**
 * The entry of the bundled CLI (scripts/bundle-cli.mjs bundles it into build/cli/core.cjs, which
 * bundle-loader.ts loads with V8's code cache). One bundle serves every thread: the main thread calls
 * `main`, a worker thread's entry file (build/cli/<name>.js) runs its module from `workers`. Modules
 * are evaluated on first use, as with dynamic imports.
 */
export { main } from './main.js';

/** Which cache a thread kind uses: the flags of the command that starts it (see bundle-loader.ts). */
export type FlagGroup = 'cold' | 'warm';

/** Worker thread entries by file name (`new Worker(new URL('./<name>.js', import.meta.url))`). */
export const workers: Record<string, { group: FlagGroup; start: () => Promise<unknown> }> = {
  'convert-worker': { group: 'cold', start: () => import('./convert-worker.js') },
  worker: { group: 'warm', start: () => import('../evtx/worker.js') },
  'build-worker': { group: 'warm', start: () => import('../build/build-worker.js') },
  'site-worker': { group: 'warm', start: () => import('../site/site-worker.js') },
};
