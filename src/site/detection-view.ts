/**
 * The detection section: shown alone on a detection page and once per detection on the technique
 * pages. Every catalogue string goes through `esc`, `highlight` or `renderMarkdown`.
 */
import type { Catalogue, CatalogueDataSource, CatalogueDetection, TargetResult } from '../build/model.js';
import { esc, safeUrl } from './escape.js';
import type { QueryLanguage } from './highlight.js';
import { highlight } from './highlight.js';
import { languageOf } from './language.js';
import { facts, list } from './layout.js';
import { renderMarkdown } from './markdown.js';
import type { SiteNames } from './names.js';

/** Lookups built once per site so pages do not scan the catalogue (the SigmaHQ corpus has ~3,000 rules). */
export interface CatalogueIndex {
  detection: Map<string, CatalogueDetection>;
  byTechnique: Map<string, CatalogueDetection[]>;
  byStory: Map<string, CatalogueDetection[]>;
  dataSource: Map<string, CatalogueDataSource>;
  /** Rendered detection sections by id (ids inside are written with SECTION_PREFIX). */
  sections: Map<string, string>;
}

export interface ViewContext {
  cat: Catalogue;
  names: SiteNames;
  root: string;
  index: CatalogueIndex;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

export function indexCatalogue(cat: Catalogue): CatalogueIndex {
  const idx: CatalogueIndex = {
    detection: new Map(cat.detections.map((d) => [d.id, d])),
    byTechnique: new Map(),
    byStory: new Map(),
    dataSource: new Map(cat.dataSources.map((d) => [d.name, d])),
    sections: new Map(),
  };
  for (const d of cat.detections) {
    for (const t of new Set(d.techniques.map((x) => x.id))) push(idx.byTechnique, t, d);
    for (const st of new Set(d.stories)) push(idx.byStory, st, d);
  }
  return idx;
}

export function link(ctx: ViewContext, path: string | undefined, text: string): string {
  return path === undefined ? esc(text) : `<a href="${ctx.root}${esc(path)}">${esc(text)}</a>`;
}

export function extLink(url: string, text?: string): string {
  const safe = safeUrl(url);
  return `<a href="${esc(safe)}" rel="noopener noreferrer">${esc(text ?? url)}</a>`;
}

function statusBadge(status: string): string {
  return `<span class="badge st-${esc(status.replace(/[^a-z]/g, ''))}">${esc(status)}</span>`;
}

function codeBlock(text: string, lang: QueryLanguage): string {
  return `<div class="code"><button type="button" class="copy" data-copy>Copy</button><pre><code class="lang-${lang}">${highlight(text, lang)}</code></pre></div>`;
}

function targetPanel(r: TargetResult): string {
  const lang = languageOf(r.backend);
  const parts = [
    `<p>${statusBadge(r.status)}${r.override ? ' <span class="badge">reviewed override</span>' : ''} <span class="muted">${esc(r.backend)} · ${esc(r.format)}</span></p>`,
  ];
  if (r.reason.length)
    parts.push(`<ul class="reasons">${r.reason.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  if (r.queries.length) parts.push(r.queries.map((q) => codeBlock(q, lang)).join(''));
  else parts.push('<p class="muted">No query for this target.</p>');
  parts.push(
    `<p><strong>Required tables / indices:</strong> ${r.tables.length ? r.tables.map((t) => `<code>${esc(t)}</code>`).join(', ') : '<span class="muted">none computed</span>'}</p>`,
  );
  return parts.join('\n');
}

function sameText(a: TargetResult, b: TargetResult): boolean {
  const eq = (x: readonly string[], y: readonly string[]): boolean =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.format === b.format &&
    a.override === b.override &&
    eq(a.queries, b.queries) &&
    eq(a.reason, b.reason) &&
    eq(a.tables, b.tables)
  );
}

/** Query tabs, one per package target, in the catalogue's target order. */
export function queryTabs(ctx: ViewContext, d: CatalogueDetection, prefix: string): string {
  const entries = ctx.cat.targets
    .map((t) => ({ t, r: d.targets[t.name] }))
    .filter((e): e is { t: (typeof e)['t']; r: TargetResult } => e.r !== undefined);
  if (!entries.length) return '<p class="muted">No target queries were built for this detection.</p>';
  const tabs = entries
    .map(
      ({ t }, i) =>
        `<button type="button" role="tab" id="${prefix}-tab-${i}" aria-controls="${prefix}-panel-${i}" aria-selected="${i === 0}" data-target="${esc(t.name)}">${esc(t.language)} <small>${esc(t.label)}</small></button>`,
    )
    .join('');
  // Sentinel and Defender share one KQL result: its panel is rendered (and highlighted) once.
  const rendered = new Map<TargetResult, string>();
  const panelOf = (r: TargetResult): string => {
    const same = [...rendered.keys()].find(
      (x) => x.backend === r.backend && x.status === r.status && sameText(x, r),
    );
    const html = same ? (rendered.get(same) ?? '') : targetPanel(r);
    rendered.set(r, html);
    return html;
  };
  const panels = entries
    .map(
      ({ r }, i) =>
        `<section role="tabpanel" id="${prefix}-panel-${i}" aria-labelledby="${prefix}-tab-${i}"${i === 0 ? '' : ' hidden'}>${panelOf(r)}</section>`,
    )
    .join('\n');
  return `<div class="tabs" data-tabs><div role="tablist" aria-label="Query per target">${tabs}</div>\n${panels}</div>`;
}

function md(text: string | undefined, empty: string): string {
  return text && text.trim()
    ? `<div class="md">${renderMarkdown(text)}</div>`
    : `<p class="muted">${esc(empty)}</p>`;
}

function fieldsText(fields: Record<string, unknown>): string {
  const rows = Object.entries(fields).map(
    ([k, v]) => `<code>${esc(k)}</code> = <code>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</code>`,
  );
  return rows.join('<br>');
}

function testing(d: CatalogueDetection): string {
  const atomics = d.atomics.map(
    (a) => `<article class="atomic"><h4>${esc(a.name)}</h4>
<p>Atomic Red Team test ${extLink(`https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/${encodeURIComponent(a.technique)}/${encodeURIComponent(a.technique)}.md`, a.guid)} (${esc(a.technique)})</p>
<table><thead><tr><th>Source</th><th>Event ID</th><th>Expected fields</th><th>Notes</th></tr></thead><tbody>${a.telemetry
      .map(
        (t) =>
          `<tr><td>${esc(t.source)}</td><td>${esc(t.eventId)}</td><td>${fieldsText(t.fields)}</td><td>${esc(t.description ?? '')}</td></tr>`,
      )
      .join('')}</tbody></table></article>`,
  );
  const tests = d.tests.length
    ? `<table><thead><tr><th>Test</th><th>Kind</th><th>Events</th><th>Expected hits</th></tr></thead><tbody>${d.tests
        .map(
          (t) =>
            `<tr><td>${esc(t.name)}${t.description ? `<br><span class="muted">${esc(t.description)}</span>` : ''}</td><td>${esc(t.kind)}</td><td>${t.dataset ? `<code>${esc(t.dataset)}</code>` : `${t.events?.length ?? 0} inline`}</td><td>${esc(t.expectMatches)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">No sample-event tests.</p>';
  return `${atomics.length ? atomics.join('\n') : '<p class="muted">No atomic tests linked.</p>'}
<h4>Sample-event tests (run by <code>tripline test</code>)</h4>${tests}`;
}

function related(ctx: ViewContext, d: CatalogueDetection): string {
  const seen = new Set<string>([d.id]);
  const rel: CatalogueDetection[] = [];
  const groups = [
    ...d.techniques.map((t) => ctx.index.byTechnique.get(t.id)),
    ...d.stories.map((st) => ctx.index.byStory.get(st)),
  ];
  for (const g of groups) {
    for (const o of g ?? []) {
      if (rel.length >= 30) break;
      if (!seen.has(o.id)) {
        seen.add(o.id);
        rel.push(o);
      }
    }
  }
  return list(
    rel.slice(0, 30).map((o) => link(ctx, ctx.names.detection.get(o.id), o.title)),
    'No related detections.',
  );
}

/** The full detection section. `headingLevel` 2 on a detection page, 3 inside a technique page. */
const PREFIX_TOKEN = '\u0001prefix\u0001';

/** The section for a detection, rendered once and reused on its technique pages and its own page. */
export function detectionSection(
  ctx: ViewContext,
  d: CatalogueDetection,
  prefix: string,
  headingLevel: 2 | 3,
): string {
  const key = `${headingLevel}:${ctx.root}:${d.id}`;
  let html = ctx.index.sections.get(key);
  if (html === undefined) {
    html = renderSection(ctx, d, PREFIX_TOKEN, headingLevel);
    ctx.index.sections.set(key, html);
  }
  return html.replaceAll(PREFIX_TOKEN, prefix);
}

/** Drops a cached section once no page still to come needs it. */
export function forgetSection(ctx: ViewContext, id: string): void {
  for (const level of [2, 3]) ctx.index.sections.delete(`${level}:${ctx.root}:${id}`);
}

function renderSection(ctx: ViewContext, d: CatalogueDetection, prefix: string, headingLevel: 2 | 3): string {
  const h = `h${headingLevel}`;
  const sub = `h${headingLevel + 1}`;
  const techniques = d.techniques
    .map(
      (t) =>
        `${link(ctx, ctx.names.technique.get(t.id), `${t.id} ${t.name}`)} (${extLink(t.url, 'attack.mitre.org')})`,
    )
    .join('<br>');
  const tactics = d.tactics.map((t) => link(ctx, ctx.names.tactic.get(t.shortname), t.name)).join(', ');
  const ls = [d.logsource.product, d.logsource.category, d.logsource.service].filter((x) => x).join(' / ');
  const dataSources = d.dataSources.map((n) => {
    const ds = ctx.index.dataSource.get(n);
    const tele = ds
      ? ` <span class="muted">${esc([ds.provider, ds.channel, ds.eventId === undefined ? undefined : `event ${ds.eventId}`].filter((x) => x !== undefined).join(' · '))}</span>`
      : '';
    return `${link(ctx, ctx.names.dataSource.get(n), n)}${tele}`;
  });
  const tables = [
    ...new Set(
      Object.values(d.targets)
        .filter((r): r is TargetResult => r !== undefined)
        .flatMap((r) => r.tables.map((t) => `${r.backend}: ${t}`)),
    ),
  ];
  const enrichment = d.enrichment.length
    ? `<${sub}>Enrichment flags</${sub}><p>Each hit carries these boolean flags, computed in the query on every target that can.</p><dl class="flags">${d.enrichment
        .map((e) => `<dt><code>${esc(e.name)}</code></dt><dd>${codeBlock(e.selection, 'yaml')}</dd>`)
        .join('')}</dl>`
    : '';
  return `<section class="detection" id="${prefix}">
<${h}>${link(ctx, ctx.names.detection.get(d.id), d.title)}</${h}>
${facts([
  ['ATT&CK technique', techniques],
  ['Tactics', tactics],
  ['Type', esc(d.type)],
  ['Severity', `<span class="sev sev-${esc(d.severity.replace(/[^a-z]/g, ''))}">${esc(d.severity)}</span>`],
  ['Confidence', esc(d.confidence)],
  ['Status', d.status === undefined ? undefined : esc(d.status)],
  ['Author', d.author === undefined ? undefined : esc(d.author)],
  ['Id', `<code>${esc(d.id)}</code>`],
  ['Stories', d.stories.map((s) => link(ctx, ctx.names.story.get(s), s)).join(', ')],
])}
<${sub}>What it detects</${sub}>${md(d.description, 'No description.')}
${d.howToImplement ? `<${sub}>How to implement</${sub}>${md(d.howToImplement, '')}` : ''}
<${sub}>Data sources and telemetry</${sub}>${list(dataSources, 'No data sources declared.')}
<p>Sigma logsource: <code>${esc(ls || 'unspecified')}</code></p>
<${sub}>Queries</${sub}>${queryTabs(ctx, d, prefix)}
<${sub}>Required tables</${sub}>${list(
    tables.map((t) => `<code>${esc(t)}</code>`),
    'None computed.',
  )}
${enrichment}
<${sub}>False positives</${sub}>${list(d.falsepositives.map(esc), 'None listed.')}
<${sub}>Sigma rule</${sub}>${codeBlock(d.sigma, 'yaml')}
<${sub}>Testing methodology</${sub}>${testing(d)}
<${sub}>Triage</${sub}>${md(d.triage, 'No triage guide.')}
<${sub}>Response</${sub}>${md(d.response, 'No response playbook.')}
<${sub}>Tuning</${sub}>${md(d.tuning, 'No tuning guidance.')}
<${sub}>References</${sub}>${list(
    d.references.map((r) => extLink(r)),
    'None.',
  )}
<${sub}>Related detections</${sub}>${related(ctx, d)}
</section>`;
}
