/**
 * The content schemas, written once: the loader validates with them and
 * scripts/gen-content-schema.js writes content/schema/*.schema.json from them.
 */
import type { Shape } from './schema-dsl.js';
import { toJsonSchema } from './schema-dsl.js';

const str = (doc?: string): Shape => (doc !== undefined ? { t: 'string', doc } : { t: 'string' });
const strList = (doc?: string): Shape => ({
  t: 'array',
  items: { t: 'string' },
  ...(doc !== undefined ? { doc } : {}),
});
const markdown = (doc: string): Shape => ({ t: 'string', doc: `${doc} (Markdown)` });

export const DETECTION_TYPES = ['TTP', 'Anomaly', 'Hunting', 'Correlation'] as const;
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export const RISK_OBJECT_TYPES = ['user', 'host', 'process', 'other'] as const;
export const THREAT_OBJECT_TYPES = [
  'process',
  'process_name',
  'command_line',
  'file_name',
  'file_path',
  'file_hash',
  'registry_path',
  'ip_address',
  'domain',
  'url',
  'email_address',
  'user',
  'host',
  'other',
] as const;
export const TEST_KINDS = ['positive', 'negative'] as const;
/** Target ids accepted under `overrides` and data-source `targets`. */
export const TARGETS = [
  'splunk',
  'kusto',
  'sentinel',
  'elastic',
  'eql',
  'lucene',
  'esql',
  'qradar',
  'sumologic',
  'secops',
  'logscale',
] as const;

export const ENRICHMENT_NAME_PATTERN = '^[A-Z][A-Za-z0-9]*$';

/** A Sigma detection selection: `{Field|mod: value | [values]}` or a list of such maps (OR). */
const selectionMap: Shape = {
  t: 'map',
  values: { t: 'any' },
  doc: 'Sigma selection: field (with |modifiers) to value or list of values; all must match',
};
const selection: Shape = {
  t: 'oneOf',
  of: [selectionMap, { t: 'array', items: selectionMap, minItems: 1 }],
  doc: 'A Sigma-style selection map, or a list of maps of which any may match',
};

const entity = (types: readonly string[], withScore: boolean): Shape => ({
  t: 'object',
  props: {
    field: str('Sigma field name carrying the entity'),
    type: { t: 'string', enum: types },
    ...(withScore ? { score: { t: 'integer', min: 0, max: 100, doc: 'Risk score contribution' } } : {}),
    role: str('Free text, e.g. victim, attacker, parent'),
  },
  required: ['field', 'type'],
});

const eventObject: Shape = {
  t: 'map',
  values: { t: 'any' },
  doc: 'One event: evtx JSON shape or flat fields',
};

const testShape: Shape = {
  t: 'object',
  doc: 'A sample-event test. Give `events` inline or a `dataset` file (path relative to the content root).',
  props: {
    name: str(),
    kind: { t: 'string', enum: TEST_KINDS, doc: 'positive: the detection must fire; negative: it must not' },
    description: str(),
    events: { t: 'array', items: eventObject, minItems: 1 },
    dataset: str('Path of a .jsonl, .json or .evtx file, relative to the content root'),
    expect: {
      t: 'object',
      props: {
        matches: { t: 'integer', min: 0, doc: 'Expected number of hits (correlation hits for correlations)' },
        enrichment: {
          t: 'array',
          items: { t: 'map', values: { t: 'boolean' }, keyPattern: ENRICHMENT_NAME_PATTERN },
          doc: 'Expected enrichment flags of the 1st, 2nd, … hit; flags left out are not checked',
        },
      },
      required: ['matches'],
    },
  },
  required: ['name', 'kind'],
};

const atomicShape: Shape = {
  t: 'object',
  props: {
    guid: { t: 'string', format: 'uuid', doc: 'Atomic Red Team auto_generated_guid' },
    technique: { t: 'string', pattern: '^T\\d{4}(\\.\\d{3})?$' },
    name: str(),
    telemetry: {
      t: 'array',
      doc: 'Events the test is expected to produce',
      items: {
        t: 'object',
        props: {
          source: str('Log source, e.g. Sysmon, Security, PowerShell'),
          event_id: { t: 'integer', min: 0 },
          fields: {
            t: 'map',
            values: { t: 'any' },
            doc: 'Field values (Sigma selection syntax) the event carries',
          },
          description: str(),
        },
        required: ['source', 'event_id'],
      },
    },
  },
  required: ['guid', 'technique', 'name'],
};

export const TRIPLINE_BLOCK: Shape = {
  t: 'object',
  doc: 'What Tripline adds to a Sigma rule',
  props: {
    type: { t: 'string', enum: DETECTION_TYPES },
    severity: { t: 'string', enum: SEVERITIES, doc: 'Defaults from the Sigma level' },
    confidence: { t: 'string', enum: CONFIDENCES },
    data_sources: {
      t: 'array',
      items: { t: 'string' },
      minItems: 1,
      doc: 'Names of data-source files (content/data-sources)',
    },
    enrichment: {
      t: 'map',
      values: selection,
      keyPattern: ENRICHMENT_NAME_PATTERN,
      doc: 'Named boolean flags computed for each hit',
    },
    risk_objects: { t: 'array', items: entity(RISK_OBJECT_TYPES, true) },
    threat_objects: { t: 'array', items: entity(THREAT_OBJECT_TYPES, false) },
    how_to_implement: markdown('Logging and onboarding prerequisites'),
    triage: markdown('Investigation guide'),
    response: markdown('Response playbook'),
    tuning: markdown('Tuning guidance'),
    stories: strList('Names or ids of analytic stories'),
    overrides: {
      t: 'map',
      keyPattern: `^(${TARGETS.join('|')})$`,
      doc: 'Reviewed native queries that replace the generated one; held to the same tests',
      values: {
        t: 'object',
        props: {
          query: str(),
          reviewed_by: str(),
          reviewed: { t: 'string', format: 'date' },
          reason: str(),
        },
        required: ['query'],
      },
    },
    tests: { t: 'array', items: testShape },
    atomics: { t: 'array', items: atomicShape },
  },
  required: ['type', 'confidence', 'data_sources', 'triage', 'tests'],
};

export const STORY: Shape = {
  t: 'object',
  doc: 'An analytic story',
  props: {
    id: { t: 'string', format: 'uuid' },
    name: str(),
    version: { t: 'integer', min: 1 },
    date: { t: 'string', format: 'date' },
    modified: { t: 'string', format: 'date' },
    author: str(),
    description: str(),
    narrative: markdown('Why this matters and how the detections fit together'),
    references: strList(),
    category: { t: 'oneOf', of: [str(), strList()] },
    tags: strList(),
  },
  required: ['id', 'name', 'version', 'date', 'author', 'description', 'narrative'],
};

const targetMapping: Shape = {
  t: 'object',
  props: {
    table: str('Table (Sentinel, ES|QL), dataset, or log type'),
    index: str('Index or index pattern'),
    sourcetype: str(),
    source: str(),
    fields: { t: 'map', values: { t: 'string' }, doc: 'Sigma field name to target field name' },
    notes: str(),
  },
};

export const DATA_SOURCE: Shape = {
  t: 'object',
  doc: 'A telemetry source detections depend on',
  props: {
    name: str('Referenced by detections under tripline.data_sources'),
    id: { t: 'string', format: 'uuid' },
    description: str(),
    provider: str(),
    channel: str(),
    event_id: { t: 'integer', min: 0 },
    logsource: {
      t: 'object',
      props: { product: str(), category: str(), service: str(), definition: str() },
    },
    fields: strList(),
    example_event: eventObject,
    targets: { t: 'map', values: targetMapping, keyPattern: `^(${TARGETS.join('|')})$` },
    references: strList(),
  },
  required: ['name', 'provider', 'logsource', 'fields'],
};

const SCHEMA_BASE = 'https://tripline.dev/schema/';

/** The detection file schema: any Sigma rule keys, plus a strict `tripline` block. */
export function detectionJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}detection.schema.json`,
    title: 'Tripline detection (Sigma rule + tripline block)',
    type: 'object',
    properties: {
      title: { type: 'string' },
      id: toJsonSchema({ t: 'string', format: 'uuid' }),
      tags: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9_.-]+$' } },
      tripline: toJsonSchema(TRIPLINE_BLOCK),
    },
    additionalProperties: true,
  };
}

export function storyJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}story.schema.json`,
    title: 'Tripline analytic story',
    ...toJsonSchema(STORY),
  };
}

export function dataSourceJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}data-source.schema.json`,
    title: 'Tripline data source',
    ...toJsonSchema(DATA_SOURCE),
  };
}
