/** The SecOps target as the registry lists it. */
import { definePipeline } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import { SecOpsBackend } from './backend.js';
import { secopsTransformations, secopsUdmPipeline } from './pipeline.js';

export const secopsTarget: TargetDef = {
  name: 'secops',
  description: 'Google SecOps (Chronicle): UDM search and YARA-L 2.0 rules',
  create: () => new SecOpsBackend(),
  formats: { default: 'UDM search queries', yara_l: 'YARA-L 2.0 detection rules' },
  defaultFormat: 'default',
  defaultPipelines: ['secops_udm'],
  pipelines: {
    secops_udm: definePipeline(
      {
        targets: ['secops'],
        description:
          'UDM event types and field names; secops_udm(prepend_metadata=False) leaves out the event-type filter',
      },
      (o: Readonly<Record<string, unknown>>) => secopsUdmPipeline(o['prepend_metadata'] !== false),
    ),
  },
  transformations: secopsTransformations,
  options: {
    event_variable: 'yara_l: the event variable (default $event1)',
    strict_syntax:
      'true: valid UDM/YARA-L where the reference output is not (names, quoting, empty groups); default false',
  },
};
