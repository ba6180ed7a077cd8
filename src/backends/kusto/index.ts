/**
 * The kusto target for the registry: the KQL backend, its three built-in pipelines, and the
 * `kusto_pipeline` transformation type they are made of. The reference implements table choice and
 * field validation with custom Python transformations; here one rule-scope transformation runs a
 * KustoPipelineSpec (./pipelines) on the rule, so users' pipeline files can use it too:
 *
 *   transformations:
 *     - type: kusto_pipeline
 *       pipeline: microsoft_xdr
 *       query_table: DeviceEvents      # optional
 */
import type { IrCorrelation, IrRule } from '../../ir/types.js';
import type { ApplyEnv, Target } from '../../pipeline/index.js';
import { defineTransformation, definePipeline, envError } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import { KustoBackend, kustoFormats, QUERY_TABLE } from './backend.js';
import { correlationOptions } from './correlations.js';
import type { KustoPipelineSpec } from './pipelines/index.js';
import {
  applyKustoPipeline,
  chooseTable,
  KUSTO_PIPELINES,
  kustoPipeline,
  mapFieldName,
} from './pipelines/index.js';
import { ASIM_TABLES, AZURE_MONITOR_TABLES, XDR_TABLES } from './schemas.js';

export { KustoBackend, QUERY_TABLE } from './backend.js';
export { kustoTable } from './table.js';
export { convertKustoText } from './driver.js';
export type { KustoConvertOptions, KustoDocumentOutput } from './driver.js';
export { KUSTO_PIPELINES, kustoPipeline } from './pipelines/index.js';
export { ASIM_TABLES, AZURE_MONITOR_TABLES, XDR_TABLES } from './schemas.js';
export type { KustoType, TableSchema } from './schemas.js';

interface KustoPipelineParams {
  pipeline: string;
  queryTable: string | undefined;
  transformParentImage: boolean;
}

function correlationTable(
  corr: IrCorrelation,
  spec: KustoPipelineSpec,
  env: ApplyEnv,
  queryTable?: string,
): string {
  for (const ref of corr.rules) {
    const r = env.resolveRule?.(ref);
    if (r && 'conditions' in r) {
      const t = chooseTable(r, spec, queryTable ? { queryTable } : {});
      if (t) return t;
    }
  }
  return '';
}

/** Group-by, alias and value fields of a correlation named as in the rules' table. */
function mapCorrelation(
  corr: IrCorrelation,
  spec: KustoPipelineSpec,
  env: ApplyEnv,
  queryTable?: string,
): void {
  const table = correlationTable(corr, spec, env, queryTable);
  const aliases = Object.keys(corr.aliases);
  corr.groupBy = corr.groupBy.map((f) => (aliases.includes(f) ? f : mapFieldName(spec, table, f)));
  for (const m of Object.values(corr.aliases)) {
    for (const [ref, f] of Object.entries(m)) {
      const r = env.resolveRule?.(ref);
      const t =
        r && 'conditions' in r ? (chooseTable(r, spec, queryTable ? { queryTable } : {}) ?? table) : table;
      m[ref] = mapFieldName(spec, t, f);
    }
  }
  if (corr.condition.field !== undefined) {
    corr.condition = { ...corr.condition, field: mapFieldName(spec, table, corr.condition.field) };
  }
}

const kustoPipelineTransformation = defineTransformation<KustoPipelineParams>({
  scope: 'rule',
  parse(r) {
    const pipeline = r.str('pipeline');
    if (pipeline !== '' && !kustoPipeline(pipeline)) {
      r.error(
        `unknown kusto pipeline '${pipeline}' (known: ${Object.keys(KUSTO_PIPELINES).join(', ')})`,
        'pipeline',
      );
    }
    return {
      pipeline,
      queryTable: r.optStr('query_table'),
      transformParentImage: r.bool('transform_parent_image', true),
    };
  },
  apply(p: KustoPipelineParams, target: Target, env: ApplyEnv): void {
    const spec = kustoPipeline(p.pipeline, { transformParentImage: p.transformParentImage });
    if (!spec) return envError(env, 'TL5010', `unknown kusto pipeline '${p.pipeline}'`);
    if (target.kind === 'Correlation') {
      mapCorrelation(target.correlation, spec, env, p.queryTable);
      return;
    }
    const r = applyKustoPipeline(target.rule, spec, {
      ...(p.queryTable ? { queryTable: p.queryTable } : {}),
      state: env.state,
    });
    if (!r.ok) {
      const first = r.diagnostics.find((d) => d.severity === 'error');
      return envError(env, 'TL5010', first?.message ?? 'kusto pipeline failed', first?.span);
    }
    env.diagnostics.push(...r.diagnostics);
    const rule: IrRule = target.rule;
    rule.conditions = r.value.rule.conditions;
    env.state[QUERY_TABLE] = r.value.state[QUERY_TABLE];
  },
});

function builtin(name: string, description: string): ReturnType<typeof definePipeline> {
  return definePipeline({ targets: ['kusto'], description }, (o: Readonly<Record<string, unknown>>) => ({
    name,
    priority: 10,
    allowed_backends: ['kusto'],
    transformations: [
      {
        id: `${name}_kusto_pipeline`,
        type: 'kusto_pipeline',
        pipeline: name,
        ...(typeof o['query_table'] === 'string' ? { query_table: o['query_table'] } : {}),
        ...(typeof o['transform_parent_image'] === 'boolean'
          ? { transform_parent_image: o['transform_parent_image'] }
          : {}),
      },
    ],
  }));
}

const xdr = builtin(
  'microsoft_xdr',
  'Sigma Windows log sources → Microsoft Defender XDR advanced hunting tables',
);
const asim = builtin(
  'sentinel_asim',
  'Sigma Windows log sources → Microsoft Sentinel ASIM parsers (imProcessCreate …)',
);
const azure = builtin('azure_monitor', 'Sigma Windows log sources → Azure Monitor tables (SecurityEvent)');

const allTables = { ...XDR_TABLES, ...ASIM_TABLES, ...AZURE_MONITOR_TABLES };
const columnSets = new Map(Object.entries(allTables).map(([t, cols]) => [t, new Set(Object.keys(cols))]));

export const kustoTarget: TargetDef = {
  name: 'kusto',
  description: 'Microsoft KQL (Defender XDR advanced hunting, Sentinel ASIM, Azure Monitor)',
  create: () => new KustoBackend(),
  formats: kustoFormats,
  defaultFormat: 'default',
  defaultPipelines: ['microsoft_xdr'],
  pipelines: {
    microsoft_xdr: xdr,
    sentinel_asim: asim,
    azure_monitor: azure,
    // The reference's names for the same pipelines.
    microsoft_xdr_pipeline: xdr,
    microsoft_365_defender: xdr,
    microsoft_365_defender_pipeline: xdr,
    sentinel_asim_pipeline: asim,
    azure_monitor_pipeline: azure,
  },
  transformations: { kusto_pipeline: kustoPipelineTransformation },
  options: correlationOptions,
  knownFields(_rule, state) {
    const table = state[QUERY_TABLE];
    return typeof table === 'string' ? columnSets.get(table) : undefined;
  },
};
