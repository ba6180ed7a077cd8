/**
 * Why a detection has no Sentinel / Defender XDR query. Both packages are built on the Defender XDR
 * advanced hunting tables (microsoft_xdr pipeline); the converter's own message for a log source
 * without a table is written for `tripline convert` users (it suggests a pipeline option), so the
 * build replaces it with what a library user needs: which log is missing from XDR and what to do.
 */
import type { ConvertInput } from './convert-target.js';

interface Gap {
  product?: string;
  category?: string;
  service?: string;
  why: string;
}

const GAPS: readonly Gap[] = [
  {
    product: 'windows',
    category: 'ps_script',
    why: 'PowerShell script block logging (Microsoft-Windows-PowerShell/Operational, event 4104) is not collected into the Defender XDR advanced hunting schema, so no table holds script block text',
  },
  {
    product: 'windows',
    category: 'ps_module',
    why: 'PowerShell module logging (event 4103) is not collected into the Defender XDR advanced hunting schema',
  },
  {
    product: 'windows',
    category: 'ps_classic_start',
    why: 'the Windows PowerShell classic log (event 400) is not collected into the Defender XDR advanced hunting schema',
  },
  {
    product: 'windows',
    service: 'security',
    why: 'the Windows Security event log is not part of the Defender XDR advanced hunting schema (Defender for Endpoint records its own DeviceEvents action types, with other fields, instead of these event ids)',
  },
  {
    product: 'windows',
    service: 'system',
    why: 'the Windows System event log is not part of the Defender XDR advanced hunting schema',
  },
  {
    category: 'firewall',
    why: 'firewall and network-device traffic logs are not part of the Defender XDR schema (DeviceNetworkEvents holds endpoint connections, without byte counts or the firewall’s view)',
  },
];

const NO_TABLE = /unable to determine the table to query/;
/** The consequence of a base rule that did not convert, already explained by the base rule's reason. */
const MISSING_BASE = /^correlation refers to rule '.*', which is not in the input or did not convert$/;

function logsourceText(ls: ConvertInput['logsource']): string {
  return [ls.product, ls.category, ls.service].filter((x) => x !== undefined).join('/') || 'unspecified';
}

function gapFor(ls: ConvertInput['logsource']): string {
  const g = GAPS.find(
    (x) =>
      (x.product === undefined || x.product === ls.product) &&
      (x.category === undefined || x.category === ls.category) &&
      (x.service === undefined || x.service === ls.service),
  );
  return g?.why ?? 'the microsoft_xdr pipeline maps no Defender XDR table to this log source';
}

/**
 * The reasons to report for an unsupported KQL conversion: the converter's "no table" message becomes
 * one sentence naming the log source, why Defender XDR lacks it and what the user can do.
 */
export function explainKqlUnsupported(input: ConvertInput, errors: readonly string[]): string[] {
  if (!errors.some((e) => NO_TABLE.test(e))) return [...errors];
  const ls = logsourceText(input.logsource);
  const main =
    `no Defender XDR table for log source ${ls}: ${gapFor(input.logsource)}. ` +
    'Sentinel and Defender rules are built on the Defender XDR tables; deploy this detection on a target ' +
    'that ingests that log, or add a reviewed query under tripline.overrides.sentinel / .defender';
  return [main, ...errors.filter((e) => !NO_TABLE.test(e) && !MISSING_BASE.test(e))];
}
