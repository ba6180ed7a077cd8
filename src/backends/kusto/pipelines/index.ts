/**
 * The built-in kusto pipelines by name. Each is a KustoPipelineSpec run by applyKustoPipeline; the
 * processing-pipeline layer registers them as a custom transformation (see ../index.ts).
 */
import { azureMonitorSpec } from './azure-monitor.js';
import { microsoftXdrSpec } from './microsoft-xdr.js';
import type { KustoPipelineSpec } from './runner.js';
import { sentinelAsimSpec } from './sentinel-asim.js';

export type { KustoPipelineSpec, KustoPipelineOptions, KustoPipelineResult } from './runner.js';
export { applyKustoPipeline, chooseTable, mapFieldName, validFields } from './runner.js';

export interface KustoPipelineParams {
  /** microsoft_xdr: map ParentImage to the parent's file name outside process_creation (default true). */
  transformParentImage?: boolean;
}

export const KUSTO_PIPELINES: Readonly<Record<string, (p: KustoPipelineParams) => KustoPipelineSpec>> = {
  microsoft_xdr: (p) => microsoftXdrSpec(p),
  sentinel_asim: () => sentinelAsimSpec(),
  azure_monitor: () => azureMonitorSpec(),
};

/** Names the reference used for the same pipelines. */
export const KUSTO_PIPELINE_ALIASES: Readonly<Record<string, string>> = {
  microsoft_365_defender: 'microsoft_xdr',
  microsoft_365_defender_pipeline: 'microsoft_xdr',
  microsoft_xdr_pipeline: 'microsoft_xdr',
  sentinel_asim_pipeline: 'sentinel_asim',
  azure_monitor_pipeline: 'azure_monitor',
};

/** The pipeline applied when the user names none (the reference backend's default). */
export const KUSTO_DEFAULT_PIPELINE = 'microsoft_xdr';

const specCache = new Map<string, KustoPipelineSpec | undefined>();

/** A pipeline's spec (built once per name and parameters: specs are immutable data). */
export function kustoPipeline(name: string, params: KustoPipelineParams = {}): KustoPipelineSpec | undefined {
  const canonical = KUSTO_PIPELINE_ALIASES[name] ?? name;
  const key = `${canonical}|${params.transformParentImage === false ? 'no-parent' : ''}`;
  if (!specCache.has(key)) specCache.set(key, KUSTO_PIPELINES[canonical]?.(params));
  return specCache.get(key);
}
