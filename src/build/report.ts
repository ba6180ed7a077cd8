/** The build report: per detection and target, converted / degraded (why) / unsupported (why). */
import type { Catalogue, PackageTarget, TargetStatus } from './model.js';

export interface BuildReportEntry {
  id: string;
  title: string;
  source: string;
  targets: Partial<Record<PackageTarget, { status: TargetStatus; backend: string; reason: string[]; tables: string[] }>>;
}

export interface BuildReport {
  generatedBy: string;
  totals: Catalogue['totals'];
  /** Conversions done in this run vs reused from the cache. */
  conversions: { converted: number; cached: number; reconverted: string[] };
  detections: BuildReportEntry[];
}

export function buildReport(cat: Catalogue, conversions: BuildReport['conversions']): BuildReport {
  return {
    generatedBy: cat.generatedBy,
    totals: cat.totals,
    conversions,
    detections: cat.detections.map((d) => ({
      id: d.id,
      title: d.title,
      source: d.source,
      targets: Object.fromEntries(
        Object.entries(d.targets).map(([t, r]) => [
          t,
          { status: r.status, backend: r.backend, reason: r.reason, tables: r.tables },
        ]),
      ),
    })),
  };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function renderReportText(report: BuildReport, verbose = true): string {
  const lines: string[] = [];
  const targets = Object.keys(report.totals.byTarget);
  lines.push(`${report.totals.detections} detections, ${report.totals.techniques} ATT&CK techniques`);
  lines.push('');
  lines.push(`${'target'.padEnd(12)}${'converted'.padStart(11)}${'degraded'.padStart(10)}${'unsupported'.padStart(13)}`);
  for (const t of targets) {
    const c = report.totals.byTarget[t];
    if (!c) continue;
    lines.push(`${t.padEnd(12)}${String(c.converted).padStart(11)}${String(c.degraded).padStart(10)}${String(c.unsupported).padStart(13)}`);
  }
  lines.push('');
  lines.push(`conversions: ${report.conversions.converted} done, ${report.conversions.cached} reused from the cache`);
  if (verbose) {
    for (const d of report.detections) {
      const notes = Object.entries(d.targets).filter(([, r]) => r.status !== 'converted');
      if (notes.length === 0) continue;
      lines.push('');
      lines.push(`${d.source}: ${oneLine(d.title)}`);
      for (const [t, r] of notes) lines.push(`  ${t}: ${r.status}: ${oneLine(r.reason.join('; '))}`);
    }
  }
  return lines.join('\n') + '\n';
}
