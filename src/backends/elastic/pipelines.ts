/**
 * Elastic Common Schema pipelines as pipeline data in pySigma's vocabulary (what
 * src/pipeline's loadPipelineObject reads): the field names Winlogbeat / Elastic Agent write for
 * Windows event logs, with the Windows channel of each Sigma service added as a condition.
 * The mappings are facts of the ECS/Winlogbeat schema as the reference pipelines state them.
 */
import { WINDOWS_SERVICE_CHANNELS } from '../../pipeline/builtins/windows-channels.js';
import { ecsKubernetes, ecsMacosEsf } from './pipelines-other.js';
import { ecsZeekBeats, ecsZeekCorelight, zeekRaw } from './pipelines-zeek.js';

export interface PipelineObject {
  name: string;
  priority: number;
  allowed_backends?: string[];
  transformations: Record<string, unknown>[];
}

const ELASTIC_TARGETS = ['elastic-lucene', 'elastic-eql', 'elastic-esql'];

/**
 * Sigma Windows services → event log channel(s). The reference ECS pipeline lacks two services of the
 * shared table; leaving them out keeps its output byte-identical.
 */
const NOT_IN_ECS = new Set(['vhdmp', 'certificateservicesclient-lifecycle-system']);
export const WINDOWS_CHANNELS: Readonly<Record<string, string | readonly string[]>> = Object.fromEntries(
  Object.entries(WINDOWS_SERVICE_CHANNELS).filter(([service]) => !NOT_IN_ECS.has(service)),
);

/** One add_condition item per Windows service: `<channelField> = <channel>` first in the rule. */
export function windowsChannelItems(channelField: string): Record<string, unknown>[] {
  return Object.entries(WINDOWS_CHANNELS).map(([service, channel]) => ({
    id: `windows_logsource_${service}`,
    type: 'add_condition',
    conditions: { [channelField]: typeof channel === 'string' ? channel : [...channel] },
    rule_conditions: [{ type: 'logsource', product: 'windows', service }],
  }));
}

/** Sigma field → ECS field, only for rules of one category or service. */
const VARIABLE_MAPPINGS: readonly (readonly [string, 'category' | 'service', string, string])[] = [
  ['FileVersion', 'category', 'process_creation', 'process.pe.file_version'],
  ['FileVersion', 'category', 'image_load', 'file.pe.file_version'],
  ['Description', 'category', 'process_creation', 'process.pe.description'],
  ['Description', 'category', 'image_load', 'file.pe.description'],
  ['Description', 'category', 'sysmon_error', 'winlog.event_data.Description'],
  ['Product', 'category', 'process_creation', 'process.pe.product'],
  ['Product', 'category', 'image_load', 'file.pe.product'],
  ['Company', 'category', 'process_creation', 'process.pe.company'],
  ['Company', 'category', 'image_load', 'file.pe.company'],
  ['OriginalFileName', 'category', 'process_creation', 'process.pe.original_file_name'],
  ['OriginalFileName', 'category', 'image_load', 'file.pe.original_file_name'],
  ['CommandLine', 'category', 'process_creation', 'process.command_line'],
  ['CommandLine', 'service', 'security', 'process.command_line'],
  ['CommandLine', 'service', 'powershell-classic', 'powershell.command.value'],
  ['Protocol', 'category', 'network_connection', 'network.transport'],
  ['Initiated', 'category', 'network_connection', 'network.direction'],
  ['Signature', 'category', 'driver_loaded', 'file.code_signature.subject_name'],
  ['Signature', 'category', 'image_loaded', 'file.code_signature.subject_name'],
  ['EngineVersion', 'service', 'powershell-classic', 'powershell.engine.version'],
  ['HostVersion', 'service', 'powershell-classic', 'powershell.process.executable_version'],
  ['SubjectLogonId', 'service', 'security', 'winlog.logon.id'],
  ['ServiceName', 'service', 'security', 'service.name'],
  ['SubjectDomainName', 'service', 'security', 'user.domain'],
  ['SubjectUserName', 'service', 'security', 'user.name'],
  ['SubjectUserSid', 'service', 'security', 'user.id'],
  ['TargetLogonId', 'service', 'security', 'winlog.logon.id'],
];

/** Sigma Windows field → ECS field for every Windows rule. */
export const ECS_WINDOWS_FIELDS: Readonly<Record<string, string>> = {
  EventID: 'event.code',
  Channel: 'winlog.channel',
  Provider_Name: 'winlog.provider_name',
  ComputerName: 'winlog.computer_name',
  FileName: 'file.path',
  ProcessGuid: 'process.entity_id',
  ProcessId: 'process.pid',
  Image: 'process.executable',
  CurrentDirectory: 'process.working_directory',
  ParentProcessGuid: 'process.parent.entity_id',
  ParentProcessId: 'process.parent.pid',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  TargetFilename: 'file.path',
  SourceIp: 'source.ip',
  SourceHostname: 'source.domain',
  SourcePort: 'source.port',
  DestinationIp: 'destination.ip',
  DestinationHostname: 'destination.domain',
  DestinationPort: 'destination.port',
  DestinationPortName: 'network.protocol',
  ImageLoaded: 'file.path',
  Signed: 'file.code_signature.signed',
  SignatureStatus: 'file.code_signature.status',
  Imphash: 'file.pe.imphash',
  SourceProcessGuid: 'process.entity_id',
  SourceProcessId: 'process.pid',
  SourceImage: 'process.executable',
  Device: 'file.path',
  SourceThreadId: 'process.thread.id',
  TargetObject: 'registry.path',
  PipeName: 'file.name',
  Destination: 'process.executable',
  QueryName: 'dns.question.name',
  QueryStatus: 'sysmon.dns.status',
  IsExecutable: 'sysmon.file.is_executable',
  Archived: 'sysmon.file.archived',
  CommandName: 'powershell.command.name',
  CommandPath: 'powershell.command.path',
  CommandType: 'powershell.command.type',
  HostApplication: 'process.command_line',
  HostId: 'process.entity_id',
  HostName: 'process.title',
  NewEngineState: 'powershell.engine.new_state',
  PipelineId: 'powershell.pipeline_id',
  PreviousEngineState: 'powershell.engine.previous_state',
  RunspaceId: 'powershell.runspace_id',
  ScriptName: 'file.path',
  SequenceNumber: 'event.sequence',
  NewProviderState: 'powershell.provider.new_state',
  ProviderName: 'powershell.provider.name',
  MessageNumber: 'powershell.sequence',
  MessageTotal: 'powershell.total',
  ScriptBlockText: 'powershell.file.script_block_text',
  ScriptBlockId: 'powershell.file.script_block_id',
  AccountDomain: 'user.domain',
  AccountName: 'user.name',
  Application: 'process.executable',
  ClientAddress: 'source.ip',
  ClientName: 'source.domain',
  DestAddress: 'destination.ip',
  DestPort: 'destination.port',
  IpAddress: 'source.ip',
  IpPort: 'source.port',
  NewProcessId: 'process.pid',
  NewProcessName: 'process.executable',
  ParentProcessName: 'process.parent.name',
  ProcessName: 'process.executable',
  SourceAddress: 'source.ip',
  TargetDomainName: 'user.domain',
  User: 'user.name',
  WorkstationName: 'source.domain',
  Payload: 'powershell.file.script_block_text',
};

const WINDOWS = [{ type: 'logsource', product: 'windows' }];

/** Fields no earlier item mapped and not already dotted (`word.`) get the event data prefix. */
function prefixItem(id: string, mappingId: string, prefix: string): Record<string, unknown> {
  return {
    id,
    type: 'field_name_prefix',
    prefix,
    field_name_conditions: [
      { type: 'processing_item_applied', processing_item_id: mappingId },
      { type: 'include_fields', fields: ['\\w+\\.'], mode: 're' },
    ],
    field_name_cond_op: 'or',
    field_name_cond_not: true,
    rule_conditions: WINDOWS,
  };
}

/** ecs_windows: Winlogbeat 7+ and Elastic Agent. */
export const ecsWindows: PipelineObject = {
  name: 'Elastic Common Schema (ECS) Windows log mappings from Winlogbeat from version 7',
  priority: 20,
  allowed_backends: ELASTIC_TARGETS,
  transformations: [
    ...windowsChannelItems('winlog.channel'),
    ...VARIABLE_MAPPINGS.map(([field, key, value, mapped]) => ({
      id: `elasticsearch_windows-${field}-${key}-${value}`,
      type: 'field_name_mapping',
      mapping: { [field]: mapped },
      rule_conditions: [{ type: 'logsource', product: 'windows', [key]: value }],
    })),
    {
      id: 'ecs_windows_field_mapping',
      type: 'field_name_mapping',
      mapping: { ...ECS_WINDOWS_FIELDS },
      rule_conditions: WINDOWS,
    },
    prefixItem('ecs_windows_winlog_eventdata_prefix', 'ecs_windows_field_mapping', 'winlog.event_data.'),
    {
      id: 'ecs_windows_network_direction',
      type: 'elastic_network_direction',
      field_name_conditions: [{ type: 'include_fields', fields: ['network.direction'] }],
      rule_conditions: WINDOWS,
    },
    // event.code and the event data fields are keywords: numbers in rules are compared as strings.
    {
      id: 'ecs_windows_keyword_values',
      type: 'elastic_numbers_as_text',
      field_name_conditions: [
        { type: 'include_fields', fields: ['event\\.code$', 'winlog\\.event_data\\.'], mode: 're' },
      ],
      rule_conditions: WINDOWS,
    },
  ],
};

/** ecs_windows_old: Winlogbeat up to version 6. */
export const ecsWindowsOld: PipelineObject = {
  name: 'Elastic Common Schema (ECS) Windows log mappings from Winlogbeat up to version 6',
  priority: 20,
  allowed_backends: ELASTIC_TARGETS,
  transformations: [
    ...windowsChannelItems('winlog.channel'),
    {
      id: 'ecs_windows_field_mapping',
      type: 'field_name_mapping',
      mapping: { EventID: 'event_id', Channel: 'winlog.channel' },
      rule_conditions: WINDOWS,
    },
    prefixItem('ecs_windows_eventdata_prefix', 'ecs_windows_field_mapping', 'event_data.'),
  ],
};

/** Pipelines by name, as `-p <name>` finds them. */
export const elasticPipelines: Readonly<Record<string, PipelineObject>> = {
  ecs_windows: ecsWindows,
  ecs_windows_old: ecsWindowsOld,
  ecs_kubernetes: ecsKubernetes,
  ecs_macos_esf: ecsMacosEsf,
  ecs_zeek_beats: ecsZeekBeats,
  ecs_zeek_corelight: ecsZeekCorelight,
  zeek: zeekRaw,
};
