/**
 * Sigma logsource (product / category / service) → where such events live in Windows event logs:
 * channels and, for categories, EventIDs. Follows pySigma's windows and sysmon pipelines (service →
 * channel, generic category → Sysmon EventID), plus Security 4688 for process_creation.
 */
import type { IrLogsource, IrNode } from '../ir/index.js';

/** Events from these channels (lowercase) with these EventIDs (undefined: any EventID). */
export interface WinRoute {
  channel: string;
  eventIds?: readonly number[];
}

export const SYSMON = 'microsoft-windows-sysmon/operational';
/** Route key for rules about every Windows channel. */
export const ANY_CHANNEL = '*';

/** pySigma's windows_logsource_mapping, plus services SigmaHQ rules use that it lacks. */
const SERVICE_CHANNELS: Record<string, readonly string[]> = {
  security: ['Security'],
  application: ['Application'],
  system: ['System'],
  sysmon: ['Microsoft-Windows-Sysmon/Operational'],
  powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'msexchange-management': ['MSExchange Management'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'terminalservices-localsessionmanager': [
    'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  ],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  'security-mitigations': [
    'Microsoft-Windows-Security-Mitigations/Kernel Mode',
    'Microsoft-Windows-Security-Mitigations/User Mode',
  ],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  openssh: ['OpenSSH/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': [
    'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
  ],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker-Admin'],
  vhdmp: ['Microsoft-Windows-VHDMP-Operational'],
};

/** Sysmon EventIDs of the generic categories (pySigma's sysmon pipeline). */
const SYSMON_CATEGORIES: Record<string, readonly number[]> = {
  process_creation: [1],
  file_change: [2],
  network_connection: [3],
  sysmon_status: [4, 16],
  process_termination: [5],
  driver_load: [6],
  image_load: [7],
  create_remote_thread: [8],
  raw_access_thread: [9],
  process_access: [10],
  file_event: [11],
  registry_add: [12],
  registry_delete: [12],
  registry_set: [13],
  registry_rename: [14],
  registry_event: [12, 13, 14],
  create_stream_hash: [15],
  pipe_created: [17, 18],
  wmi_event: [19, 20, 21],
  dns_query: [22],
  file_delete: [23, 26],
  file_delete_detected: [26],
  clipboard_capture: [24],
  process_tampering: [25],
  file_block_executable: [27],
  file_block_shredding: [28],
  file_executable_detected: [29],
  sysmon_error: [255],
};

const POWERSHELL = ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'];

/** Categories logged outside Sysmon: channel(s) and EventIDs. */
const OTHER_CATEGORIES: Record<string, { channels: readonly string[]; eventIds: readonly number[] }[]> = {
  process_creation: [{ channels: ['Security'], eventIds: [4688] }],
  ps_module: [{ channels: POWERSHELL, eventIds: [4103] }],
  ps_script: [{ channels: POWERSHELL, eventIds: [4104] }],
  ps_classic_start: [{ channels: ['Windows PowerShell'], eventIds: [400] }],
  ps_classic_provider_start: [{ channels: ['Windows PowerShell'], eventIds: [600] }],
  ps_classic_script: [{ channels: ['Windows PowerShell'], eventIds: [800] }],
  dns_query: [{ channels: ['Microsoft-Windows-DNS Client Events/Operational'], eventIds: [3008] }],
};

/**
 * Routes for a Windows rule, or undefined when the engine cannot tell which Windows events it is about
 * (such rules are evaluated against events without a channel only; see docs/engine.md).
 */
export function windowsRoutes(ls: IrLogsource): WinRoute[] | undefined {
  if (ls.product !== undefined && ls.product.toLowerCase() !== 'windows') return undefined;
  const cat = ls.category?.toLowerCase();
  const svc = ls.service?.toLowerCase();
  if (cat !== undefined) {
    const routes: WinRoute[] = [];
    const sysmon = SYSMON_CATEGORIES[cat];
    if (sysmon && (svc === undefined || svc === 'sysmon')) routes.push({ channel: SYSMON, eventIds: sysmon });
    for (const o of OTHER_CATEGORIES[cat] ?? [])
      for (const c of o.channels) {
        if (svc === undefined || SERVICE_CHANNELS[svc]?.includes(c))
          routes.push({ channel: c.toLowerCase(), eventIds: o.eventIds });
      }
    return routes.length > 0 ? routes : undefined;
  }
  if (svc !== undefined) {
    const chans = SERVICE_CHANNELS[svc];
    return chans?.map((c) => ({ channel: c.toLowerCase() }));
  }
  // `product: windows` alone: every Windows event.
  return ls.product !== undefined ? [{ channel: ANY_CHANNEL }] : undefined;
}

/**
 * The EventIDs a rule's detection itself requires (`EventID: 4728`, `EventID: [12, 13]` under an AND), or
 * undefined when any EventID can match. Routing on these spares the rule every other event; it is exact
 * because the router reads the same EventID field the detection tests (an event whose EventID is not a
 * plain integer is routed as "unknown" and still gets the rule).
 */
export function requiredEventIds(n: IrNode): ReadonlySet<number> | undefined {
  switch (n.kind) {
    case 'And': {
      let out: Set<number> | undefined;
      for (const c of n.children) {
        const d = requiredEventIds(c);
        if (d === undefined) continue;
        out = out === undefined ? new Set(d) : new Set([...out].filter((x) => d.has(x)));
      }
      return out;
    }
    case 'Or': {
      const out = new Set<number>();
      for (const c of n.children) {
        const d = requiredEventIds(c);
        if (d === undefined) return undefined;
        for (const x of d) out.add(x);
      }
      return out;
    }
    case 'Const':
      return n.value ? undefined : new Set();
    case 'FieldMatch': {
      if (n.field !== 'EventID') return undefined;
      const v = n.value;
      if (v.kind === 'Num')
        return Number.isSafeInteger(v.value) && v.value >= 0 ? new Set([v.value]) : undefined;
      // An exact digit string (no wildcards): the field's text is those digits, so its number is this.
      if (
        v.kind === 'Str' &&
        v.parts.length === 1 &&
        v.parts[0]!.kind === 'Lit' &&
        /^\d{1,15}$/.test(v.parts[0]!.text)
      )
        return new Set([Number(v.parts[0]!.text)]);
      return undefined;
    }
    case 'Not':
    case 'Keyword':
      return undefined;
  }
}
