/**
 * File names derived from ids and titles: only [a-z0-9-_], never empty, never `.`/`..`, bounded in
 * length, unique within a set. Ids and titles come from content authors and third-party rule sets,
 * so nothing in them may steer where a file lands.
 */

const MAX = 80;

export function slugify(text: string, fallback = 'item'): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, MAX)
    .replace(/[-_]+$/g, '');
  return s === '' ? fallback : s;
}

/** Hands out unique slugs: a second `foo` becomes `foo-2`. */
export class SlugAllocator {
  private readonly used = new Set<string>();

  take(text: string, fallback = 'item'): string {
    const base = slugify(text, fallback);
    let s = base;
    for (let i = 2; this.used.has(s); i++) s = `${base}-${i}`;
    this.used.add(s);
    return s;
  }
}
