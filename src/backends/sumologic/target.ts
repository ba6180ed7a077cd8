/** The Sumo Logic target as the registry lists it. */
import { definePipeline } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import { SumoLogicBackend, sumologicFormats, sumologicOptions } from './backend.js';
import { sumologicCsePipeline, sumologicTransformations } from './pipelines.js';

export const sumologicTarget: TargetDef = {
  name: 'sumologic',
  description: 'Sumo Logic Cloud SIEM rule JSON (CSE expressions)',
  create: () => new SumoLogicBackend(),
  formats: sumologicFormats,
  defaultFormat: 'default',
  defaultPipelines: ['sumologic_cse'],
  pipelines: {
    sumologic_cse: definePipeline(
      { targets: ['sumologic'], description: 'Sigma fields → Cloud SIEM normalized schema fields' },
      sumologicCsePipeline,
    ),
  },
  transformations: sumologicTransformations,
  options: sumologicOptions,
};
