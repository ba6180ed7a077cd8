/** One detection file: a Sigma rule (or correlation with its base rules) plus one `tripline:` block. */
import type { Diagnostic, DiagnosticCode, Span } from '../diagnostics/index.js';
import { lookupTechnique, tacticsFromTags, validateAttackTag } from '../attack/index.js';
import type {
  AtomicLink,
  Detection,
  DetectionTest,
  EnrichmentFlag,
  Override,
  RiskObject,
  Selection,
  SigmaLogsource,
  ThreatObject,
  TriplineBlock,
} from './model.js';
import type { DetectionType, Severity, TestKind } from './model.js';
import { DETECTION_TYPES, SEVERITIES, TRIPLINE_BLOCK } from './schemas.js';
import { report, validateNode } from './schema-dsl.js';
import type { ValidationContext } from './schema-dsl.js';
import { parseSigmaText, validateDocument } from '../sigma/index.js';
import type { YNode } from './yaml-doc.js';
import {
  asRecord,
  asString,
  asStrings,
  customKeys,
  entryOf,
  keySpanAt,
  nodeAt,
  readContentYaml,
} from './yaml-doc.js';

const YAML_LEVEL = new Set<string>(['TL1001', 'TL1002', 'TL1003', 'TL1005', 'TL1006']);

/** Sigma modifiers an enrichment selection may use (the Sigma specification's list, aliases included). */
const MODIFIERS = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  'exists',
  'cased',
  're',
  'i',
  'm',
  's',
  'base64',
  'base64offset',
  'wide',
  'utf16',
  'utf16le',
  'utf16be',
  'windash',
  'cidr',
  'expand',
  'fieldref',
  'gt',
  'gte',
  'lt',
  'lte',
  'neq',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
]);

export function parseDetectionFile(
  text: string,
  file: string,
  relPath: string,
  diagnostics: Diagnostic[],
): Detection | undefined {
  // The Sigma front end owns the Sigma part: its YAML, schema and lint diagnostics come first.
  const sig = parseSigmaText(text, file);
  const yamlBroken = sig.diagnostics.some((d) => YAML_LEVEL.has(d.code));
  diagnostics.push(...sig.diagnostics);
  for (const doc of sig.file.documents) {
    // Our ATT&CK check against the pinned table is stricter than the Sigma lint (TL1019).
    diagnostics.push(...validateDocument(doc).filter((d) => d.code !== 'TL1019'));
  }
  // Sigma has reported YAML errors already; the same reader gives us the positioned tree.
  const y = readContentYaml(text, file, diagnostics, true);
  if (!y || yamlBroken) return undefined;
  const ctx: ValidationContext = { file, diagnostics };
  const documents = y.docs.map((d) => asRecord(d.data) ?? {});
  const carriers = y.docs.flatMap((d, i) => (entryOf(d.root, 'tripline') ? [i] : []));
  if (carriers.length === 0) {
    report(
      ctx,
      'TL8010',
      "no 'tripline:' block: add one to the Sigma rule this file defines",
      y.docs[0]?.root.span,
      [],
    );
    return undefined;
  }
  for (const extra of carriers.slice(1)) {
    const root = y.docs[extra]!.root;
    report(ctx, 'TL8011', "only one document per file may carry 'tripline:'", keySpanAt(root, ['tripline']), [
      'tripline',
    ]);
  }
  const primary = carriers[0]!;
  const root = y.docs[primary]!.root;
  const raw = documents[primary]!;
  const blockNode = nodeAt(root, ['tripline']);
  const before = diagnostics.length;
  validateNode(ctx, TRIPLINE_BLOCK, blockNode, ['tripline'], keySpanAt(root, ['tripline']));
  const blockValid = !diagnostics.slice(before).some((d) => d.severity === 'error');

  const kind = 'correlation' in raw ? 'correlation' : 'rule';
  checkSigmaShape(ctx, root);
  const tags = asStrings(raw.tags);
  const techniques = checkAttackTags(ctx, root, tags);

  const block = buildBlock(ctx, blockNode, asRecord(raw.tripline) ?? {}, asString(raw.level));
  if (!blockValid && !block) return undefined;
  if (!block) return undefined;
  if (kind === 'rule' && block.type === 'Correlation') {
    report(
      ctx,
      'TL8027',
      "type 'Correlation' needs a Sigma correlation rule (a 'correlation:' section)",
      nodeAt(blockNode, ['type'])?.span,
      ['tripline', 'type'],
    );
  }
  if (kind === 'correlation' && block.type !== 'Correlation') {
    report(
      ctx,
      'TL8027',
      "this file's detection is a correlation: set 'type: Correlation'",
      nodeAt(blockNode, ['type'])?.span,
      ['tripline', 'type'],
    );
  }
  for (const a of block.atomics) {
    if (
      !techniques.includes(a.technique) &&
      !techniques.some((t) => a.technique.startsWith(`${t}.`) || t.startsWith(`${a.technique}.`))
    ) {
      diagnostics.push({
        code: 'TL8023',
        severity: 'warning',
        message: `atomic test ${a.guid} is for ${a.technique}, which the rule's tags do not name`,
        file,
        span: a.span,
        path: ['tripline', 'atomics'],
      });
    }
  }

  const logsource = logsourceOf(kind === 'rule' ? raw : (documents.find((d) => 'logsource' in d) ?? {}));
  const det: Detection = {
    file,
    relPath,
    id: asString(raw.id) ?? '',
    title: asString(raw.title) ?? '',
    tags,
    falsepositives: asStrings(raw.falsepositives),
    references: asStrings(raw.references),
    kind,
    logsource,
    techniques,
    tactics: tacticsFromTags(tags),
    documents,
    primary,
    tripline: block,
    span: root.span,
    sigma: sig.file.documents,
  };
  for (const k of ['status', 'level', 'description', 'author', 'date', 'modified'] as const) {
    const v = asString(raw[k]);
    if (v !== undefined) det[k] = v;
  }
  return det;
}

function logsourceOf(doc: Record<string, unknown>): SigmaLogsource {
  const ls = asRecord(doc.logsource) ?? {};
  const out: SigmaLogsource = {};
  for (const k of ['product', 'category', 'service'] as const) {
    const v = asString(ls[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Sigma makes `id` optional; a shipped detection needs one (the library, tests and site key on it). */
function checkSigmaShape(ctx: ValidationContext, root: YNode): void {
  for (const k of ['title', 'id']) {
    if (!nodeAt(root, [k])) report(ctx, 'TL8030', `a detection needs a Sigma '${k}'`, root.span, []);
  }
}

/** Validate ATT&CK tags against the pinned table; returns the technique ids. */
function checkAttackTags(ctx: ValidationContext, root: YNode, tags: string[]): string[] {
  const tagsNode = nodeAt(root, ['tags']);
  const at = (i: number): Span | undefined =>
    (tagsNode?.kind === 'seq' ? tagsNode.items[i]?.span : undefined) ?? keySpanAt(root, ['tags']);
  const tactics = tacticsFromTags(tags);
  const techniques: string[] = [];
  tags.forEach((tag, i) => {
    const v = validateAttackTag(tag);
    const put = (code: DiagnosticCode, message: string): void =>
      report(ctx, code, message, at(i), ['tags', i]);
    switch (v.kind) {
      case 'malformed':
        put('TL8025', `'${tag}': ${v.reason}`);
        break;
      case 'unknown-tactic':
        put('TL8025', `'${tag}' is neither an ATT&CK tactic nor a technique, group or software id`);
        break;
      case 'unknown-technique':
        put(
          'TL8016',
          `${v.id} is not in the pinned ATT&CK Enterprise table (revoked, deprecated or mistyped?)`,
        );
        break;
      case 'technique': {
        techniques.push(v.technique.id);
        if (tactics.length > 0 && !v.technique.tactics.some((t) => tactics.includes(t))) {
          put(
            'TL8017',
            `${v.technique.id} (${v.technique.name}) belongs to ${v.technique.tactics.join(', ')}, not to ${tactics.join(', ')}`,
          );
        }
        break;
      }
      default:
        break;
    }
  });
  if (techniques.length === 0) {
    report(
      ctx,
      'TL8018',
      'no ATT&CK technique tag (e.g. attack.t1119)',
      keySpanAt(root, ['tags']) ?? root.span,
      ['tags'],
    );
  }
  return techniques;
}

const LEVEL_TO_SEVERITY: Record<string, Severity> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

function buildBlock(
  ctx: ValidationContext,
  node: YNode | undefined,
  b: Record<string, unknown>,
  level: string | undefined,
): TriplineBlock | undefined {
  const fallback = node?.span ?? { line: 1, column: 1 };
  const type = asString(b.type);
  const confidence = asString(b.confidence);
  if (!type || !(DETECTION_TYPES as readonly string[]).includes(type)) return undefined;
  if (confidence !== 'low' && confidence !== 'medium' && confidence !== 'high') return undefined;
  const written = asString(b.severity);
  const severity: Severity =
    written && (SEVERITIES as readonly string[]).includes(written)
      ? (written as Severity)
      : (LEVEL_TO_SEVERITY[level ?? ''] ?? 'medium');

  const enrichment: EnrichmentFlag[] = [];
  for (const [name, sel] of Object.entries(asRecord(b.enrichment) ?? {})) {
    const selNode = nodeAt(node, ['enrichment', name]);
    checkSelection(ctx, selNode, ['tripline', 'enrichment', name]);
    enrichment.push({
      name,
      selection: sel as Selection,
      span: keySpanAt(node, ['enrichment', name]) ?? fallback,
    });
  }
  const flagNames = new Set(enrichment.map((e) => e.name));

  const tests: DetectionTest[] = [];
  (Array.isArray(b.tests) ? b.tests : []).forEach((raw: unknown, i) => {
    const t = asRecord(raw);
    const tNode = nodeAt(node, ['tests', i]);
    const path = ['tripline', 'tests', i];
    if (!t) return;
    const kindV = asString(t.kind);
    const kind: TestKind = kindV === 'negative' ? 'negative' : 'positive';
    const expectRaw = asRecord(t.expect);
    const matches = typeof expectRaw?.matches === 'number' ? expectRaw.matches : kind === 'negative' ? 0 : -1;
    const enr = Array.isArray(expectRaw?.enrichment)
      ? (expectRaw.enrichment as unknown[]).map((e) => asRecord(e) ?? {})
      : [];
    const events = Array.isArray(t.events)
      ? (t.events as unknown[]).map((e) => asRecord(e) ?? {})
      : undefined;
    const dataset = asString(t.dataset);
    if (events && dataset !== undefined)
      report(ctx, 'TL8026', "give either 'events' or 'dataset', not both", tNode?.span, path);
    if (!events && dataset === undefined)
      report(ctx, 'TL8026', "a test needs 'events' or a 'dataset'", tNode?.span, path);
    if (kind === 'positive' && matches < 1) {
      report(
        ctx,
        'TL8026',
        "a positive test needs 'expect: {matches: N}' with N ≥ 1",
        (nodeAt(tNode, ['expect']) ?? tNode)?.span,
        path,
      );
    }
    if (kind === 'negative' && matches !== 0) {
      report(
        ctx,
        'TL8026',
        'a negative test expects 0 matches',
        (nodeAt(tNode, ['expect', 'matches']) ?? tNode)?.span,
        path,
      );
    }
    if (enr.length > Math.max(matches, 0)) {
      report(
        ctx,
        'TL8026',
        `${enr.length} enrichment expectations for ${matches} expected hit(s)`,
        nodeAt(tNode, ['expect', 'enrichment'])?.span,
        [...path, 'expect', 'enrichment'],
      );
    }
    enr.forEach((m, j) => {
      for (const flag of Object.keys(m)) {
        if (!flagNames.has(flag)) {
          report(
            ctx,
            'TL8020',
            `enrichment flag '${flag}' is not defined under tripline.enrichment`,
            keySpanAt(tNode, ['expect', 'enrichment', j, flag]),
            [...path, 'expect', 'enrichment', j, flag],
          );
        }
      }
    });
    const test: DetectionTest = {
      name: asString(t.name) ?? `test ${i + 1}`,
      kind,
      expect: {
        matches: Math.max(matches, 0),
        enrichment: enr.map((m) =>
          Object.fromEntries(
            Object.entries(m).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
          ),
        ),
      },
      span: tNode?.span ?? fallback,
    };
    const description = asString(t.description);
    if (description !== undefined) test.description = description;
    if (events) test.events = events;
    if (dataset !== undefined) test.dataset = dataset;
    tests.push(test);
  });

  const atomics: AtomicLink[] = [];
  (Array.isArray(b.atomics) ? b.atomics : []).forEach((raw: unknown, i) => {
    const a = asRecord(raw);
    if (!a) return;
    atomics.push({
      guid: (asString(a.guid) ?? '').toLowerCase(),
      technique: (asString(a.technique) ?? '').toUpperCase(),
      name: asString(a.name) ?? '',
      telemetry: (Array.isArray(a.telemetry) ? (a.telemetry as unknown[]) : []).map((x) => {
        const r = asRecord(x) ?? {};
        const tel = {
          source: asString(r.source) ?? '',
          eventId: typeof r.event_id === 'number' ? r.event_id : 0,
          fields: asRecord(r.fields) ?? {},
        };
        const d = asString(r.description);
        return d !== undefined ? { ...tel, description: d } : tel;
      }),
      span: nodeAt(node, ['atomics', i])?.span ?? fallback,
    });
    const tech = asString(a.technique);
    if (tech !== undefined && !lookupTechnique(tech)) {
      report(
        ctx,
        'TL8016',
        `atomic technique ${tech} is not in the pinned ATT&CK table`,
        nodeAt(node, ['atomics', i, 'technique'])?.span,
        ['tripline', 'atomics', i, 'technique'],
      );
    }
  });

  const overrides: Record<string, Override> = {};
  for (const [target, o] of Object.entries(asRecord(b.overrides) ?? {})) {
    const r = asRecord(o) ?? {};
    const ov: Override = { query: asString(r.query) ?? '' };
    const rb = asString(r.reviewed_by);
    if (rb !== undefined) ov.reviewedBy = rb;
    const rv = asString(r.reviewed);
    if (rv !== undefined) ov.reviewed = rv;
    const rs = asString(r.reason);
    if (rs !== undefined) ov.reason = rs;
    overrides[target] = ov;
  }

  const entities = <T>(v: unknown, withScore: boolean): T[] =>
    (Array.isArray(v) ? v : []).map((x: unknown) => {
      const r = asRecord(x) ?? {};
      const o: Record<string, unknown> = {
        field: asString(r.field) ?? '',
        type: asString(r.type) ?? 'other',
      };
      if (withScore && typeof r.score === 'number') o.score = r.score;
      if (typeof r.role === 'string') o.role = r.role;
      return o as T;
    });

  const block: TriplineBlock = {
    type: type as DetectionType,
    severity,
    severityFromLevel: written === undefined,
    confidence,
    dataSources: asStrings(b.data_sources),
    enrichment,
    riskObjects: entities<RiskObject>(b.risk_objects, true),
    threatObjects: entities<ThreatObject>(b.threat_objects, false),
    triage: asString(b.triage) ?? '',
    stories: asStrings(b.stories),
    overrides,
    tests,
    atomics,
    custom: customKeys(b),
  };
  for (const [k, prop] of [
    ['how_to_implement', 'howToImplement'],
    ['response', 'response'],
    ['tuning', 'tuning'],
  ] as const) {
    const v = asString(b[k]);
    if (v !== undefined) block[prop] = v;
  }
  return block;
}

/** An enrichment selection: `Field|modifier…` keys with scalar or list-of-scalar values. */
function checkSelection(ctx: ValidationContext, node: YNode | undefined, path: (string | number)[]): void {
  const maps =
    node?.kind === 'seq'
      ? node.items.map((n, i) => [n, [...path, i]] as const)
      : node
        ? [[node, path] as const]
        : [];
  for (const [m, p] of maps) {
    if (m.kind !== 'map') continue;
    if (m.entries.length === 0) report(ctx, 'TL8022', 'an empty selection matches everything', m.span, p);
    for (const e of m.entries) {
      const [field, ...mods] = e.key.split('|');
      if (!field) report(ctx, 'TL8022', 'enrichment selections name a field', e.keySpan, [...p, e.key]);
      for (const mod of mods) {
        if (!MODIFIERS.has(mod)) report(ctx, 'TL8022', `unknown modifier '${mod}'`, e.keySpan, [...p, e.key]);
      }
      const v = e.value;
      if (!(v.kind === 'scalar' || (v.kind === 'seq' && v.items.every((x) => x.kind === 'scalar')))) {
        report(ctx, 'TL8022', 'values are a scalar or a list of scalars', v.span, [...p, e.key]);
      }
    }
  }
}
