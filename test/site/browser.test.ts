/**
 * Browser tests: Debian's Chromium (never a downloaded browser) driven by playwright-core opens the
 * built site, switches query tabs, copies a query, searches and converts a pasted rule. Screenshots
 * go to test-output/site-screenshots/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { buildCatalogue } from '../../src/build/catalogue.js';
import { buildSite } from '../../src/site/index.js';
import type { StaticServer } from '../../src/site/index.js';
import { startStaticServer } from '../../src/site/index.js';

const root = resolve(import.meta.dirname, '../../..');
const CHROMIUM = '/usr/bin/chromium';
const outDir = join(root, 'test-output', 'site');
const shots = join(root, 'test-output', 'site-screenshots');
const haveChromium = existsSync(CHROMIUM);

let context: BrowserContext | undefined;
let server: StaticServer | undefined;
let profile: string | undefined;

before(async () => {
  if (!haveChromium) return;
  const cat = buildCatalogue(join(root, 'content'));
  assert.ok(cat.ok, 'the shipped content builds');
  const site = await buildSite(cat.value, outDir);
  assert.ok(site.ok && site.value.converterBundled, 'site written with the converter bundle');
  server = await startStaticServer(outDir);
  const { chromium } = await import('playwright-core');
  profile = mkdtempSync(join(tmpdir(), 'tripline-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    // The tests poll the page with evaluated expressions, which the site's CSP (rightly) forbids.
    bypassCSP: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: server.url.replace(/\/$/, ''),
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(new URL(path, server!.url).href);
  return { page, errors };
}

test('T1119 technique page: query tabs switch and a query is copied', async (t) => {
  if (!haveChromium) return t.skip(`${CHROMIUM} not found: browser tests skipped (CI installs it)`);
  const { page, errors } = await open('techniques/t1119.html');
  assert.match(await page.locator('h1').innerText(), /T1119\s+Automated Collection/);
  const first = page.locator('section.detection').first();
  const splTab = first.locator('[role=tab][data-target=splunk]');
  const kqlTab = first.locator('[role=tab][data-target=sentinel]');
  await kqlTab.click();
  assert.equal(await kqlTab.getAttribute('aria-selected'), 'true');
  assert.equal(await splTab.getAttribute('aria-selected'), 'false');
  const kqlPanel = page.locator(`#${await kqlTab.getAttribute('aria-controls')}`);
  assert.ok(await kqlPanel.isVisible(), 'the KQL panel shows after its tab is clicked');
  assert.ok(!(await page.locator(`#${await splTab.getAttribute('aria-controls')}`).isVisible()));
  const kql = await kqlPanel.locator('code').first().innerText();
  assert.match(kql, /\| where /, 'the KQL query is shown');
  assert.ok((await kqlPanel.locator('code t-kw').count()) > 0, 'keywords are highlighted');
  await kqlPanel.locator('[data-copy]').first().click();
  const panelId = (await kqlTab.getAttribute('aria-controls')) ?? '';
  await page.waitForFunction(
    `document.querySelector('#${panelId} [data-copy]')?.getAttribute('data-copied') === 'true'`,
  );
  const clip = String(await page.evaluate('navigator.clipboard.readText()'));
  assert.equal(clip.trim(), kql.trim(), 'the clipboard holds the query text, without markup');
  await page.screenshot({ path: join(shots, 't1119-technique.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('Collection and Staging story page lists its detections', async (t) => {
  if (!haveChromium) return t.skip(`${CHROMIUM} not found: browser tests skipped (CI installs it)`);
  const { page, errors } = await open('stories.html');
  await page.locator('a', { hasText: 'Collection and Staging' }).first().click();
  await page.waitForLoadState();
  assert.equal(await page.locator('h1').innerText(), 'Collection and Staging');
  const rows = await page.locator('table tbody tr').count();
  assert.ok(rows >= 7, `the story table lists its detections (got ${rows})`);
  await page.screenshot({ path: join(shots, 'collection-and-staging-story.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('search finds techniques, detections and stories', async (t) => {
  if (!haveChromium) return t.skip(`${CHROMIUM} not found: browser tests skipped (CI installs it)`);
  const { page, errors } = await open('index.html');
  assert.ok((await page.locator('.matrix .cell').count()) > 10, 'the heat map has technique cells');
  await page.locator('#search').fill('T1119');
  const results = page.locator('#search-results li');
  await results.first().waitFor();
  assert.match(await results.first().innerText(), /T1119/);
  await page.locator('#search').fill('collection staging');
  await page.locator('#search-results a', { hasText: 'Collection and Staging' }).first().click();
  await page.waitForURL(/stories\//);
  assert.equal(await page.locator('h1').innerText(), 'Collection and Staging');
  assert.deepEqual(errors, []);
});

test('converter page converts a pasted rule for every target in the browser', async (t) => {
  if (!haveChromium) return t.skip(`${CHROMIUM} not found: browser tests skipped (CI installs it)`);
  const { page, errors } = await open('converter.html');
  await page.locator('#converter-output [role=tab]').first().waitFor();
  const rule = [
    'title: Pasted rule',
    'logsource:',
    '  product: windows',
    '  category: process_creation',
    'detection:',
    '  sel:',
    "    Image|endswith: '\\\\robocopy.exe'",
    "    CommandLine|contains: '/MIR'",
    '  condition: sel',
  ].join('\n');
  await page.locator('#sigma-input').fill(rule);
  await page.waitForFunction(
    `document.querySelector('#converter-output code')?.textContent?.includes('robocopy')`,
  );
  const tabs = page.locator('#converter-output [role=tab]');
  assert.ok((await tabs.count()) >= 7, 'one tab per target');
  const splunk = await page.locator('#converter-output [role=tabpanel]').first().innerText();
  assert.match(splunk, /robocopy\.exe/);
  assert.match(splunk, /\/MIR/);
  await page.locator('#converter-output [role=tab][data-target=kusto]').click();
  const kusto = page.locator('#converter-output [role=tabpanel]:not([hidden])');
  assert.match(await kusto.innerText(), /robocopy\.exe/);
  assert.match(await kusto.innerText(), /has|contains/);
  await page.locator('#sigma-input').fill('title: [broken');
  await page.waitForFunction(`document.querySelector('#converter-output .error') !== null`);
  assert.deepEqual(errors, []);
});

test('the site also works from file:// (no fetch of local data)', async (t) => {
  if (!haveChromium) return t.skip(`${CHROMIUM} not found: browser tests skipped (CI installs it)`);
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(outDir, 'index.html')).href);
  await page.locator('#search').fill('automated collection');
  await page.locator('#search-results a').first().waitFor();
  await page.goto(pathToFileURL(join(outDir, 'converter.html')).href);
  await page.locator('#converter-output [role=tab]').first().waitFor();
  assert.deepEqual(errors, []);
});
