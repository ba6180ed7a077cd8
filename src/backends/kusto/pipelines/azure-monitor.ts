/**
 * azure_monitor: Sigma's Windows log sources to Azure Monitor / Log Analytics tables (SecurityEvent;
 * SigninLogs when chosen with query_table). Mappings after the reference pipeline
 * (pySigma-backend-kusto azure_monitor_pipeline): no generic mappings, EventID kept.
 */
import { AZURE_MONITOR_TABLES } from '../schemas.js';
import { dropField, hashesStep, registryActionTypes, registryHives } from './common.js';
import type { KustoPipelineSpec } from './runner.js';

const windowsCategories = [
  'process_creation',
  'image_load',
  'file_access',
  'file_change',
  'file_delete',
  'file_event',
  'file_rename',
  'registry_add',
  'registry_delete',
  'registry_event',
  'registry_set',
  'network_connection',
];

const eventIdCategories = ['process', 'logon', 'registry', 'file', 'network', 'image_load', 'pipe', 'wmi'];

const securityEvent: Record<string, string> = {
  CommandLine: 'CommandLine',
  Image: 'NewProcessName',
  ParentImage: 'ParentProcessName',
  User: 'SubjectUserName',
  TargetFilename: 'ObjectName',
  SourceIp: 'IpAddress',
  DestinationIp: 'DestinationIp',
  DestinationPort: 'DestinationPort',
  SourcePort: 'SourcePort',
  SourceHostname: 'WorkstationName',
  DestinationHostname: 'DestinationHostname',
  EventID: 'EventID',
  ProcessId: 'NewProcessId',
  ProcessName: 'NewProcessName',
  LogonType: 'LogonType',
  TargetUserName: 'TargetUserName',
  TargetDomainName: 'TargetDomainName',
  TargetLogonId: 'TargetLogonId',
  Status: 'Status',
  SubStatus: 'SubStatus',
  ObjectType: 'ObjectType',
  ShareName: 'ShareName',
  AccessMask: 'AccessMask',
  ServiceName: 'ServiceName',
  TicketOptions: 'TicketOptions',
  TicketEncryptionType: 'TicketEncryptionType',
  TransmittedServices: 'TransmittedServices',
  WorkstationName: 'WorkstationName',
  LogonProcessName: 'LogonProcessName',
  LogonGuid: 'LogonGuid',
  Category: 'EventSourceName',
  Hashes: 'FileHash',
  TargetObject: 'ObjectName',
};

const signinLogs: Record<string, string> = {
  User: 'UserPrincipalName',
  TargetUserName: 'UserPrincipalName',
  src_ip: 'IPAddress',
  IpAddress: 'IPAddress',
  app: 'AppDisplayName',
  Application: 'AppDisplayName',
  AuthenticationMethod: 'AuthenticationMethodsUsed',
  ...Object.fromEntries(
    [
      'Status',
      'ResultType',
      'ResultDescription',
      'UserAgent',
      'Location',
      'ClientAppUsed',
      'DeviceDetail',
      'CorrelationId',
      'ConditionalAccessStatus',
      'RiskLevelAggregated',
      'RiskLevelDuringSignIn',
      'RiskDetail',
      'RiskState',
      'MfaDetail',
      'NetworkLocationDetails',
      'AuthenticationProtocol',
      'AuthenticationRequirement',
      'SignInIdentifier',
      'SignInIdentifierType',
      'ResourceDisplayName',
      'ResourceIdentity',
      'AppId',
      'AuthenticationProcessingDetails',
      'IsInteractive',
      'TokenIssuerName',
      'TokenIssuerType',
      'UserType',
      'IPAddress',
      'AutonomousSystemNumber',
    ].map((f) => [f, f]),
  ),
};

const notSecurityEvent = (ctx: { table: string }): boolean => ctx.table !== 'SecurityEvent';

export function azureMonitorSpec(): KustoPipelineSpec {
  return {
    name: 'azure_monitor',
    description: 'Sigma Windows log sources to Azure Monitor tables (SecurityEvent)',
    categoryTables: Object.fromEntries(windowsCategories.map((c) => [c, 'SecurityEvent'])),
    eventIdTables: Object.fromEntries(eventIdCategories.map((c) => [c, 'SecurityEvent'])),
    tableMappings: { SecurityEvent: securityEvent, SigninLogs: signinLogs },
    genericMappings: {},
    tables: AZURE_MONITOR_TABLES,
    dropFields: [],
    steps: [
      dropField('ObjectType'),
      registryHives(['RegistryKey', 'RegistryPreviousKey', 'ObjectName']),
      registryActionTypes('EventType'),
      hashesStep({
        algos: ['MD5', 'SHA1', 'SHA256'],
        prefix: 'FileHash',
        field: 'FileHash',
        dropAlgo: true,
        when: (ctx) => ctx.table === 'SecurityEvent',
      }),
      hashesStep({ algos: ['MD5', 'SHA1', 'SHA256'], prefix: '', when: notSecurityEvent }),
      dropField('Initiated', (ctx) => ctx.rule.logsource.category === 'network_connection'),
    ],
  };
}
