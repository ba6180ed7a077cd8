/**
 * microsoft_xdr: Sigma's Windows log sources (Sysmon field names) to Microsoft Defender XDR advanced
 * hunting tables (DeviceProcessEvents, DeviceFileEvents, DeviceRegistryEvents, DeviceNetworkEvents,
 * DeviceImageLoadEvents, DeviceEvents, DeviceLogonEvents). Mappings after the reference pipeline
 * (pySigma-backend-kusto microsoft_xdr_pipeline).
 */
import type { IrNode } from '../../../ir/types.js';
import { editLeaves, hasField, plainValue, strLeaf } from '../ir-edit.js';
import { XDR_TABLES } from '../schemas.js';
import { dropField, hashesStep, registryActionTypes, registryHives } from './common.js';
import type { KustoPipelineSpec, PipelineStep } from './runner.js';

const categoryTables: Record<string, string> = {
  process_creation: 'DeviceProcessEvents',
  image_load: 'DeviceImageLoadEvents',
  file_access: 'DeviceFileEvents',
  file_change: 'DeviceFileEvents',
  file_delete: 'DeviceFileEvents',
  file_event: 'DeviceFileEvents',
  file_rename: 'DeviceFileEvents',
  registry_add: 'DeviceRegistryEvents',
  registry_delete: 'DeviceRegistryEvents',
  registry_event: 'DeviceRegistryEvents',
  registry_set: 'DeviceRegistryEvents',
  network_connection: 'DeviceNetworkEvents',
};

const eventIdTables: Record<string, string> = {
  process: 'DeviceProcessEvents',
  logon: 'DeviceLogonEvents',
  registry: 'DeviceRegistryEvents',
  file: 'DeviceFileEvents',
  network: 'DeviceNetworkEvents',
  image_load: 'DeviceImageLoadEvents',
  pipe: 'DeviceEvents',
  wmi: 'DeviceEvents',
};

const hashes = { sha1: 'SHA1', sha256: 'SHA256', md5: 'MD5' };

const tableMappings: KustoPipelineSpec['tableMappings'] = {
  DeviceProcessEvents: {
    ProcessId: 'ProcessId',
    Image: 'FolderPath',
    FileVersion: 'ProcessVersionInfoProductVersion',
    Description: 'ProcessVersionInfoFileDescription',
    Product: 'ProcessVersionInfoProductName',
    Company: 'ProcessVersionInfoCompanyName',
    OriginalFileName: 'ProcessVersionInfoOriginalFileName',
    CommandLine: 'ProcessCommandLine',
    User: 'AccountName',
    LogonId: 'LogonId',
    IntegrityLevel: 'ProcessIntegrityLevel',
    ...hashes,
    ParentProcessId: 'InitiatingProcessId',
    ParentImage: 'InitiatingProcessFolderPath',
    ParentCommandLine: 'InitiatingProcessCommandLine',
    ParentUser: 'InitiatingProcessAccountName',
    GrandParentImage: 'InitiatingProcessParentFileName',
  },
  DeviceImageLoadEvents: {
    ProcessId: 'InitiatingProcessId',
    Image: 'InitiatingProcessFolderPath',
    ImageLoaded: 'FolderPath',
    FileVersion: 'InitiatingProcessVersionInfoProductVersion',
    Description: 'InitiatingProcessVersionInfoFileDescription',
    Product: 'InitiatingProcessVersionInfoProductName',
    Company: 'InitiatingProcessVersionInfoCompanyName',
    OriginalFileName: 'InitiatingProcessVersionInfoOriginalFileName',
    ...hashes,
    User: 'InitiatingProcessAccountName',
  },
  DeviceFileEvents: {
    ProcessId: 'InitiatingProcessId',
    Image: 'InitiatingProcessFolderPath',
    TargetFilename: 'FolderPath',
    User: 'RequestAccountName',
    ...hashes,
    ObjectName: 'FolderPath',
    IntegrityLevel: 'InitiatingProcessIntegrityLevel',
  },
  DeviceNetworkEvents: {
    ProcessId: 'InitiatingProcessId',
    Image: 'InitiatingProcessFolderPath',
    User: 'InitiatingProcessAccountName',
    Protocol: 'Protocol',
    SourceIp: 'LocalIP',
    SourceHostname: 'DeviceName',
    SourcePort: 'LocalPort',
    DestinationIp: 'RemoteIP',
    DestinationHostname: 'RemoteUrl',
    DestinationPort: 'RemotePort',
  },
  DeviceRegistryEvents: {
    EventType: 'ActionType',
    ProcessId: 'InitiatingProcessId',
    Image: 'InitiatingProcessFolderPath',
    TargetObject: 'RegistryKey',
    Details: 'RegistryValueData',
    User: 'InitiatingProcessAccountName',
    ObjectName: 'RegistryKey',
  },
};

const genericMappings: Record<string, string> = {
  EventType: 'ActionType',
  User: 'InitiatingProcessAccountName',
  CommandLine: 'InitiatingProcessCommandLine',
  Image: 'InitiatingProcessFolderPath',
  ProcessName: 'InitiatingProcessFolderPath',
  SourceImage: 'InitiatingProcessFolderPath',
  ProcessId: 'InitiatingProcessId',
  md5: 'InitiatingProcessMD5',
  sha1: 'InitiatingProcessSHA1',
  sha256: 'InitiatingProcessSHA256',
  ParentProcessId: 'InitiatingProcessParentId',
  ParentCommandLine: 'InitiatingProcessParentCommandLine',
  Company: 'InitiatingProcessVersionInfoCompanyName',
  Description: 'InitiatingProcessVersionInfoFileDescription',
  OriginalFileName: 'InitiatingProcessVersionInfoOriginalFileName',
  Product: 'InitiatingProcessVersionInfoProductName',
};

/**
 * Outside DeviceProcessEvents no table has the parent's path, only its file name: ParentImage maps to
 * InitiatingProcessParentFileName and its values keep what follows the last path separator.
 */
const parentImage: PipelineStep = (node: IrNode, ctx) => {
  if (ctx.rule.logsource.category === 'process_creation') return node;
  if (!hasField(node, ['ParentImage', 'InitiatingProcessParentFileName'])) return node;
  return editLeaves(node, (leaf) => {
    const field = leaf.field === 'ParentImage' ? 'InitiatingProcessParentFileName' : leaf.field;
    if (field !== 'InitiatingProcessParentFileName') return leaf;
    const plain = plainValue(leaf);
    if (plain === null) return { ...leaf, field };
    const name = plain.split('\\').at(-1)?.split('/').at(-1) ?? plain;
    return strLeaf(field, name, leaf.origin);
  });
};

/**
 * `DOMAIN\user` in an account name field becomes the user name AND the domain in the table's
 * domain column.
 */
const splitDomainUser: PipelineStep = (node) => {
  const domainField: Record<string, string> = {
    AccountName: 'AccountDomain',
    RequestAccountName: 'RequestAccountDomain',
    InitiatingProcessAccountName: 'InitiatingProcessAccountDomain',
  };
  if (!hasField(node, ['AccountName', 'InitiatingProcessAccountName'])) return node;
  return editLeaves(node, (leaf) => {
    if (leaf.field !== 'AccountName' && leaf.field !== 'InitiatingProcessAccountName') return leaf;
    const plain = plainValue(leaf);
    const pieces = plain?.split('\\');
    if (pieces?.length !== 2) return leaf;
    const origin = { ...leaf.origin, key: `${leaf.field}|split` };
    return {
      node: {
        kind: 'And',
        children: [
          strLeaf(leaf.field, pieces[1] ?? '', origin),
          strLeaf(domainField[leaf.field] ?? 'InitiatingProcessAccountDomain', pieces[0] ?? '', origin),
        ],
      },
    };
  });
};

export function microsoftXdrSpec(opts: { transformParentImage?: boolean } = {}): KustoPipelineSpec {
  return {
    name: 'microsoft_xdr',
    description: 'Sigma Windows log sources to Microsoft Defender XDR advanced hunting tables',
    categoryTables,
    eventIdTables,
    tableMappings,
    genericMappings,
    tables: XDR_TABLES,
    dropFields: ['EventID', 'EventCode', 'ObjectType'],
    afterMapping: opts.transformParentImage === false ? [] : [parentImage],
    steps: [
      registryHives(['RegistryKey', 'PreviousRegistryKey']),
      registryActionTypes('ActionType'),
      splitDomainUser,
      hashesStep({ algos: ['MD5', 'SHA1', 'SHA256'], prefix: '' }),
      dropField('Initiated', (ctx) => ctx.rule.logsource.category === 'network_connection'),
    ],
  };
}
