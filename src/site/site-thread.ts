/**
 * buildSite on a worker thread, so a build renders the site on one core while it renders and writes
 * the packages on the other. Same pages, same files: the worker runs buildSite on a copy of the
 * catalogue.
 */
import { Worker } from 'node:worker_threads';
import type { Catalogue } from '../build/model.js';
import type { Result } from '../diagnostics/index.js';
import { fail } from '../diagnostics/index.js';
import type { SiteOptions, SiteReport } from './site.js';

export interface SiteWorker {
  /** Starts building; the catalogue is copied at once, so the caller may go on changing its own. */
  build(cat: Catalogue, outDir: string, opts?: SiteOptions): Promise<Result<SiteReport>>;
  /** Stops the worker if build was never called. */
  close(): Promise<void>;
}

/** Starts the worker now (module loading takes a moment); call build when the catalogue is ready. */
export function startSiteWorker(): SiteWorker {
  const worker = new Worker(new URL('./site-worker.js', import.meta.url));
  let started = false;
  return {
    build(cat, outDir, opts = {}) {
      started = true;
      return new Promise((resolve) => {
        const failed = (message: string): void =>
          resolve(
            fail({
              code: 'TL8800',
              severity: 'error',
              message: `the site could not be built: ${message}`,
              file: outDir,
            }),
          );
        worker.once('message', (r: Result<SiteReport>) => {
          worker.removeAllListeners('exit');
          void worker.terminate();
          resolve(r);
        });
        worker.once('error', (e) => failed(e.message));
        worker.once('exit', (code) => failed(`worker exited with code ${code}`));
        worker.postMessage({ cat, outDir, opts });
      });
    },
    async close() {
      if (!started) await worker.terminate();
    },
  };
}
