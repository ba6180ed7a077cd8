import { test } from 'node:test';
import assert from 'node:assert/strict';
import { esc, highlight, jsonForScript, renderMarkdown, safeSlug, safeUrl } from '../../src/site/index.js';
import { XSS } from './fixture.js';

test('esc neutralises markup and attribute breakouts', () => {
  assert.equal(
    esc(`<a href="x" onclick='y'>&\``),
    '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;',
  );
  assert.equal(esc(undefined), '');
  assert.equal(esc(3), '3');
});

test('safeSlug makes traversal-free file names', () => {
  assert.equal(safeSlug('../../etc/passwd'), 'etc-passwd');
  assert.equal(safeSlug('T1003.001'), 't1003.001');
  assert.equal(safeSlug('..'), 'item');
  assert.equal(safeSlug('/'), 'item');
  assert.ok(!safeSlug('a\\..\\b').includes('..'));
  assert.equal(safeSlug('Collection and Staging'), 'collection-and-staging');
  assert.equal(safeSlug('Ünïcödé'), 'unicode');
  assert.ok(safeSlug('x'.repeat(500)).length <= 80);
  for (const s of ['...', '.hidden', 'a/b', 'con:', 'x\u0000y'])
    assert.match(safeSlug(s), /^[a-z0-9][a-z0-9.-]*$/);
});

test('safeUrl keeps web links and drops script schemes', () => {
  assert.equal(
    safeUrl('https://attack.mitre.org/techniques/T1119/'),
    'https://attack.mitre.org/techniques/T1119/',
  );
  assert.equal(safeUrl('../techniques/t1119.html'), '../techniques/t1119.html');
  assert.equal(safeUrl('javascript:alert(1)'), '#');
  assert.equal(safeUrl(' JaVaScRiPt:alert(1)'), '#');
  assert.equal(safeUrl('data:text/html,<script>'), '#');
  assert.equal(safeUrl('vbscript:x'), '#');
});

test('jsonForScript output parses back and contains no <, > or line separators', () => {
  const v = { a: '</script><!--', b: '\u2028\u2029', c: '&' };
  const s = jsonForScript(v);
  assert.ok(!/[<>&\u2028\u2029]/.test(s));
  assert.deepEqual(JSON.parse(s), v);
});

test('renderMarkdown: headings, lists, code, emphasis and links', () => {
  const html = renderMarkdown(
    '# Triage\n\nCheck the **parent** process and *user*.\n\n- one `a<b`\n- two\n\n1. first\n2. second\n\n```\nGet-Process | ? {$_.x -lt 1}\n```\n\n[docs](https://example.com/a?b=1&c=2)',
  );
  assert.match(html, /<h3>Triage<\/h3>/);
  assert.match(html, /<p>Check the <strong>parent<\/strong> process and <em>user<\/em>\.<\/p>/);
  assert.match(html, /<ul><li>one <code>a&lt;b<\/code><\/li><li>two<\/li><\/ul>/);
  assert.match(html, /<ol><li>first<\/li><li>second<\/li><\/ol>/);
  assert.match(html, /<pre><code>Get-Process \| \? \{\$_.x -lt 1\}<\/code><\/pre>/);
  assert.match(html, /<a href="https:\/\/example.com\/a\?b=1&amp;c=2" rel="noopener">docs<\/a>/);
});

test('renderMarkdown escapes raw HTML and refuses script links', () => {
  const html = renderMarkdown(
    `${XSS}\n\n[x](javascript:alert(1)) [y](data:text/html,hi) <a href="javascript:1">z</a>`,
  );
  assert.ok(!/<script|<img|<a href="javascript/i.test(html), html);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /<a href="#" rel="noopener">x<\/a>/);
  assert.match(html, /<a href="#" rel="noopener">y<\/a>/);
});

test('highlight marks keywords, strings, numbers and operators per language', () => {
  const kql = highlight(`SecurityEvent | where EventID == 4688 and CommandLine has "dir /s"`, 'kql');
  assert.match(kql, /<t-kw>where<\/t-kw>/);
  assert.match(kql, /<t-num>4688<\/t-num>/);
  assert.match(kql, /<t-op>==<\/t-op>/);
  assert.match(kql, /<t-str>&quot;dir \/s&quot;<\/t-str>/);
  const spl = highlight(`index=main | STATS count BY host`, 'spl');
  assert.match(spl, /<t-kw>STATS<\/t-kw>/, 'SPL keywords are case-insensitive');
  const yaral = highlight(
    `rule x {\n  events:\n    $e.target.process.file.full_path = /robocopy\\.exe$/ nocase\n}`,
    'yaral',
  );
  assert.match(yaral, /<t-kw>rule<\/t-kw>/);
  assert.match(yaral, /<t-str>\/robocopy\\.exe\$\/<\/t-str>/);
  const aql = highlight(`SELECT * FROM events WHERE "CommandLine" ILIKE '%dir%' -- note`, 'aql');
  assert.match(aql, /<t-kw>ILIKE<\/t-kw>/);
  assert.match(aql, /<t-com>-- note<\/t-com>/);
});

test('highlight output is escaped, whatever the query holds', () => {
  for (const lang of [
    'kql',
    'spl',
    'lucene',
    'eql',
    'esql',
    'aql',
    'sumo',
    'yaral',
    'cql',
    'yaml',
  ] as const) {
    const html = highlight(`x = "${XSS}" | ${XSS} '</span><script>' // ${XSS}`, lang);
    assert.ok(!/<(?!\/?t-(?:kw|str|num|op|com|fn)>)/.test(html), `${lang}: only token tags: ${html}`);
    const text = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.equal(text, `x = "${XSS}" | ${XSS} '</span><script>' // ${XSS}`, `${lang}: text preserved`);
  }
});
