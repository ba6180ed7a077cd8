import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export interface WalkResult {
  files: string[];
  /** Paths given that do not exist or cannot be read. */
  missing: string[];
}

/**
 * What `join(dir, name)` puts before `name`, for any entry name `readdir` returns (no separator,
 * never `.` or `..`): `rules/` for `./rules/`, `` for `.`. Paths are built as prefix + name, since
 * normalizing every entry with `join` cost more than reading the folders (SigmaHQ corpus: 100 →
 * 45 ms for 532 folders, 3,781 files).
 */
function childPrefix(dir: string): string {
  return join(dir, 'x').slice(0, -1);
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
  const visit = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      missing.push(dir);
      return;
    }
    for (const e of entries) {
      const p = prefix + e.name;
      // `p` is already normalized, and ends with a name: its children's prefix is p + sep.
      if (e.isDirectory()) visit(p, p + sep);
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
    if (st.isDirectory()) visit(p, childPrefix(p));
    else files.push(p);
  }
  files.sort();
  return { files, missing };
}
