/** QRadar AQL searches, Sumo Logic CSE rules, SecOps YARA-L rules, LogScale queries, clean Sigma. */
import { stringify } from 'yaml';
import type { Catalogue } from '../model.js';
import { deployable } from './common.js';
import type { OutputTree } from './output.js';

const QRADAR_SEVERITY: Readonly<Record<string, number>> = {
  informational: 1,
  low: 3,
  medium: 5,
  high: 7,
  critical: 9,
};

export function writeQradar(cat: Catalogue, out: OutputTree): void {
  const all: Record<string, unknown>[] = [];
  for (const { d, r } of deployable(cat.detections, 'qradar')) {
    const search = {
      id: d.id,
      name: d.title,
      description: d.description,
      severity: QRADAR_SEVERITY[d.severity] ?? 5,
      tactics: d.tactics.map((t) => t.name),
      techniques: d.techniques.map((t) => t.id),
      status: r.status,
      notes: r.reason,
      tables: r.tables,
      aql: r.queries.length === 1 ? r.queries[0] : r.queries,
    };
    all.push(search);
    r.files.push(out.add(`packages/qradar/${d.slug}.json`, JSON.stringify(search, null, 2) + '\n'));
  }
  out.add('packages/qradar/searches.json', JSON.stringify(all, null, 2) + '\n');
}

export function writeSumologic(cat: Catalogue, out: OutputTree): void {
  const rules: unknown[] = [];
  for (const { d, r } of deployable(cat.detections, 'sumologic')) {
    const parsed = r.queries.map((q) => {
      try {
        return JSON.parse(q) as unknown;
      } catch {
        return q;
      }
    });
    rules.push(...parsed);
    const one = parsed.length === 1 ? parsed[0] : parsed;
    r.files.push(out.add(`packages/sumologic/${d.slug}.json`, JSON.stringify(one, null, 2) + '\n'));
  }
  out.add('packages/sumologic/rules.json', JSON.stringify({ rules }, null, 2) + '\n');
}

export function writeSecops(cat: Catalogue, out: OutputTree): void {
  for (const { d, r } of deployable(cat.detections, 'secops')) {
    r.files.push(out.add(`packages/secops/${d.slug}.yaral`, r.queries.join('\n\n').trimEnd() + '\n'));
  }
}

export function writeLogscale(cat: Catalogue, out: OutputTree): void {
  for (const { d, r } of deployable(cat.detections, 'logscale')) {
    const query = r.queries.join('\n');
    r.files.push(out.add(`packages/logscale/${d.slug}.cql`, query + '\n'));
    const saved = {
      $schema: 'https://schemas.humio.com/query/v0.1.0',
      name: d.title,
      description: d.description,
      timeInterval: d.kind === 'correlation' ? '1h' : '24h',
      queryString: query,
      labels: ['tripline', ...d.techniques.map((t) => t.id)],
    };
    r.files.push(out.add(`packages/logscale/${d.slug}.yaml`, stringify(saved, { lineWidth: 0 })));
  }
}

export function writeSigma(cat: Catalogue, out: OutputTree): void {
  for (const d of cat.detections) out.add(`packages/sigma/${d.slug}.yml`, d.sigma.endsWith('\n') ? d.sigma : d.sigma + '\n');
}
