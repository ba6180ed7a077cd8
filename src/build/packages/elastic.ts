/** Elastic Security detection rules as an NDJSON file for Kibana's rule import (Security → Rules → Import). */
import type { Catalogue, CatalogueDetection, TargetResult } from '../model.js';
import { ELASTIC_INDEX } from '../targets.js';
import { RISK_SCORE, deployable } from './common.js';
import type { OutputTree } from './output.js';

const SEVERITY: Readonly<Record<string, string>> = {
  informational: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

function threat(d: CatalogueDetection): Record<string, unknown>[] {
  return d.tactics.map((tac) => {
    const techs = d.techniques.filter((t) => t.tactics.includes(tac.shortname));
    const parents = [...new Set(techs.map((t) => t.id.split('.')[0] ?? t.id))];
    return {
      framework: 'MITRE ATT&CK',
      tactic: { id: tac.id, name: tac.name, reference: `https://attack.mitre.org/tactics/${tac.id}/` },
      technique: parents.map((p) => {
        const subs = techs.filter((t) => t.id.startsWith(`${p}.`));
        const self = techs.find((t) => t.id === p) ?? subs[0];
        return {
          id: p,
          name: techs.find((t) => t.id === p)?.name ?? self?.name ?? p,
          reference: `https://attack.mitre.org/techniques/${p}/`,
          subtechnique: subs.map((s) => ({ id: s.id, name: s.name, reference: s.url })),
        };
      }),
    };
  });
}

export function kibanaRule(d: CatalogueDetection, r: TargetResult): Record<string, unknown> {
  const esql = r.backend === 'elastic-esql';
  const rule: Record<string, unknown> = {
    rule_id: d.id,
    name: d.title,
    description: d.description || d.title,
    type: esql ? 'esql' : 'query',
    language: esql ? 'esql' : 'lucene',
    query: r.queries.length === 1 ? r.queries[0] : r.queries.map((q) => `(${q})`).join(' OR '),
    severity: SEVERITY[d.severity] ?? 'medium',
    risk_score: RISK_SCORE[d.severity] ?? 47,
    enabled: false,
    interval: d.kind === 'correlation' ? '1h' : '5m',
    from: d.kind === 'correlation' ? 'now-70m' : 'now-6m',
    to: 'now',
    max_signals: 100,
    author: d.author ? [d.author] : ['Tripline'],
    license: 'DRL',
    tags: ['Tripline', ...d.techniques.map((t) => t.id), ...d.tactics.map((t) => `Tactic: ${t.name}`)],
    threat: threat(d),
    false_positives: d.falsepositives,
    references: d.references,
    note: d.triage ?? '',
    setup: d.howToImplement ?? '',
    version: 1,
    risk_score_mapping: [],
    severity_mapping: [],
    exceptions_list: [],
    related_integrations: [],
    required_fields: [],
    actions: [],
  };
  if (!esql) rule.index = [...ELASTIC_INDEX];
  return rule;
}

export function writeElastic(cat: Catalogue, out: OutputTree): void {
  const lines: string[] = [];
  for (const { d, r } of deployable(cat.detections, 'elastic')) {
    lines.push(JSON.stringify(kibanaRule(d, r)));
    r.files.push('packages/elastic/rules.ndjson');
  }
  out.add('packages/elastic/rules.ndjson', lines.length ? lines.join('\n') + '\n' : '');
}
