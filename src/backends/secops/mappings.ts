/** UDM mapping data of the secops_udm pipeline: event types per logsource and EventID, fields per event group. */

export const CATEGORY_EVENT_TYPES: Record<string, string> = {
  process_creation: 'PROCESS_LAUNCH',
  process_access: 'PROCESS_OPEN',
  process_termination: 'PROCESS_TERMINATION',
  image_load: 'PROCESS_MODULE_LOAD',
  file_event: 'FILE_UNCATEGORIZED',
  file_change: 'FILE_MODIFICATION',
  file_rename: 'FILE_MOVE',
  file_delete: 'FILE_DELETION',
  file_access: 'FILE_READ',
  registry_add: 'REGISTRY_CREATION',
  registry_delete: 'REGISTRY_DELETION',
  registry_set: 'REGISTRY_MODIFICATION',
  registry_event: 'REGISTRY_UNCATEGORIZED',
  network_connection: 'NETWORK_CONNECTION',
  dns_query: 'NETWORK_DNS',
  create_remote_thread: 'PROCESS_INJECTION',
  driver_load: 'PROCESS_MODULE_LOAD',
  create_stream_hash: 'FILE_CREATION',
  pipe_created: 'FILE_CREATION',
};

export const SERVICE_EVENT_TYPES: Record<string, string> = {
  firewall: 'NETWORK_CONNECTION',
  dns: 'NETWORK_DNS',
  webserver: 'NETWORK_HTTP',
  proxy: 'NETWORK_HTTP',
  wmi: 'PROCESS_LAUNCH',
  powershell: 'PROCESS_LAUNCH',
};

export const PRODUCT_EVENT_TYPES: Record<string, string> = {
  apache: 'NETWORK_HTTP',
  nginx: 'NETWORK_HTTP',
  mysql: 'RESOURCE_READ',
  postgresql: 'RESOURCE_READ',
};

export const EVENT_ID_TYPES: Record<string, string> = {
  '1': 'PROCESS_LAUNCH',
  '3': 'NETWORK_CONNECTION',
  '4': 'STATUS_UNCATEGORIZED',
  '5': 'PROCESS_TERMINATION',
  '6': 'PROCESS_MODULE_LOAD',
  '7': 'PROCESS_MODULE_LOAD',
  '8': 'PROCESS_INJECTION',
  '9': 'FILE_READ',
  '10': 'PROCESS_OPEN',
  '11': 'FILE_CREATION',
  '12': 'REGISTRY_UNCATEGORIZED',
  '13': 'REGISTRY_UNCATEGORIZED',
  '14': 'REGISTRY_UNCATEGORIZED',
  '15': 'FILE_CREATION',
  '16': 'STATUS_UPDATE',
  '17': 'FILE_CREATION',
  '18': 'FILE_OPEN',
  '19': 'PROCESS_LAUNCH',
  '20': 'PROCESS_LAUNCH',
  '21': 'PROCESS_LAUNCH',
  '22': 'NETWORK_DNS',
  '23': 'FILE_DELETION',
  '24': 'PROCESS_UNCATEGORIZED',
  '25': 'PROCESS_TAMPERING',
  '26': 'FILE_DELETION',
  '4624': 'USER_LOGIN',
  '4625': 'USER_LOGIN',
  '4688': 'PROCESS_LAUNCH',
  '4663': 'FILE_ACCESS',
  '5156': 'NETWORK_CONNECTION',
  '4656': 'FILE_ACCESS',
  '4660': 'FILE_DELETE',
  '4657': 'REGISTRY_CHANGE',
  '4697': 'SERVICE_INSTALL',
  '4720': 'USER_CREATION',
  '4728': 'GROUP_MEMBER_ADD',
  '4732': 'GROUP_MEMBER_ADD',
  '4756': 'GROUP_MEMBER_ADD',
};

type Group = 'process' | 'file' | 'network' | 'registry' | 'authentication' | 'common' | 'dns';

const GROUP_OF: [Group, string[]][] = [
  [
    'process',
    [
      'PROCESS_LAUNCH',
      'PROCESS_TERMINATION',
      'PROCESS_OPEN',
      'PROCESS_MODULE_LOAD',
      'PROCESS_INJECTION',
      'PROCESS_TAMPERING',
      'PROCESS_UNCATEGORIZED',
    ],
  ],
  [
    'file',
    [
      'FILE_CREATION',
      'FILE_DELETION',
      'FILE_MODIFICATION',
      'FILE_READ',
      'FILE_COPY',
      'FILE_OPEN',
      'FILE_MOVE',
      'FILE_SYNC',
      'FILE_UNCATEGORIZED',
    ],
  ],
  [
    'network',
    [
      'NETWORK_CONNECTION',
      'NETWORK_FLOW',
      'NETWORK_FTP',
      'NETWORK_DHCP',
      'NETWORK_DNS',
      'NETWORK_HTTP',
      'NETWORK_SMTP',
      'NETWORK_UNCATEGORIZED',
    ],
  ],
  ['registry', ['REGISTRY_CREATION', 'REGISTRY_MODIFICATION', 'REGISTRY_DELETION', 'REGISTRY_UNCATEGORIZED']],
  [
    'authentication',
    [
      'USER_LOGIN',
      'USER_LOGOUT',
      'USER_CREATION',
      'USER_CHANGE_PASSWORD',
      'USER_CHANGE_PERMISSIONS',
      'USER_UNCATEGORIZED',
    ],
  ],
  [
    'common',
    [
      'GENERIC_EVENT',
      'STATUS_UNCATEGORIZED',
      'STATUS_HEARTBEAT',
      'STATUS_STARTUP',
      'STATUS_SHUTDOWN',
      'STATUS_UPDATE',
    ],
  ],
];

export const EVENT_TYPE_GROUP: Record<string, Group> = Object.fromEntries(
  GROUP_OF.flatMap(([g, ts]) => ts.map((t) => [t, g] as const)),
);

export const COMMON_FIELDS: Record<string, string> = {
  AccessMask: 'target.process.access_mask',
  User: 'user',
  Image: 'file_path',
  GrandparentImage: 'file_path',
  GrandparentProcessId: 'process_id',
  ParentImage: 'file_path',
  ProcessId: 'process_id',
  ParentProcessId: 'process_id',
  SourceHostname: 'principal.hostname',
  DestinationHostname: 'target.hostname',
  EventID: 'metadata.product_event_type',
  Provider_Name: 'metadata.product_name',
  ServiceName: 'target.process.file.names',
  ServiceFileName: 'file_path',
  AccountName: 'user',
  SubjectUserName: 'principal.user.userid',
  SubjectDomainName: 'domain',
  TargetUserName: 'target.user.userid',
  TargetDomainName: 'domain',
  IpAddress: 'ip',
  IpPort: 'principal.port',
  WorkstationName: 'hostname',
  Hostname: 'hostname',
  ComputerName: 'hostname',
  Hashes: 'hash',
  md5: 'hash',
  sha1: 'hash',
  sha256: 'hash',
  sha512: 'hash',
  imphash: 'hash',
};

export const FIELDS_BY_GROUP: Record<Group, Record<string, string>> = {
  common: COMMON_FIELDS,
  process: {
    CommandLine: 'target.process.command_line',
    CurrentDirectory: 'target.process.file.full_path',
    Image: 'target.process.file.full_path',
    GrandparentCommandLine: 'principal.process.parent_process.command_line',
    OriginalFileName: 'target.process.file.names',
    ParentImage: 'principal.process.file.full_path',
    ParentCommandLine: 'principal.process.command_line',
    ProcessGuid: 'target.process.product_specific_process_id',
    ProcessId: 'target.process.pid',
    ParentProcessImage: 'principal.process.file.full_path',
    ParentProcessCommandLine: 'principal.process.command_line',
    ParentProcessId: 'principal.process.pid',
    ParentProcessGuid: 'principal.process.product_specific_process_id',
    ParentUser: 'principal.user.userid',
    IntegrityLevel: 'target.process.integrity_level_rid',
    User: 'target.user.userid',
  },
  network: {
    SourceIp: 'principal.ip',
    DestinationIp: 'target.ip',
    SourcePort: 'principal.port',
    DestinationPort: 'target.port',
    Protocol: 'network.ip_protocol',
    Image: 'principal.process.file.full_path',
    Initiated: 'network.direction',
    User: 'principal.user.userid',
    DestinationHostname: 'target.hostname',
    SourceHostname: 'principal.hostname',
    QueryName: 'network.dns.questions.name',
    QueryResults: 'network.dns.answers.data',
    QueryStatus: 'network.dns.response_code',
  },
  file: {
    TargetFilename: 'target.file.names',
    Image: 'target.process.file.full_path',
    ObjectName: 'target.file.full_path',
    OldName: 'target.file.names',
    NewName: 'target.file.names',
    OriginalFileName: 'target.file.names',
  },
  authentication: {
    TargetUserName: 'target.user.userid',
    SubjectUserName: 'principal.user.user_display_name',
    TargetOutboundUserName: 'target.user.userid',
    TargetUserSid: 'target.user.windows_sid',
    TargetServerName: 'target.hostname',
    WorkstationName: 'principal.hostname',
    IpAddress: 'principal.ip',
    IpPort: 'principal.port',
    LogonGuid: 'principal.user.product_object_id',
  },
  registry: {
    TargetObject: 'target.registry.registry_key',
    Details: 'target.registry.registry_value_data',
    EventType: 'metadata.event_type',
    Image: 'principal.process.file.full_path',
    ProcessId: 'principal.process.pid',
    User: 'principal.user.userid',
    ObjectName: 'target.registry.registry_key',
    ObjectValueName: 'target.registry.registry_value_name',
    NewName: 'target.registry.registry_key',
  },
  dns: {
    QueryName: 'network.dns.questions.name',
    QueryResults: 'network.dns.answers.data',
    QueryStatus: 'network.dns.response_code',
    record_type: 'network.dns.questions.type',
    answers: 'network.dns.answers.name',
  },
};

/**
 * Our additions, for fields the reference leaves unmapped (and so rejects the rule): web server and
 * proxy logs (W3C names), module loads, process access, cloud audit event names.
 */
export const EXTENDED_FIELDS: Record<string, string> = {
  ImageLoaded: 'target.process.file.full_path',
  TargetImage: 'target.process.file.full_path',
  SourceImage: 'principal.process.file.full_path',
  TargetFilename: 'target.file.full_path',
  'cs-method': 'network.http.method',
  'c-method': 'network.http.method',
  'c-uri': 'target.url',
  'cs-uri': 'target.url',
  'cs-uri-query': 'target.url',
  'cs-uri-stem': 'target.url',
  'c-uri-query': 'target.url',
  'c-uri-stem': 'target.url',
  'c-useragent': 'network.http.user_agent',
  'cs-user-agent': 'network.http.user_agent',
  'cs-referrer': 'network.http.referral_url',
  'cs-host': 'target.hostname',
  'sc-status': 'network.http.response_code',
  eventName: 'metadata.product_event_type',
  operationName: 'metadata.product_event_type',
};

/** UDM enum fields: compared exactly (no `nocase`). */
export const UDM_ENUM_FIELDS = new Set([
  'metadata.event_type',
  'network.direction',
  'network.ip_protocol',
  'network.dns.response_code',
]);

/** UDM search grouped fields (they search every matching UDM field). */
const GROUPED = new Set([
  'hostname',
  'ip',
  'user',
  'hash',
  'file_path',
  'domain',
  'process_id',
  'url',
  'email',
  'mac',
  'namespace',
  'resource',
]);
const NOUNS =
  /^(?:metadata|principal|target|src|observer|intermediary|about|network|security_result|extensions|additional)\.[a-z_]+(?:\.[a-z_0-9]+)*$/;

export function isValidUdmField(field: string): boolean {
  const f = field.startsWith('$') ? field.split('.').slice(1).join('.') : field;
  return GROUPED.has(f) || NOUNS.test(f);
}
