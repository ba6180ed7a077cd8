/**
 * Does every detection convert for every target? `tripline check` on a content folder asks this; a
 * target that cannot express a detection must say why (the backend's diagnostic), never fail silently.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { Converter } from '../backends/convert.js';
import { listTargets } from '../backends/registry.js';
import type { ContentSet } from './model.js';

export interface Convertibility {
  detection: string;
  target: string;
  converted: boolean;
  /** First error of the conversion, when it failed. */
  reason?: string;
}

export function checkConvertibility(
  content: ContentSet,
  targets = listTargets().map((t) => t.name),
): {
  results: Convertibility[];
  diagnostics: Diagnostic[];
} {
  const results: Convertibility[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const target of targets) {
    const c = Converter.create({ target });
    if (!c.ok) {
      diagnostics.push(...c.diagnostics);
      continue;
    }
    for (const d of content.detections) {
      const run = c.value.convertFiles([{ file: d.file, documents: d.sigma }]);
      const mine = run.docs.find((x) => x.id === d.id);
      const err = mine?.diagnostics.find((x) => x.severity === 'error');
      const converted = mine?.output !== undefined && mine.output.length > 0 && err === undefined;
      const r: Convertibility = { detection: d.id, target, converted };
      if (!converted) {
        r.reason = err ? `${err.code}: ${err.message}` : 'no output';
        diagnostics.push({
          code: 'TL8092',
          severity: 'warning',
          message: `'${d.title}' does not convert for ${target}: ${r.reason}`,
          file: d.file,
          span: d.span,
        });
      }
      results.push(r);
    }
  }
  return { results, diagnostics };
}
