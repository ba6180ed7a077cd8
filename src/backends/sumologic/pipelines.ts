/**
 * The sumologic_cse pipeline as pipeline data: Sigma fields → CSE normalized schema fields per
 * logsource (first matching entry wins, as items run in order), a generic fallback, and the
 * `sumologic_data_field` transformation for Windows `Data` values written `Key=Value`.
 */
import type { IrNode } from '../../ir/types.js';
import type { TransformationDef } from '../../pipeline/index.js';
import { defineTransformation } from '../../pipeline/index.js';
import { envError } from '../../pipeline/env.js';

type Ls = { product?: string; service?: string; category?: string };

const MAPPINGS: [string, Ls | undefined, Record<string, string>][] = [
  [
    'process_creation',
    { category: 'process_creation' },
    {
      CommandLine: 'commandLine',
      Image: 'baseImage',
      ParentImage: 'parentBaseImage',
      ParentCommandLine: 'parentCommandLine',
      ProcessId: 'pid',
      ParentProcessId: 'parentPid',
      CurrentDirectory: 'file_path',
      OriginalFileName: 'file_basename',
      User: 'user_username',
      LogonId: 'sessionId',
      IntegrityLevel: 'severity',
      md5: 'file_hash_md5',
      MD5: 'file_hash_md5',
      sha1: 'file_hash_sha1',
      SHA1: 'file_hash_sha1',
      sha256: 'file_hash_sha256',
      SHA256: 'file_hash_sha256',
      Hashes: 'file_hash_sha256',
      imphash: 'file_hash_imphash',
      ProcessGuid: 'processUid',
      Description: 'description',
    },
  ],
  [
    'network_connection',
    { category: 'network_connection' },
    {
      SourceIp: 'srcDevice_ip',
      SourcePort: 'srcPort',
      DestinationIp: 'dstDevice_ip',
      DestinationPort: 'dstPort',
      Protocol: 'ipProtocol',
      Image: 'baseImage',
      User: 'user_username',
      ProcessId: 'pid',
      Initiated: 'action',
      DestinationHostname: 'dstDevice_hostname',
      SourceHostname: 'srcDevice_hostname',
      'source.ip': 'srcDevice_ip',
      'source.port': 'srcPort',
      'destination.ip': 'dstDevice_ip',
      'destination.port': 'dstPort',
      'network.transport': 'ipProtocol',
      'network.protocol': 'application',
      'source.bytes': 'bytesOut',
      'destination.bytes': 'bytesIn',
      'source.packets': 'packetsOut',
      'destination.packets': 'packetsIn',
    },
  ],
  [
    'dns_query',
    { category: 'dns_query' },
    {
      QueryName: 'dns_query',
      QueryResults: 'dns_reply',
      QueryStatus: 'dns_replyCode',
      Image: 'baseImage',
      ProcessId: 'pid',
      record_type: 'dns_queryType',
    },
  ],
  [
    'dns',
    { category: 'dns' },
    {
      query: 'dns_query',
      record_type: 'dns_queryType',
      rcode: 'dns_replyCode',
      'dns.question.name': 'dns_query',
      'dns.question.type': 'dns_queryType',
      'dns.response.code': 'dns_replyCode',
      'dns.answers.name': 'dns_reply',
      'dns.answers.data': 'dns_replyIp',
      'dns.answers.ttl': 'dns_replyTtl',
      'source.ip': 'srcDevice_ip',
      'source.port': 'srcPort',
      'destination.ip': 'dstDevice_ip',
      'destination.port': 'dstPort',
    },
  ],
  [
    'file_event',
    { category: 'file_event' },
    {
      TargetFilename: 'file_path',
      Image: 'baseImage',
      User: 'user_username',
      ProcessId: 'pid',
      md5: 'file_hash_md5',
      sha1: 'file_hash_sha1',
      sha256: 'file_hash_sha256',
    },
  ],
  [
    'image_load',
    { category: 'image_load' },
    {
      ImageLoaded: 'file_path',
      Signature: 'threat_identifier',
      Image: 'baseImage',
      md5: 'file_hash_md5',
      sha1: 'file_hash_sha1',
      sha256: 'file_hash_sha256',
      imphash: 'file_hash_imphash',
    },
  ],
  [
    'registry_event',
    { category: 'registry_event' },
    { TargetObject: 'changeTarget', EventType: 'changeType', Image: 'baseImage', User: 'user_username' },
  ],
  [
    'antivirus',
    { category: 'antivirus' },
    {
      Signature: 'threat_identifier',
      signature: 'threat_identifier',
      Filename: 'file_path',
      FileName: 'file_path',
      filename: 'file_path',
      Action: 'action',
      action: 'action',
      Computer: 'device_hostname',
      User: 'user_username',
      ThreatName: 'threat_identifier',
      Malware: 'threat_identifier',
    },
  ],
  [
    'windows_authentication',
    { product: 'windows', service: 'security' },
    {
      TargetUserName: 'user_username',
      TargetDomainName: 'user_authDomain',
      SubjectUserName: 'user_username',
      SubjectDomainName: 'user_authDomain',
      LogonType: 'logonType',
      IpAddress: 'srcDevice_ip',
      WorkstationName: 'srcDevice_hostname',
      Status: 'errorCode',
      SubStatus: 'errorText',
      SourceNetworkAddress: 'srcDevice_ip',
      TargetLogonId: 'user_userId',
      LogonProcessName: 'application',
      AuthenticationPackageName: 'authProvider',
    },
  ],
  [
    'windows_system',
    { product: 'windows', service: 'system' },
    {
      ServiceName: 'application',
      ImagePath: 'file_path',
      ServiceType: 'resource_type',
      StartType: 'changeType',
    },
  ],
  [
    'proxy',
    { category: 'proxy' },
    {
      'c-uri': 'http_url',
      'c-uri-extension': 'http_url_extension',
      'c-uri-query': 'http_url_query',
      'c-uri-stem': 'http_url_path',
      'cs-uri-query': 'http_url_query',
      'cs-uri-stem': 'http_url_path',
      'cs-method': 'http_method',
      'cs-host': 'http_url_fqdn',
      'r-dns': 'http_url_fqdn',
      'c-useragent': 'http_userAgent',
      'cs-user-agent': 'http_userAgent',
      'cs-referrer': 'http_referer',
      'cs-referer': 'http_referer',
      'sc-status': 'http_response_statusCode',
      'cs-version': 'http_requestVersion',
      'cs-username': 'user_username',
      'c-ip': 'srcDevice_ip',
      src_ip: 'srcDevice_ip',
      'r-ip': 'dstDevice_ip',
      dst_ip: 'dstDevice_ip',
      'cs-bytes': 'bytesOut',
      'sc-bytes': 'bytesIn',
      url: 'http_url',
    },
  ],
  [
    'webserver',
    { category: 'webserver' },
    {
      'c-ip': 'srcDevice_ip',
      'cs-username': 'user_username',
      's-computername': 'device_hostname',
      's-ip': 'dstDevice_ip',
      's-port': 'dstPort',
      'cs-method': 'http_method',
      'cs-uri-stem': 'http_url_path',
      'cs-uri-query': 'http_url_query',
      'cs-version': 'http_requestVersion',
      'cs-host': 'http_url_fqdn',
      'cs-user-agent': 'http_userAgent',
      'cs-cookie': 'http_cookie',
      'cs-referer': 'http_referer',
      'sc-status': 'http_response_statusCode',
      'sc-bytes': 'bytesIn',
      'cs-bytes': 'bytesOut',
      'time-taken': 'http_response_time',
    },
  ],
  [
    'firewall',
    { category: 'firewall' },
    {
      src_ip: 'srcDevice_ip',
      dst_ip: 'dstDevice_ip',
      src_port: 'srcPort',
      dst_port: 'dstPort',
      protocol: 'ipProtocol',
      action: 'action',
    },
  ],
  [
    'aws_cloudtrail',
    { product: 'aws', service: 'cloudtrail' },
    {
      eventName: 'action',
      eventSource: 'application',
      'userIdentity.principalId': 'user_username',
      'userIdentity.arn': 'user_userId',
      sourceIPAddress: 'srcDevice_ip',
      userAgent: 'http_userAgent',
      errorCode: 'errorCode',
      errorMessage: 'errorText',
    },
  ],
  [
    'azure_activity',
    { product: 'azure', service: 'activitylogs' },
    {
      operationName: 'action',
      caller: 'user_username',
      callerIpAddress: 'srcDevice_ip',
      status: 'action',
      'properties.message': 'description',
    },
  ],
  [
    'office365',
    { service: 'office365' },
    { Operation: 'action', UserId: 'user_username', ClientIP: 'srcDevice_ip', UserAgent: 'http_userAgent' },
  ],
  [
    'linux_auth',
    { product: 'linux', service: 'auth' },
    { user: 'user_username', srcip: 'srcDevice_ip', hostname: 'device_hostname', addr: 'srcDevice_ip' },
  ],
  [
    'windows_eventdata_common',
    { product: 'windows' },
    {
      TargetUserName: 'user_username',
      TargetUserSid: 'user_userId',
      TargetDomainName: 'user_authDomain',
      SubjectUserName: 'user_username',
      SubjectUserSid: 'user_userId',
      SubjectDomainName: 'user_authDomain',
      ProcessId: 'pid',
      ProcessGuid: 'processUid',
      IpAddress: 'srcDevice_ip',
      IpPort: 'srcPort',
      SourceIp: 'srcDevice_ip',
      SourcePort: 'srcPort',
      SourceAddress: 'srcDevice_ip',
      DestinationIp: 'dstDevice_ip',
      DestinationPort: 'dstPort',
      DestAddress: 'dstDevice_ip',
      DestPort: 'dstPort',
      LogonType: 'logonType',
      AuthenticationPackageName: 'authProvider',
      LogonProcessName: 'application',
      Image: 'baseImage',
      User: 'user_username',
      UtcTime: 'fields.EventData.UtcTime',
    },
  ],
  [
    'sysmon',
    { product: 'windows', service: 'sysmon' },
    {
      CommandLine: 'commandLine',
      ParentImage: 'parentBaseImage',
      ParentProcessId: 'parentPid',
      ParentCommandLine: 'parentCommandLine',
      ParentProcessGuid: 'fields.EventData.ParentProcessGuid',
      CurrentDirectory: 'fields.EventData.CurrentDirectory',
      IntegrityLevel: 'severity',
      LogonGuid: 'sessionId',
      LogonId: 'sessionId',
      TerminalSessionId: 'fields.EventData.TerminalSessionId',
      Hashes: 'fields.EventData.Hashes',
      Protocol: 'fields.EventData.Protocol',
      SourceHostname: 'srcDevice_hostname',
      SourceIsIpv6: 'fields.EventData.SourceIsIpv6',
      DestinationHostname: 'dstDevice_hostname',
      DestinationPortName: 'fields.EventData.DestinationPortName',
      DestinationIsIpv6: 'fields.EventData.DestinationIsIpv6',
      Initiated: 'fields.EventData.Initiated',
      TargetFilename: 'file_path',
      CreationUtcTime: 'fields.EventData.CreationUtcTime',
      PreviousCreationUtcTime: 'fields.EventData.PreviousCreationUtcTime',
      Hash: 'fields.EventData.Hash',
      Contents: 'fields.EventData.Contents',
      ImageLoaded: 'file_path',
      Signed: 'fields.EventData.Signed',
      Signature: 'threat_identifier',
      SignatureStatus: 'fields.EventData.SignatureStatus',
      EventType: 'changeType',
      TargetObject: 'changeTarget',
      Details: 'fields.EventData.Details',
      NewName: 'fields.EventData.NewName',
      SourceImage: 'baseImage',
      SourceProcessGuid: 'fields.EventData.SourceProcessGuid',
      SourceProcessId: 'pid',
      TargetImage: 'file_path',
      TargetProcessGuid: 'fields.EventData.TargetProcessGuid',
      TargetProcessId: 'fields.EventData.TargetProcessId',
      NewThreadId: 'fields.EventData.NewThreadId',
      StartAddress: 'fields.EventData.StartAddress',
      StartModule: 'fields.EventData.StartModule',
      StartFunction: 'fields.EventData.StartFunction',
      PipeName: 'changeTarget',
      Device: 'changeTarget',
    },
  ],
  [
    'security',
    { product: 'windows', service: 'security' },
    {
      NewProcessName: 'baseImage',
      NewProcessId: 'fields.EventData.NewProcessId',
      ParentProcessName: 'parentBaseImage',
      CommandLine: 'commandLine',
      MandatoryLabel: 'fields.EventData.MandatoryLabel',
      TokenElevationType: 'fields.EventData.TokenElevationType',
      WorkstationName: 'srcDevice_hostname',
      TargetServerName: 'dstDevice_hostname',
      TargetInfo: 'fields.EventData.TargetInfo',
      Status: 'errorCode',
      SubStatus: 'fields.EventData.SubStatus',
      FailureReason: 'cause',
      LogonGuid: 'fields.EventData.LogonGuid',
      KeyLength: 'fields.EventData.KeyLength',
      ElevatedToken: 'fields.EventData.ElevatedToken',
      ImpersonationLevel: 'fields.EventData.ImpersonationLevel',
      VirtualAccount: 'fields.EventData.VirtualAccount',
      Application: 'application',
      Direction: 'fields.EventData.Direction',
      FilterRTID: 'fields.EventData.FilterRTID',
      LayerName: 'fields.EventData.LayerName',
      RemoteMachineID: 'fields.EventData.RemoteMachineID',
      RemoteUserID: 'fields.EventData.RemoteUserID',
    },
  ],
  [
    'powershell',
    { product: 'windows', service: 'powershell' },
    {
      ScriptBlockText: 'commandLine',
      ScriptBlockId: 'fields.EventData.ScriptBlockId',
      Path: 'file_path',
      MessageNumber: 'fields.EventData.MessageNumber',
      MessageTotal: 'fields.EventData.MessageTotal',
      HostApplication: 'commandLine',
      EngineVersion: 'fields.EngineVersion',
      HostVersion: 'fields.HostVersion',
      HostName: 'srcDevice_hostname',
      Payload: 'fields.EventData.Payload',
      RunspaceId: 'fields.EventData.RunspaceId',
    },
  ],
  [
    'generic_fields',
    undefined,
    {
      EventID: 'metadata_deviceEventId',
      EventId: 'metadata_deviceEventId',
      User: 'user_username',
      Username: 'user_username',
      UserName: 'user_username',
      SourceUser: 'user_username',
      TargetUser: 'targetUser_username',
      SubjectUserName: 'user_username',
      IpAddress: 'srcDevice_ip',
      SourceIp: 'srcDevice_ip',
      SourceIpAddress: 'srcDevice_ip',
      DestinationIp: 'dstDevice_ip',
      DestinationIpAddress: 'dstDevice_ip',
      ComputerName: 'device_hostname',
      Computer: 'device_hostname',
      Workstation: 'srcDevice_hostname',
      DestinationHostname: 'dstDevice_hostname',
      FileName: 'file_basename',
      FilePath: 'file_path',
      FileHash: 'file_hash_sha256',
      ProcessName: 'baseImage',
      ParentProcessName: 'parentBaseImage',
      DestinationPort: 'dstPort',
      SourcePort: 'srcPort',
      Action: 'action',
      Status: 'action',
    },
  ],
];

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;

function hasDataMatch(n: IrNode): boolean {
  if (n.kind === 'And' || n.kind === 'Or') return n.children.some(hasDataMatch);
  if (n.kind === 'Not') return hasDataMatch(n.child);
  return n.kind === 'FieldMatch' && n.field === 'Data' && n.value.kind === 'Str';
}

/**
 * Windows `Data` matches written `Key=Value` (or `Key:Value`) become `EventData.Key` matches; free
 * text in `Data` cannot be placed in a CSE field and fails the rule.
 */
export const sumologicTransformations: Readonly<Record<string, TransformationDef>> = {
  sumologic_data_field: defineTransformation({
    scope: 'rule',
    parse: () => ({}),
    apply: (_p, target, env) => {
      if (target.kind !== 'Rule') return;
      let failed = false;
      // Subtrees without a Data match are kept as they are (nodes are never changed in place).
      const rewrite = (n: IrNode): IrNode => {
        if (n.kind === 'And' || n.kind === 'Or') {
          const children = n.children.map(rewrite);
          return children.every((c, i) => c === n.children[i]) ? n : { kind: n.kind, children };
        }
        if (n.kind === 'Not') {
          const child = rewrite(n.child);
          return child === n.child ? n : { kind: 'Not', child };
        }
        if (n.kind !== 'FieldMatch' || n.field !== 'Data' || n.value.kind !== 'Str') return n;
        const fm: FieldMatch = n;
        const parts = n.value.parts;
        const plain = parts.map((x) => (x.kind === 'Lit' ? x.text : '')).join('');
        const m = /^(\w+)[:=](.+)$/s.exec(plain);
        if (!m) {
          if (!failed)
            envError(
              env,
              'TL4101',
              `Field 'Data' contains arbitrary string patterns that cannot be converted: '${plain}'`,
            );
          failed = true;
          return n;
        }
        const pre = parts[0]?.kind === 'WildcardMulti';
        const post = parts[parts.length - 1]?.kind === 'WildcardMulti';
        return {
          ...fm,
          field: `EventData.${m[1]!}`,
          value: {
            ...n.value,
            parts: [
              ...(pre ? [{ kind: 'WildcardMulti' as const }] : []),
              { kind: 'Lit' as const, text: m[2]! },
              ...(post ? [{ kind: 'WildcardMulti' as const }] : []),
            ],
          },
        };
      };
      if (!target.rule.conditions.some(hasDataMatch)) return;
      const conditions = target.rule.conditions.map(rewrite);
      if (conditions.some((c, i) => c !== target.rule.conditions[i])) target.rule.conditions = conditions;
    },
  }),
};

/** The field-mapping items in pipeline order: item id and Sigma field → CSE field (./confidence.ts scores them). */
export const SUMOLOGIC_MAPPING_ITEMS: readonly { id: string; mapping: Readonly<Record<string, string>> }[] =
  MAPPINGS.map(([name, , mapping]) => ({ id: `sumologic_cse_${name}`, mapping }));

export const sumologicCsePipeline: Record<string, unknown> = {
  name: 'Sumo Logic Cloud SIEM (CSE) Pipeline',
  priority: 20,
  allowed_backends: ['sumologic'],
  transformations: [
    ...MAPPINGS.map(([name, ls, mapping]) => ({
      id: `sumologic_cse_${name}`,
      type: 'field_name_mapping',
      mapping,
      ...(ls ? { rule_conditions: [{ type: 'logsource', ...ls }] } : {}),
    })),
    { id: 'sumologic_cse_transform_data_field', type: 'sumologic_data_field' },
  ],
};
