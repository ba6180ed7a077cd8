/**
 * The reference backend's `conversion_metadata.mapping_confidence`: a heuristic score for each
 * Sigma → CSE field mapping the rule relies on, their mean, and a threshold below which the rule is
 * not converted (option min_confidence, default 0.25; 0 disables it).
 *
 * A mapping's score weighs four factors: how many words the Sigma name shares with the CSE name and
 * its schema description (Jaccard), whether the mapping loses data (multi-hash fields, a dropped
 * Subject/Target/Source/Destination context, a few known lossy pairs), whether the types agree
 * (guessed from the Sigma name), and whether the target is a catch-all field. A few well-known pairs
 * have fixed scores. Numbers are rounded as Python's round(x, 3) does, so outputs stay byte-equal.
 */
import type { IrNode, IrRule, Origin } from '../../ir/types.js';
import { CSE_FIELD_SCHEMA, type CseFieldSchema } from './cse-descriptions.js';
import { deepFreeze } from './pyjson.js';
import { SUMOLOGIC_MAPPING_ITEMS } from './pipelines.js';
import { CATEGORY_ENTITIES, entitySelectors, lookupLogsource } from './schema.js';

const WEIGHT_SEMANTIC = 0.35;
const WEIGHT_DATA = 0.3;
const WEIGHT_TYPE = 0.2;
const WEIGHT_SPECIFICITY = 0.15;

export const DEFAULT_MIN_CONFIDENCE = 0.25;

const CATEGORY_THRESHOLDS: Readonly<Record<string, number>> = {
  authentication: 0.8,
  process_creation: 0.75,
  image_load: 0.75,
  registry_event: 0.75,
  network_connection: 0.7,
  dns_query: 0.7,
  firewall: 0.7,
  file_event: 0.7,
  proxy: 0.6,
};
const DEFAULT_THRESHOLD = 0.7;

/** Pairs scored by hand in the reference (sigma field, CSE field) → score. */
const KNOWN_GOOD: ReadonlyMap<string, number> = new Map(
  (
    [
      ['EventID', 'metadata_deviceEventId', 0.95],
      ['EventId', 'metadata_deviceEventId', 0.95],
      ['Action', 'action', 1.0],
      ['action', 'action', 1.0],
      ['errorCode', 'errorCode', 1.0],
      ['ErrorCode', 'errorCode', 1.0],
      ['eventName', 'action', 0.95],
      ['eventSource', 'application', 0.9],
      ['sourceIPAddress', 'srcDevice_ip', 0.95],
      ['userIdentity.principalId', 'user_userId', 0.9],
      ['userIdentity.userName', 'user_username', 0.95],
      ['userAgent', 'http_userAgent', 0.95],
      ['requestParameters', 'fields.requestParameters', 0.85],
      ['responseElements', 'fields.responseElements', 0.85],
      ['user', 'user_username', 0.85],
      ['User', 'user_username', 0.85],
      ['username', 'user_username', 0.95],
      ['Username', 'user_username', 0.95],
      ['hostname', 'device_hostname', 0.95],
      ['Hostname', 'device_hostname', 0.95],
      ['ip', 'srcDevice_ip', 0.85],
      ['IpAddress', 'srcDevice_ip', 0.9],
      ['query', 'dns_query', 0.95],
      ['record_type', 'dns_queryType', 0.9],
      ['rcode', 'dns_replyCode', 0.9],
      ['Signature', 'threat_identifier', 0.95],
      ['signature', 'threat_identifier', 0.95],
      ['Filename', 'file_path', 0.95],
      ['FileName', 'file_path', 0.95],
      ['c-uri', 'http_url', 0.95],
      ['cs-method', 'http_method', 0.95],
      ['cs-host', 'http_url_fqdn', 0.95],
      ['c-useragent', 'http_userAgent', 0.95],
      ['cs-user-agent', 'http_userAgent', 0.95],
      ['sc-status', 'http_response_statusCode', 0.95],
      ['cs-referrer', 'http_referer', 0.9],
      ['c-ip', 'srcDevice_ip', 0.95],
      ['src_ip', 'srcDevice_ip', 0.95],
      ['dst_ip', 'dstDevice_ip', 0.95],
      ['source.ip', 'srcDevice_ip', 0.95],
      ['source.port', 'srcPort', 0.95],
      ['destination.ip', 'dstDevice_ip', 0.95],
      ['destination.port', 'dstPort', 0.95],
      ['dns.question.name', 'dns_query', 0.95],
      ['dns.question.type', 'dns_queryType', 0.9],
      ['dns.response.code', 'dns_replyCode', 0.9],
    ] as const
  ).map(([s, c, v]) => [`${s}\0${c}`, v]),
);

/** Pairs that lose meaning, with the highest data-preservation score they may get. */
const LOSSY: ReadonlyMap<string, number> = new Map([
  ['IntegrityLevel\0normalizedSeverity', 0.3],
  ['CurrentDirectory\0file_path', 0.8],
  ['Description\0description', 0.9],
  ['ServiceType\0resource_type', 0.6],
  ['StartType\0changeType', 0.5],
  ['Status\0normalizedAction', 0.6],
]);

const HASH_KINDS = ['md5', 'sha1', 'sha256', 'imphash'];
const CONTEXT_PREFIXES = ['subject', 'target', 'source', 'destination', 'src', 'dst'];
const STOP_WORDS = new Set(['the', 'a', 'an', 'of', 'to', 'for', 'in', 'on', 'at', 'from', 'by']);
/** Catch-all schema fields (exact names) and, for fields outside the schema, lower-cased names. */
const GENERAL_SCHEMA_FIELDS = new Set([
  'action',
  'description',
  'resource',
  'resourceType',
  'application',
  'normalizedAction',
  'normalizedResource',
]);
const GENERAL_NAMES = new Set([
  'action',
  'description',
  'resource',
  'application',
  'resourcetype',
  'normalizedaction',
  'normalizedresource',
  'cause',
  'severity',
]);

/**
 * Python's round(x, 3): the decimal nearest to the double's exact value, ties to even. A tie needs
 * x to be an odd multiple of 1/2000 held exactly, i.e. an odd multiple of 1/16.
 */
export function pyRound3(x: number): number {
  // Away from a half, the scaled product rounds the same way as the exact value does.
  const scaled = x * 1000;
  const frac = scaled - Math.floor(scaled);
  if (Math.abs(x) < 1e6 && Math.abs(frac - 0.5) > 1e-6) return Math.round(scaled) / 1000;
  const sixteenths = x * 16;
  if (Number.isInteger(sixteenths) && sixteenths % 2 !== 0) {
    const lo = Math.floor(x * 1000);
    return (lo % 2 === 0 ? lo : lo + 1) / 1000;
  }
  return Number(x.toFixed(3));
}

/** Words of a field name: split at `_`, camelCase and letter→digit boundaries, lower-cased. */
function nameTokens(field: string): Set<string> {
  const spaced = field
    .replaceAll('_', ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([a-z])(\d+)/gi, '$1 $2');
  const out = new Set<string>();
  for (const t of spaced.toLowerCase().split(/\s+/)) if (t && !STOP_WORDS.has(t)) out.add(t);
  return out;
}

function semanticSimilarity(sigma: string, cse: string, schema: CseFieldSchema | undefined): number {
  const a = nameTokens(sigma);
  const b = nameTokens(cse);
  if (schema) for (const k of schema.keywords) b.add(k);
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

function contextPrefix(field: string): boolean {
  const lower = field.toLowerCase();
  return CONTEXT_PREFIXES.some((p) => lower.startsWith(p));
}

function dataPreservation(sigma: string, cse: string): number {
  let score = 1.0;
  if (sigma === 'Hashes') {
    const lower = cse.toLowerCase();
    score = HASH_KINDS.some((h) => lower.includes(h)) ? 0.5 : 0.2;
  }
  if (contextPrefix(sigma) && !contextPrefix(cse)) score *= 0.7;
  const lossy = LOSSY.get(`${sigma}\0${cse}`);
  return lossy === undefined ? score : Math.min(score, lossy);
}

function sigmaType(field: string): string {
  const lower = field.toLowerCase();
  if (['count', 'size', 'port', 'id', 'pid', 'code', 'status', 'type'].some((k) => lower.includes(k)))
    return 'numeric';
  if (['initiated', 'signed', 'enabled', 'success'].some((k) => lower.includes(k))) return 'boolean';
  return 'string';
}

function guessedCseType(field: string): string {
  const lower = field.toLowerCase();
  if (['port', 'pid', 'count', 'size', 'bytes', 'packets'].some((k) => lower.includes(k))) return 'int';
  if (['text', 'description', 'message', 'name', 'path', 'domain'].some((k) => lower.includes(k)))
    return 'string';
  return lower.includes('success') ? 'boolean' : 'string';
}

function typeCompatibility(sigma: string, cse: string, schema: CseFieldSchema | undefined): number {
  const s = sigmaType(sigma);
  const c = schema ? schema.type : guessedCseType(cse);
  if (s === c) return 1.0;
  if (s === 'string' && c === 'text') return 1.0;
  if (s === 'numeric' && ['int', 'long', 'integer', 'number'].includes(c)) return 1.0;
  if ((s === 'numeric' && c === 'string') || (s === 'string' && c === 'numeric')) return 0.4;
  if (s === 'boolean' && c === 'string') return 0.8;
  return 0.7;
}

function fieldSpecificity(cse: string, schema: CseFieldSchema | undefined): number {
  if (schema) return GENERAL_SCHEMA_FIELDS.has(schema.name) ? 0.5 : 1.0;
  return GENERAL_NAMES.has(cse.toLowerCase()) ? 0.5 : 0.9;
}

export interface MappingScore {
  sigma_field: string;
  cse_field: string;
  confidence: number;
  factors: {
    semantic_similarity: number;
    data_preservation: number;
    type_compatibility: number;
    field_specificity: number;
  };
  warnings: string[];
}

function factors(semantic: number, data: number, type: number, specificity: number): MappingScore['factors'] {
  return {
    semantic_similarity: pyRound3(semantic),
    data_preservation: pyRound3(data),
    type_compatibility: pyRound3(type),
    field_specificity: pyRound3(specificity),
  };
}

/** The score of one mapping, as the reference's output lists it. */
export function scoreMapping(sigma: string, cse: string): MappingScore {
  const known = KNOWN_GOOD.get(`${sigma}\0${cse}`);
  if (known !== undefined) {
    return {
      sigma_field: sigma,
      cse_field: cse,
      confidence: pyRound3(known),
      factors: factors(1, 1, 1, 1),
      warnings: ['Known-good mapping (manual override)'],
    };
  }
  const schema = CSE_FIELD_SCHEMA.get(cse);
  if (sigma === cse && schema === undefined) {
    return {
      sigma_field: sigma,
      cse_field: cse,
      confidence: 0.8,
      factors: factors(1, 1, 1, 0.8),
      warnings: ['Vendor-specific pass-through (fields[] wrapped)'],
    };
  }
  const semantic = semanticSimilarity(sigma, cse, schema);
  const data = dataPreservation(sigma, cse);
  const type = typeCompatibility(sigma, cse, schema);
  let specificity = fieldSpecificity(cse, schema);
  const warnings: string[] = [];
  if (schema === undefined) {
    warnings.push(`CSE field '${cse}' not found in schema`);
    specificity *= 0.8;
  } else if (schema.enrichment) {
    warnings.push(
      `CSE field '${cse}' is marked as enrichment-only, should not be used as direct mapping target`,
    );
  }
  const overall =
    WEIGHT_SEMANTIC * semantic + WEIGHT_DATA * data + WEIGHT_TYPE * type + WEIGHT_SPECIFICITY * specificity;
  return {
    sigma_field: sigma,
    cse_field: cse,
    confidence: pyRound3(overall),
    factors: factors(semantic, data, type, specificity),
    warnings,
  };
}

/**
 * The keys whose numbers are Python floats, which json.dumps writes `1.0` and `0.0` where
 * JSON.stringify writes `1` and `0` (./pyjson.ts writes them so).
 */
export const SCORE_KEYS: ReadonlySet<string> = new Set([
  'confidence',
  'semantic_similarity',
  'data_preservation',
  'type_compatibility',
  'field_specificity',
  'overall_score',
  'threshold_used',
  'category_threshold',
]);

const PASS_THROUGH_FACTORS = factors(1, 1, 1, 0.8);
const PASS_THROUGH_WARNINGS = ['Vendor-specific pass-through (fields[] wrapped)'];

/** Pass-through scores per field, shared (frozen) so that their JSON text is written once. */
const PASS_THROUGH = new Map<string, MappingScore>();

function passThrough(field: string): MappingScore {
  let m = PASS_THROUGH.get(field);
  if (m === undefined) {
    m = deepFreeze({
      sigma_field: field,
      cse_field: field,
      confidence: 0.8,
      factors: PASS_THROUGH_FACTORS,
      warnings: PASS_THROUGH_WARNINGS,
    });
    // Bounded, since a long-lived process may see arbitrary fields.
    if (PASS_THROUGH.size >= 4096) PASS_THROUGH.clear();
    PASS_THROUGH.set(field, m);
  }
  return m;
}

/** Every pipeline mapping scored once, per item in pipeline order. */
const SCORED_ITEMS: ReadonlyMap<string, readonly MappingScore[]> = new Map(
  SUMOLOGIC_MAPPING_ITEMS.map((item) => [
    item.id,
    Object.entries(item.mapping).map(([sigma, cse]) => deepFreeze(scoreMapping(sigma, cse))),
  ]),
);
const ITEM_MAPPINGS: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map(
  SUMOLOGIC_MAPPING_ITEMS.map((item) => [item.id, item.mapping]),
);

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The (mapped) fields of the rule's top-level detection items, which is what the reference scores:
 * a selection written as a map contributes its keys; a list of maps or a list of keywords does not.
 * A key's field goes through the applied mapping items; only Windows `Data`, which the pipeline
 * rewrites per value (`Data: 'Key=Value'` → `EventData.Key`), is read back from the IR.
 */
function usedFields(rule: IrRule, applied: readonly string[]): Set<string> {
  const used = new Set<string>();
  const detection = rule.attributes['detection'];
  if (!isMap(detection)) return used;
  let dataKeys: Map<string, string[]> | undefined;
  for (const name in detection) {
    const def = detection[name];
    if (name === 'condition' || name === 'timeframe' || !isMap(def)) continue;
    for (const key in def) {
      const bar = key.indexOf('|');
      const field = bar < 0 ? key : key.slice(0, bar);
      if (field === '') continue;
      const mapped = mapThroughItems(field, applied);
      if (mapped !== 'Data') {
        used.add(mapped);
        continue;
      }
      dataKeys ??= fieldsByItem(rule);
      const fromIr = dataKeys.get(`${name}\0${key}`);
      if (fromIr) for (const f of fromIr) used.add(f);
      else used.add(mapped);
    }
  }
  return used;
}

/** Fields of the IR's matches per detection item (selection and key as written). */
function fieldsByItem(rule: IrRule): Map<string, string[]> {
  // Values of one detection item share one origin object: collect per origin, then key the few
  // origins by item (no string key per value: rules can hold thousands of values).
  const byOrigin = new Map<Origin, string[]>();
  for (const c of rule.conditions) collectFields(c, byOrigin);
  const byKey = new Map<string, string[]>();
  for (const [origin, fields] of byOrigin) {
    const k = `${origin.selection ?? ''}\0${origin.key ?? ''}`;
    const list = byKey.get(k);
    if (!list) byKey.set(k, fields);
    else for (const f of fields) if (!list.includes(f)) list.push(f);
  }
  return byKey;
}

function collectFields(n: IrNode, byOrigin: Map<Origin, string[]>): void {
  if (n.kind === 'And' || n.kind === 'Or') for (const c of n.children) collectFields(c, byOrigin);
  else if (n.kind === 'Not') collectFields(n.child, byOrigin);
  else if (n.kind === 'FieldMatch') {
    const list = byOrigin.get(n.origin);
    if (!list) byOrigin.set(n.origin, [n.field]);
    else if (!list.includes(n.field)) list.push(n.field);
  }
}

function mapThroughItems(field: string, applied: readonly string[]): string {
  let f = field;
  for (const id of applied) {
    const m = ITEM_MAPPINGS.get(id);
    if (m && Object.hasOwn(m, f)) f = m[f]!;
  }
  return f;
}

function pyStr(v: string | undefined): string {
  return v === undefined ? 'None' : v;
}

export interface ConfidenceResult {
  /** The `mapping_confidence` object, keys in the reference's order (frozen). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Unrounded mean score, compared with the threshold. */
  readonly overall: number;
  readonly threshold: number;
  readonly blocked: boolean;
  readonly fieldMappings: readonly MappingScore[];
}

/**
 * Results by what they depend on: the applied items, the set of used fields, the logsource and the
 * threshold. Rules share them often (600 distinct blocks for the 3,600 SigmaHQ rules), and a
 * shared, frozen block is written to JSON once. Bounded, since a long-lived process may see
 * arbitrary rules.
 */
const RESULTS = new Map<string, ConfidenceResult>();

/**
 * Score the rule's field mappings. `applied` are the ids of the pipeline items whose rule
 * conditions matched (only the sumologic_cse mapping items count).
 */
export function mappingConfidence(
  rule: IrRule,
  applied: readonly string[],
  minConfidence: number,
): ConfidenceResult {
  const used = usedFields(rule, applied);
  const ls = rule.logsource;
  const key = JSON.stringify([
    applied,
    [...used].sort(),
    ls.category ?? null,
    ls.product ?? null,
    ls.service ?? null,
    minConfidence,
  ]);
  let result = RESULTS.get(key);
  if (result === undefined) {
    result = deepFreeze(score(used, applied, ls, minConfidence));
    if (RESULTS.size >= 4096) RESULTS.clear();
    RESULTS.set(key, result);
  }
  return result;
}

function score(
  used: ReadonlySet<string>,
  applied: readonly string[],
  ls: IrRule['logsource'],
  minConfidence: number,
): ConfidenceResult {
  const mappings: MappingScore[] = [];
  const scores: number[] = [];
  const warnings: string[] = [];
  let category = 'unknown';
  for (const id of applied) {
    const items = SCORED_ITEMS.get(id);
    if (!items) continue;
    category = 'generic';
    for (const m of items) {
      if (!used.has(m.cse_field)) continue;
      mappings.push(m);
      scores.push(m.confidence);
      warnings.push(...m.warnings);
    }
  }
  const mapped = new Set(mappings.map((m) => m.cse_field));
  const unmapped = [...used].filter((f) => !mapped.has(f)).sort(pyCompare);
  const vendorSpecific = ls.product !== undefined || ls.service !== undefined;
  for (const field of unmapped) {
    if (vendorSpecific) {
      scores.push(0.8);
      mappings.push(passThrough(field));
    } else {
      warnings.push(`Field '${field}' is not mapped to CSE schema and may not exist in Cloud SIEM logs`);
      scores.push(0);
      mappings.push({
        sigma_field: field,
        cse_field: field,
        confidence: 0,
        factors: factors(0, 0, 0, 0),
        warnings: [`UNMAPPED: Field '${field}' is not in any CSE schema mapping`],
      });
    }
  }
  let overall = scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : 1.0;

  const facts = logsourceFacts(ls);
  if (facts.entityWarning !== undefined) {
    warnings.push(facts.entityWarning);
    overall *= 0.9;
  }
  if (facts.vendorWarning !== undefined) warnings.push(facts.vendorWarning);
  const threshold = minConfidence;
  const blocked = overall < threshold;
  const metadata: Record<string, unknown> = {
    overall_score: pyRound3(overall),
    threshold_used: pyRound3(threshold),
    category_threshold: pyRound3(CATEGORY_THRESHOLDS[category] ?? DEFAULT_THRESHOLD),
    logsource_category: category,
    field_mappings: mappings,
    warnings,
    blocked,
    entity_selection: facts.entitySelection,
    has_vendor_mapping: facts.hasVendor,
    unmapped_logsource: facts.unmappedLogsource,
  };
  return { metadata, overall, threshold, blocked, fieldMappings: mappings };
}

/** What the block says about the rule's logsource. */
interface LogsourceFacts {
  /** Expected entities but no selectors: a warning, and the mean is scaled by 0.9. */
  entityWarning: string | undefined;
  /** No vendor/product mapping: a warning. */
  vendorWarning: string | undefined;
  entitySelection: Record<string, unknown>;
  hasVendor: boolean;
  unmappedLogsource: Record<string, unknown> | null;
}

function logsourceFacts(ls: IrRule['logsource']): LogsourceFacts {
  const expected =
    ls.category !== undefined && Object.hasOwn(CATEGORY_ENTITIES, ls.category)
      ? CATEGORY_ENTITIES[ls.category]
      : undefined;
  const actual = entitySelectors(ls).map((e) => e.entity_type);
  const hasVendor = lookupLogsource(ls) !== undefined;
  return {
    entityWarning:
      expected !== undefined && actual.length === 0
        ? `No entity selectors defined for category '${ls.category ?? 'unknown'}'. Expected entities: ${expected.join(', ')}. Entity selection helps Cloud SIEM correlate alerts and track entity behavior.`
        : undefined,
    vendorWarning: hasVendor
      ? undefined
      : `No vendor/product mapping for logsource (product=${pyStr(ls.product)}, service=${pyStr(ls.service)}, category=${pyStr(ls.category)}). Rule will not have metadata_vendor/metadata_product filters and may not match expected logs.`,
    entitySelection: {
      has_selectors: actual.length > 0,
      expected: expected !== undefined,
      category: ls.category || 'unknown',
      expected_entities: expected ? [...expected] : [],
      actual_entities: actual,
    },
    hasVendor,
    unmappedLogsource: hasVendor
      ? null
      : { product: ls.product ?? null, service: ls.service ?? null, category: ls.category ?? null },
  };
}

/** Python's default string order (code points), which differs from UTF-16 order past U+FFFF. */
function pyCompare(a: string, b: string): number {
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done === true || q.done === true) return (p.done === true ? 0 : 1) - (q.done === true ? 0 : 1);
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** A short account of a blocked rule's weakest mappings, for the diagnostic. */
export function blockedMessage(r: ConfidenceResult): string {
  const weak = r.fieldMappings
    .filter((m) => m.confidence < r.threshold)
    .map((m) => `${m.sigma_field} → ${m.cse_field} ${m.confidence.toFixed(3)}`);
  return (
    `field mapping confidence ${r.overall.toFixed(3)} is below the threshold ${r.threshold.toFixed(3)}` +
    (weak.length > 0 ? ` (weakest: ${weak.join(', ')})` : '') +
    `; lower it with -O min_confidence=<value> (0 disables the check)`
  );
}
