/** The IBM QRadar AQL target for the target registry. */
import { definePipeline } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import { QradarBackend, qradarFormats } from './backend.js';
import { qradarFieldsPipeline, qradarPayloadPipeline, qradarTransformationDefs } from './pipelines.js';

export { QradarBackend } from './backend.js';
export { qradarPipelines, qradarTransformationDefs } from './pipelines.js';

export const qradarTarget: TargetDef = {
  name: 'qradar',
  description: 'IBM QRadar AQL (SELECT … FROM events WHERE …) with devicetype log source filters',
  create: () => new QradarBackend(),
  formats: qradarFormats,
  defaultFormat: 'default',
  defaultPipelines: ['qradar_payload'],
  pipelines: {
    qradar_payload: definePipeline(
      {
        targets: ['qradar'],
        description: 'mapped QRadar properties; other fields are searched as text in UTF8(payload)',
      },
      qradarPayloadPipeline,
    ),
    qradar_fields: definePipeline(
      { targets: ['qradar'], description: 'only mapped QRadar properties; other fields are errors' },
      qradarFieldsPipeline,
    ),
  },
  transformations: qradarTransformationDefs,
  options: {},
};
