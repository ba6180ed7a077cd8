/**
 * Microsoft Sentinel scheduled analytics rules (one YAML per detection, the layout of the
 * Azure-Sentinel repository's Detections/ folder) and Defender XDR custom detections / hunting KQL.
 */
import { stringify } from 'yaml';
import type { Catalogue, CatalogueDetection, TargetResult } from '../model.js';
import { deployable, parentTechniques, renderedFlags } from './common.js';
import type { OutputTree } from './output.js';
import { entityColumn } from './sentinel-entities.js';

/** Sentinel's tactic names: ATT&CK names without spaces. */
export const SENTINEL_TACTICS: Readonly<Record<string, string>> = {
  reconnaissance: 'Reconnaissance',
  'resource-development': 'ResourceDevelopment',
  'initial-access': 'InitialAccess',
  execution: 'Execution',
  persistence: 'Persistence',
  'privilege-escalation': 'PrivilegeEscalation',
  'defense-evasion': 'DefenseEvasion',
  'credential-access': 'CredentialAccess',
  discovery: 'Discovery',
  'lateral-movement': 'LateralMovement',
  collection: 'Collection',
  'command-and-control': 'CommandAndControl',
  exfiltration: 'Exfiltration',
  impact: 'Impact',
};

const SEVERITY: Readonly<Record<string, string>> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'High',
};

/** Entity type and identifier for each risk/threat object type. */
const ENTITY: Readonly<Record<string, [string, string]>> = {
  user: ['Account', 'FullName'],
  host: ['Host', 'FullName'],
  process: ['Process', 'CommandLine'],
  file: ['File', 'Name'],
  ip: ['IP', 'Address'],
  ip_address: ['IP', 'Address'],
  domain: ['DNS', 'DomainName'],
  url: ['URL', 'Url'],
  hash: ['FileHash', 'Value'],
  registry: ['RegistryKey', 'Key'],
  command: ['Process', 'CommandLine'],
};

/** XDR tables come from the Microsoft Defender XDR connector; anything else from the Log Analytics one. */
function connector(table: string): string {
  return /^(?:Device|Email|Identity|CloudApp|Alert|UrlClick)/.test(table) ? 'MicrosoftThreatProtection' : 'AzureMonitor';
}

function entityMappings(d: CatalogueDetection, r: TargetResult): Record<string, unknown>[] {
  const byType = new Map<string, { identifier: string; columnName: string }[]>();
  for (const o of [...d.riskObjects, ...d.threatObjects]) {
    // A process object named by its image path is a File entity; by its command line, a Process.
    const e = o.type === 'process' && !/commandline/i.test(o.field) ? (['File', 'Name'] as [string, string]) : ENTITY[o.type];
    if (!e) continue;
    const list = byType.get(e[0]) ?? [];
    const kind = e[0] === 'Host' ? 'host' : e[0] === 'Account' ? 'account' : e[0] === 'IP' ? 'ip' : 'other';
    const columnName = entityColumn(kind, o.field, r.fields[o.field] ?? o.field, r.tables);
    if (!list.some((x) => x.identifier === e[1])) list.push({ identifier: e[1], columnName });
    byType.set(e[0], list);
  }
  // Sentinel accepts at most ten entity mappings per rule.
  return [...byType].slice(0, 10).map(([entityType, fieldMappings]) => ({ entityType, fieldMappings }));
}

function frequency(d: CatalogueDetection): { queryFrequency: string; queryPeriod: string } {
  return d.kind === 'correlation' ? { queryFrequency: '1h', queryPeriod: '1h' } : { queryFrequency: '15m', queryPeriod: '20m' };
}

export function sentinelRule(d: CatalogueDetection, r: TargetResult): Record<string, unknown> {
  // Several queries (one per table) run as one rule through a union of subqueries.
  const query = r.queries.length === 1 ? (r.queries[0] ?? '') : `union\n${r.queries.map((q) => `(${q})`).join(',\n')}`;
  const flags = renderedFlags(d, r);
  const rule: Record<string, unknown> = {
    id: d.id,
    name: d.title.replace(/[\r\n]+/g, ' '),
    description: d.description || d.title,
    severity: SEVERITY[d.severity] ?? 'Medium',
    requiredDataConnectors: [...new Set(r.tables.map(connector))].map((c) => ({
      connectorId: c,
      dataTypes: r.tables.filter((t) => connector(t) === c),
    })),
    ...frequency(d),
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: [...new Set(d.tactics.map((t) => SENTINEL_TACTICS[t.shortname]).filter((x): x is string => !!x))],
    relevantTechniques: parentTechniques(d),
    query,
    entityMappings: entityMappings(d, r),
    version: '1.0.0',
    kind: 'Scheduled',
  };
  if (flags.length > 0) rule.customDetails = Object.fromEntries(flags.map((f) => [f.slice(0, 20), f]));
  return rule;
}

export function writeMicrosoft(cat: Catalogue, out: OutputTree): void {
  for (const { d, r } of deployable(cat.detections, 'sentinel')) {
    r.files.push(out.add(`packages/sentinel/${d.slug}.yaml`, stringify(sentinelRule(d, r), { lineWidth: 0 })));
  }
  const custom: Record<string, unknown>[] = [];
  for (const { d, r } of deployable(cat.detections, 'defender')) {
    const header = [
      `// ${d.title.replace(/[\r\n]+/g, ' ')}`,
      `// id: ${d.id}`,
      `// severity: ${d.severity}; ATT&CK: ${d.techniques.map((t) => t.id).join(', ') || 'none'}`,
      `// tables: ${r.tables.join(', ')}`,
    ].join('\n');
    r.files.push(out.add(`packages/defender/${d.slug}.kql`, `${header}\n${r.queries.join('\n\n')}\n`));
    custom.push({
      name: d.title,
      id: d.id,
      severity: SEVERITY[d.severity] ?? 'Medium',
      frequency: d.kind === 'correlation' ? '1h' : '1h',
      category: d.tactics[0]?.name ?? 'SuspiciousActivity',
      mitreTechniques: d.techniques.map((t) => t.id),
      description: d.description,
      query: r.queries.join('\n'),
      file: `${d.slug}.kql`,
    });
  }
  out.add('packages/defender/custom-detections.json', JSON.stringify(custom, null, 2) + '\n');
}
