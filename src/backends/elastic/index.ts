/** The Elastic targets (elastic-lucene, elastic-eql, elastic-esql) for the target registry. */
import { definePipeline, type BuiltinTable } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import type { Backend } from '../text/backend.js';
import { EqlBackend, eqlFormats } from './eql.js';
import { EsqlBackend, esqlFormats } from './esql.js';
import { LuceneBackend, luceneFormats } from './lucene.js';
import { elasticOptions } from './options.js';
import { elasticPipelines } from './pipelines.js';
import { elasticTransformations } from './transformations.js';

export { EqlBackend } from './eql.js';
export { EsqlBackend } from './esql.js';
export { LuceneBackend } from './lucene.js';
export { elasticPipelines } from './pipelines.js';
export { elasticTransformations } from './transformations.js';
export type { AttackResolver } from './rule-formats.js';

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ecs_windows:
    'Windows event logs in ECS as Winlogbeat 7+ / Elastic Agent write them (winlog.channel, event.code, …)',
  ecs_windows_old: 'Windows event logs as Winlogbeat up to version 6 writes them (event_id, event_data.*)',
  ecs_kubernetes: 'Kubernetes audit logs in ECS (kubernetes.audit.*)',
  ecs_macos_esf: 'macOS Endpoint Security Framework events in ECS (Elastic Defend field names)',
  ecs_zeek_beats: 'Zeek logs in ECS as Filebeat ≥ 7.6.1 writes them (event.dataset: zeek.<log>)',
  ecs_zeek_corelight: 'Zeek logs in ECS from the Corelight integration',
  zeek: 'Zeek raw JSON logs (@stream: <log>, id.orig_h, …)',
};

const pipelines: BuiltinTable = Object.fromEntries(
  Object.entries(elasticPipelines).map(([name, data]) => [
    name,
    definePipeline(
      { targets: data.allowed_backends ?? [], description: DESCRIPTIONS[name] ?? data.name },
      data,
    ),
  ]),
);

function elasticTarget(
  name: string,
  description: string,
  create: () => Backend,
  formats: Readonly<Record<string, string>>,
): TargetDef {
  return {
    name,
    description,
    create,
    formats,
    defaultFormat: 'default',
    defaultPipelines: ['ecs_windows'],
    pipelines,
    transformations: elasticTransformations,
    options: elasticOptions,
  };
}

export const elasticLuceneTarget = elasticTarget(
  'elastic-lucene',
  'Elasticsearch / Kibana query_string (Lucene) queries, saved searches, Security rules, query DSL',
  () => new LuceneBackend(),
  luceneFormats,
);

export const elasticEqlTarget = elasticTarget(
  'elastic-eql',
  'Elastic Event Query Language (EQL) queries and Security rules; sequence/sample correlations',
  () => new EqlBackend(),
  eqlFormats,
);

export const elasticEsqlTarget = elasticTarget(
  'elastic-esql',
  'Elastic ES|QL queries and Security rules; stats correlations over time buckets',
  () => new EsqlBackend(),
  esqlFormats,
);
