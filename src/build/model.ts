/**
 * The catalogue `tripline build` produces: everything the packages and the site are made from,
 * written as dist/index.json. Plain data (JSON-serialisable), so the site can load it in a browser.
 */

/** The packages the build writes, each backed by one conversion target. */
export const PACKAGE_TARGETS = [
  'splunk',
  'sentinel',
  'defender',
  'elastic',
  'qradar',
  'sumologic',
  'secops',
  'logscale',
] as const;
export type PackageTarget = (typeof PACKAGE_TARGETS)[number];

export type TargetStatus = 'converted' | 'degraded' | 'unsupported';

export interface TargetResult {
  /** Conversion target in the registry (splunk, kusto, elastic-lucene, …). */
  backend: string;
  /** Query language label for display (SPL, KQL, Lucene, AQL, Sumo Logic, YARA-L, CQL). */
  language: string;
  status: TargetStatus;
  /** Why degraded or unsupported (empty when converted). */
  reason: string[];
  /** The queries, enrichment rendered when the target can (empty when unsupported). */
  queries: string[];
  /** Tables / indices / sourcetypes / log types the queries read, computed from the conversion output. */
  tables: string[];
  /** Output format of the package file (e.g. savedsearches, kibana_ndjson, analytics_rule_yaml). */
  format: string;
  /** True when the query is a reviewed override rather than generated. */
  override: boolean;
  /** Target field names of the detection's risk/threat object fields, found by converting a probe. */
  fields: Record<string, string>;
  /** Package file(s) written for this detection, relative to dist/ (filled by the writers). */
  files: string[];
}

export interface TechniqueRef {
  id: string;
  name: string;
  /** Tactic shortnames (collection, …) this detection claims for the technique. */
  tactics: string[];
  url: string;
}

export interface TacticRef {
  id: string;
  shortname: string;
  name: string;
}

export interface CatalogueTest {
  name: string;
  kind: string;
  description?: string;
  dataset?: string;
  /** Inline events (absent when the test reads a dataset file). */
  events?: Record<string, unknown>[];
  expectMatches: number;
  expectEnrichment: Record<string, boolean>[];
}

export interface CatalogueAtomic {
  guid: string;
  technique: string;
  name: string;
  telemetry: { source: string; eventId: number; fields: Record<string, unknown>; description?: string }[];
}

export interface CatalogueEnrichment {
  name: string;
  /** The flag's Sigma selection as YAML text. */
  selection: string;
}

export interface CatalogueDetection {
  id: string;
  /** Safe slug for file names and URLs (unique within the catalogue). */
  slug: string;
  title: string;
  description: string;
  status?: string;
  author?: string;
  date?: string;
  modified?: string;
  level: string;
  severity: string;
  confidence: string;
  /** TTP, Anomaly, Hunting, Correlation. */
  type: string;
  /** `content` for detections with a tripline block; `sigma` for plain rules given with --rules. */
  origin: 'content' | 'sigma';
  /** Content-relative (or rules-dir-relative) source path. */
  source: string;
  kind: 'rule' | 'correlation';
  techniques: TechniqueRef[];
  tactics: TacticRef[];
  tags: string[];
  /** Data-source names. */
  dataSources: string[];
  /** Story names. */
  stories: string[];
  falsepositives: string[];
  references: string[];
  howToImplement?: string;
  triage?: string;
  response?: string;
  tuning?: string;
  riskObjects: { field: string; type: string; score?: number; role?: string }[];
  threatObjects: { field: string; type: string; role?: string }[];
  enrichment: CatalogueEnrichment[];
  tests: CatalogueTest[];
  atomics: CatalogueAtomic[];
  /** The Sigma rule text, tripline block stripped. */
  sigma: string;
  logsource: { product?: string; category?: string; service?: string };
  targets: Partial<Record<PackageTarget, TargetResult>>;
}

export interface CatalogueStory {
  id: string;
  slug: string;
  name: string;
  version: number;
  date: string;
  modified?: string;
  author: string;
  description: string;
  narrative: string;
  references: string[];
  category: string[];
  /** Computed from the detections that name the story. */
  detections: string[];
  techniques: string[];
  tactics: string[];
  dataSources: string[];
  logsources: string[];
}

export interface CatalogueDataSource {
  name: string;
  slug: string;
  id?: string;
  description?: string;
  provider: string;
  channel?: string;
  eventId?: number;
  logsource: { product?: string; category?: string; service?: string };
  fields: string[];
  exampleEvent?: Record<string, unknown>;
  targets: Record<string, { table?: string; index?: string; sourcetype?: string; source?: string; fields: Record<string, string>; notes?: string }>;
  references: string[];
  /** Ids of the detections that use it (computed). */
  detections: string[];
}

export interface CatalogueTechnique {
  id: string;
  name: string;
  url: string;
  tactics: string[];
  /** Detection ids. */
  detections: string[];
}

export interface CatalogueTactic {
  id: string;
  shortname: string;
  name: string;
  /** Covered technique ids under this tactic. */
  techniques: string[];
  /** Techniques + sub-techniques in ATT&CK under this tactic. */
  total: number;
}

export interface Catalogue {
  /** Schema version of this file. */
  version: 1;
  generatedBy: string;
  attack: { version: string };
  targets: { name: PackageTarget; backend: string; language: string; label: string }[];
  detections: CatalogueDetection[];
  stories: CatalogueStory[];
  dataSources: CatalogueDataSource[];
  techniques: CatalogueTechnique[];
  tactics: CatalogueTactic[];
  totals: {
    detections: number;
    techniques: number;
    byTarget: Record<string, Record<TargetStatus, number>>;
  };
}
