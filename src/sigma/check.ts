/** `tripline check` core: parse and validate many files, then the checks that span files. */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/index.js';
import type { SigmaDocument, SigmaFile } from './ast.js';
import { parseSigmaText } from './parse.js';
import { MAX_FILE_BYTES, decodeUtf8 } from './yaml-reader.js';
import { validateDocument } from './validate.js';

export interface CheckResult {
  files: SigmaFile[];
  rules: number;
  correlations: number;
  filters: number;
  diagnostics: Diagnostic[];
  /** Source text per file, for code frames. */
  sources: Map<string, string>;
}

export function loadSigmaFile(path: string): { file: SigmaFile; diagnostics: Diagnostic[]; source?: string } {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // One open: the size comes from the open file, not from a second lookup of the path.
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    if (st.size > MAX_FILE_BYTES) {
      return {
        file: { file: path, documents: [] },
        diagnostics: [
          {
            code: 'TL1005',
            severity: 'error',
            message: `file is ${st.size} bytes; limit is ${MAX_FILE_BYTES}`,
            file: path,
          },
        ],
      };
    }
    bytes = readFileSync(fd);
  } catch (e) {
    return {
      file: { file: path, documents: [] },
      diagnostics: [
        {
          code: 'TL9003',
          severity: 'error',
          message: `cannot read file: ${(e as Error).message}`,
          file: path,
        },
      ],
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  // Decoded once: the text parsed is also the source kept for code frames.
  const dec = decodeUtf8(bytes, path);
  if (dec.text === undefined) return { file: { file: path, documents: [] }, diagnostics: dec.diagnostics };
  const out = parseSigmaText(dec.text, path);
  return { file: out.file, diagnostics: out.diagnostics, source: dec.text };
}

export function checkFiles(paths: readonly string[]): CheckResult {
  const res: CheckResult = {
    files: [],
    rules: 0,
    correlations: 0,
    filters: 0,
    diagnostics: [],
    sources: new Map(),
  };
  for (const p of paths) {
    const { file, diagnostics, source } = loadSigmaFile(p);
    res.files.push(file);
    if (source !== undefined) res.sources.set(p, source);
    res.diagnostics.push(...diagnostics);
    for (const d of file.documents) res.diagnostics.push(...validateDocument(d));
  }
  res.diagnostics.push(...crossChecks(res.files.flatMap((f) => f.documents)));
  for (const d of res.files.flatMap((f) => f.documents)) {
    if (d.kind === 'Rule') res.rules++;
    else if (d.kind === 'Correlation') res.correlations++;
    else res.filters++;
  }
  return res;
}

/** Duplicate ids and names, and references from correlations and filters to rules not among the inputs. */
export function crossChecks(docs: readonly SigmaDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byId = new Map<string, SigmaDocument>();
  const byName = new Map<string, SigmaDocument>();
  for (const d of docs) {
    if (d.id !== undefined) {
      const prev = byId.get(d.id);
      if (prev) {
        out.push({
          code: 'TL1014',
          severity: 'error',
          message: `id ${d.id} is also used by '${prev.title}' (${prev.file})`,
          file: d.file,
          span: d.keySpans['id'] ?? d.span,
          path: ['id'],
        });
      } else byId.set(d.id, d);
    }
    if (d.name !== undefined) {
      const prev = byName.get(d.name);
      if (prev) {
        out.push({
          code: 'TL1034',
          severity: 'warning',
          message: `name '${d.name}' is also used in ${prev.file}`,
          file: d.file,
          span: d.keySpans['name'] ?? d.span,
          path: ['name'],
        });
      } else byName.set(d.name, d);
    }
  }
  for (const d of docs) {
    const refs =
      d.kind === 'Correlation' ? d.rules : d.kind === 'Filter' ? d.rules.filter((r) => r !== 'any') : [];
    for (const r of refs) {
      if (!byId.has(r) && !byName.has(r)) {
        out.push({
          code: 'TL1022',
          severity: 'warning',
          message: `'${r}' is not the id or name of any rule among the inputs`,
          file: d.file,
          span: d.keySpans[d.kind === 'Correlation' ? 'correlation' : 'filter'] ?? d.span,
          path: [d.kind === 'Correlation' ? 'correlation' : 'filter', 'rules'],
        });
      }
    }
  }
  return out;
}
