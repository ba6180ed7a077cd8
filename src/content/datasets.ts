/** Test events: inline, or dataset files (JSON Lines, JSON object/array). `.evtx` needs the EVTX reader. */
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { ok } from '../diagnostics/index.js';

export interface DatasetEvent {
  event: Record<string, unknown>;
  /** 1-based line in the dataset (JSON Lines), or index + 1 in a JSON array. */
  line: number;
}

/** Parse a .jsonl/.ndjson/.json dataset text. Bad lines are TL8015 and left out. */
export function readDatasetText(text: string, file: string): Result<DatasetEvent[]> {
  const diagnostics: Diagnostic[] = [];
  const events: DatasetEvent[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (file.toLowerCase().endsWith('.json')) {
    try {
      const v: unknown = JSON.parse(text);
      const list = Array.isArray(v) ? (v as unknown[]) : [v];
      list.forEach((e, i) => {
        if (isObject(e)) events.push({ event: e, line: i + 1 });
        else diagnostics.push(bad(file, 1, `item ${i + 1} is not a JSON object`));
      });
    } catch (e) {
      diagnostics.push(bad(file, 1, (e as Error).message));
    }
    return ok(events, diagnostics);
  }
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) return;
    try {
      const v: unknown = JSON.parse(line);
      if (isObject(v)) events.push({ event: v, line: i + 1 });
      else diagnostics.push(bad(file, i + 1, 'not a JSON object'));
    } catch (e) {
      diagnostics.push(bad(file, i + 1, (e as Error).message));
    }
  });
  return ok(events, diagnostics);
}

function bad(file: string, line: number, why: string): Diagnostic {
  return {
    code: 'TL8015',
    severity: 'error',
    message: `dataset event: ${why}`,
    file,
    span: { line, column: 1 },
  };
}
