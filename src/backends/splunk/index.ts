import { definePipeline } from '../../pipeline/index.js';
import type { TargetDef } from '../target.js';
import { SplunkBackend, splunkFormats, splunkOptions } from './backend.js';
import { splunkCim, splunkSysmonAcceleration, splunkWindows } from './pipelines.js';

export { SplunkBackend } from './backend.js';
export { splunkTable } from './table.js';

export const splunkTarget: TargetDef = {
  name: 'splunk',
  description: 'Splunk SPL (search, savedsearches.conf, tstats over CIM data models)',
  create: () => new SplunkBackend(),
  formats: splunkFormats,
  defaultFormat: 'default',
  defaultPipelines: ['splunk_windows'],
  formatPipelines: { data_model: ['splunk_cim'] },
  pipelines: {
    splunk_windows: definePipeline(
      {
        targets: ['splunk'],
        description: 'Windows event log sources (source="WinEventLog:…") and EventID → EventCode',
      },
      splunkWindows,
    ),
    splunk_sysmon_acceleration: definePipeline(
      {
        targets: ['splunk'],
        description: 'adds a characteristic keyword to Sysmon searches so Splunk can use its index',
      },
      splunkSysmonAcceleration,
    ),
    splunk_cim: definePipeline(
      {
        targets: ['splunk'],
        description:
          'Sigma fields → CIM data model fields (Endpoint, Web, Network_Resolution), for -f data_model',
      },
      splunkCim,
    ),
  },
  options: splunkOptions,
  knownFields(_rule, state) {
    const f = state['fields'];
    return Array.isArray(f) ? new Set(f.map(String)) : undefined;
  },
};
