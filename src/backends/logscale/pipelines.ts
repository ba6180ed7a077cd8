/**
 * Built-in pipelines of the LogScale target, as pipeline data in pySigma's vocabulary:
 * crowdstrike_falcon (Falcon event_simpleName per category, Falcon field names, explicit failures
 * for fields Falcon events lack) and crowdstrike_fdr (Falcon Data Replicator exports).
 */
/** A pipeline, processing item or condition in pySigma's YAML vocabulary, as plain data. */
type Obj = Record<string, unknown>;
type PipelineCondition = Obj;
type PipelineItem = Obj;
type PipelineSpec = Obj;

const ls = (category: string, product: string): PipelineCondition => ({
  type: 'logsource',
  category,
  product,
});
const WIN_PROC = ls('process_creation', 'windows');
const LIN_PROC = ls('process_creation', 'linux');
const MAC_PROC = ls('process_creation', 'macos');
const WIN_NET = ls('network_connection', 'windows');
const WIN_DNS = ls('dns_query', 'windows');
const WIN_IMG = ls('image_load', 'windows');
const WIN_DRV = ls('driver_load', 'windows');
const WIN_PS = ls('ps_script', 'windows');
const initiated = (v: boolean): PipelineCondition => ({
  type: 'contains_detection_item',
  field: 'Initiated',
  value: v ? 'true' : 'false',
});
const fields = (...f: string[]): PipelineCondition => ({ type: 'include_fields', fields: f });

/** The reference's wording differs between process fields ("Crowdstrike") and the others. */
function unsupportedField(
  scope: string,
  cond: PipelineCondition,
  field: string,
  brand: string,
): PipelineItem {
  return {
    id: `cql_fail_${scope}_${field}`,
    type: 'detection_item_failure',
    message: `${brand} Query Language does not support the ${field} field`,
    rule_conditions: [cond],
    field_name_conditions: [fields(field)],
  };
}

/** Only `*\name` (or `name`) values can be matched against a Falcon base file name. */
function baseNameOnly(field: string, message: string, prefix: string): PipelineItem[] {
  return [
    {
      id: `${prefix}_${field.toLowerCase()}_fail_completepath`,
      type: 'detection_item_failure',
      message,
      field_name_conditions: [fields(field)],
      detection_item_conditions: [
        { type: 'match_string', cond: 'any', pattern: '^\\*\\\\?[^\\\\]+$', negate: true },
      ],
    },
    {
      id: `${prefix}_${field.toLowerCase()}_executable_only`,
      type: 'replace_string',
      regex: '^\\*\\\\([^\\\\]+)$',
      replacement: '\\1',
      field_name_conditions: [fields(field)],
    },
  ];
}

const INTEGRITY = {
  Protected: '20480',
  System: '16384',
  High: '12288',
  Medium_Plus: '8448',
  Medium: '8192',
  Low: '4096',
  Untrusted: '0',
};
const DNS_TYPES = { A: '1', NS: '2', CNAME: '5', PTR: '12', MX: '15', TXT: '16', AAAA: '28', ANY: '255' };

function enumItems(
  field: string,
  values: Record<string, string>,
  message: string,
  id: string,
): PipelineItem[] {
  return [
    {
      id: `${id}_unknown`,
      type: 'detection_item_failure',
      message,
      field_name_conditions: [fields(field)],
      rule_conditions: Object.keys(values).map((value) => ({
        type: 'contains_detection_item',
        field,
        value,
      })),
      rule_cond_op: 'or',
      rule_cond_not: true,
    },
    { id: `${id}_replace`, type: 'map_string', mapping: values, field_name_conditions: [fields(field)] },
  ];
}

export const crowdstrikeFalconPipeline: PipelineSpec = {
  name: 'CrowdStrike Falcon Pipeline',
  priority: 10,
  allowed_backends: ['logscale'],
  transformations: [
    {
      id: 'cql_process_creation_eventtype',
      type: 'add_condition',
      conditions: { '#event_simpleName': ['ProcessRollup2', 'SyntheticProcessRollup2'] },
      rule_conditions: [WIN_PROC, LIN_PROC, MAC_PROC],
      rule_cond_op: 'or',
    },
    {
      id: 'cql_network_connection_eventtype_connect',
      type: 'add_condition',
      conditions: { '#event_simpleName': 'NetworkConnectIP4' },
      rule_conditions: [WIN_NET, initiated(true)],
    },
    {
      id: 'cql_network_connection_eventtype_accept',
      type: 'add_condition',
      conditions: { '#event_simpleName': 'NetworkReceiveAcceptIP4' },
      rule_conditions: [WIN_NET, initiated(false)],
    },
    {
      id: 'cql_dns_query_eventtype',
      type: 'add_condition',
      conditions: { '#event_simpleName': 'DnsRequest' },
      rule_conditions: [WIN_DNS],
    },
    {
      id: 'cql_imageload_eventtype',
      type: 'add_condition',
      conditions: { '#event_simpleName': 'ClassifiedModuleLoad' },
      rule_conditions: [WIN_IMG],
    },
    {
      id: 'cql_driverload_eventtype',
      type: 'add_condition',
      conditions: { '#event_simpleName': 'DriverLoad' },
      rule_conditions: [WIN_DRV],
    },
    {
      id: 'cql_powershell_script_eventtype',
      type: 'add_condition',
      conditions: { '#event_simpleName': ['CommandHistory', 'ScriptControlScanTelemetry'] },
      rule_conditions: [WIN_PS],
    },
    {
      id: 'cql_platform_win',
      type: 'add_condition',
      conditions: { event_platform: 'Win' },
      rule_conditions: [WIN_PROC, WIN_DNS, WIN_DRV, WIN_IMG, WIN_PS],
      rule_cond_op: 'or',
    },
    {
      id: 'cql_platform_lin',
      type: 'add_condition',
      conditions: { event_platform: 'Lin' },
      rule_conditions: [LIN_PROC],
    },
    {
      id: 'cql_platform_mac',
      type: 'add_condition',
      conditions: { event_platform: 'Mac' },
      rule_conditions: [MAC_PROC],
    },
    {
      id: 'cql_process_creation_fieldmapping',
      type: 'field_name_mapping',
      mapping: {
        Image: 'ImageFileName',
        ParentImage: 'ParentBaseFileName',
        User: 'UserName',
        ProcessId: 'RawProcessId',
        sha256: 'SHA256HashData',
        Computer: 'ComputerName',
        OriginalFileName: 'OriginalFilename',
      },
      rule_conditions: [WIN_PROC, LIN_PROC, MAC_PROC],
      rule_cond_op: 'or',
    },
    ...[
      'CurrentDirectory',
      'imphash',
      'md5',
      'sha1',
      'ParentCommandLine',
      'FileVersion',
      'Description',
      'Product',
      'Company',
      'LogonGuid',
      'ParentProcessGuid',
      'ParentProcessId',
    ].map((f) => unsupportedField('process_start', WIN_PROC, f, 'Crowdstrike')),
    ...baseNameOnly(
      'ParentBaseFileName',
      'Only file name of parent image is available in CrowdStrike Query Language events.',
      'cql',
    ),
    ...enumItems(
      'IntegrityLevel',
      INTEGRITY,
      'Integrity Level needs to be one of Protected,System,High,Medium_Plus,Medium,Low,Untrusted',
      'cql_integrity_level',
    ),
    {
      id: 'cql_network_connection_fieldmapping',
      type: 'field_name_mapping',
      mapping: {
        DestinationIp: 'RemoteAddressIP4',
        DestinationPort: 'RemotePort',
        Image: 'ContextBaseFileName',
        SourcePort: 'LocalPort',
      },
      rule_conditions: [WIN_NET],
    },
    {
      id: 'cql_network_connection_drop_initiated',
      type: 'drop_detection_item',
      rule_conditions: [WIN_NET],
      field_name_conditions: [fields('Initiated')],
    },
    {
      id: 'cql_dns_query_fieldmapping',
      type: 'field_name_mapping',
      mapping: {
        QueryName: 'DomainName',
        record_type: 'RequestType',
        Image: 'ContextBaseFileName',
        QueryResults: ['IP4Records', 'IP6Records'],
      },
      rule_conditions: [WIN_DNS],
    },
    ...enumItems(
      'RequestType',
      DNS_TYPES,
      'record_type needs to be one of A,NS,CNAME,PTR,MX,TXT,AAAA,ANY',
      'cql_dns_request_type',
    ),
    {
      id: 'cql_dns_wildcard_query_results',
      type: 'replace_string',
      regex: '(.*)',
      replacement: '*\\1',
      field_name_conditions: [fields('IP4Records'), fields('IP6Records')],
      field_name_cond_op: 'or',
      rule_conditions: [WIN_DNS],
    },
    ...['ProcessId', 'QueryStatus', 'answer'].map((f) =>
      unsupportedField('dns_event', WIN_DNS, f, 'CrowdStrike'),
    ),
    {
      id: 'cql_imageload_fieldmapping',
      type: 'field_name_mapping',
      mapping: {
        Image: 'TargetImageFileName',
        ImageLoaded: 'ImageFileName',
        sha256: 'SHA256HashData',
        md5: 'MD5HashData',
      },
      rule_conditions: [WIN_IMG],
    },
    ...['OriginalFileName', 'Description', 'Signed', 'Imphash', 'CommandLine'].map((f) =>
      unsupportedField('imageload_event', WIN_IMG, f, 'CrowdStrike'),
    ),
    {
      id: 'cql_driverload_fieldmapping',
      type: 'field_name_mapping',
      mapping: {
        ImageLoaded: 'ImageFileName',
        sha256: 'SHA256HashData',
        md5: 'MD5HashData',
        OriginalFileName: 'OriginalFilename',
      },
      rule_conditions: [WIN_DRV],
    },
    ...['Hashes', 'Imphash', 'Image'].map((f) =>
      unsupportedField('driverload_event', WIN_DRV, f, 'CrowdStrike'),
    ),
    {
      id: 'cql_powershell_script_fieldmapping',
      type: 'field_name_mapping',
      mapping: {
        Payload: ['CommandHistory', 'ScriptContent'],
        ScriptBlockText: ['CommandHistory', 'ScriptContent'],
      },
      rule_conditions: [WIN_PS],
    },
    ...baseNameOnly(
      'ContextBaseFileName',
      'Only file name of image is available in CrowdStrike Query Language events.',
      'cql',
    ),
    {
      id: 'cql_imagefilename_replace_disk_name',
      type: 'replace_string',
      regex: '^[C-Z]:',
      replacement: '\\\\Device\\\\HarddiskVolume?\\\\',
      skip_special: true,
      interpret_special: true,
      field_name_conditions: [fields('ImageFileName'), fields('TargetImageFileName')],
      field_name_cond_op: 'or',
    },
    {
      id: 'cql_imagefilename_remove_colon',
      type: 'replace_string',
      regex: ':',
      replacement: '',
      skip_special: true,
      interpret_special: true,
      field_name_conditions: [fields('ImageFileName'), fields('TargetImageFileName')],
      field_name_cond_op: 'or',
    },
    ...(['process_creation', 'network_connection', 'dns_query'] as const).map((category): PipelineItem => ({
      id: `crowdstrike_${category}_logsource`,
      type: 'change_logsource',
      category,
      product: 'windows',
      service: 'crowdstrike',
      rule_conditions: [ls(category, 'windows')],
    })),
  ],
  // The reference joins all queries of a run into one text.
  finalizers: [{ type: 'concat', separator: '\n' }],
};

export const crowdstrikeFdrPipeline: PipelineSpec = {
  name: 'Generic Log Sources to CrowdStrike Falcon Data Replicator (FDR) Transformation',
  priority: 10,
  transformations: [
    {
      id: 'cs_process_creation_eventtype',
      type: 'add_condition',
      conditions: { event_simpleName: ['ProcessRollup2', 'SyntheticProcessRollup2'] },
      rule_conditions: [WIN_PROC],
    },
    {
      id: 'cs_process_creation_fieldmapping',
      type: 'field_name_mapping',
      mapping: { Image: 'ImageFileName', ParentImage: 'ParentBaseFileName' },
      rule_conditions: [WIN_PROC],
    },
    {
      id: 'cs_network_connection_eventtype_connect',
      type: 'add_condition',
      conditions: { event_simpleName: 'NetworkConnectionIP4' },
      rule_conditions: [WIN_NET, initiated(true)],
    },
    {
      id: 'cs_network_connection_eventtype_accept',
      type: 'add_condition',
      conditions: { event_simpleName: 'NetworkReceiveAcceptIP4' },
      rule_conditions: [WIN_NET, initiated(false)],
    },
    {
      id: 'cs_network_connection_fieldmapping',
      type: 'field_name_mapping',
      mapping: { DestinationIp: 'RemoteAddressIP4', DestinationPort: 'RemotePort' },
      rule_conditions: [WIN_NET],
    },
    {
      id: 'cs_network_connection_drop_initiated',
      type: 'drop_detection_item',
      rule_conditions: [WIN_NET],
      field_name_conditions: [fields('Initiated')],
    },
    {
      id: 'cs_dns_query_eventtype',
      type: 'add_condition',
      conditions: { event_simpleName: 'DnsRequest' },
      rule_conditions: [WIN_DNS],
    },
    {
      id: 'cs_dns_query_fieldmapping',
      type: 'field_name_mapping',
      mapping: { QueryName: 'DomainName', QueryResults: 'IP4Records' },
      rule_conditions: [WIN_DNS],
    },
    ...baseNameOnly(
      'ParentBaseFileName',
      'Only file name of parent image is available in CrowdStrike events.',
      'cs',
    ),
    ...(['process_creation', 'network_connection', 'dns_query'] as const).map((category): PipelineItem => ({
      id: `crowdstrike_${category}_logsource`,
      type: 'change_logsource',
      category,
      product: 'windows',
      service: 'crowdstrike',
      rule_conditions: [ls(category, 'windows')],
    })),
  ],
};
