/** The LogScale target as the registry lists it. */
import { definePipeline } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import { LogScaleBackend } from './backend.js';
import { crowdstrikeFalconPipeline, crowdstrikeFdrPipeline } from './pipelines.js';

export const logscaleTarget: TargetDef = {
  name: 'logscale',
  description: 'CrowdStrike Falcon LogScale (CQL)',
  create: () => new LogScaleBackend(),
  formats: { default: 'CrowdStrike LogScale (CQL) queries' },
  defaultFormat: 'default',
  defaultPipelines: ['crowdstrike_falcon'],
  pipelines: {
    crowdstrike_falcon: definePipeline(
      {
        targets: ['logscale'],
        description: 'Falcon sensor events: #event_simpleName per category, Falcon field names',
      },
      crowdstrikeFalconPipeline,
    ),
    crowdstrike_fdr: definePipeline(
      {
        targets: ['logscale'],
        description: 'Falcon Data Replicator exports: event_simpleName per category, FDR field names',
      },
      crowdstrikeFdrPipeline,
    ),
  },
  options: {},
};
