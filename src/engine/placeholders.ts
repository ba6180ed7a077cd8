/** The `--placeholders FILE` format: a YAML or JSON mapping, placeholder name → value or list of values. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';

export function loadPlaceholders(path: string): Result<Map<string, string[]>> {
  const bad = (message: string): Result<Map<string, string[]>> =>
    fail({ code: 'TL6010', severity: 'error', message, file: path } satisfies Diagnostic);
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return bad(`cannot read placeholders: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return bad('placeholders file must map names to a value or a list of values');
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const list = Array.isArray(v) ? (v as unknown[]) : [v];
    if (!list.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'))
      return bad(`placeholder '${k}' must be a string or a list of strings`);
    out.set(k.replace(/^%|%$/g, ''), list.map(String));
  }
  return ok(out);
}
