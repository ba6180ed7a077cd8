/** The SecOps target as the registry lists it. */
import type { TargetDef } from '../target.js';
import { SecOpsBackend as Backend } from './backend.js';
import { secopsUdmPipeline as udm } from './pipeline.js';

export const secopsTarget: TargetDef = {
  name: 'secops',
  description: 'Google SecOps (Chronicle): UDM search and YARA-L 2.0 rules',
  create: () => new Backend(),
  formats: { default: 'UDM search queries', yara_l: 'YARA-L 2.0 detection rules' },
  defaultFormat: 'default',
  defaultPipelines: ['secops_udm'],
  pipelines: {
    secops_udm: {
      name: 'secops_udm',
      description: 'UDM event types and field names (needs the secops_udm transformation type)',
      data: udm(),
    },
  },
  options: {
    event_variable: 'yara_l: the event variable (default $event1)',
    strict_syntax: 'true: valid UDM/YARA-L where the reference output is not (names, quoting, empty groups); default false',
  },
};
