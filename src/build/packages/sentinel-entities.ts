/**
 * Which column of the queried table holds an entity. The pipeline names a risk object's field for
 * the table it chose (User → AccountName on DeviceProcessEvents), but a field it does not map keeps
 * its Sigma name, and the host is a property of the table family rather than of the rule: the Windows
 * event tables call it Computer, the Defender XDR tables DeviceName.
 */

interface Family {
  host: string;
  /** Account column when the rule's field was not mapped by the pipeline. */
  account: (table: string) => string | undefined;
  /** IP column when the rule's field was not mapped by the pipeline. */
  ip?: string;
}

/** Device* tables with the acting user in AccountName; the others record it as the initiating process's. */
const XDR_ACCOUNT_TABLES = new Set(['DeviceProcessEvents', 'DeviceLogonEvents', 'DeviceEvents']);

const FAMILIES: readonly { match: RegExp; family: Family }[] = [
  {
    match: /^Device/,
    family: {
      host: 'DeviceName',
      account: (t) => (XDR_ACCOUNT_TABLES.has(t) ? 'AccountName' : 'InitiatingProcessAccountName'),
      ip: 'RemoteIP',
    },
  },
  { match: /^Identity/, family: { host: 'DeviceName', account: () => 'AccountName', ip: 'IPAddress' } },
  { match: /^SecurityEvent$/, family: { host: 'Computer', account: () => undefined, ip: 'IpAddress' } },
  { match: /^(?:Event|WindowsEvent)$/, family: { host: 'Computer', account: () => undefined } },
  { match: /^Syslog$/, family: { host: 'HostName', account: () => undefined, ip: 'HostIP' } },
];

export type EntityKind = 'host' | 'account' | 'ip' | 'other';

/**
 * The column for an entity on the first table the query reads. `mapped` is the pipeline's name for
 * the field (equal to `field` when the pipeline left it alone).
 */
export function entityColumn(kind: EntityKind, field: string, mapped: string, tables: readonly string[]): string {
  const table = tables[0];
  const family = table === undefined ? undefined : FAMILIES.find((f) => f.match.test(table))?.family;
  if (!family || table === undefined || kind === 'other') return mapped;
  if (kind === 'host') return family.host;
  if (mapped !== field) return mapped;
  const fallback = kind === 'account' ? family.account(table) : family.ip;
  return fallback ?? mapped;
}
