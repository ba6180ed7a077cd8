/** The page templates: home, technique, detection, story, tactic hub, data source, coverage, converter. */
import type {
  CatalogueDataSource,
  CatalogueStory,
  CatalogueTactic,
  CatalogueTechnique,
} from '../build/model.js';
import { TACTICS } from '../attack/index.js';
import type { ViewContext } from './detection-view.js';
import { detectionSection, extLink, link } from './detection-view.js';
import { esc } from './escape.js';
import { highlight } from './highlight.js';
import { facts, list, page } from './layout.js';
import { renderMarkdown } from './markdown.js';

/** Tactics in matrix order, whether or not the catalogue lists them. */
function orderedTactics(ctx: ViewContext): CatalogueTactic[] {
  const byShort = new Map(ctx.cat.tactics.map((t) => [t.shortname, t]));
  const known = TACTICS.map(
    (t) =>
      byShort.get(t.shortname) ?? {
        id: t.id,
        shortname: t.shortname,
        name: t.name,
        techniques: [],
        total: 0,
      },
  );
  const extra = ctx.cat.tactics.filter((t) => !TACTICS.some((x) => x.shortname === t.shortname));
  return [...known, ...extra];
}

function heatLevel(n: number): number {
  return n <= 0 ? 0 : n === 1 ? 1 : n === 2 ? 2 : n <= 4 ? 3 : 4;
}

function techniqueById(ctx: ViewContext): Map<string, CatalogueTechnique> {
  return new Map(ctx.cat.techniques.map((t) => [t.id, t]));
}

/** The ATT&CK heat map: one column per tactic, one cell per covered technique. */
export function heatMap(ctx: ViewContext): string {
  const techs = techniqueById(ctx);
  const cols = orderedTactics(ctx).map((tac) => {
    const cells = tac.techniques
      .map((id) => techs.get(id))
      .filter((t): t is CatalogueTechnique => t !== undefined)
      .map((t) => {
        const n = t.detections.length;
        return `<a class="cell heat-${heatLevel(n)}" href="${ctx.root}${esc(ctx.names.technique.get(t.id) ?? '#')}" title="${esc(`${t.id} ${t.name}: ${n} detection${n === 1 ? '' : 's'}`)}"><span class="tid">${esc(t.id)}</span> ${esc(t.name)} <span class="n">${n}</span></a>`;
      })
      .join('');
    return `<div class="tactic-col"><h3>${link(ctx, ctx.names.tactic.get(tac.shortname), tac.name)}</h3><p class="muted">${tac.techniques.length}${tac.total ? ` / ${tac.total}` : ''} covered</p>${cells}</div>`;
  });
  return `<div class="matrix">${cols.join('')}</div>
<p class="legend">Detections per technique: <span class="cell heat-1">1</span><span class="cell heat-2">2</span><span class="cell heat-3">3–4</span><span class="cell heat-4">5+</span></p>`;
}

function targetCounts(ctx: ViewContext): string {
  const rows = ctx.cat.targets.map((t) => {
    const c = ctx.cat.totals.byTarget[t.name] ?? { converted: 0, degraded: 0, unsupported: 0 };
    return `<tr><td>${esc(t.label)}</td><td>${esc(t.language)}</td><td>${esc(c.converted)}</td><td>${esc(c.degraded)}</td><td>${esc(c.unsupported)}</td></tr>`;
  });
  return `<table class="targets"><thead><tr><th>Target</th><th>Language</th><th>Converted</th><th>Degraded</th><th>Unsupported</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function homePage(ctx: ViewContext): string {
  const c = ctx.cat;
  const body = `<h1>Detection library</h1>
<p class="lead">${esc(c.totals.detections)} detections covering ${esc(c.totals.techniques)} ATT&amp;CK techniques, ${esc(c.stories.length)} analytic stories, ${esc(c.dataSources.length)} data sources. ATT&amp;CK ${esc(c.attack.version)}.</p>
<section><h2>Search</h2><p>Use the search box at the top of every page to find detections, techniques and stories.</p></section>
<section><h2>Coverage at a glance</h2>${heatMap(ctx)}</section>
<section><h2>Queries per target</h2>${targetCounts(ctx)}</section>
<section><h2>Stories</h2>${list(c.stories.map((s) => link(ctx, ctx.names.story.get(s.name), s.name)))}</section>`;
  return page({ root: ctx.root, title: 'Home', body, active: 'home' });
}

/** Past this many detections a technique page lists the rest instead of inlining them (large rule sets). */
const FULL_SECTIONS = 12;

export function techniquePage(ctx: ViewContext, t: CatalogueTechnique): string {
  const dets = t.detections.map((id) => ctx.index.detection.get(id)).filter((d) => d !== undefined);
  const tactics = t.tactics.map((s) => {
    const tac = ctx.cat.tactics.find((x) => x.shortname === s);
    return link(ctx, ctx.names.tactic.get(s), tac?.name ?? s);
  });
  const body = `<p class="crumbs">${tactics.join(' · ')}</p>
<h1><span class="tid">${esc(t.id)}</span> ${esc(t.name)}</h1>
${facts([
  ['ATT&CK id', `<code>${esc(t.id)}</code>`],
  ['Tactics', tactics.join(', ')],
  ['MITRE ATT&CK', extLink(t.url)],
  ['Detections', String(dets.length)],
])}
<nav class="toc"><h2>Detections for this technique</h2>${list(dets.map((d, i) => (i < FULL_SECTIONS ? `<a href="#d${i}">${esc(d.title)}</a>` : link(ctx, ctx.names.detection.get(d.id), d.title))))}</nav>
${dets.length > FULL_SECTIONS ? `<p class="muted">${esc(dets.length)} detections: the first ${FULL_SECTIONS} are shown in full below; open the others from the list above.</p>` : ''}
${dets
  .slice(0, FULL_SECTIONS)
  .map((d, i) => detectionSection(ctx, d, `d${i}`, 2))
  .join('\n')}
<p>Back to ${tactics.map((x) => `the ${x} hub`).join(', ')}.</p>`;
  return page({ root: ctx.root, title: `${t.id} ${t.name}`, body });
}

export function detectionPage(ctx: ViewContext, id: string): string {
  const d = ctx.index.detection.get(id);
  if (!d) return page({ root: ctx.root, title: 'Not found', body: '<p>Unknown detection.</p>' });
  return page({
    root: ctx.root,
    title: d.title,
    body: detectionSection(ctx, d, 'd0', 2).replace('<h2>', '<h1>').replace('</h2>', '</h1>'),
    active: 'detections',
  });
}

export function detectionsIndexPage(ctx: ViewContext): string {
  const rows = [...ctx.cat.detections]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map(
      (d) =>
        `<tr><td>${link(ctx, ctx.names.detection.get(d.id), d.title)}</td><td>${d.techniques.map((t) => link(ctx, ctx.names.technique.get(t.id), t.id)).join(', ')}</td><td>${esc(d.type)}</td><td>${esc(d.severity)}</td></tr>`,
    );
  const body = `<h1>Detections</h1><table><thead><tr><th>Name</th><th>Technique</th><th>Type</th><th>Severity</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return page({ root: ctx.root, title: 'Detections', body, active: 'detections' });
}

export function storyPage(ctx: ViewContext, s: CatalogueStory): string {
  const dets = s.detections.map((id) => ctx.index.detection.get(id)).filter((d) => d !== undefined);
  const rows = dets.map(
    (d) =>
      `<tr><td>${link(ctx, ctx.names.detection.get(d.id), d.title)}</td><td>${d.techniques.map((t) => link(ctx, ctx.names.technique.get(t.id), `${t.id} ${t.name}`)).join('<br>')}</td><td>${esc(d.type)}</td></tr>`,
  );
  const body = `<h1>${esc(s.name)}</h1>
${facts([
  ['Id', `<code>${esc(s.id)}</code>`],
  ['Version', esc(s.version)],
  ['Created', esc(s.date)],
  ['Last updated', esc(s.modified ?? s.date)],
  ['Author', esc(s.author)],
  ['Category', esc(s.category.join(', '))],
  ['ATT&CK techniques', s.techniques.map((t) => link(ctx, ctx.names.technique.get(t), t)).join(', ')],
])}
<h2>Description</h2><div class="md">${renderMarkdown(s.description)}</div>
<h2>Narrative</h2><div class="md">${renderMarkdown(s.narrative)}</div>
<h2>Detections</h2><table><thead><tr><th>Name</th><th>Technique</th><th>Type</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Data sources</h2>${list(s.dataSources.map((n) => link(ctx, ctx.names.dataSource.get(n), n)))}
<h2>Data models</h2>${list(s.logsources.map((l) => `<code>${esc(l)}</code>`))}
<h2>References</h2>${list(s.references.map((r) => extLink(r)))}`;
  return page({ root: ctx.root, title: s.name, body, active: 'stories' });
}

export function storiesIndexPage(ctx: ViewContext): string {
  const rows = ctx.cat.stories.map(
    (s) =>
      `<tr><td>${link(ctx, ctx.names.story.get(s.name), s.name)}</td><td>${esc(s.detections.length)}</td><td>${esc(s.techniques.join(', '))}</td></tr>`,
  );
  const body = `<h1>Analytic stories</h1><table><thead><tr><th>Story</th><th>Detections</th><th>Techniques</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return page({ root: ctx.root, title: 'Stories', body, active: 'stories' });
}

export function tacticPage(ctx: ViewContext, tac: CatalogueTactic): string {
  const techs = techniqueById(ctx);
  const rows = tac.techniques
    .map((id) => techs.get(id))
    .filter((t): t is CatalogueTechnique => t !== undefined)
    .map(
      (t) =>
        `<tr><td>${link(ctx, ctx.names.technique.get(t.id), t.id)}</td><td>${esc(t.name)}</td><td>${t.detections
          .map((id) => {
            const d = ctx.index.detection.get(id);
            return link(ctx, ctx.names.detection.get(id), d?.title ?? id);
          })
          .join('<br>')}</td></tr>`,
    );
  const body = `<h1>${esc(tac.name)} <span class="muted">${esc(tac.id)}</span></h1>
<p>${esc(tac.techniques.length)} covered technique${tac.techniques.length === 1 ? '' : 's'}${tac.total ? ` of ${esc(tac.total)} in ATT&amp;CK` : ''}. ${extLink(`https://attack.mitre.org/tactics/${encodeURIComponent(tac.id)}/`, 'ATT&CK tactic page')}</p>
<table><thead><tr><th>Technique</th><th>Name</th><th>Detections</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return page({ root: ctx.root, title: tac.name, body, active: 'coverage' });
}

export function dataSourcePage(ctx: ViewContext, ds: CatalogueDataSource): string {
  const ls = [ds.logsource.product, ds.logsource.category, ds.logsource.service].filter((x) => x).join(' / ');
  const targets = Object.entries(ds.targets).map(
    ([name, m]) =>
      `<tr><td>${esc(name)}</td><td>${esc([m.table, m.index, m.sourcetype, m.source].filter((x) => x).join(' · '))}</td><td>${Object.entries(
        m.fields,
      )
        .map(([a, b]) => `<code>${esc(a)}</code> → <code>${esc(b)}</code>`)
        .join('<br>')}</td><td>${esc(m.notes ?? '')}</td></tr>`,
  );
  const body = `<h1>${esc(ds.name)}</h1>
${facts([
  ['Provider', esc(ds.provider)],
  ['Channel', ds.channel === undefined ? undefined : esc(ds.channel)],
  ['Event id', ds.eventId === undefined ? undefined : esc(ds.eventId)],
  ['Sigma logsource', `<code>${esc(ls)}</code>`],
])}
${ds.description ? `<div class="md">${renderMarkdown(ds.description)}</div>` : ''}
<h2>Fields</h2>${list(ds.fields.map((f) => `<code>${esc(f)}</code>`))}
<h2>Per target</h2><table><thead><tr><th>Target</th><th>Table / index</th><th>Fields</th><th>Notes</th></tr></thead><tbody>${targets.join('')}</tbody></table>
${ds.exampleEvent ? `<h2>Example event</h2><div class="code"><button type="button" class="copy" data-copy>Copy</button><pre><code>${highlight(JSON.stringify(ds.exampleEvent, null, 2), 'kql')}</code></pre></div>` : ''}
<h2>Detections using it</h2>${list(ds.detections.map((id) => link(ctx, ctx.names.detection.get(id), ctx.index.detection.get(id)?.title ?? id)))}
<h2>References</h2>${list(ds.references.map((r) => extLink(r)))}`;
  return page({ root: ctx.root, title: ds.name, body, active: 'data-sources' });
}

export function dataSourcesIndexPage(ctx: ViewContext): string {
  const rows = ctx.cat.dataSources.map(
    (d) =>
      `<tr><td>${link(ctx, ctx.names.dataSource.get(d.name), d.name)}</td><td>${esc(d.provider)}</td><td>${esc(d.eventId ?? '')}</td><td>${esc(d.detections.length)}</td></tr>`,
  );
  const body = `<h1>Data sources</h1><table><thead><tr><th>Name</th><th>Provider</th><th>Event id</th><th>Detections</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return page({ root: ctx.root, title: 'Data sources', body, active: 'data-sources' });
}

export function coveragePage(ctx: ViewContext): string {
  const rows = orderedTactics(ctx).map(
    (t) =>
      `<tr><td>${link(ctx, ctx.names.tactic.get(t.shortname), t.name)}</td><td>${esc(t.techniques.length)}</td><td>${esc(t.total)}</td><td><meter min="0" max="${esc(Math.max(1, t.total))}" value="${esc(t.techniques.length)}"></meter></td></tr>`,
  );
  const body = `<h1>ATT&amp;CK coverage</h1>
<p>ATT&amp;CK Enterprise ${esc(ctx.cat.attack.version)}. ${esc(ctx.cat.totals.techniques)} techniques covered by ${esc(ctx.cat.totals.detections)} detections.</p>
<table><thead><tr><th>Tactic</th><th>Covered</th><th>In ATT&amp;CK</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Matrix</h2>${heatMap(ctx)}
<h2>Per target</h2>${targetCounts(ctx)}`;
  return page({ root: ctx.root, title: 'ATT&CK coverage', body, active: 'coverage' });
}

export const EXAMPLE_RULE = `title: Recursive listing of document files with cmd dir /s
id: 8d2f0a57-3f0e-4c59-9a57-1f1b7c1a9e01
status: experimental
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\\\cmd.exe'
    CommandLine|contains|all:
      - 'dir '
      - ' /s'
  extensions:
    CommandLine|contains:
      - '.docx'
      - '.xlsx'
      - '.pdf'
  condition: selection and extensions
level: medium
tags:
  - attack.collection
  - attack.t1119
`;

export function converterPage(ctx: ViewContext): string {
  const body = `<h1>Sigma converter</h1>
<p>Paste a Sigma rule: the queries for every target are computed in your browser by the same code <code>tripline convert</code> runs. Nothing leaves the page.</p>
<div class="converter">
<label for="sigma-input">Sigma rule (YAML)</label>
<textarea id="sigma-input" spellcheck="false" rows="22">${esc(EXAMPLE_RULE)}</textarea>
<div id="converter-output" aria-live="polite"><p class="muted" id="converter-status">Loading the converter…</p></div>
</div>`;
  return page({
    root: ctx.root,
    title: 'Converter',
    body,
    active: 'converter',
    scripts: ['assets/converter.js', 'assets/converter-page.js'],
  });
}
