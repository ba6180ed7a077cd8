/**
 * A small Markdown renderer for guidance text (triage, response, tuning, narratives). It escapes the
 * whole input first and only then adds markup, so raw HTML in content is shown as text, never run.
 * Supported: paragraphs, #–#### headings, - / * / 1. lists, ``` fences, `code`, **bold**, *italic*,
 * [text](url) links (http(s)/mailto/relative only).
 */
import { esc, safeUrl } from './escape.js';

function inline(escaped: string): string {
  // Code spans first, held aside so emphasis and links do not apply inside them.
  const codes: string[] = [];
  let s = escaped.replace(/`([^`]+)`/g, (_, c: string) => {
    codes.push(c);
    return `\u0000${codes.length - 1}\u0000`;
  });
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, text: string, url: string) => {
    // url is already escaped; unescape &amp; only to check the scheme, keep the escaped form.
    const raw = url.replace(/&amp;/g, '&');
    const safe = safeUrl(raw);
    return `<a href="${safe === '#' ? '#' : url}" rel="noopener">${text}</a>`;
  });
  s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  return s.replace(/\0(\d+)\0/g, (_, i: string) => `<code>${codes[Number(i)] ?? ''}</code>`);
}

export function renderMarkdown(text: string): string {
  // Backticks stay literal: they are Markdown syntax here and harmless in element content.
  const lines = esc(text.replace(/\r\n?/g, '\n').replace(/\0/g, '')).replace(/&#96;/g, '`').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | undefined;
  const flushPara = (): void => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  const flushList = (): void => {
    if (list)
      out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      flushPara();
      flushList();
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) code.push(lines[i++]!);
      out.push(`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flushPara();
      flushList();
      // Headings inside guidance sit below the page's own h2 sections.
      const level = Math.min(6, h[1]!.length + 2);
      out.push(`<h${level}>${inline(h[2]!)}</h${level}>`);
      continue;
    }
    const li = /^\s*(?:([-*+])|\d+[.)])\s+(.*)$/.exec(line);
    if (li) {
      flushPara();
      const tag = li[1] ? 'ul' : 'ol';
      if (list && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push(li[2]!);
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      flushList();
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      const last = list.items.length - 1;
      list.items[last] = `${list.items[last] ?? ''} ${line.trim()}`;
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return out.join('\n');
}
