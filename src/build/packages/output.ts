/** The files a build writes, held in memory until written so every path is checked in one place. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

export class OutputTree {
  readonly files = new Map<string, string | Uint8Array>();

  /** Add a file; `path` is relative to dist/ with forward slashes, built from slugs only. */
  add(path: string, content: string | Uint8Array): string {
    const parts = path.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
      throw new Error(`internal: unsafe output path ${JSON.stringify(path)}`);
    }
    this.files.set(path, content);
    return path;
  }

  /** Write everything under `root`; returns the paths written. */
  write(root: string): string[] {
    const writer = new FileWriter(resolve(root));
    for (const [path, content] of this.files) writer.add(path, content);
    return [...this.files.keys()];
  }
}

function checkedPath(base: string, path: string): string {
  const full = resolve(base, ...path.split('/'));
  const rel = relative(base, full);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) throw new Error(`internal: ${path} escapes ${base}`);
  return full;
}

/**
 * Writes files one by one as they are produced (the site streams its pages through one), creating
 * each folder once. Paths are checked like OutputTree's.
 */
export class FileWriter {
  private readonly dirs = new Set<string>();

  constructor(private readonly base: string) {}

  add(path: string, content: string | Uint8Array): void {
    const full = checkedPath(this.base, path);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(full, content);
  }
}
