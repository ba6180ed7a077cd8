/** The site's static assets (CSS and the small page scripts), kept as strings so the package ships them. */

export const SITE_CSS = `:root{--bg:#fbfbfd;--fg:#1d2330;--muted:#667085;--line:#d9dde5;--accent:#2457c5;--code:#f3f5f9;
--h1:#dbe8ff;--h2:#a9c8ff;--h3:#5f96f3;--h4:#1f4fb8;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);line-height:1.5}
a{color:var(--accent)}main{max-width:1200px;margin:0 auto;padding:1rem 1.5rem 3rem}
header.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1.5rem;background:#111a2e;color:#fff}
header.top a{color:#dfe7ff;text-decoration:none;margin-right:.8rem}header.top a[aria-current]{color:#fff;font-weight:600;border-bottom:2px solid #7fa8ff}
.brand{font-weight:700;font-size:1.2rem;color:#fff!important}
.search{position:relative;margin-left:auto}#search{width:22rem;max-width:80vw;padding:.35rem .6rem;border-radius:4px;border:1px solid #445}
#search-results{position:absolute;right:0;z-index:10;background:#fff;color:var(--fg);list-style:none;margin:.2rem 0;padding:0;width:30rem;max-width:90vw;max-height:60vh;overflow:auto;border:1px solid var(--line);box-shadow:0 4px 16px #0003}
#search-results li{padding:.35rem .6rem;border-bottom:1px solid var(--line)}#search-results a{color:var(--accent);margin:0}
#search-results .kind{font-size:.75rem;color:var(--muted);text-transform:uppercase;margin-right:.4rem}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:2rem}
.muted{color:var(--muted)}.lead{font-size:1.1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#eef1f6}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.88rem}
pre{background:var(--code);padding:.8rem;overflow:auto;border:1px solid var(--line);border-radius:4px;margin:0;white-space:pre-wrap;word-break:break-word}
.code{position:relative;margin:.5rem 0}.copy{position:absolute;top:.3rem;right:.3rem;font-size:.8rem;padding:.15rem .5rem;cursor:pointer}
.tabs [role=tablist]{display:flex;flex-wrap:wrap;gap:.25rem;border-bottom:1px solid var(--line)}
.tabs [role=tab]{border:1px solid var(--line);border-bottom:none;background:#eef1f6;padding:.35rem .7rem;cursor:pointer;border-radius:4px 4px 0 0}
.tabs [role=tab][aria-selected=true]{background:#fff;font-weight:600;border-color:var(--accent)}
.tabs [role=tabpanel]{padding:.5rem 0}
.badge{display:inline-block;padding:0 .45rem;border-radius:3px;background:#e6e9f0;font-size:.8rem}
.st-converted{background:#d8f3dc}.st-degraded{background:#fff1c2}.st-unsupported{background:#ffd8d6}
.sev{font-weight:600}.sev-critical,.sev-high{color:#b42318}.sev-medium{color:#b54708}.sev-low,.sev-informational{color:#175cd3}
t-kw{color:#7c3aed;font-weight:600}t-str{color:#0f7b3f}t-num{color:#b45309}t-op{color:#be185d}t-com{color:#6b7280;font-style:italic}t-fn{color:#1d4ed8}
.matrix{display:flex;gap:.4rem;overflow-x:auto;padding-bottom:.5rem}.tactic-col{min-width:9.5rem;flex:1}
.tactic-col h3{font-size:.85rem;margin:.2rem 0}.tactic-col p{font-size:.75rem;margin:0 0 .3rem}
.cell{display:flow-root;font-size:.75rem;padding:.25rem .35rem;margin-bottom:.2rem;border-radius:3px;text-decoration:none;color:#0b1a3a;border:1px solid #c8d6f0}
.legend .cell{display:inline-block;margin-left:.3rem}
.heat-0{background:#f2f4f7}.heat-1{background:var(--h1)}.heat-2{background:var(--h2)}.heat-3{background:var(--h3);color:#fff}.heat-4{background:var(--h4);color:#fff}
.cell .n{float:right;font-weight:700}.tid{font-weight:600}
section.detection{border-top:2px solid var(--line);margin-top:2rem;padding-top:.5rem}
.converter textarea{width:100%;font-family:ui-monospace,monospace;font-size:.85rem}
.converter .error{color:#b42318}
.crumbs{font-size:.85rem;color:var(--muted)}
`;

/** Tabs, copy buttons and search; plain ES2017, no framework, no network. */
export const SITE_JS = `(function () {
  'use strict';
  function selectTab(tab) {
    var list = tab.parentNode;
    var box = list.parentNode;
    Array.prototype.forEach.call(list.querySelectorAll('[role=tab]'), function (t) {
      var on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel && panel.parentNode === box) panel.hidden = !on;
    });
  }
  window.triplineSelectTab = selectTab;
  document.addEventListener('click', function (e) {
    var tab = e.target.closest && e.target.closest('[role=tab]');
    if (tab) { selectTab(tab); return; }
    var copy = e.target.closest && e.target.closest('[data-copy]');
    if (copy) {
      var code = copy.parentNode.querySelector('code');
      var text = code ? code.textContent : '';
      var done = function () { copy.textContent = 'Copied'; copy.setAttribute('data-copied', 'true'); setTimeout(function () { copy.textContent = 'Copy'; }, 1500); };
      var fallback = function () {
        var ta = document.createElement('textarea');
        ta.value = text; document.body.appendChild(ta); ta.select();
        try { document.execCommand('copy'); } catch (err) { /* nothing more to try */ }
        document.body.removeChild(ta); done();
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
      else fallback();
    }
  });
  document.addEventListener('keydown', function (e) {
    var tab = e.target.closest && e.target.closest('[role=tab]');
    if (!tab || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
    var tabs = Array.prototype.slice.call(tab.parentNode.querySelectorAll('[role=tab]'));
    var i = tabs.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : -1);
    var next = tabs[(i + tabs.length) % tabs.length];
    next.focus(); selectTab(next);
  });
  var input = document.getElementById('search');
  var out = document.getElementById('search-results');
  var root = document.body.getAttribute('data-root') || '';
  var index = window.TRIPLINE_SEARCH || [];
  function search(q) {
    var terms = q.toLowerCase().split(/\\s+/).filter(Boolean);
    if (!terms.length) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var it = index[i];
      var hay = it.h;
      var score = 0, all = true;
      for (var j = 0; j < terms.length; j++) {
        var at = hay.indexOf(terms[j]);
        if (at < 0) { all = false; break; }
        score += at < it.title.length + 12 ? 3 : 1;
      }
      if (all) hits.push({ it: it, score: score });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.it.title.localeCompare(b.it.title); });
    return hits.slice(0, 25).map(function (h) { return h.it; });
  }
  if (input && out) {
    input.addEventListener('input', function () {
      var hits = search(input.value);
      out.textContent = '';
      out.hidden = input.value.trim() === '';
      if (!hits.length && !out.hidden) { var li0 = document.createElement('li'); li0.textContent = 'No matches'; out.appendChild(li0); }
      hits.forEach(function (it) {
        var li = document.createElement('li');
        var kind = document.createElement('span'); kind.className = 'kind'; kind.textContent = it.kind;
        var a = document.createElement('a'); a.href = root + it.url; a.textContent = it.title;
        li.appendChild(kind); li.appendChild(a); out.appendChild(li);
      });
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { var first = out.querySelector('a'); if (first) location.href = first.href; }
      if (e.key === 'Escape') { input.value = ''; out.hidden = true; }
    });
  }
})();
`;

/** The converter page: runs the bundled converter on every edit and shows one tab per target. */
export const CONVERTER_PAGE_JS = `(function () {
  'use strict';
  var input = document.getElementById('sigma-input');
  var out = document.getElementById('converter-output');
  if (!input || !out) return;
  if (typeof window.triplineConvert !== 'function') {
    out.textContent = 'The converter bundle (assets/converter.js) is missing from this build.';
    return;
  }
  var current = 0, timer = 0;
  function render() {
    var results = window.triplineConvert(input.value);
    out.textContent = '';
    var box = document.createElement('div'); box.className = 'tabs'; box.setAttribute('data-tabs', '');
    var list = document.createElement('div'); list.setAttribute('role', 'tablist'); box.appendChild(list);
    results.forEach(function (r, i) {
      var tab = document.createElement('button');
      tab.type = 'button'; tab.setAttribute('role', 'tab'); tab.id = 'conv-tab-' + i;
      tab.setAttribute('aria-controls', 'conv-panel-' + i); tab.setAttribute('aria-selected', i === current ? 'true' : 'false');
      tab.setAttribute('data-target', r.target); tab.textContent = r.label + (r.ok ? '' : ' ⚠');
      tab.addEventListener('click', function () { current = i; });
      list.appendChild(tab);
      var panel = document.createElement('section');
      panel.setAttribute('role', 'tabpanel'); panel.id = 'conv-panel-' + i; panel.hidden = i !== current;
      r.queries.forEach(function (q) {
        var wrap = document.createElement('div'); wrap.className = 'code';
        var copy = document.createElement('button'); copy.type = 'button'; copy.className = 'copy'; copy.setAttribute('data-copy', ''); copy.textContent = 'Copy';
        var pre = document.createElement('pre'); var code = document.createElement('code');
        code.className = 'lang-' + r.language;
        // triplineHighlight escapes every token, so its output is safe markup.
        code.innerHTML = window.triplineHighlight(q, r.language);
        pre.appendChild(code); wrap.appendChild(copy); wrap.appendChild(pre); panel.appendChild(wrap);
      });
      if (r.messages.length) {
        var ul = document.createElement('ul'); ul.className = r.ok ? 'muted' : 'error';
        r.messages.forEach(function (m) { var li = document.createElement('li'); li.textContent = m; ul.appendChild(li); });
        panel.appendChild(ul);
      }
      box.appendChild(panel);
    });
    out.appendChild(box);
  }
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 150); });
  render();
})();
`;
