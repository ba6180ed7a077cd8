import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { buildSite, renderSite } from '../../src/site/index.js';
import { resolveRequestPath } from '../../src/site/serve.js';
import { hostileCatalogue } from './fixture.js';

/** Every tag and attribute name in the HTML, to prove no injected element or handler survived. */
function tags(html: string): string[] {
  // Quoted attribute values are data (escaped); what matters is the tag and attribute names.
  return [...html.matchAll(/<([a-z][a-z0-9]*)\b((?:[^>"]|"[^"]*")*)>/gi)].map(
    (m) => `${m[1]!.toLowerCase()} ${m[2]!.replace(/"[^"]*"/g, '""')}`,
  );
}

test('hostile titles, descriptions and queries never become markup', () => {
  const files = renderSite(hostileCatalogue());
  const htmlFiles = [...files].filter(([p]) => p.endsWith('.html'));
  assert.ok(htmlFiles.length >= 8);
  for (const [path, html] of htmlFiles) {
    for (const t of tags(html)) {
      assert.ok(!/^img\b/.test(t), `${path}: injected <img>: ${t}`);
      assert.ok(!/\bon[a-z]+\s*=/i.test(t), `${path}: event handler attribute: ${t}`);
    }
    // The only scripts are our own external files.
    for (const m of html.matchAll(/<script\b([^>]*)>/g))
      assert.match(m[1]!, /^ src="[^"]*assets\/[a-z-]+\.js"$/, path);
    assert.ok(!html.includes('<b>x</b>'), `${path}: raw HTML from Markdown passed through`);
    assert.ok(!/href="\s*javascript:/i.test(html), `${path}: javascript: link`);
  }
  const det = files.get('detections/evil.html');
  assert.ok(det, 'the detection page is named from its sanitised slug');
  assert.match(det, /Evil &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(
    det,
    /&lt;\/code&gt;&lt;\/pre&gt;&lt;script&gt;/,
    'query text is escaped inside the code block',
  );
  assert.match(det, /<strong>bold<\/strong>/, 'Markdown still renders');
});

test('search index data cannot close its script element', () => {
  const js = renderSite(hostileCatalogue()).get('assets/search-index.js')!;
  assert.ok(!js.includes('</script'), 'no </script in the data file');
  assert.ok(!js.includes('<'), 'every < escaped');
  const json = js.replace(/^window\.TRIPLINE_SEARCH = /, '').replace(/;\s*$/, '');
  const data = JSON.parse(json) as { title: string }[];
  assert.ok(
    data.some((e) => e.title.includes('<script>alert("x")</script>')),
    'the data round-trips exactly',
  );
});

test('every output file stays inside the site folder, whatever the ids and slugs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-site-'));
  try {
    const out = join(dir, 'site');
    const r = await buildSite(hostileCatalogue(), out, { noConverter: true });
    assert.ok(r.ok);
    for (const f of r.value.files) {
      assert.ok(!f.split('/').includes('..'), f);
      assert.match(f, /^(?:[a-z-]+\/)?[a-z0-9][a-z0-9.-]*\.(?:html|js|css)$/, f);
    }
    assert.deepEqual(readdirSync(dir), ['site'], 'nothing written beside the site folder');
    // The story's slug is '..': it falls back to a plain name.
    const story = readFileSync(join(out, 'stories', 'item.html'), 'utf8');
    assert.match(story, /<h1>Story &lt;script&gt;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the static server refuses paths outside its root', () => {
  const root = join(tmpdir(), 'site-root');
  assert.equal(resolveRequestPath(root, '/techniques/t1119.html'), join(root, 'techniques', 't1119.html'));
  for (const bad of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/a/../../x', '/..%2f..%2fx']) {
    const p = resolveRequestPath(root, bad);
    assert.ok(p === undefined || p.startsWith(root + sep), `${bad} -> ${p}`);
  }
  assert.equal(resolveRequestPath(root, '/%00'), undefined);
  assert.equal(resolveRequestPath(root, '/%E0%A4%A'), undefined, 'malformed escapes are refused');
});
