/** Shared helpers for the engine tests: rules from YAML text, events in, hits out (fast and reference). */
import type { EngineOptions, Hit } from '../../src/engine/index.js';
import { Engine, referenceMatch, toEventView } from '../../src/engine/index.js';
import { parseSigmaText } from '../../src/sigma/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readEvtx } from '../../src/evtx/index.js';
import { walkFiles } from '../../src/util/files.js';
import { sharedDir } from '../helpers/shared.js';

export { repoRoot, sharedDir as shared } from '../helpers/shared.js';

/** Every SigmaHQ regression event (../shared/corpus/sigmahq/regression_data, .json files of one or more objects). */
export function regressionEvents(): unknown[] {
  const out: unknown[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.json')) {
        const text = readFileSync(p, 'utf8');
        // Objects one after another: split with a tolerant decoder.
        let i = 0;
        while (i < text.length) {
          const start = text.indexOf('{', i);
          if (start < 0) break;
          let depth = 0;
          let inStr = false;
          let j = start;
          for (; j < text.length; j++) {
            const c = text[j];
            if (inStr) {
              if (c === '\\') j++;
              else if (c === '"') inStr = false;
            } else if (c === '"') inStr = true;
            else if (c === '{') depth++;
            else if (c === '}' && --depth === 0) break;
          }
          out.push(JSON.parse(text.slice(start, j + 1)));
          i = j + 1;
        }
      }
    }
  };
  visit(join(sharedDir, 'corpus/sigmahq/regression_data'));
  return out;
}

/** Every `every`-th record of the attack-sample EVTX files (none when they are absent). */
export function attackEvents(every = 1): unknown[] {
  const dir = join(sharedDir, 'evtx/attack-samples');
  const out: unknown[] = [];
  if (!existsSync(dir)) return out;
  let n = 0;
  for (const f of walkFiles([dir], ['.evtx']).files)
    for (const rec of readEvtx(f).records) if (n++ % every === 0) out.push(rec.event);
  return out;
}

/** Every regression event and every attack-sample record, as parsed objects. */
export function sharedEvents(): unknown[] {
  return [...regressionEvents(), ...attackEvents()];
}

export function compileText(
  yaml: string,
  opts: EngineOptions = {},
): { engine: Engine; diagnostics: Diagnostic[] } {
  const parsed = parseSigmaText(yaml, 'test.yml');
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`rule text has errors: ${JSON.stringify(errors)}`);
  return Engine.compile(parsed.file.documents, opts);
}

/** Feed objects through matchObject; return the hits. */
export function huntObjects(engine: Engine, events: readonly unknown[]): Hit[] {
  const hits: Hit[] = [];
  engine.onHit((h) => hits.push(h));
  events.forEach((e, i) => engine.matchObject(e, { file: 'mem', line: i + 1 }));
  engine.finish();
  return hits;
}

/** Feed objects as JSONL lines (through the raw prefilter); return the hits. */
export function huntLines(engine: Engine, events: readonly unknown[]): Hit[] {
  const hits: Hit[] = [];
  engine.onHit((h) => hits.push(h));
  events.forEach((e, i) => {
    const buf = Buffer.from(JSON.stringify(e));
    engine.matchLine(buf, 0, buf.length, { file: 'mem', line: i + 1 });
  });
  engine.finish();
  return hits;
}

/** For each event, which rules (ids) the fast matchers and the reference interpreter say match. */
export function bothInterpreters(engine: Engine, event: unknown): { fast: string[]; reference: string[] } {
  const fast: string[] = [];
  const reference: string[] = [];
  const ev = toEventView(event);
  for (const r of engine.candidatesFor(ev)) {
    if (r.match(toEventView(event))) fast.push(r.id);
    if (referenceMatch(r.tree, toEventView(event))) reference.push(r.id);
  }
  return { fast, reference };
}

/** A one-rule document around a detection block (indented YAML lines). */
export function rule(detection: string, logsource = 'product: test'): string {
  return `title: t\nid: 11111111-1111-4111-8111-111111111111\nstatus: test\nlogsource:\n  ${logsource}\ndetection:\n${detection}\nlevel: high\n`;
}
