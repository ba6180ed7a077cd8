/**
 * Kibana and Elastic Security objects around a query (kibana_ndjson, siem_rule, siem_rule_ndjson,
 * dsl_lucene, eqlapi), with the keys, order and defaults of the reference backends. The objects are
 * serialized as compact JSON, one per query; `pyJson` writes the strings the reference embeds with
 * Python's json.dumps (`", "` and `": "` separators, non-ASCII escaped).
 */
import type { IrRule } from '../../ir/types.js';
import type { AttackLookup } from '../text/backend.js';
import { ensureAscii } from '../../util/ascii-json.js';

/** ATT&CK lookups for the `threat` block; passed in because backends do not depend on the ATT&CK table. */
export type AttackResolver = AttackLookup;

export interface RuleFormatOptions {
  indexNames: readonly string[];
  /** e.g. 5m */
  interval: string;
  attack?: AttackResolver | undefined;
}

export const DEFAULT_INDEX_NAMES: readonly string[] = [
  'apm-*-transaction*',
  'auditbeat-*',
  'endgame-*',
  'filebeat-*',
  'logs-*',
  'packetbeat-*',
  'traces-apm*',
  'winlogbeat-*',
  '-*elastic-cloud-logs-*',
];

const RISK: Record<string, number> = { informational: 1, low: 21, medium: 47, high: 73, critical: 99 };

/** Rule metadata as the reference reads it from the Sigma rule. */
export interface RuleMeta {
  id: string;
  title: string;
  description: string | null;
  author: string[];
  falsePositives: unknown[];
  references: unknown[];
  license: string | null;
  level: string | undefined;
  tags: string[];
}

export function ruleMeta(rule: IrRule): RuleMeta {
  const a = rule.attributes;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const author = str(a['author']);
  const id = str(a['id']);
  return {
    id: id ?? 'None',
    title: rule.title,
    description: str(a['description']),
    author: author === null ? [] : [author],
    falsePositives: list(a['falsepositives']),
    references: list(a['references']),
    license: str(a['license']),
    level: rule.level?.toLowerCase(),
    tags: [...rule.tags],
  };
}

/**
 * finalize_output_threat_model: pairs the n-th tactic tag with the n-th technique tag. Like the
 * reference, it consumes the ATT&CK tags (they are left out of `tags`) once it ran, and needs ≥ 2.
 */
export function threatModel(meta: RuleMeta, attack: AttackResolver | undefined): unknown[] {
  const attackTags = meta.tags.filter((t) => t.toLowerCase().startsWith('attack.'));
  if (attackTags.length < 2) return [];
  const names = attackTags.map((t) => t.slice('attack.'.length));
  const isTech = (n: string): boolean => /^t\d{4}/i.test(n);
  const techniques = names.filter(isTech).map((n) => n.toUpperCase());
  const tactics = names.filter((n) => !isTech(n)).map((n) => n.toLowerCase());
  const out: unknown[] = [];
  for (let i = 0; i < Math.min(tactics.length, techniques.length); i++) {
    const tactic = tactics[i] ?? '';
    let technique = techniques[i] ?? '';
    if (!tactic || !technique || !attack) continue;
    let subtechniques: unknown[] = [];
    if (technique.includes('.')) {
      const sub = technique;
      technique = technique.slice(0, 5);
      const subName = attack.techniqueName(sub);
      if (subName === undefined) continue;
      subtechniques = [
        { id: sub, reference: `https://attack.mitre.org/techniques/${sub.replace('.', '/')}`, name: subName },
      ];
    }
    const tacticId = attack.tacticId(tactic.replaceAll('_', '-'));
    const techniqueName = attack.techniqueName(technique);
    if (tacticId === undefined || techniqueName === undefined) continue;
    out.push({
      tactic: {
        id: tacticId,
        reference: `https://attack.mitre.org/tactics/${tacticId}`,
        name: pyTitle(tactic).replaceAll('_', ' '),
      },
      framework: 'MITRE ATT&CK',
      technique: [
        {
          id: technique,
          reference: `https://attack.mitre.org/techniques/${technique}`,
          name: techniqueName,
          subtechnique: subtechniques,
        },
      ],
    });
  }
  meta.tags = meta.tags.filter((t) => !attackTags.includes(t));
  return out;
}

/** Python's str.title(): upper-case the first letter of every run of letters. */
function pyTitle(s: string): string {
  return s.replace(/[A-Z]+/gi, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

/** Tags as `namespace-name`. */
export function dashTags(tags: readonly string[]): string[] {
  return tags.map((t) => {
    const i = t.indexOf('.');
    return i < 0 ? t : `${t.slice(0, i)}-${t.slice(i + 1)}`;
  });
}

function riskScore(level: string | undefined, informationalIsZero: boolean): number {
  if (level === undefined) return 21;
  if (informationalIsZero && level === 'informational') return 0;
  return RISK[level] ?? 21;
}

function severity(level: string | undefined, informationalIsLow: boolean): string {
  if (level === undefined) return 'low';
  if (informationalIsLow && level === 'informational') return 'low';
  return level;
}

export type QueryLanguage = 'lucene' | 'eql';

/** siem_rule for Lucene and EQL: the Kibana create-rule API object. */
export function siemRule(rule: IrRule, query: string, lang: QueryLanguage, o: RuleFormatOptions): object {
  const m = ruleMeta(rule);
  const params = {
    author: m.author,
    description: m.description ?? 'No description',
    ruleId: m.id,
    falsePositives: m.falsePositives,
    from: `now-${o.interval}`,
    immutable: false,
    license: 'DRL',
    outputIndex: '',
    meta: { from: '1m' },
    maxSignals: 100,
    riskScore: riskScore(m.level, true),
    riskScoreMapping: [],
    severity: severity(m.level, true),
    severityMapping: [],
    threat: threatModel(m, o.attack),
    to: 'now',
    references: m.references,
    version: 1,
    exceptionsList: [],
    relatedIntegrations: [],
    requiredFields: [],
    setup: '',
    type: lang === 'eql' ? 'eql' : 'query',
    language: lang,
    index: o.indexNames,
    query,
    filters: [],
  };
  return {
    name: `SIGMA - ${m.title}`,
    consumer: 'siem',
    enabled: true,
    throttle: null,
    schedule: { interval: o.interval },
    params,
    rule_type_id: 'siem.queryRule',
    // Lucene and EQL differ in the order of these two keys; kept for byte-identical JSON.
    ...(lang === 'lucene'
      ? { tags: dashTags(m.tags), notify_when: 'onActiveAlert' }
      : { notify_when: 'onActiveAlert', tags: dashTags(m.tags) }),
    actions: [],
  };
}

/** siem_rule_ndjson for Lucene and EQL: the Security rules import object. */
export function siemRuleNdjson(
  rule: IrRule,
  query: string,
  lang: QueryLanguage,
  o: RuleFormatOptions,
): object {
  const m = ruleMeta(rule);
  const head = {
    id: m.id,
    name: `SIGMA - ${m.title}`,
    enabled: true,
    throttle: 'no_actions',
    interval: o.interval,
    author: m.author,
    description: m.description ?? 'No description',
    rule_id: m.id,
    false_positives: m.falsePositives,
    from: `now-${o.interval}`,
    immutable: false,
    license: 'DRL',
    output_index: '',
    meta: { from: '1m' },
    max_signals: 100,
    risk_score: riskScore(m.level, false),
    risk_score_mapping: [],
    severity: severity(m.level, false),
    severity_mapping: [],
  };
  const threat = threatModel(m, o.attack);
  return {
    ...head,
    threat,
    tags: dashTags(m.tags),
    to: 'now',
    references: m.references,
    version: 1,
    exceptions_list: [],
    related_integrations: [],
    required_fields: [],
    setup: '',
    type: lang === 'eql' ? 'eql' : 'query',
    language: lang,
    index: o.indexNames,
    query,
    filters: [],
    actions: [],
  };
}

/** kibana_ndjson for Lucene: a saved search. */
export function kibanaSavedSearch(rule: IrRule, query: string): object {
  const m = ruleMeta(rule);
  const index = 'beats-*';
  const source = {
    index,
    filter: [],
    highlight: {
      pre_tags: ['@kibana-highlighted-field@'],
      post_tags: ['@/kibana-highlighted-field@'],
      fields: { '*': {} },
      require_field_match: false,
      fragment_size: 2147483647,
    },
    query: { query_string: { query, analyze_wildcard: true } },
  };
  return {
    id: m.id,
    type: 'search',
    attributes: {
      title: `SIGMA - ${m.title}`,
      description: m.description,
      hits: 0,
      columns: [],
      sort: ['@timestamp', 'desc'],
      version: 1,
      kibanaSavedObjectMeta: { searchSourceJSON: pyJson(source) },
    },
    references: [{ id: index, name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' }],
  };
}

/** dsl_lucene: the query embedded in a query DSL body. */
export function dslLucene(query: string): object {
  return { query: { bool: { must: [{ query_string: { query, analyze_wildcard: true } }] } } };
}

/** ES|QL siem_rule (create-rule API). */
export function esqlSiemRule(rule: IrRule, query: string, o: RuleFormatOptions): object {
  const m = ruleMeta(rule);
  // The reference writes `tags` before it builds `threat`, so ATT&CK tags stay in `tags` here.
  const tags = dashTags(m.tags);
  return {
    name: `SIGMA - ${m.title}`,
    tags,
    enabled: true,
    consumer: 'siem',
    throttle: null,
    schedule: { interval: o.interval },
    params: {
      author: m.author,
      description: m.description ?? 'No description',
      ruleId: m.id,
      falsePositives: m.falsePositives,
      from: `now-${o.interval}`,
      immutable: false,
      license: m.license ?? 'DRL',
      outputIndex: '',
      meta: { from: '1m' },
      maxSignals: 100,
      relatedIntegrations: [],
      requiredFields: [],
      riskScore: riskScore(m.level, false),
      riskScoreMapping: [],
      setup: '',
      severity: severity(m.level, false),
      severityMapping: [],
      threat: threatModel(m, o.attack),
      to: 'now',
      references: m.references,
      version: 1,
      exceptionsList: [],
      type: 'esql',
      language: 'esql',
      query,
    },
    rule_type_id: 'siem.esqlRule',
    notify_when: 'onActiveAlert',
    actions: [],
  };
}

/** ES|QL siem_rule_ndjson (Security rules import). */
export function esqlSiemRuleNdjson(rule: IrRule, query: string, o: RuleFormatOptions): object {
  const m = ruleMeta(rule);
  const tags = dashTags(m.tags);
  return {
    id: m.id,
    name: `SIGMA - ${m.title}`,
    tags,
    interval: o.interval,
    enabled: true,
    description: m.description ?? 'No description',
    risk_score: riskScore(m.level, true),
    severity: severity(m.level, true),
    note: '',
    license: m.license ?? 'DRL',
    output_index: '',
    meta: { from: '1m' },
    author: m.author,
    false_positives: m.falsePositives,
    from: `now-${o.interval}`,
    rule_id: m.id,
    max_signals: 100,
    risk_score_mapping: [],
    severity_mapping: [],
    threat: threatModel(m, o.attack),
    to: 'now',
    references: m.references,
    version: 1,
    exceptions_list: [],
    immutable: false,
    related_integrations: [],
    required_fields: [],
    setup: '',
    type: 'esql',
    language: 'esql',
    query,
    actions: [],
  };
}

/** ES|QL kibana_ndjson: a saved ES|QL (text based) search. */
export function esqlKibanaSearch(rule: IrRule, query: string, index: string): object {
  const m = ruleMeta(rule);
  const source = {
    query: { esql: query },
    index: {
      title: index,
      timeFieldName: '@timestamp',
      sourceFilters: [],
      type: 'esql',
      fieldFormats: {},
      runtimeFieldMap: {},
      allowNoIndex: false,
      name: index,
      allowHidden: false,
    },
    filter: [],
  };
  return {
    attributes: {
      columns: [],
      description: m.description ?? 'No description',
      grid: {},
      hideChart: false,
      isTextBasedQuery: true,
      kibanaSavedObjectMeta: { searchSourceJSON: pyJson(source) },
      sort: [['@timestamp', 'desc']],
      timeRestore: false,
      title: `SIGMA - ${m.title}`,
      usesAdHocDataView: false,
    },
    id: m.id,
    managed: false,
    references: [],
    type: 'search',
    typeMigrationVersion: '10.2.0',
  };
}

/** Python's json.dumps with default settings. */
export function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    return ensureAscii(JSON.stringify(v));
  }
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).map(
      ([k, x]) => `${pyJson(k)}: ${pyJson(x)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return 'null';
}
