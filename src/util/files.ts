import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkResult {
  files: string[];
  /** Paths given that do not exist or cannot be read. */
  missing: string[];
}

/**
 * Expand files and folders into a sorted list of files whose name ends with one of `extensions`
 * (case-insensitive). Files named explicitly are kept whatever their extension. Symlink loops are
 * avoided by not following symlinked directories.
 */
export function walkFiles(paths: readonly string[], extensions: readonly string[]): WalkResult {
  const files: string[] = [];
  const missing: string[] = [];
  const exts = extensions.map((e) => e.toLowerCase());
  const visit = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      missing.push(dir);
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && exts.some((x) => e.name.toLowerCase().endsWith(x))) files.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) visit(p);
    else files.push(p);
  }
  files.sort();
  return { files, missing };
}
