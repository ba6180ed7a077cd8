/** The detection content model: detections (Sigma + `tripline:` block), stories, data sources. */
import type { Span } from '../diagnostics/index.js';
import type { SigmaDocument } from '../sigma/index.js';
import type {
  CONFIDENCES,
  DETECTION_TYPES,
  RISK_OBJECT_TYPES,
  SEVERITIES,
  TEST_KINDS,
  THREAT_OBJECT_TYPES,
} from './schemas.js';

export type DetectionType = (typeof DETECTION_TYPES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Confidence = (typeof CONFIDENCES)[number];
export type RiskObjectType = (typeof RISK_OBJECT_TYPES)[number];
export type ThreatObjectType = (typeof THREAT_OBJECT_TYPES)[number];
export type TestKind = (typeof TEST_KINDS)[number];

/** A Sigma selection as written: a map (all items must match) or a list of maps (any may match). */
export type SelectionMap = Record<string, unknown>;
export type Selection = SelectionMap | SelectionMap[];

export interface EnrichmentFlag {
  /** PascalCase, e.g. RecursiveSearch. */
  name: string;
  selection: Selection;
  span: Span;
}

export interface RiskObject {
  field: string;
  type: RiskObjectType;
  score?: number;
  role?: string;
}

export interface ThreatObject {
  field: string;
  type: ThreatObjectType;
  role?: string;
}

export interface Override {
  query: string;
  reviewedBy?: string;
  reviewed?: string;
  reason?: string;
}

export interface TestExpectation {
  /** Hits expected (for a correlation detection: correlation hits). */
  matches: number;
  /** Expected flags of the 1st, 2nd, … hit; flags not listed are not checked. */
  enrichment: Record<string, boolean>[];
}

export interface DetectionTest {
  name: string;
  kind: TestKind;
  description?: string;
  /** Inline events, in the evtx JSON shape (`{Event: {System, EventData}}`) or flat Sigma fields. */
  events?: Record<string, unknown>[];
  /** Dataset path as written (relative to the content root). */
  dataset?: string;
  /** Absolute path of the dataset. */
  datasetPath?: string;
  expect: TestExpectation;
  span: Span;
}

export interface AtomicTelemetry {
  source: string;
  eventId: number;
  fields: Record<string, unknown>;
  description?: string;
}

export interface AtomicLink {
  guid: string;
  technique: string;
  name: string;
  telemetry: AtomicTelemetry[];
  span: Span;
}

export interface TriplineBlock {
  type: DetectionType;
  severity: Severity;
  /** True when `severity` was not written and comes from the Sigma level. */
  severityFromLevel: boolean;
  confidence: Confidence;
  dataSources: string[];
  enrichment: EnrichmentFlag[];
  riskObjects: RiskObject[];
  threatObjects: ThreatObject[];
  howToImplement?: string;
  triage: string;
  response?: string;
  tuning?: string;
  stories: string[];
  overrides: Record<string, Override>;
  tests: DetectionTest[];
  atomics: AtomicLink[];
  /** `x_…` keys, kept as data. */
  custom: Record<string, unknown>;
}

export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
}

export interface Detection {
  /** Absolute path. */
  file: string;
  /** Path relative to the content root, with forward slashes. */
  relPath: string;
  /** Sigma id of the document that carries the `tripline:` block. */
  id: string;
  title: string;
  status?: string;
  level?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  tags: string[];
  falsepositives: string[];
  references: string[];
  /** `correlation` when the `tripline:` block sits on a Sigma correlation rule. */
  kind: 'rule' | 'correlation';
  /** The rule's logsource; for a correlation, that of the first base rule in the file. */
  logsource: SigmaLogsource;
  /** ATT&CK technique ids (T1119, T1003.001) from the tags, in tag order. */
  techniques: string[];
  /** ATT&CK tactic shortnames from the tags, in matrix order. */
  tactics: string[];
  /** Every YAML document of the file, as plain data, in order (base rules of a correlation included). */
  documents: Record<string, unknown>[];
  /** Index in `documents` of the document carrying the `tripline:` block. */
  primary: number;
  tripline: TriplineBlock;
  span: Span;
  /** The file's documents as the Sigma front end parsed them (base rules of a correlation included). */
  sigma: SigmaDocument[];
}

export interface Story {
  file: string;
  relPath: string;
  id: string;
  name: string;
  version: number;
  date: string;
  modified?: string;
  author: string;
  description: string;
  narrative: string;
  references: string[];
  category: string[];
  tags: string[];
  custom: Record<string, unknown>;
}

export interface TargetMapping {
  table?: string;
  index?: string;
  sourcetype?: string;
  source?: string;
  fields: Record<string, string>;
  notes?: string;
}

export interface DataSource {
  file: string;
  relPath: string;
  name: string;
  id?: string;
  description?: string;
  provider: string;
  channel?: string;
  eventId?: number;
  logsource: SigmaLogsource;
  fields: string[];
  exampleEvent?: Record<string, unknown>;
  targets: Record<string, TargetMapping>;
  references: string[];
  custom: Record<string, unknown>;
}

export interface ContentSet {
  root: string;
  detections: Detection[];
  stories: Story[];
  dataSources: DataSource[];
  /** Text of every file read, by absolute path, for code frames. */
  sources: Map<string, string>;
}
