/**
 * Splunk processing pipelines as data, in pySigma's pipeline vocabulary (what a pipeline YAML file
 * holds), so they read like any user pipeline. The field names and event log channels are facts
 * about Splunk's Windows add-on and the CIM data models.
 */

import { WINDOWS_SERVICE_CHANNELS } from '../../pipeline/builtins/windows-channels.js';

/** Sigma Windows service → event log channel(s), as Splunk's WinEventLog source names them. */
export const windowsChannels = WINDOWS_SERVICE_CHANNELS;

const source = (ch: string): string => `WinEventLog:${ch}`;

export const splunkWindows = {
  name: 'Splunk Windows log source conditions',
  allowed_backends: ['splunk'],
  priority: 20,
  transformations: [
    ...Object.entries(windowsChannels).map(([service, ch]) => ({
      id: `splunk_windows_${service}`,
      type: 'add_condition',
      conditions: { source: typeof ch === 'string' ? source(ch) : ch.map(source) },
      rule_conditions: [{ type: 'logsource', product: 'windows', service }],
    })),
    { id: 'splunk_windows_field_mapping', type: 'field_name_mapping', mapping: { EventID: 'EventCode' } },
  ],
};

/** A keyword characteristic of a Sysmon event type lets Splunk use its index before field extraction. */
const sysmonKeywords: Record<string, string> = {
  process_creation: 'ParentProcessGuid',
  file_event: 'TargetFilename',
};

export const splunkSysmonAcceleration = {
  name: 'Splunk Windows Sysmon search acceleration keywords',
  allowed_backends: ['splunk'],
  priority: 25,
  transformations: Object.entries(sysmonKeywords).map(([category, keyword]) => ({
    id: `splunk_windows_sysmon_${category}`,
    type: 'add_condition',
    conditions: { '': keyword },
    rule_conditions: [{ type: 'logsource', category, product: 'windows', service: 'sysmon' }],
  })),
};

/** Sigma field → CIM data model field, per data set; order is the tstats `by` clause order. */
export const cimProcesses: Readonly<Record<string, string>> = {
  CommandLine: 'Processes.process',
  Computer: 'Processes.dest',
  CurrentDirectory: 'Processes.process_current_directory',
  Image: 'Processes.process_path',
  IntegrityLevel: 'Processes.process_integrity_level',
  OriginalFileName: 'Processes.original_file_name',
  ParentCommandLine: 'Processes.parent_process',
  ParentImage: 'Processes.parent_process_path',
  ParentProcessGuid: 'Processes.parent_process_guid',
  ParentProcessId: 'Processes.parent_process_id',
  ProcessGuid: 'Processes.process_guid',
  ProcessId: 'Processes.process_id',
  User: 'Processes.user',
};

export const cimRegistry: Readonly<Record<string, string>> = {
  Computer: 'Registry.dest',
  Details: 'Registry.registry_value_data',
  EventType: 'Registry.action',
  Image: 'Registry.process_path',
  ProcessGuid: 'Registry.process_guid',
  ProcessId: 'Registry.process_id',
  TargetObject: 'Registry.registry_key_name',
};

export const cimFilesystem: Readonly<Record<string, string>> = {
  Computer: 'Filesystem.dest',
  CreationUtcTime: 'Filesystem.file_create_time',
  Image: 'Filesystem.process_path',
  ProcessGuid: 'Filesystem.process_guid',
  ProcessId: 'Filesystem.process_id',
  TargetFilename: 'Filesystem.file_path',
};

export const cimDns: Readonly<Record<string, string>> = {
  'destination.ip': 'DNS.dest',
  'destination.port': 'DNS.dest_port',
  'dns.answers.name': 'DNS.answer',
  'dns.answers.ttl': 'DNS.ttl',
  'dns.answers.type': 'DNS.record_type',
  'dns.id': 'DNS.transaction_id',
  'dns.question.name': 'DNS.query',
  'dns.question.type': 'DNS.query_type',
  'dns.response.code': 'DNS.reply_code_id',
  'source.ip': 'DNS.src',
  'source.port': 'DNS.src_port',
};

export const cimWebProxy: Readonly<Record<string, string>> = {
  'c-uri': 'Web.url',
  'c-uri-query': 'Web.uri_query',
  'c-uri-stem': 'Web.uri_path',
  'c-useragent': 'Web.http_user_agent',
  'cs-method': 'Web.http_method',
  'cs-host': 'Web.dest',
  'cs-referrer': 'Web.http_referrer',
  src_ip: 'Web.src',
  dst_ip: 'Web.dest_ip',
};

interface CimSet {
  key: string;
  label: string;
  dataModel: string;
  mapping: Readonly<Record<string, string>>;
  logsources: readonly Record<string, string>[];
}

const cimSets: readonly CimSet[] = [
  {
    key: 'process_creation',
    label: 'process_creation',
    dataModel: 'Endpoint.Processes',
    mapping: cimProcesses,
    logsources: [
      { category: 'process_creation', product: 'windows' },
      { category: 'process_creation', product: 'linux' },
    ],
  },
  {
    key: 'registry',
    label: 'registry',
    dataModel: 'Endpoint.Registry',
    mapping: cimRegistry,
    logsources: ['registry_add', 'registry_delete', 'registry_event', 'registry_set'].map((category) => ({
      category,
      product: 'windows',
    })),
  },
  {
    key: 'file_event',
    label: 'file_event',
    dataModel: 'Endpoint.Filesystem',
    mapping: cimFilesystem,
    logsources: [{ category: 'file_event', product: 'windows' }],
  },
  {
    key: 'web_proxy',
    label: 'web proxy',
    dataModel: 'Web.Proxy',
    mapping: cimWebProxy,
    logsources: [{ category: 'proxy' }],
  },
  {
    key: 'dns',
    label: 'DNS',
    dataModel: 'Network_Resolution.DNS',
    mapping: cimDns,
    logsources: [{ category: 'network', service: 'dns' }],
  },
];

export const splunkCim = {
  name: 'Splunk CIM Data Model Mapping',
  allowed_backends: ['splunk'],
  priority: 20,
  transformations: [
    ...cimSets.flatMap((s) => {
      const rule_conditions = s.logsources.map((ls) => ({ type: 'logsource', ...ls }));
      const common = { rule_conditions, rule_cond_op: 'or' };
      return [
        {
          id: `splunk_dm_mapping_${s.key}_unsupported_fields`,
          type: 'detection_item_failure',
          message:
            `The Splunk Data Model Sigma backend supports only the following fields for ${s.label} log source: ` +
            Object.keys(s.mapping).join(','),
          ...common,
          field_name_conditions: [{ type: 'include_fields', fields: Object.keys(s.mapping) }],
          field_name_cond_not: true,
        },
        { id: `splunk_dm_mapping_${s.key}`, type: 'field_name_mapping', mapping: s.mapping, ...common },
        {
          id: `splunk_dm_fields_${s.key}`,
          type: 'set_state',
          key: 'fields',
          val: Object.values(s.mapping),
          ...common,
        },
        {
          id: `splunk_dm_${s.key}_data_model_set`,
          type: 'set_state',
          key: 'data_model_set',
          val: s.dataModel,
          ...common,
        },
      ];
    }),
    {
      id: 'splunk_dm_mapping_log_source_not_supported',
      type: 'rule_failure',
      message: 'Rule type not yet supported by the Splunk data model CIM pipeline!',
      rule_conditions: cimSets.map((s) => ({
        type: 'processing_item_applied',
        processing_item_id: `splunk_dm_mapping_${s.key}`,
      })),
      rule_cond_op: 'or',
      rule_cond_not: true,
    },
  ],
};
