/**
 * `buildSite`: the static detection-library website, written under outDir from the build catalogue.
 * Static files only, relative links only, data inlined as .js files so the site also works from
 * file:// (no fetch of local JSON).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Catalogue } from '../build/model.js';
import { FileWriter } from '../build/packages/output.js';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import { CONVERTER_PAGE_JS, SITE_CSS, SITE_JS } from './assets.js';
import { bundleConverter } from './bundle.js';
import type { ViewContext } from './detection-view.js';
import { forgetSection, indexCatalogue } from './detection-view.js';
import { jsonForScript } from './escape.js';
import { siteNames } from './names.js';
import {
  converterPage,
  coveragePage,
  dataSourcePage,
  dataSourcesIndexPage,
  detectionPage,
  detectionsIndexPage,
  homePage,
  storiesIndexPage,
  storyPage,
  tacticPage,
  techniquePage,
} from './pages.js';
import { searchIndex } from './search-index.js';

export interface SiteOptions {
  /** Skip the converter bundle (faster; the converter page then says it is unavailable). */
  noConverter?: boolean;
}

export interface SiteReport {
  outDir: string;
  /** Files written, relative to outDir, with forward slashes. */
  files: string[];
  converterBundled: boolean;
}

/** The pages and assets of the site, one at a time (path, content), in a fixed order. */
export function* sitePages(cat: Catalogue): Generator<[string, string]> {
  const names = siteNames(cat);
  const index = indexCatalogue(cat);
  const at = (root: string): ViewContext => ({ cat, names, root, index });
  const top = at('');
  const sub = at('../');
  yield ['index.html', homePage(top)];
  yield ['coverage.html', coveragePage(top)];
  yield ['detections.html', detectionsIndexPage(top)];
  yield ['stories.html', storiesIndexPage(top)];
  yield ['data-sources.html', dataSourcesIndexPage(top)];
  yield ['converter.html', converterPage(top)];
  for (const t of cat.techniques) {
    const p = names.technique.get(t.id);
    if (p) yield [p, techniquePage(sub, t)];
  }
  for (const d of cat.detections) {
    const p = names.detection.get(d.id);
    if (p) yield [p, detectionPage(sub, d.id)];
    // Its page is the last use of a rendered section: dropping it keeps memory flat.
    forgetSection(sub, d.id);
  }
  for (const s of cat.stories) {
    const p = names.story.get(s.name);
    if (p) yield [p, storyPage(sub, s)];
  }
  for (const t of cat.tactics) {
    const p = names.tactic.get(t.shortname);
    if (p) yield [p, tacticPage(sub, t)];
  }
  for (const ds of cat.dataSources) {
    const p = names.dataSource.get(ds.name);
    if (p) yield [p, dataSourcePage(sub, ds)];
  }
  yield ['assets/site.css', SITE_CSS];
  yield ['assets/site.js', SITE_JS];
  yield ['assets/converter-page.js', CONVERTER_PAGE_JS];
  yield ['assets/search-index.js', `window.TRIPLINE_SEARCH = ${jsonForScript(searchIndex(cat, names))};\n`];
}

/** The pages and assets of the site as path → content, without touching the disk. */
export function renderSite(cat: Catalogue): Map<string, string> {
  return new Map(sitePages(cat));
}

/**
 * Writes the site to outDir (replacing what a previous run wrote there). Each page is written as soon
 * as it is rendered, so the site is never held in memory whole.
 */
export async function buildSite(
  cat: Catalogue,
  outDir: string,
  opts: SiteOptions = {},
): Promise<Result<SiteReport>> {
  const diags: Diagnostic[] = [];
  // esbuild runs in its own process: started now, it bundles while the pages are rendered.
  const bundle = opts.noConverter ? undefined : bundleConverter();
  const out = resolve(outDir);
  const files: string[] = [];
  let converterBundled = false;
  try {
    rmSync(out, { recursive: true, force: true });
    const writer = new FileWriter(out);
    for (const [rel, text] of sitePages(cat)) {
      files.push(rel);
      writer.add(rel, text);
    }
    if (bundle) {
      const b = await bundle;
      if (b.ok) {
        files.push('assets/converter.js');
        writer.add('assets/converter.js', b.code);
        converterBundled = true;
      } else {
        diags.push({ code: 'TL8801', severity: 'warning', message: b.message });
      }
    }
  } catch (e) {
    return fail([
      ...diags,
      {
        code: 'TL8800',
        severity: 'error',
        message: `cannot write the site to ${out}: ${String(e)}`,
        file: out,
      },
    ]);
  }
  return ok({ outDir: out, files, converterBundled }, diags);
}
