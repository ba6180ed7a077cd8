/** The LogScale target as the registry lists it. */
import type { TargetDef } from '../target.js';
import { LogScaleBackend as Backend } from './backend.js';
import { crowdstrikeFalconPipeline as falcon, crowdstrikeFdrPipeline as fdr } from './pipelines.js';

export const logscaleTarget: TargetDef = {
  name: 'logscale',
  description: 'CrowdStrike LogScale / Falcon LogScale (CQL)',
  create: () => new Backend(),
  formats: { default: 'CrowdStrike LogScale (CQL) queries' },
  defaultFormat: 'default',
  defaultPipelines: ['crowdstrike_falcon'],
  pipelines: {
    crowdstrike_falcon: {
      name: 'crowdstrike_falcon',
      description: 'Falcon sensor events: #event_simpleName per category, Falcon field names',
      data: falcon,
    },
    crowdstrike_fdr: {
      name: 'crowdstrike_fdr',
      description: 'Falcon Data Replicator exports: event_simpleName per category, FDR field names',
      data: fdr,
    },
  },
  options: {},
};
