/** Worker thread entry: builds the site from a catalogue posted by buildSiteInWorker. */
import { parentPort } from 'node:worker_threads';
import type { Catalogue } from '../build/model.js';
import type { SiteOptions } from './site.js';
import { buildSite } from './site.js';

parentPort?.once('message', (msg: { cat: Catalogue; outDir: string; opts: SiteOptions }) => {
  void buildSite(msg.cat, msg.outDir, msg.opts).then((r) => parentPort?.postMessage(r));
});
