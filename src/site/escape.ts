/**
 * Escaping and safe names for the site. Every piece of rule text reaches HTML through `esc`, and
 * every file name through `safeSlug`, so hostile titles, descriptions and ids stay inert.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

const NEEDS_ESCAPE = /[&<>"'`]/;
const ESCAPABLE = /[&<>"'`]/g;

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string | number | undefined | null): string {
  if (text === undefined || text === null) return '';
  const s = String(text);
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPABLE, (c) => HTML_ESCAPES[c] ?? c) : s;
}

/** A URL for an href: only http(s), mailto and relative links survive; anything else becomes '#'. */
export function safeUrl(url: string): string {
  const u = url.trim();
  if (/^(?:https?:|mailto:)/i.test(u)) return u;
  // A relative link must not smuggle a scheme (javascript:, data:) before its first slash.
  if (/^[^:/?#]*(?:[/?#]|$)/.test(u) && !/^[\w+.-]+:/.test(u)) return u;
  return '#';
}

/**
 * A file-name stem from an id or title: lower-case ASCII letters, digits, dots and dashes only, never
 * starting with a dot, at most 80 characters. Path separators and `..` cannot survive.
 */
export function safeSlug(text: string, fallback = 'item'): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return s === '' ? fallback : s;
}

/**
 * Serializes data for an inline `<script>` or a `.js` data file: JSON with `<`, `>`, `&` and the
 * line separators escaped so no text can close the script element or break the JS parser.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
