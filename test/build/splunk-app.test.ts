import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseConf, shippedBuild } from './helpers.js';

const app = (file: string): string =>
  readFileSync(join(shippedBuild().out, 'packages/splunk/tripline_detections', file), 'utf8');

test('every .conf of the Splunk app is well-formed: stanzas, key = value, continuations, no duplicate keys', () => {
  for (const f of ['default/app.conf', 'default/savedsearches.conf', 'default/macros.conf', 'default/analyticstories.conf', 'metadata/default.meta']) {
    assert.doesNotThrow(() => parseConf(app(f)), f);
  }
});

test('each saved search is scheduled, annotated with ATT&CK and ends with its own editable filter macro', () => {
  const searches = parseConf(app('default/savedsearches.conf'));
  const macros = parseConf(app('default/macros.conf'));
  const cat = shippedBuild().catalogue;
  const deployable = cat.detections.filter((d) => d.targets.splunk && d.targets.splunk.status !== 'unsupported');
  assert.equal(searches.size, deployable.length);
  const t1119 = searches.get('Tripline - Automated Collection of Sensitive Files via Command Line');
  assert.ok(t1119, 'the T1119 detection has a saved search');
  assert.match(t1119.get('cron_schedule') ?? '', /^\S+ \S+ \S+ \S+ \S+$/);
  assert.ok(t1119.get('dispatch.earliest_time'));
  const ann = JSON.parse(t1119.get('action.correlationsearch.annotations') ?? '{}') as { mitre_attack: string[] };
  assert.ok(ann.mitre_attack.includes('T1119'));
  // Enrichment flags rendered natively as eval columns.
  assert.match(t1119.get('search') ?? '', /\| eval RecursiveSearch=if\(searchmatch\(/);
  for (const [name, s] of searches) {
    const m = /\| `([a-z0-9_]+_filter)`$/.exec(s.get('search') ?? '');
    assert.ok(m, `${name} ends with a filter macro`);
    assert.ok(macros.has(m[1] ?? ''), `macro ${m[1]} is defined`);
  }
  assert.equal(macros.size, searches.size, 'one macro per search');
});

test('risk actions follow the detection type: TTPs raise notables and risk, hunting searches do neither', () => {
  const searches = parseConf(app('default/savedsearches.conf'));
  const cat = shippedBuild().catalogue;
  for (const d of cat.detections) {
    const s = [...searches.values()].find((x) => x.get('action.correlationsearch.label')?.endsWith(d.title));
    if (!s) continue;
    if (d.type === 'TTP') assert.equal(s.get('action.notable'), '1', d.title);
    if (d.type === 'Anomaly') assert.equal(s.get('action.notable'), undefined, d.title);
    if (d.type === 'Hunting') assert.equal(s.get('enableSched'), '0', d.title);
    if ((d.type === 'TTP' || d.type === 'Anomaly') && d.riskObjects.length > 0) {
      const risk = JSON.parse(s.get('action.risk.param._risk') ?? '[]') as { risk_object_field?: string }[];
      assert.deepEqual(
        risk.flatMap((r) => r.risk_object_field ?? []),
        d.riskObjects.map((r) => r.field),
      );
    }
  }
});

test('analytic stories list their saved searches by stanza name', () => {
  const stories = parseConf(app('default/analyticstories.conf'));
  const searches = parseConf(app('default/savedsearches.conf'));
  const cs = stories.get('analytic_story://Collection and Staging');
  assert.ok(cs);
  const names = JSON.parse(cs.get('searches') ?? '[]') as string[];
  assert.ok(names.length >= 7);
  for (const n of names) assert.ok(searches.has(n), n);
});

test('the .tar.gz holds the same app files under the app folder', () => {
  const tar = gunzipSync(readFileSync(join(shippedBuild().out, 'packages/splunk/tripline_detections.tar.gz')));
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const body = tar.subarray(off + 512, off + 512 + size).toString('utf8');
    if (name.endsWith('savedsearches.conf')) assert.equal(body, app('default/savedsearches.conf'));
    names.push(name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  assert.ok(names.includes('tripline_detections/default/app.conf'));
  assert.ok(names.includes('tripline_detections/default/savedsearches.conf'));
  assert.ok(names.includes('tripline_detections/default/macros.conf'));
});
