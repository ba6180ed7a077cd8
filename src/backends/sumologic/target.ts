/** The Sumo Logic target as the registry lists it. */
import type { TargetDef } from '../target.js';
import { SumoLogicBackend, sumologicFormats, sumologicOptions } from './backend.js';
import { sumologicCsePipeline } from './pipelines.js';

export const sumologicTarget: TargetDef = {
  name: 'sumologic',
  description: 'Sumo Logic Cloud SIEM rule JSON (CSE expressions)',
  create: () => new SumoLogicBackend(),
  formats: sumologicFormats,
  defaultFormat: 'default',
  defaultPipelines: ['sumologic_cse'],
  pipelines: {
    sumologic_cse: {
      name: 'sumologic_cse',
      description: 'Sigma fields → Cloud SIEM normalized schema fields (needs the sumologic_data_field transformation type)',
      data: sumologicCsePipeline,
    },
  },
  options: sumologicOptions,
};
