/**
 * ECS pipelines for Kubernetes audit logs and macOS Endpoint Security Framework events, as
 * pipeline data (pySigma vocabulary). Field names are those of the ECS / Elastic Defend schema.
 */
import type { PipelineObject } from './pipelines.js';

const K8S = [{ type: 'logsource', product: 'kubernetes', service: 'audit' }];

/** ecs_kubernetes: Kubernetes audit events as the Elastic Kubernetes integration stores them. */
export const ecsKubernetes: PipelineObject = {
  name: 'Elastic Common Schema (ECS) Kubernetes audit log mappings',
  priority: 30,
  allowed_backends: ['elastic-lucene', 'elastic-eql', 'elastic-esql'],
  transformations: [
    {
      id: 'index_condition',
      type: 'add_condition',
      conditions: { 'kubernetes.audit.kind': 'Event' },
      rule_conditions: K8S,
    },
    {
      id: 'field_mapping',
      type: 'field_name_mapping',
      mapping: {
        verb: 'kubernetes.audit.verb',
        apiGroup: 'kubernetes.audit.objectRef.apiGroup',
        resource: 'kubernetes.audit.objectRef.resource',
        subresource: 'kubernetes.audit.objectRef.subresource',
        namespace: 'kubernetes.audit.objectRef.namespace',
        username: 'kubernetes.audit.user.username',
        capabilities: 'kubernetes.audit.requestObject.spec.containers.securityContext.capabilities.add',
        privileged: 'kubernetes.audit.responseObject.spec.containers.securityContext.privileged',
        hostPath: 'kubernetes.audit.requestObject.spec.volumes.hostPath',
      },
    },
    // An empty apiGroup/subresource means "the core group / no subresource": not a condition.
    {
      id: 'drop_default_apigroup',
      type: 'drop_detection_item',
      field_name_conditions: [
        { type: 'include_fields', fields: ['apiGroup', 'kubernetes.audit.objectRef.apiGroup'] },
      ],
      detection_item_conditions: [{ type: 'match_string', cond: 'any', pattern: '^$' }],
    },
    {
      id: 'drop_empty_subresource',
      type: 'drop_detection_item',
      field_name_conditions: [
        { type: 'include_fields', fields: ['subresource', 'kubernetes.audit.objectRef.subresource'] },
      ],
      detection_item_conditions: [{ type: 'match_string', cond: 'any', pattern: '^$' }],
    },
  ],
};

const ESF = { type: 'logsource', product: 'macos', service: 'endpointsecurity' };

/** The ESF event each Sigma category stands for: category → conditions added to the rule. */
const ESF_CATEGORIES: readonly (readonly [string, string[], Record<string, unknown>])[] = [
  ['ecs_macos_esf_process_creation', ['process_creation'], { 'event.action': 'exec', 'esf.event_type': 9 }],
  ['ecs_macos_esf_file_event', ['file_event'], { 'event.category': 'file' }],
  ['ecs_macos_esf_file_create', ['file_create'], { 'event.action': 'create', 'esf.event_type': 13 }],
  ['ecs_macos_esf_file_delete', ['file_delete'], { 'event.action': 'unlink', 'esf.event_type': 19 }],
  ['ecs_macos_esf_file_rename', ['file_rename'], { 'event.action': 'rename', 'esf.event_type': 21 }],
  [
    'ecs_macos_esf_authentication',
    ['authentication'],
    { 'event.category': 'authentication', 'esf.event_type': 111 },
  ],
  ['ecs_macos_esf_privilege_escalation', ['privilege_escalation'], { 'event.category': 'iam' }],
  [
    'ecs_macos_esf_process_injection',
    ['process_injection', 'process_access'],
    { 'event.action': 'ptrace', 'esf.event_type': 64 },
  ],
  ['ecs_macos_esf_process_signal', ['process_signal'], { 'event.action': 'signal', 'esf.event_type': 27 }],
  ['ecs_macos_esf_kernel_extension', ['kernel_extension', 'driver_load'], { 'event.category': 'driver' }],
  ['ecs_macos_esf_codesigning', ['codesigning'], { 'event.action': 'cs_invalidated' }],
  ['ecs_macos_esf_security_policy', ['security_policy'], { 'event.category': ['malware', 'configuration'] }],
  ['ecs_macos_esf_mount', ['mount'], { 'event.action': 'mount', 'esf.event_type': 22 }],
  [
    'ecs_macos_esf_memory_protection',
    ['memory_protection'],
    { 'event.action': 'mprotect', 'esf.event_type': 20 },
  ],
];

/** ecs_macos_esf: Endpoint Security Framework events in ECS (Elastic Defend field names). */
export const ecsMacosEsf: PipelineObject = {
  name: 'Elastic Common Schema (ECS) macOS Endpoint Security Framework (ESF) mappings',
  priority: 30,
  allowed_backends: ['elastic-lucene', 'elastic-eql'],
  transformations: [
    {
      id: 'ecs_macos_esf_field_mapping',
      type: 'field_name_mapping',
      mapping: {
        Image: 'process.executable',
        ProcessId: 'process.pid',
        ProcessName: 'process.name',
        CommandLine: 'process.command_line',
        CurrentDirectory: 'process.working_directory',
        ParentImage: 'process.parent.executable',
        ParentProcessId: 'process.parent.pid',
        ParentProcessName: 'process.parent.name',
        ParentCommandLine: 'process.parent.command_line',
        User: 'process.user.name',
        UserId: 'process.user.id',
        EffectiveUserId: 'process.user.id',
        RealUserId: 'process.real_user.id',
        RealUser: 'process.real_user.name',
        TargetUser: 'user.target.name',
        TargetUserId: 'user.target.id',
        EffectiveGroupId: 'process.group.id',
        GroupId: 'process.group.id',
        RealGroupId: 'process.real_group.id',
        TargetGroup: 'group.target.name',
        TargetGroupId: 'group.target.id',
        TargetFilename: 'file.path',
        FileName: 'file.name',
        FileDirectory: 'file.directory',
        SourceFilename: 'file.source.path',
        DestinationFilename: 'file.target.path',
        DestinationIp: 'destination.ip',
        DestinationPort: 'destination.port',
        SourceIp: 'source.ip',
        SourcePort: 'source.port',
        SigningID: 'process.code_signature.signing_id',
        TeamID: 'process.code_signature.team_id',
        SignatureStatus: 'process.code_signature.status',
        Signed: 'process.code_signature.exists',
        SourceImage: 'process.executable',
        SourceProcessId: 'process.pid',
        TargetImage: 'target.process.executable',
        TargetProcessId: 'target.process.pid',
        TargetProcessName: 'target.process.name',
        TargetProcessGUID: 'target.process.entity_id',
        SignalNumber: 'signal.number',
        PtraceRequest: 'ptrace.request',
        XpcServiceName: 'xpc.service_name',
        KextIdentifier: 'driver.name',
        KextPath: 'file.path',
        MemoryProtection: 'memory.protection',
      },
      rule_conditions: [ESF],
    },
    ...ESF_CATEGORIES.map(([id, categories, conditions]) => ({
      id,
      type: 'add_condition',
      conditions,
      rule_conditions: categories.map((category) => ({ ...ESF, category })),
      rule_cond_op: 'or',
    })),
  ],
};
