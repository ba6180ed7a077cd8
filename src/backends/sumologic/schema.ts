/**
 * Facts about Sumo Logic Cloud SIEM's normalized schema and log sources: the schema fields (written
 * bare; anything else is a vendor field written `fields['name']`), vendor/product per Sigma
 * logsource, entity selectors per category or source class, and ATT&CK tactic ids.
 */

/** CSE normalized schema fields that conversions produce (a field outside it is a vendor field). */
export const CSE_SCHEMA_FIELDS: ReadonlySet<string> = new Set([
  'action',
  'baseImage',
  'bytesIn',
  'bytesOut',
  'cause',
  'changeTarget',
  'changeType',
  'commandLine',
  'description',
  'device_hostname',
  'device_ip',
  'device_mac',
  'dns_query',
  'dns_queryType',
  'dns_reply',
  'dns_replyCode',
  'dns_replyIp',
  'dns_replyTtl',
  'dstDevice_hostname',
  'dstDevice_ip',
  'dstPort',
  'errorCode',
  'errorText',
  'file_basename',
  'file_hash_imphash',
  'file_hash_md5',
  'file_hash_sha1',
  'file_hash_sha256',
  'file_path',
  'http_cookie',
  'http_method',
  'http_referer',
  'http_requestVersion',
  'http_response_statusCode',
  'http_response_time',
  'http_url',
  'http_url_extension',
  'http_url_fqdn',
  'http_url_path',
  'http_url_query',
  'http_userAgent',
  'ipProtocol',
  'logonType',
  'metadata_deviceEventId',
  'metadata_product',
  'metadata_vendor',
  'packetsIn',
  'packetsOut',
  'parentBaseImage',
  'parentCommandLine',
  'parentPid',
  'pid',
  'processUid',
  'resource_type',
  'sessionId',
  'severity',
  'srcDevice_hostname',
  'srcDevice_ip',
  'srcPort',
  'targetUser_username',
  'threat_identifier',
  'user_authDomain',
  'user_userId',
  'user_username',
]);

/** Schema fields typed as strings although their values look numeric (numbers get quoted). */
export const CSE_STRING_FIELDS: ReadonlySet<string> = new Set([
  'metadata_deviceEventId',
  'logonType',
  'http_response_statusCode',
  'action',
  'sessionId',
]);

export type SourceClass =
  | 'endpoint'
  | 'identity'
  | 'cloud_audit'
  | 'network'
  | 'application'
  | 'cloud_infrastructure'
  | 'security_tool';

export interface LogsourceInfo {
  logsource: { product?: string; service?: string; category?: string };
  vendor: string;
  product: string;
  classification?: SourceClass;
}

const MS = { vendor: 'Microsoft', product: 'Windows' } as const;
const AWS = 'Amazon AWS';
const win = (service: string, classification: SourceClass = 'endpoint'): LogsourceInfo => ({
  logsource: { product: 'windows', service },
  ...MS,
  classification,
});
const winCat = (category: string): LogsourceInfo => ({
  logsource: { product: 'windows', category },
  ...MS,
  classification: 'endpoint',
});
const aws = (service: string, product: string, classification: SourceClass): LogsourceInfo => ({
  logsource: { product: 'aws', service },
  vendor: AWS,
  product,
  classification,
});
const az = (service: string, classification: SourceClass): LogsourceInfo => ({
  logsource: { product: 'azure', service },
  vendor: 'Microsoft',
  product: 'Azure',
  classification,
});
const vp = (
  product: string,
  service: string | undefined,
  vendor: string,
  name: string,
  classification: SourceClass,
): LogsourceInfo => ({
  logsource: service === undefined ? { product } : { product, service },
  vendor,
  product: name,
  classification,
});

/** Vendor/product of the CSE parsers per Sigma logsource, most specific entries matched first. */
export const LOGSOURCES: readonly LogsourceInfo[] = [
  {
    logsource: { category: 'antivirus' },
    vendor: 'Generic',
    product: 'Antivirus',
    classification: 'security_tool',
  },
  win('security'),
  win('system'),
  { logsource: { category: 'proxy' }, vendor: 'Generic', product: 'Proxy' },
  { logsource: { category: 'webserver' }, vendor: 'Generic', product: 'Web Server' },
  { logsource: { category: 'firewall' }, vendor: 'Generic', product: 'Firewall' },
  aws('cloudtrail', 'CloudTrail', 'cloud_audit'),
  az('activitylogs', 'cloud_audit'),
  {
    logsource: { service: 'office365' },
    vendor: 'Microsoft',
    product: 'Office 365',
    classification: 'application',
  },
  win('sysmon'),
  win('powershell'),
  win('application'),
  win('powershell-classic'),
  win('taskscheduler'),
  win('wmi'),
  win('dns-server'),
  win('firewall-as', 'network'),
  win('windefend', 'security_tool'),
  win('driver-framework'),
  winCat('process_creation'),
  winCat('network_connection'),
  winCat('dns_query'),
  winCat('file_event'),
  winCat('registry_event'),
  winCat('image_load'),
  aws('s3', 'AWS S3 Server Access Logs', 'cloud_infrastructure'),
  aws('guardduty', 'GuardDuty', 'security_tool'),
  aws('vpc', 'VpcFlowLogs', 'cloud_infrastructure'),
  aws('waf', 'Web Application Firewall (WAF)', 'network'),
  aws('route53', 'Route53', 'cloud_infrastructure'),
  aws('config', 'Config', 'cloud_audit'),
  aws('eks', 'EKS', 'cloud_infrastructure'),
  aws('elb', 'Elastic Load Balancer', 'cloud_infrastructure'),
  aws('alb', 'Application Load Balancer', 'cloud_infrastructure'),
  aws('cloudwatch', 'CloudWatch', 'cloud_infrastructure'),
  aws('cloudfront', 'CloudFront', 'cloud_infrastructure'),
  aws('apigateway', 'API Gateway', 'cloud_infrastructure'),
  aws('inspector', 'Inspector', 'security_tool'),
  aws('networkfirewall', 'Network Firewall', 'network'),
  aws('securityhub', 'Security Hub', 'security_tool'),
  aws('redshift', 'Redshift', 'cloud_infrastructure'),
  aws('vpn', 'VPN', 'network'),
  aws('trustedadvisor', 'Trusted Advisor', 'cloud_audit'),
  az('signinlogs', 'identity'),
  az('auditlogs', 'cloud_audit'),
  az('azuread', 'identity'),
  az('firewall', 'network'),
  az('riskdetection', 'identity'),
  az('pim', 'identity'),
  vp('gcp', 'audit', 'Google', 'Google Cloud Platform', 'cloud_audit'),
  vp('gcp', 'gce', 'Google', 'Google Cloud Platform', 'cloud_infrastructure'),
  vp('gcp', 'gcs', 'Google', 'Google Cloud Platform', 'cloud_infrastructure'),
  vp('gcp', 'bigquery', 'Google', 'BigQuery', 'cloud_infrastructure'),
  vp('gcp', 'securitycenter', 'Google', 'Security Command Center', 'security_tool'),
  vp('gsuite', undefined, 'Google', 'Google Workspace', 'application'),
  vp('google_workspace', undefined, 'Google', 'Google Workspace', 'application'),
  vp('gcp', 'google_workspace.admin', 'Google', 'Google Workspace', 'application'),
  vp('gcp', 'google_workspace.login', 'Google', 'Google Workspace', 'application'),
  vp('cisco', 'aaa', 'Cisco Systems', 'Secure Access Control Server (ACS)', 'identity'),
  vp('cisco', 'asa', 'Cisco Systems', 'ASA', 'network'),
  vp('cisco', 'ios', 'Cisco Systems', 'Router and Switch IOS', 'network'),
  vp('cisco', 'amp', 'Cisco Systems', 'Advanced Malware Protection (AMP)', 'security_tool'),
  vp('cisco', 'firepower', 'Cisco Systems', 'Firepower', 'network'),
  vp('cisco', 'ise', 'Cisco Systems', 'Identity Services Engine', 'identity'),
  vp('cisco', 'ironport', 'Cisco Systems', 'Ironport', 'network'),
  vp('cisco', 'meraki', 'Cisco Systems', 'Meraki', 'network'),
  vp('cisco', 'stealthwatch', 'Cisco Systems', 'Stealthwatch', 'network'),
  vp('cisco', 'umbrella', 'Cisco Systems', 'Umbrella', 'network'),
  vp('cisco', 'anyconnect', 'Cisco Systems', 'AnyConnect', 'network'),
  vp('cisco', 'secureemail', 'Cisco Systems', 'Secure Email', 'network'),
  vp('cisco', 'duo', 'Cisco Systems', 'Duo Security', 'identity'),
  vp('paloaltonetworks', 'threat', 'Palo Alto Networks', 'Next Generation Firewall', 'network'),
  vp('paloaltonetworks', 'traffic', 'Palo Alto Networks', 'Next Generation Firewall', 'network'),
  vp('paloaltonetworks', 'firewall', 'Palo Alto Networks', 'Next Generation Firewall', 'network'),
  vp('paloaltonetworks', 'cortex', 'Palo Alto Networks', 'Cortex XDR', 'security_tool'),
  vp('paloaltonetworks', 'globalprotect', 'Palo Alto Networks', 'GlobalProtect', 'network'),
  vp('paloaltonetworks', 'prismacloud', 'Palo Alto Networks', 'Prisma Cloud', 'security_tool'),
  vp('paloaltonetworks', 'traps', 'Palo Alto Networks', 'Traps', 'security_tool'),
  vp('paloalto', undefined, 'Palo Alto Networks', 'Next Generation Firewall', 'network'),
  vp('paloalto', 'traffic', 'Palo Alto Networks', 'Next Generation Firewall', 'network'),
  vp('paloalto', 'threat', 'Palo Alto Networks', 'Next Generation Firewall', 'network'),
  vp('paloalto', 'globalprotect', 'Palo Alto Networks', 'GlobalProtect', 'network'),
  vp('fortinet', 'fortigate', 'Fortinet', 'Fortigate', 'network'),
  vp('fortinet', 'forticlient', 'Fortinet', 'Forticlient', 'security_tool'),
  vp('fortigate', undefined, 'Fortinet', 'Fortigate', 'network'),
  vp('fortigate', 'event', 'Fortinet', 'Fortigate', 'network'),
  vp('fortigate', 'traffic', 'Fortinet', 'Fortigate', 'network'),
  vp('fortigate', 'utm', 'Fortinet', 'Fortigate', 'network'),
  vp('checkpoint', 'firewall', 'Check Point', 'Firewall', 'network'),
  vp('okta', undefined, 'Okta', 'Single Sign-On', 'identity'),
  vp('onelogin', undefined, 'OneLogin', 'OneLogin', 'identity'),
  vp('github', undefined, 'GitHub', 'GitHub', 'application'),
  vp('m365', undefined, 'Microsoft', 'Office 365', 'application'),
  vp('office365', undefined, 'Microsoft', 'Office 365', 'application'),
  vp('exchange', undefined, 'Microsoft', 'Exchange', 'application'),
  vp('kubernetes', 'audit', 'Kubernetes', 'Audit', 'cloud_infrastructure'),
  { logsource: { category: 'dns' }, vendor: 'Generic', product: 'DNS' },
  {
    logsource: { category: 'database' },
    vendor: 'Generic',
    product: 'Database',
    classification: 'application',
  },
  vp('bitbucket', 'audit', 'Atlassian', 'Bitbucket', 'application'),
  vp('zeek', 'dns', 'Zeek', 'Zeek', 'network'),
  vp('zeek', 'http', 'Zeek', 'Zeek', 'network'),
  vp('zeek', 'smb_files', 'Zeek', 'Zeek', 'network'),
  vp('zeek', undefined, 'Zeek', 'Zeek', 'network'),
];

const LS_KEYS = ['category', 'product', 'service'] as const;
type LsKey = (typeof LS_KEYS)[number];

function lsKey(ls: Partial<Record<LsKey, string>>, keys: readonly LsKey[]): string {
  return keys.map((k) => `${k}=${ls[k] ?? ''}`).join('|');
}

/** Entry index by its exact logsource keys, first listed kept. */
const LS_INDEX = new Map<string, number>();
LOGSOURCES.forEach((e, i) => {
  const keys = LS_KEYS.filter((k) => e.logsource[k] !== undefined);
  const k = lsKey(e.logsource, keys);
  if (!LS_INDEX.has(k)) LS_INDEX.set(k, i);
});

/** Key subsets, most keys first. */
const SUBSETS: readonly (readonly LsKey[])[] = [
  ['category', 'product', 'service'],
  ['category', 'product'],
  ['category', 'service'],
  ['product', 'service'],
  ['category'],
  ['product'],
  ['service'],
];

type Logsource = { product?: string; service?: string; category?: string };

/** A logsource as a map key. */
function logsourceKey(ls: Logsource): string {
  return JSON.stringify([ls.category ?? null, ls.product ?? null, ls.service ?? null]);
}

interface LogsourceMemo {
  info: LogsourceInfo | undefined;
  selectors: readonly EntitySelector[];
}

/** A run has few distinct logsources. Bounded, since a long-lived process may see arbitrary ones. */
const MEMO = new Map<string, LogsourceMemo>();

/** The last logsource asked about: a rule's conversion asks about its logsource several times. */
let last: { category?: string; product?: string; service?: string; memo: LogsourceMemo } | undefined;

function memo(ls: Logsource): LogsourceMemo {
  if (
    last !== undefined &&
    last.category === ls.category &&
    last.product === ls.product &&
    last.service === ls.service
  ) {
    return last.memo;
  }
  const m = memoByKey(ls);
  last = { ...ls, memo: m };
  return m;
}

function memoByKey(ls: Logsource): LogsourceMemo {
  const key = logsourceKey(ls);
  let m = MEMO.get(key);
  if (m === undefined) {
    const selectors = findSelectors(ls);
    for (const s of selectors) Object.freeze(s);
    m = { info: findLogsource(ls), selectors: Object.freeze(selectors) };
    if (MEMO.size >= 1024) MEMO.clear();
    MEMO.set(key, m);
  }
  return m;
}

/** The most specific entry whose logsource keys all match the rule's (ties: first listed). */
export function lookupLogsource(ls: Logsource): LogsourceInfo | undefined {
  return memo(ls).info;
}

function findLogsource(ls: Logsource): LogsourceInfo | undefined {
  let size = 0;
  let best: number | undefined;
  for (const keys of SUBSETS) {
    if (best !== undefined && keys.length < size) break;
    if (keys.some((k) => ls[k] === undefined)) continue;
    const i = LS_INDEX.get(lsKey(ls, keys));
    if (i !== undefined && (best === undefined || i < best)) {
      best = i;
      size = keys.length;
    }
  }
  return best === undefined ? undefined : LOGSOURCES[best];
}

const ENTITY_FIELD: Record<string, string> = {
  _hostname: 'device_hostname',
  _username: 'user_username',
  _ip: 'srcDevice_ip',
  _process: 'baseImage',
  _file: 'file_path',
  _domain: 'http_url_fqdn',
  _mac: 'device_mac',
};

const HP = ['_hostname', '_process'];
const HUP = ['_hostname', '_username', '_process'];
const HF = ['_hostname', '_file'];
const HU = ['_hostname', '_username'];
const HI = ['_hostname', '_ip'];
const HD = ['_hostname', '_domain'];

export const CATEGORY_ENTITIES: Readonly<Record<string, readonly string[]>> = {
  process_creation: HUP,
  process_termination: HP,
  process_access: HUP,
  process_tampering: HUP,
  create_remote_thread: HUP,
  file_event: HF,
  file_change: HF,
  file_delete: HF,
  file_delete_detected: HF,
  file_access: HF,
  file_rename: HF,
  file_block_executable: HF,
  file_block_shredding: HF,
  file_executable_detected: HF,
  network_connection: HI,
  dns_query: HD,
  dns: HD,
  firewall: HI,
  proxy: ['_ip', '_domain'],
  webserver: ['_ip', '_hostname'],
  registry_event: HU,
  registry_add: HU,
  registry_delete: HU,
  registry_set: HU,
  registry_rename: HU,
  authentication: ['_hostname', '_ip', '_username'],
  image_load: HU,
  driver_load: HF,
  wmi_event: HU,
  ps_script: HU,
  ps_module: HU,
  ps_classic_script: HU,
  ps_classic_start: HU,
  ps_classic_provider_start: HU,
  pipe_created: HU,
  clipboard_capture: HU,
  antivirus: HF,
  application: ['_username'],
  database: HU,
  sysmon_status: ['_hostname'],
  sysmon_error: ['_hostname'],
  create_stream_hash: HF,
  raw_access_thread: HU,
};

const CLASS_ENTITIES: Record<SourceClass, readonly string[]> = {
  endpoint: HUP,
  identity: ['_username', '_ip'],
  cloud_audit: ['_username', '_ip'],
  network: HI,
  application: ['_username', '_ip'],
  cloud_infrastructure: ['_ip'],
  security_tool: ['_hostname', '_username', '_file'],
};

export interface EntitySelector {
  entity_type: string;
  expression: string;
}

const selectors = (types: readonly string[], domainField = 'http_url_fqdn'): EntitySelector[] =>
  types.map((t) => ({ entity_type: t, expression: t === '_domain' ? domainField : (ENTITY_FIELD[t] ?? t) }));

/**
 * Entity selectors: by category, else by the source class of the logsource, else by product.
 * Frozen and shared per logsource (the rule JSON writer keeps the text of frozen values).
 */
export function entitySelectors(ls: Logsource): readonly EntitySelector[] {
  return memo(ls).selectors;
}

function findSelectors(ls: Logsource): EntitySelector[] {
  const byCat = ls.category !== undefined ? CATEGORY_ENTITIES[ls.category] : undefined;
  if (byCat) return selectors(byCat);
  const cls = findLogsource(ls)?.classification;
  if (cls) return selectors(CLASS_ENTITIES[cls], 'dns_queryDomain');
  const p = ls.product?.toLowerCase();
  if (p === 'windows' || p === 'linux' || p === 'macos') return selectors(['_hostname', '_username']);
  if (p === 'azure' || p === 'aws') return selectors(['_ip', '_username']);
  if (p === 'github' || p === 'office365' || p === 'm365') return selectors(['_username']);
  return [];
}

export const TACTIC_IDS: Readonly<Record<string, string>> = {
  reconnaissance: 'TA0043',
  'resource development': 'TA0042',
  'initial access': 'TA0001',
  execution: 'TA0002',
  persistence: 'TA0003',
  'privilege escalation': 'TA0004',
  'defense evasion': 'TA0005',
  'credential access': 'TA0006',
  discovery: 'TA0007',
  'lateral movement': 'TA0008',
  collection: 'TA0009',
  'command and control': 'TA0011',
  exfiltration: 'TA0010',
  impact: 'TA0040',
};

export const TACTIC_CATEGORY: Readonly<Record<string, string>> = {
  TA0001: 'Initial Access',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'Privilege Escalation',
  TA0005: 'Defense Evasion',
  TA0006: 'Credential Access',
  TA0007: 'Discovery',
  TA0008: 'Lateral Movement',
  TA0009: 'Collection',
  TA0010: 'Exfiltration',
  TA0011: 'Command and Control',
  TA0040: 'Impact',
  TA0042: 'Resource Development',
  TA0043: 'Reconnaissance',
};
