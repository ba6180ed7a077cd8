/**
 * How each package maps onto a conversion target: which backend and format, how the tables a query
 * reads are recovered from the conversion output, and how an enrichment flag's condition (converted
 * by the same backend) is rendered as a native boolean column.
 */
import type { PackageTarget } from './model.js';

export interface PackageTargetSpec {
  name: PackageTarget;
  label: string;
  language: string;
  backend: string;
  format: string;
  /** Backend tried when the main one cannot convert a correlation (Elastic: ES|QL). */
  correlationBackend?: { backend: string; format: string; language: string };
  /** Backend used when the detection has enrichment flags and the main one cannot render them. */
  enrichmentBackend?: { backend: string; format: string; language: string };
}

export const PACKAGE_SPECS: Readonly<Record<PackageTarget, PackageTargetSpec>> = {
  splunk: { name: 'splunk', label: 'Splunk', language: 'SPL', backend: 'splunk', format: 'default' },
  sentinel: { name: 'sentinel', label: 'Microsoft Sentinel', language: 'KQL', backend: 'kusto', format: 'default' },
  defender: {
    name: 'defender',
    label: 'Microsoft Defender XDR',
    language: 'KQL',
    backend: 'kusto',
    format: 'default',
  },
  elastic: {
    name: 'elastic',
    label: 'Elastic Security',
    language: 'Lucene',
    backend: 'elastic-lucene',
    format: 'default',
    correlationBackend: { backend: 'elastic-esql', format: 'default', language: 'ES|QL' },
    enrichmentBackend: { backend: 'elastic-esql', format: 'default', language: 'ES|QL' },
  },
  qradar: { name: 'qradar', label: 'IBM QRadar', language: 'AQL', backend: 'qradar', format: 'default' },
  sumologic: {
    name: 'sumologic',
    label: 'Sumo Logic Cloud SIEM',
    language: 'Sumo Logic',
    backend: 'sumologic',
    format: 'cse_rule',
  },
  secops: { name: 'secops', label: 'Google SecOps', language: 'YARA-L', backend: 'secops', format: 'yara_l' },
  logscale: { name: 'logscale', label: 'CrowdStrike LogScale', language: 'CQL', backend: 'logscale', format: 'default' },
};

/** The index patterns the Elastic Lucene rules search (those of Elastic's own prebuilt rules). */
export const ELASTIC_INDEX = ['logs-*', 'winlogbeat-*', 'logs-endpoint.events.*', 'logs-windows.*', 'filebeat-*'];

function uniq(xs: Iterable<string>): string[] {
  return [...new Set(xs)].filter((x) => x !== '').sort();
}

function all(re: RegExp, text: string, group = 1): string[] {
  return [...text.matchAll(re)].map((m) => m[group] ?? '');
}

/** The tables / indices / log types a query reads, recovered from the query text the backend printed. */
export function tablesOf(backend: string, queries: readonly string[]): string[] {
  const text = queries.join('\n');
  switch (backend) {
    case 'splunk':
      return uniq(all(/\b((?:index|source|sourcetype)\s*=\s*(?:"[^"]*"|[^\s|)]+))/g, text).map((s) => s.replace(/\s+/g, '')));
    case 'kusto':
      return uniq(queries.map((q) => /^\s*([A-Z_]\w*)\s*(?:\n|\|)/i.exec(q)?.[1] ?? ''));
    case 'elastic-esql':
      return uniq(all(/\bfrom\s+([^\s|]+(?:\s*,\s*[^\s|]+)*)\s+metadata/gi, text).flatMap((s) => s.split(/\s*,\s*/)));
    case 'elastic-lucene':
      return [...ELASTIC_INDEX];
    case 'qradar': {
      const dt = all(/\bdevicetype\s*=\s*(\d+)/gi, text).map((n) => `devicetype=${n}`);
      const dts = all(/\bdevicetype\s+IN\s*\(([^)]*)\)/gi, text).flatMap((s) =>
        s.split(',').map((n) => `devicetype=${n.trim()}`),
      );
      return uniq([...(/\bFROM\s+flows\b/i.test(text) ? ['flows'] : []), ...(/\bFROM\s+events\b/i.test(text) ? ['events'] : []), ...dt, ...dts]);
    }
    case 'sumologic':
      return uniq(all(/\b(metadata_(?:vendor|product|deviceEventId)|_sourceCategory|_index)\s*=\s*'?"?([^'"\s)]+)/g, text, 0).map((s) => s.replace(/\s+/g, '')));
    case 'secops':
      return uniq(all(/\bmetadata\.(?:event_type|log_type|product_name|vendor_name)\s*=\s*"([^"]+)"/g, text, 0).map((s) => s.replace(/^\$\w+\./, '').replace(/\s+/g, ' ')));
    case 'logscale':
      return uniq(all(/(#(?:event_simpleName|repo|type|Vendor|event\.module|event\.dataset))=\/?\^?([\w.-]+)/g, text, 0).map((s) => s.replace(/[/^]/g, '')));
    default:
      return [];
  }
}

/**
 * The boolean expression of a flag rule's conversion, ready to sit in a computed column; undefined
 * when the target has no way to say it (the build then reports the detection as degraded).
 */
export function flagColumn(backend: string, name: string, flagQueries: readonly string[]): string | undefined {
  const q = flagQueries[0];
  if (q === undefined || flagQueries.length !== 1) return undefined;
  switch (backend) {
    case 'kusto': {
      const i = q.indexOf('| where ');
      return i < 0 ? undefined : `| extend ${name} = (${q.slice(i + 8).trim()})`;
    }
    case 'elastic-esql': {
      const i = q.search(/\|\s*where\s/i);
      if (i < 0) return undefined;
      const expr = q.slice(i).replace(/^\|\s*where\s+/i, '').trim();
      return `| eval ${name} = (${expr})`;
    }
    case 'splunk': {
      // searchmatch() evaluates search-language text per event: the flag's own converted search.
      const s = q.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\s*\n\s*/g, ' ');
      return `| eval ${name}=if(searchmatch("${s}"),1,0)`;
    }
    case 'logscale': {
      // A case statement: the first branch whose filter matches sets the flag.
      if (/[{};]/.test(q) || q.includes('|')) return undefined;
      const filter = q.replace(/\s*\n\s*/g, ' ');
      return `| case { ${filter} | ${name} := "true"; * | ${name} := "false" }`;
    }
    default:
      return undefined;
  }
}
