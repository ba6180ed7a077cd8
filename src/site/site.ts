/**
 * `buildSite`: the static detection-library website, written under outDir from the build catalogue.
 * Static files only, relative links only, data inlined as .js files so the site also works from
 * file:// (no fetch of local JSON).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Catalogue } from '../build/model.js';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import { CONVERTER_PAGE_JS, SITE_CSS, SITE_JS } from './assets.js';
import { bundleConverter } from './bundle.js';
import type { ViewContext } from './detection-view.js';
import { indexCatalogue } from './detection-view.js';
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

/** The pages and assets of the site as path → content, without touching the disk. */
export function renderSite(cat: Catalogue): Map<string, string> {
  const names = siteNames(cat);
  const index = indexCatalogue(cat);
  const at = (root: string): ViewContext => ({ cat, names, root, index });
  const files = new Map<string, string>();
  const top = at('');
  const sub = at('../');
  files.set('index.html', homePage(top));
  files.set('coverage.html', coveragePage(top));
  files.set('detections.html', detectionsIndexPage(top));
  files.set('stories.html', storiesIndexPage(top));
  files.set('data-sources.html', dataSourcesIndexPage(top));
  files.set('converter.html', converterPage(top));
  for (const t of cat.techniques) {
    const p = names.technique.get(t.id);
    if (p) files.set(p, techniquePage(sub, t));
  }
  for (const d of cat.detections) {
    const p = names.detection.get(d.id);
    if (p) files.set(p, detectionPage(sub, d.id));
  }
  for (const s of cat.stories) {
    const p = names.story.get(s.name);
    if (p) files.set(p, storyPage(sub, s));
  }
  for (const t of cat.tactics) {
    const p = names.tactic.get(t.shortname);
    if (p) files.set(p, tacticPage(sub, t));
  }
  for (const ds of cat.dataSources) {
    const p = names.dataSource.get(ds.name);
    if (p) files.set(p, dataSourcePage(sub, ds));
  }
  files.set('assets/site.css', SITE_CSS);
  files.set('assets/site.js', SITE_JS);
  files.set('assets/converter-page.js', CONVERTER_PAGE_JS);
  files.set(
    'assets/search-index.js',
    `window.TRIPLINE_SEARCH = ${jsonForScript(searchIndex(cat, names))};\n`,
  );
  return files;
}

/** Writes the site to outDir (replacing what a previous run wrote there). */
export async function buildSite(
  cat: Catalogue,
  outDir: string,
  opts: SiteOptions = {},
): Promise<Result<SiteReport>> {
  const diags: Diagnostic[] = [];
  const files = renderSite(cat);
  let converterBundled = false;
  if (!opts.noConverter) {
    const b = await bundleConverter();
    if (b.ok) {
      files.set('assets/converter.js', b.code);
      converterBundled = true;
    } else {
      diags.push({ code: 'TL8801', severity: 'warning', message: b.message });
    }
  }
  const out = resolve(outDir);
  try {
    rmSync(out, { recursive: true, force: true });
    for (const [rel, text] of files) {
      const abs = resolve(out, rel);
      // Names come from safeSlug; this guards the invariant rather than user input.
      if (!abs.startsWith(out + sep)) throw new Error(`refusing to write outside the site: ${rel}`);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
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
  return ok(
    {
      outDir: out,
      files: [...files.keys()].map((f) => relative(out, join(out, f)).split(sep).join('/')),
      converterBundled,
    },
    diags,
  );
}
