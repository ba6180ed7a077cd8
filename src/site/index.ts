export { buildSite, renderSite } from './site.js';
export type { SiteOptions, SiteReport } from './site.js';
export { esc, safeSlug, safeUrl, jsonForScript } from './escape.js';
export { renderMarkdown } from './markdown.js';
export { highlight } from './highlight.js';
export type { QueryLanguage } from './highlight.js';
export { startStaticServer } from './serve.js';
export type { StaticServer } from './serve.js';
