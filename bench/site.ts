/**
 * Site build speed: `node build/bench/site.js [CATALOGUE.json]`. Without an argument the catalogue is
 * built from content/; with one (e.g. dist/index.json of a SigmaHQ-corpus build) it is read as is.
 * Prints the median of 3 runs of renderSite (templates only) and buildSite (templates, converter
 * bundle, writing), and peak RSS.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCatalogue } from '../src/build/catalogue.js';
import type { Catalogue } from '../src/build/model.js';
import { buildSite, renderSite } from '../src/site/index.js';

const root = resolve(import.meta.dirname, '../..');
const arg = process.argv[2];
let cat: Catalogue;
if (arg) {
  cat = JSON.parse(readFileSync(arg, 'utf8')) as Catalogue;
} else {
  const r = buildCatalogue(join(root, 'content'));
  if (!r.ok) throw new Error('content does not build');
  cat = r.value;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out = mkdtempSync(join(tmpdir(), 'tripline-site-bench-'));
const render: number[] = [];
const build: number[] = [];
let files = 0;
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  files = renderSite(cat).size;
  render.push(performance.now() - t);
  t = performance.now();
  const r = await buildSite(cat, join(out, 'site'));
  build.push(performance.now() - t);
  if (!r.ok) throw new Error('site build failed');
}
rmSync(out, { recursive: true, force: true });
console.log(`detections: ${cat.detections.length}, site files: ${files}`);
console.log(`renderSite median: ${median(render).toFixed(0)} ms`);
console.log(`buildSite median (render + bundle + write): ${median(build).toFixed(0)} ms`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
