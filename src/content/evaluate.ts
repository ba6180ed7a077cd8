/**
 * The engine-backed evaluator `tripline test` plugs into the test model: a detection (with the base
 * rules of its file) compiled by the evaluation engine, its test events fed in order, each hit's
 * enrichment flags evaluated by the engine too, on the event that completed the hit.
 */
import { stringify } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import { Engine } from '../engine/index.js';
import type { Hit } from '../engine/index.js';
import { parseSigmaText } from '../sigma/index.js';
import type { SigmaDocument } from '../sigma/index.js';
import type { Detection } from './model.js';
import type { DetectionEvaluator, TestEvent, TestHit } from './test-model.js';

/** One enrichment flag as a Sigma rule named after the flag (so the engine evaluates it like any rule). */
function flagRules(d: Detection): { docs: SigmaDocument[]; diagnostics: Diagnostic[] } {
  const docs: SigmaDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of d.tripline.enrichment) {
    const text = stringify({
      title: `${d.title}: ${f.name}`,
      name: f.name,
      logsource: d.logsource,
      detection: { selection: f.selection, condition: 'selection' },
    });
    const parsed = parseSigmaText(text, `${d.relPath}#enrichment.${f.name}`);
    // Positions inside the generated text mean nothing to a user: point at the flag in the file.
    for (const diag of parsed.diagnostics) diagnostics.push({ ...diag, file: d.file, span: f.span });
    docs.push(...parsed.file.documents);
  }
  return { docs, diagnostics };
}

export function engineEvaluator(): DetectionEvaluator {
  const flagEngines = new Map<string, { engine: Engine; diagnostics: Diagnostic[] }>();
  const flagsOf = (d: Detection): { engine: Engine; diagnostics: Diagnostic[] } => {
    let e = flagEngines.get(d.file);
    if (!e) {
      const { docs, diagnostics } = flagRules(d);
      const c = Engine.compile(docs);
      e = { engine: c.engine, diagnostics: [...diagnostics, ...c.diagnostics] };
      flagEngines.set(d.file, e);
    }
    return e;
  };
  return {
    evaluate(d: Detection, events: readonly TestEvent[]): Result<TestHit[]> {
      const compiled = Engine.compile(d.sigma, { ruleIds: [d.id] });
      const errors = compiled.diagnostics.filter((x) => x.severity === 'error');
      if (errors.length > 0 || (!compiled.engine.rules.some((r) => r.id === d.id) && d.kind === 'rule')) {
        return fail(
          errors.length > 0
            ? errors
            : [
                {
                  code: 'TL8090',
                  severity: 'error',
                  message: `detection ${d.id} did not compile`,
                  file: d.file,
                },
              ],
        );
      }
      const hits: Hit[] = [];
      compiled.engine.onHit((h) => hits.push(h));
      events.forEach((e, i) => {
        compiled.engine.matchObject(e.event, { file: e.origin, line: i + 1 });
      });
      compiled.engine.finish();
      const flags = flagsOf(d);
      if (flags.diagnostics.some((x) => x.severity === 'error')) return fail(flags.diagnostics);
      const out: TestHit[] = [];
      for (const h of hits) {
        const line = h.kind === 'rule' ? h.source.line : h.hit.events[h.hit.events.length - 1]?.line;
        const eventIndex = (line ?? 1) - 1;
        const enrichment: Record<string, boolean> = Object.fromEntries(
          d.tripline.enrichment.map((f) => [f.name, false]),
        );
        const event = events[eventIndex];
        if (event && d.tripline.enrichment.length > 0) {
          flags.engine.onHit((fh) => {
            if (fh.rule.name !== undefined) enrichment[fh.rule.name] = true;
          });
          flags.engine.matchObject(event.event, { file: event.origin, line: eventIndex + 1 });
        }
        out.push({ eventIndex, enrichment });
      }
      return ok(out, [...compiled.diagnostics, ...flags.diagnostics]);
    },
  };
}
