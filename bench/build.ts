/**
 * `tripline build` over the SigmaHQ corpus (rules/, ~3,100 rules) for every package target: the
 * packages alone and then the site, median of RUNS cold runs (no cache, fresh output folder), one
 * warm (fully cached) run, and the peak RSS of this process.
 *
 *   npm run build && node build/bench/build.js [RUNS] [--packages-only]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBuild } from '../src/build/index.js';
import { buildSite } from '../src/site/index.js';

const root = resolve(import.meta.dirname, '../..');
// Worktrees sit one level deeper than the main checkout.
const shared = [resolve(root, '../shared'), resolve(root, '../../shared')].find((d) => existsSync(d));
if (!shared) {
  console.log('../shared not found: nothing to measure');
  process.exit(0);
}
const rules = resolve(shared, 'corpus/sigmahq/rules');
const runs = Math.max(1, Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 3));
const withSite = !process.argv.includes('--packages-only');
const cpu0 = process.cpuUsage();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const packages: number[] = [];
const site: number[] = [];
let detections = 0;
let files = 0;
let warm = 0;
for (let i = 0; i < runs; i++) {
  const out = mkdtempSync(join(tmpdir(), 'tripline-bench-build-'));
  const t0 = performance.now();
  const r = runBuild(undefined, { out, rules: [rules], incremental: false });
  const t1 = performance.now();
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  detections = r.value.catalogue.detections.length;
  files = r.value.files.length;
  if (withSite) {
    const s = await buildSite(r.value.catalogue, join(out, 'site'), { noConverter: i > 0 });
    if (!s.ok) throw new Error(s.diagnostics.map((d) => d.message).join('\n'));
  }
  const t2 = performance.now();
  packages.push(t1 - t0);
  site.push(t2 - t1);
  if (i === runs - 1) {
    const w0 = performance.now();
    runBuild(undefined, { out, rules: [rules] });
    warm = performance.now() - w0;
  }
  rmSync(out, { recursive: true, force: true });
}
const rssMb = process.resourceUsage().maxRSS / 1024;
const s = (ms: number): string => (ms / 1000).toFixed(1) + ' s';
console.log(`tripline build --rules ${rules} (${detections} detections, 8 package targets, ${files} files)`);
console.log(`  packages, cold:    median ${s(median(packages))} of ${runs} (${packages.map(s).join(', ')})`);
console.log(`  packages, cached:  ${s(warm)}`);
if (withSite) console.log(`  site:              median ${s(median(site))} (${site.map(s).join(', ')})`);
console.log(`  total cold:        median ${s(median(packages.map((p, i) => p + (site[i] ?? 0))))}`);
const cpu = process.cpuUsage(cpu0);
console.log(`  CPU time (all runs): ${s((cpu.user + cpu.system) / 1000)}`);
console.log(`  peak RSS:          ${rssMb.toFixed(0)} MB`);
