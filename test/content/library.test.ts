import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lookupTechnique, validateAttackTag } from '../../src/attack/index.js';
import { fail, formatDiagnostic, ok } from '../../src/diagnostics/index.js';
import {
  loadAtomicIndex,
  loadContent,
  runDetectionTests,
  summarizeStory,
  testEvents,
} from '../../src/content/index.js';
import type { ContentSet, Detection, DetectionEvaluator, TestHit } from '../../src/content/index.js';
import { stringify } from 'yaml';
import { Engine } from '../../src/engine/index.js';
import { lowerCorrelation, lowerRule } from '../../src/ir/lower.js';
import { Converter } from '../../src/backends/convert.js';
import { checkFiles, parseSigmaText } from '../../src/sigma/index.js';
import { listTargets } from '../../src/backends/registry.js';
import { contentDir, sharedDir } from './helpers.js';

let cached: ContentSet | undefined;
function library(): ContentSet {
  if (cached) return cached;
  const r = loadContent(contentDir);
  assert.ok(r.ok);
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), [], 'the shipped library loads without diagnostics');
  cached = r.value;
  return cached;
}

test('every shipped detection loads, with at least one positive and one negative test', () => {
  const set = library();
  assert.ok(set.detections.length >= 39, `only ${set.detections.length} detections`);
  for (const d of set.detections) {
    const kinds = d.tripline.tests.map((t) => t.kind);
    assert.ok(kinds.includes('positive') && kinds.includes('negative'), d.relPath);
    assert.ok(d.falsepositives.length > 0, `${d.relPath}: falsepositives`);
    assert.ok(d.tripline.triage.trim().length > 20, `${d.relPath}: triage`);
    assert.ok(d.techniques.length > 0, `${d.relPath}: ATT&CK technique`);
  }
});

test('every ATT&CK tag of the library names an id in the pinned table', () => {
  for (const d of library().detections) {
    for (const tag of d.tags.filter((t) => t.startsWith('attack.'))) {
      const v = validateAttackTag(tag);
      assert.ok(v.kind === 'technique' || v.kind === 'tactic', `${d.relPath}: ${tag} is ${v.kind}`);
    }
    for (const a of d.tripline.atomics)
      assert.ok(lookupTechnique(a.technique), `${d.relPath}: ${a.technique}`);
  }
});

test('the library spans the tactics the issue asks for, with 30+ detections beyond the flagship and story', () => {
  const set = library();
  const tactics = new Set(set.detections.flatMap((d) => d.tactics));
  for (const t of [
    'collection',
    'exfiltration',
    'credential-access',
    'execution',
    'persistence',
    'defense-evasion',
    'discovery',
  ]) {
    assert.ok(tactics.has(t), t);
  }
  const story = set.stories.find((s) => s.name === 'Collection and Staging');
  assert.ok(story);
  const inStory = new Set(summarizeStory(set, story).detections.map((d) => d.id));
  const flagship = set.detections.filter((d) => d.techniques.includes('T1119'));
  const further = set.detections.filter((d) => !inStory.has(d.id) && !flagship.includes(d));
  assert.ok(further.length >= 30, `${further.length} further detections`);
});

test('the flagship T1119 detection has the five enrichment flags, four atomics and evtx-shaped datasets', () => {
  const d = library().detections.find(
    (x) => x.relPath === 'detections/collection/t1119-automated-collection-sensitive-files.yml',
  );
  assert.ok(d);
  assert.deepEqual(
    d.tripline.enrichment.map((e) => e.name),
    ['RecursiveSearch', 'SensitiveExtension', 'ArchiveTool', 'MassCopy', 'CredentialFiles'],
  );
  assert.equal(d.tripline.atomics.length, 4);
  assert.ok(d.tripline.atomics.every((a) => a.technique === 'T1119'));
  const telemetry = new Set(
    d.tripline.atomics.flatMap((a) => a.telemetry.map((t) => `${t.source} ${t.eventId}`)),
  );
  for (const want of ['Sysmon 1', 'Sysmon 11', 'Security 4688', 'Security 4663', 'PowerShell 4104']) {
    assert.ok(telemetry.has(want), want);
  }
  for (const fp of ['backup', 'sync', 'migrat', 'build', 'antivirus']) {
    assert.ok(
      d.falsepositives.some((f) => f.toLowerCase().includes(fp)),
      fp,
    );
  }
  const withDataset = d.tripline.tests.filter((t) => t.dataset !== undefined);
  assert.ok(withDataset.length >= 2);
  for (const t of withDataset) {
    const ev = testEvents(t);
    assert.ok(ev.ok && ev.value.length > 0, t.name);
    for (const e of ev.value) assert.ok('Event' in e.event, `${t.name}: evtx JSON shape`);
  }
});

test('the Collection and Staging story has its seven detections, two of them correlations', () => {
  const set = library();
  const story = set.stories.find((s) => s.name === 'Collection and Staging')!;
  const s = summarizeStory(set, story);
  const titles = s.detections.map((d) => d.title);
  for (const want of [
    /System Volume Information/,
    /Renamed 7-Zip/,
    /Renamed WinRAR/,
    /Recycle Bin/,
    /E-mail Data Files Written Outside the Outlook Directory/,
    /E-mail Server Sending a High Volume/,
    /Host Receiving a High Number of Connections from an E-mail Server/,
  ]) {
    assert.ok(
      titles.some((t) => want.test(t)),
      String(want),
    );
  }
  const correlations = s.detections.filter((d) => d.kind === 'correlation');
  assert.equal(correlations.length, 2);
  assert.deepEqual(
    correlations.map((d) => (d.documents[d.primary]!.correlation as { type: string }).type).sort(),
    ['event_count', 'value_sum'],
  );
  assert.ok(s.techniques.includes('T1119'));
  assert.ok(s.dataSources.some((x) => x.name === 'Firewall Traffic'));
});

test('every Sigma document of the library lowers to the IR', () => {
  for (const d of library().detections) {
    for (const doc of d.sigma) {
      const r =
        doc.kind === 'Rule' ? lowerRule(doc) : doc.kind === 'Correlation' ? lowerCorrelation(doc) : undefined;
      assert.ok(r, `${d.relPath}: unexpected ${doc.kind}`);
      assert.ok(r.ok, `${d.relPath}: ${r.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
  }
});

test('every test event set is readable and the story and data-source references resolve', () => {
  const set = library();
  const dsNames = new Set(set.dataSources.map((s) => s.name));
  for (const d of set.detections) {
    for (const ds of d.tripline.dataSources) assert.ok(dsNames.has(ds), `${d.relPath}: ${ds}`);
    for (const t of d.tripline.tests) {
      const ev = testEvents(t);
      assert.ok(ev.ok && ev.value.length > 0, `${d.relPath}: ${t.name}`);
    }
  }
});

test('every atomic GUID in the library exists in ../shared Atomic Red Team with the same technique', (t) => {
  const shared = sharedDir();
  if (!shared) {
    t.skip('../shared not found');
    return;
  }
  const idx = loadAtomicIndex(join(shared, 'data/atomic-red-team/atomics'));
  assert.ok(idx.ok);
  const r = loadContent(contentDir, { atomics: idx.value });
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  const linked = library().detections.flatMap((d) => d.tripline.atomics);
  assert.ok(linked.length >= 40, `${linked.length} atomic links`);
});

/** Codes a conversion may fail with when a target's data model cannot express a rule: it says why not. */
const WHY_NOT = new Set(['TL5001', 'TL4101', 'TL4102', 'TL5008', 'TL5010']);
/** Sysmon-backed endpoint categories every target's pipelines can express. */
const PORTABLE = new Set([
  'process_creation',
  'file_event',
  'registry_set',
  'network_connection',
  'image_load',
]);

test('every detection converts for every registered target with one of its pipelines, or says why not', () => {
  const set = library();
  const files = set.detections.map((d) => ({ file: d.file, documents: d.sigma }));
  // Base rules of a correlation are embedded in the correlation's query, not emitted alone.
  const byId = new Map(set.detections.map((d) => [d.id, d]));
  const targets = listTargets();
  assert.ok(targets.length > 0);
  for (const target of targets) {
    const converted = new Set<string>();
    const errors = new Map<string, string[]>();
    for (const pipelines of [undefined, ...Object.keys(target.pipelines).map((p) => [p])]) {
      const c = Converter.create(pipelines ? { target: target.name, pipelines } : { target: target.name });
      if (!c.ok) continue;
      for (const doc of c.value.convertFiles(files).docs) {
        if (!byId.has(doc.id)) continue;
        const errs = doc.diagnostics.filter((d) => d.severity === 'error');
        if (errs.length === 0 && doc.output && doc.output.length > 0) converted.add(doc.id);
        else errors.set(doc.id, [...(errors.get(doc.id) ?? []), ...errs.map(formatDiagnostic)]);
      }
    }
    for (const [id, d] of byId) {
      if (converted.has(id)) continue;
      const errs = errors.get(id) ?? [];
      const where = `${target.name}: ${d.relPath}`;
      assert.ok(!PORTABLE.has(d.logsource.category ?? ''), `${where} must convert:\n${errs.join('\n')}`);
      assert.ok(errs.length > 0, `${where} produced no query and no reason`);
      for (const e of errs) assert.ok(WHY_NOT.has(/ (TL\d{4}):/.exec(e)?.[1] ?? ''), `${where}: ${e}`);
    }
  }
});

test("'tripline check' finds nothing to report in the detection files", () => {
  const res = checkFiles(library().detections.map((d) => d.file));
  assert.deepEqual(res.diagnostics.map(formatDiagnostic), []);
  assert.equal(res.correlations, 2);
});

/** Each enrichment flag as a one-selection Sigma rule over the detection's logsource, compiled by the engine. */
function flagEngines(d: Detection): [string, Engine][] {
  return d.tripline.enrichment.map((f) => {
    const text = stringify({
      title: f.name,
      logsource: d.logsource,
      detection: { sel: f.selection, condition: 'sel' },
    });
    const parsed = parseSigmaText(text, `${d.relPath}#${f.name}`);
    const { engine, diagnostics } = Engine.compile(parsed.file.documents);
    assert.deepEqual(diagnostics.filter((x) => x.severity === 'error').map(formatDiagnostic), [], f.name);
    return [f.name, engine];
  });
}

test('the evaluation engine gives every library test its expected hits and enrichment flags', () => {
  const engineEvaluator: DetectionEvaluator = {
    evaluate(d, events) {
      const { engine, diagnostics } = Engine.compile(d.sigma);
      const flags = flagEngines(d);
      const hits: TestHit[] = [];
      engine.onHit((h) => {
        if (d.kind === 'correlation') {
          if (h.kind === 'correlation') hits.push({ eventIndex: events.length - 1, enrichment: {} });
          return;
        }
        if (h.kind !== 'rule' || h.rule.id !== d.id) return;
        const i = (h.source.line ?? 1) - 1;
        const enrichment: Record<string, boolean> = {};
        for (const [name, fe] of flags) {
          let on = false;
          fe.onHit(() => (on = true));
          fe.matchObject(events[i]!.event, { file: 'flag' });
          enrichment[name] = on;
        }
        hits.push({ eventIndex: i, enrichment });
      });
      events.forEach((e, i) => engine.matchObject(e.event, { file: e.origin, line: i + 1 }));
      engine.finish();
      return diagnostics.some((x) => x.severity === 'error') ? fail(diagnostics) : ok(hits, diagnostics);
    },
  };
  const verdicts = runDetectionTests(library().detections, engineEvaluator);
  assert.ok(verdicts.length >= 100);
  const wrong = verdicts
    .filter((v) => !v.pass)
    .map((v) => `${v.detection} ${v.test}: ${v.failures.map((f) => f.message).join('; ')}`);
  assert.deepEqual(wrong, []);
});
