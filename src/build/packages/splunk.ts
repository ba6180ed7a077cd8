/**
 * The Splunk app: scheduled correlation searches with ATT&CK annotations, RBA risk actions by
 * detection type, one editable `<detection>_filter` macro per search, and analytic stories.
 */
import type { Catalogue, CatalogueDetection, TargetResult } from '../model.js';
import { tarGz } from '../tar.js';
import { RISK_SCORE, deployable } from './common.js';
import type { OutputTree } from './output.js';

export const SPLUNK_APP = 'tripline_detections';

type Stanza = [name: string, entries: [string, string][]];

/** A conf value: multi-line values continue with a trailing backslash. */
function confValue(v: string): string {
  return v
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join(' \\\n');
}

/** Stanza names cannot hold brackets or line breaks. */
function stanzaName(s: string): string {
  return s.replace(/[[\]\r\n]+/g, ' ').trim();
}

export function renderConf(stanzas: readonly Stanza[]): string {
  return stanzas
    .map(([name, entries]) => [`[${name}]`, ...entries.map(([k, v]) => `${k} = ${confValue(v)}`)].join('\n'))
    .join('\n\n')
    .concat('\n');
}

const SPLUNK_SEVERITY: Readonly<Record<string, string>> = {
  informational: '2',
  low: '3',
  medium: '4',
  high: '5',
  critical: '6',
};

function macroName(d: CatalogueDetection): string {
  return `${d.slug.replace(/-/g, '_')}_filter`;
}

function searchStanza(d: CatalogueDetection, r: TargetResult, name: string): Stanza {
  // Several queries (one per source) become one search: the first, then the others appended.
  const [first = '', ...rest] = r.queries;
  const query = [first, ...rest.map((q) => `| append [search ${q}]`)].join('\n');
  const search = `${query}\n| \`${macroName(d)}\``;
  const correlation = d.kind === 'correlation';
  const annotations = {
    analytic_story: d.stories,
    mitre_attack: d.techniques.map((t) => t.id),
    kill_chain_phases: [],
    confidence: { low: 30, medium: 60, high: 90 }[d.confidence] ?? 60,
    impact: RISK_SCORE[d.severity] ?? 47,
    type: d.type,
    cis20: [],
    nist: [],
  };
  const score = RISK_SCORE[d.severity] ?? 47;
  const risk = [
    ...d.riskObjects.map((o) => ({ risk_object_field: o.field, risk_object_type: o.type === 'host' ? 'system' : o.type === 'user' ? 'user' : 'other', risk_score: o.score ?? score })),
    ...d.threatObjects.map((o) => ({ threat_object_field: o.field, threat_object_type: o.type })),
  ];
  const e: [string, string][] = [
    ['description', d.description || d.title],
    ['search', search],
    ['cron_schedule', correlation ? '0 * * * *' : '*/15 * * * *'],
    ['dispatch.earliest_time', correlation ? '-70m@m' : '-20m@m'],
    ['dispatch.latest_time', '-5m@m'],
    ['enableSched', d.type === 'Hunting' ? '0' : '1'],
    ['disabled', '1'],
    ['is_visible', 'false'],
    ['alert.severity', SPLUNK_SEVERITY[d.severity] ?? '4'],
    ['alert.track', '1'],
    ['alert.suppress', '0'],
    ['counttype', 'number of events'],
    ['relation', 'greater than'],
    ['quantity', '0'],
    ['action.correlationsearch.enabled', '1'],
    ['action.correlationsearch.label', name],
    ['action.correlationsearch.annotations', JSON.stringify(annotations)],
  ];
  // RBA: TTPs raise a notable and contribute risk; anomalies only contribute risk; hunting does neither.
  if (d.type === 'TTP' || d.type === 'Correlation') {
    e.push(
      ['action.notable', '1'],
      ['action.notable.param.rule_title', name],
      ['action.notable.param.rule_description', d.description || d.title],
      ['action.notable.param.security_domain', 'endpoint'],
      ['action.notable.param.severity', d.severity],
    );
  }
  if ((d.type === 'TTP' || d.type === 'Anomaly' || d.type === 'Correlation') && risk.length > 0) {
    e.push(
      ['action.risk', '1'],
      ['action.risk.param._risk', JSON.stringify(risk)],
      ['action.risk.param._risk_message', d.title],
      ['action.risk.param._risk_score', '0'],
      ['action.risk.param.verbose', '0'],
    );
  }
  return [name, e];
}

export function writeSplunk(cat: Catalogue, out: OutputTree): void {
  const base = 'packages/splunk';
  const app = new Map<string, string>();
  const names = new Map<string, string>();
  const used = new Set<string>();
  const searches: Stanza[] = [];
  const macros: Stanza[] = [];
  for (const { d, r } of deployable(cat.detections, 'splunk')) {
    let name = stanzaName(`Tripline - ${d.title}`);
    for (let i = 2; used.has(name.toLowerCase()); i++) name = stanzaName(`Tripline - ${d.title} (${i})`);
    used.add(name.toLowerCase());
    names.set(d.id, name);
    searches.push(searchStanza(d, r, name));
    macros.push([
      macroName(d),
      [
        ['definition', 'search *'],
        ['description', `Tuning filter for "${d.title.replace(/[\r\n]+/g, ' ')}": replace with conditions that exclude known-good activity.`],
      ],
    ]);
    r.files.push(`${base}/${SPLUNK_APP}/default/savedsearches.conf`);
  }
  const stories: Stanza[] = cat.stories.map((s) => [
    stanzaName(`analytic_story://${s.name}`),
    [
      ['category', s.category.join(', ')],
      ['last_updated', s.modified ?? s.date],
      ['version', String(s.version)],
      ['references', JSON.stringify(s.references)],
      ['maintainers', JSON.stringify([{ name: s.author }])],
      ['spec_version', '3'],
      ['searches', JSON.stringify(s.detections.flatMap((id) => names.get(id) ?? []))],
      ['description', s.description],
      ['narrative', s.narrative],
    ],
  ]);
  app.set(
    'default/app.conf',
    renderConf([
      ['install', [['is_configured', '0'], ['build', '1']]],
      ['ui', [['is_visible', '0'], ['label', 'Tripline Detections']]],
      ['launcher', [['author', 'Tripline'], ['description', 'Detections built by tripline build'], ['version', '1.0.0']]],
      ['package', [['id', SPLUNK_APP], ['check_for_updates', '0']]],
    ]),
  );
  app.set('default/savedsearches.conf', renderConf(searches));
  app.set('default/macros.conf', renderConf(macros));
  app.set('default/analyticstories.conf', renderConf(stories));
  app.set('metadata/default.meta', renderConf([['', [['access', 'read : [ * ], write : [ admin ]'], ['export', 'system']]]]));
  const tarEntries = new Map<string, string>();
  for (const [p, c] of app) {
    out.add(`${base}/${SPLUNK_APP}/${p}`, c);
    tarEntries.set(`${SPLUNK_APP}/${p}`, c);
  }
  out.add(`${base}/${SPLUNK_APP}.tar.gz`, tarGz(tarEntries));
}
