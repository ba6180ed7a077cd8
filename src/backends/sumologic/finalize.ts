/**
 * Finishing a Cloud SIEM expression the way the reference does, and the rule JSON around it.
 */
import type { IrRule } from '../../ir/types.js';
import { SCORE_KEYS } from './confidence.js';
import { Pieces } from './pieces.js';
import { PyJsonWriter, deepFreeze } from './pyjson.js';
import {
  CSE_SCHEMA_FIELDS,
  TACTIC_CATEGORY,
  TACTIC_IDS,
  entitySelectors,
  lookupLogsource,
} from './schema.js';

const WINDOWS_METADATA: [string, string][] = [
  ['Provider_Name', "fields['Provider.Name']"],
  ['Provider_Guid', "fields['Provider.Guid']"],
  ['Channel', "fields['Channel']"],
  ['Computer', "fields['Computer']"],
  ['EventRecordID', "fields['EventRecordID']"],
  ['ProcessID', "fields['Execution.ProcessID']"],
  ['ThreadID', "fields['Execution.ThreadID']"],
  ['Keywords', "fields['Keywords']"],
  ['Level', "fields['Level']"],
  ['Task', "fields['Task']"],
  ['Opcode', "fields['Opcode']"],
  ['Version', "fields['Version']"],
];

const WINDOWS_HEADER_FIELDS = new Set([
  'Channel',
  'Computer',
  'EventID',
  'EventRecordID',
  'Execution',
  'Keywords',
  'Level',
  'Opcode',
  'Provider',
  'Security',
  'Task',
  'TimeCreated',
  'Version',
]);

const SERVICE_CHANNEL: Record<string, string> = {
  sysmon: 'Microsoft-Windows-Sysmon/Operational',
  powershell: 'PowerShell',
  'powershell-classic': 'PowerShell',
  taskscheduler: 'Microsoft-Windows-TaskScheduler/Operational',
};

function pyCapitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/**
 * A quoted value inside `matches /…/` becomes regex text with its metacharacters escaped. The
 * reference's pattern stops at an escaped quote and leaves such values quoted and unescaped (an
 * invalid regex); we also accept escaped quotes (docs/targets/sumologic.md).
 *
 * This is q.replace(/matches \/(\.\*)?"((?:[^"\\]|\\.)+)"(\.\*)?\//g, …) written out, which
 * costs a fraction of the regex's callbacks and their captured strings. The value is the text up
 * to the first unescaped quote (a backslash escapes any character but a line terminator), and it
 * is never empty.
 */
export function unquoteRegexValues(q: string): string {
  let at = q.indexOf('matches /');
  if (at < 0) return q;
  const out = UNQUOTED;
  let done = 0;
  for (; at >= 0; at = q.indexOf('matches /', at + 1)) {
    let i = at + 'matches /'.length;
    const pre = q.startsWith('.*"', i);
    if (pre) i += 2;
    if (q.charCodeAt(i) !== QUOTE) continue;
    const end = closingQuote(q, i + 1);
    if (end < 0) continue;
    const post = q.startsWith('.*/', end + 1);
    if (!post && q.charCodeAt(end + 1) !== SLASH) continue;
    out.push(q.slice(done, at));
    out.push(pre ? 'matches /.*' : 'matches /');
    pushRegexText(q, i + 1, end, out);
    out.push(post ? '.*/' : '/');
    done = end + (post ? 4 : 2);
    at = done - 1;
  }
  if (done === 0) return q;
  out.push(q.slice(done));
  return out.take();
}

const UNQUOTED = new Pieces();
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;

/** The first unescaped quote from `start` on, if the value before it is not empty; else -1. */
function closingQuote(q: string, start: number): number {
  const end = pieceEnd(q, start - 1, QUOTE);
  return end < 0 || end - 1 === start ? -1 : end - 1;
}

/** `\\.` for each regex metacharacter, by character code. */
const ESCAPED_METACHARACTER: (string | undefined)[] = [];
for (const c of '/.()[]{}^$+?|') ESCAPED_METACHARACTER[c.charCodeAt(0)] = '\\' + c;

/**
 * The value q[start, end) as regex text: escaped quotes unescaped (in the value a quote is always
 * escaped), then a backslash before each of `/.()[]{}^$+?|`.
 */
function pushRegexText(q: string, start: number, end: number, out: Pieces): void {
  let run = start;
  for (let j = start; j < end; j++) {
    const c = q.charCodeAt(j);
    if (c === BACKSLASH && j + 1 < end && q.charCodeAt(j + 1) === QUOTE) {
      // Drop the backslash; the quote starts the next run.
      out.push(q.slice(run, j));
      run = ++j;
    } else if (c < 128) {
      const escaped = ESCAPED_METACHARACTER[c];
      if (escaped !== undefined) {
        out.push(q.slice(run, j));
        out.push(escaped);
        run = j + 1;
      }
    }
  }
  out.push(q.slice(run, end));
}

/**
 * The reference strips the spaces around >=, <=, != then > and < in five passes; one pass with the
 * two-character operators tried first removes exactly the same spaces.
 */
const OPERATOR_SPACES = /\s*(>=|<=|!=|>|<)\s*/g;

export function stripOperatorSpaces(q: string): string {
  // Nothing to strip without an operator (the common case; the passes below copy the query).
  if (!q.includes('<') && !q.includes('>') && !q.includes('!=')) return q;
  if (!q.includes('matches')) return q.replace(OPERATOR_SPACES, '$1');
  return q
    .split(/(matches\s*\/[^/]*\/)/)
    .map((part) => (part.startsWith('matches') ? part : part.replace(OPERATOR_SPACES, '$1')))
    .join('');
}

export function windowsEventIds(rule: IrRule, q: string): string {
  if (!q.includes('metadata_deviceEventId')) return q;
  const service = rule.logsource.service;
  if (!service) return q;
  const channel = SERVICE_CHANNEL[service.toLowerCase()] ?? pyCapitalize(service);
  q = q.replace(
    /metadata_deviceEventId="(\d+)"/g,
    (_m, id: string) => `metadata_deviceEventId="${channel}-${id}"`,
  );
  q = q.replace(
    /metadata_deviceEventId=(\d+)/g,
    (_m, id: string) => `metadata_deviceEventId="${channel}-${id}"`,
  );
  return q.replace(/metadata_deviceEventId in \(([^)]+)\)/g, (_m, list: string) => {
    const ids = [...list.matchAll(/"?(\d+)"?/g)].map((m) => `"${channel}-${m[1]!}"`);
    return `metadata_deviceEventId in (${ids.join(', ')})`;
  });
}

/** One pass over the query per form (`=`, ` in `, ` matches `), compiled once. */
const METADATA_NAMES = new Map(WINDOWS_METADATA);
const METADATA_ALT = WINDOWS_METADATA.map(([f]) => f).join('|');
const METADATA_EQ = new RegExp(`\\b(${METADATA_ALT})=`, 'g');
const METADATA_IN = new RegExp(`\\b(${METADATA_ALT})\\s+in\\s+`, 'g');
const METADATA_MATCHES = new RegExp(`\\b(${METADATA_ALT})\\s+matches\\s+`, 'g');
/** Whether any of the three passes has something to rewrite. */
const METADATA_ANY = new RegExp(`\\b(?:${METADATA_ALT})(?:=|\\s+(?:in|matches)\\s)`);

export function windowsMetadataFields(rule: IrRule, q: string): string {
  const p = rule.logsource.product;
  if ((p && p.toLowerCase() !== 'windows') || !METADATA_ANY.test(q)) return q;
  const name = (f: string): string => METADATA_NAMES.get(f) ?? f;
  return q
    .replace(METADATA_EQ, (_m, f: string) => `${name(f)}=`)
    .replace(METADATA_IN, (_m, f: string) => `${name(f)} in `)
    .replace(METADATA_MATCHES, (_m, f: string) => `${name(f)} matches `);
}

/**
 * A field name before an operator that is neither a schema field, nor AND/OR/NOT (any case), nor
 * isEmpty: the names the reference wraps. The name is the longest run of `[\w.]` from its start
 * (a shorter one is never followed by an operator), hence the exclusions' `(?![\w.])`.
 */
const NAME_TO_WRAP = new RegExp(
  String.raw`\b(?!metadata_|fields\[)(?!(?:${[...CSE_SCHEMA_FIELDS].join('|')}|isEmpty|[aA][nN][dD]|[oO][rR]|[nN][oO][tT])(?![\w.]))[a-zA-Z_][\w.]*\b(?=\s*(?:[=<>]|!=|in\s|matches\s))`,
  'g',
);
/**
 * Vendor logsources (product or service given): fields outside the schema are written `fields['…']`.
 * The reference splits the query at quoted strings and regexes and rewrites the names in the pieces
 * between. Finding the names in the whole query and leaving those inside quotes finds the same ones:
 * a name never contains a quote or a slash, and what follows a piece (a quote or a slash) is
 * neither a word character nor an operator.
 */
export function wrapVendorFields(rule: IrRule, q: string): string {
  const ls = rule.logsource;
  if (ls.product === undefined && ls.service === undefined) return q;
  const isWindows = ls.product?.toLowerCase() === 'windows';
  let quoted: QuotedPieces | undefined;
  return q.replace(NAME_TO_WRAP, (f: string, at: number) => {
    if ((quoted ??= new QuotedPieces(q)).contains(at)) return f;
    if (isWindows)
      return WINDOWS_HEADER_FIELDS.has(f.split('.')[0]!) ? `fields['${f}']` : `fields['EventData.${f}']`;
    return `fields['${f}']`;
  });
}

/**
 * The quoted strings and regexes of a query, where the reference splits it (the pieces
 * /"(?:[^"\\]|\\.)*"|\/(?:[^/\\]|\\.)*\//g finds), found as far as positions are asked about,
 * in increasing order.
 */
class QuotedPieces {
  /** The last piece found, [start, end); end is where the search for the next one starts. */
  private start = -1;
  private end = 0;
  private done = false;
  /** The next `"` and `/` at or after where the last search started (-1: none). */
  private quote = -2;
  private slash = -2;

  constructor(private readonly q: string) {}

  contains(at: number): boolean {
    while (!this.done && this.end <= at) this.next();
    return this.start <= at && at < this.end;
  }

  private next(): void {
    const q = this.q;
    for (let i = this.end; ; i++) {
      if (this.quote !== -1 && this.quote < i) this.quote = q.indexOf('"', i);
      if (this.slash !== -1 && this.slash < i) this.slash = q.indexOf('/', i);
      const { quote, slash } = this;
      i = quote < 0 ? slash : slash < 0 ? quote : Math.min(quote, slash);
      if (i < 0) {
        this.done = true;
        return;
      }
      const end = pieceEnd(q, i, q.charCodeAt(i));
      if (end > 0) {
        this.start = i;
        this.end = end;
        return;
      }
    }
  }
}

/** The end of the piece opened by the delimiter at i (any character escaped by a backslash but a line terminator), or -1. */
function pieceEnd(q: string, i: number, delimiter: number): number {
  for (let j = i + 1; ;) {
    const c = q.charCodeAt(j);
    if (c === delimiter) return j + 1;
    if (Number.isNaN(c)) return -1;
    if (c === BACKSLASH) {
      const d = q.charCodeAt(j + 1);
      if (Number.isNaN(d) || d === 0x0a || d === 0x0d || d === 0x2028 || d === 0x2029) return -1;
      j += 2;
    } else j++;
  }
}

export function injectVendorProduct(rule: IrRule, q: string): string {
  const info = lookupLogsource(rule.logsource);
  if (!info || info.vendor === 'Generic') return q;
  if (
    info.vendor === 'Microsoft' &&
    info.product === 'Windows' &&
    !q.includes('metadata_deviceEventId') &&
    !q.includes('fields[')
  ) {
    return q;
  }
  const filter = `metadata_vendor="${info.vendor}" AND metadata_product="${info.product}"`;
  return q.trim() ? `${filter} AND ${q}` : filter;
}

export function finalizeExpression(rule: IrRule, query: string): string {
  let q = unquoteRegexValues(query);
  q = q.replace(/!\s+/g, '!');
  q = stripOperatorSpaces(q);
  q = windowsEventIds(rule, q);
  q = windowsMetadataFields(rule, q);
  q = wrapVendorFields(rule, q);
  return injectVendorProduct(rule, q);
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => str(x) ?? '') : [];
}

/** ATT&CK tags as Cloud SIEM writes them (_mitreAttackTactic:TA…, _mitreAttackTechnique:T…). */
export function attackTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    let t = ATTACK_TAGS.get(tag);
    if (t === undefined) {
      t = attackTag(tag);
      if (ATTACK_TAGS.size >= 4096) ATTACK_TAGS.clear();
      ATTACK_TAGS.set(tag, t);
    }
    if (t !== null) out.push(t);
  }
  return out;
}

/** Cloud SIEM tags per Sigma tag (null: none); a run has few distinct tags. */
const ATTACK_TAGS = new Map<string, string | null>();

function attackTag(tag: string): string | null {
  const name = tag.includes('.') ? tag.slice(tag.indexOf('.') + 1) : tag;
  if (/^t\d{4}(?:\.\d{3})?$/i.test(name)) return `_mitreAttackTechnique:${name.toUpperCase()}`;
  if (/^[sg]\d{4}$/i.test(name)) return null;
  const id = TACTIC_IDS[name.replace(/[_-]/g, ' ').toLowerCase()];
  return id === undefined ? null : `_mitreAttackTactic:${id}`;
}

const SCORES: Record<string, number> = { critical: 8, high: 6, medium: 3, low: 1, informational: 1, info: 1 };
/** The score mapping per score, shared (frozen: its JSON text is written once). */
const SCORE_MAPPINGS = new Map<number, Readonly<Record<string, unknown>>>();

function scoreMapping(score: number): Readonly<Record<string, unknown>> {
  let m = SCORE_MAPPINGS.get(score);
  if (m === undefined) {
    m = deepFreeze({ default: score, type: 'constant', field: null, mapping: [] });
    SCORE_MAPPINGS.set(score, m);
  }
  return m;
}

const STATUS: Record<string, [boolean, boolean]> = {
  stable: [true, false],
  test: [true, true],
  experimental: [true, true],
  deprecated: [false, false],
  unsupported: [false, false],
};

function description(rule: IrRule): string {
  const a = rule.attributes;
  const parts: string[] = [];
  const d = str(a['description']);
  if (d) parts.push(d);
  const meta: string[] = [];
  const author = str(a['author']);
  if (author) meta.push(`Author: ${author}`);
  const date = str(a['date']);
  if (date) meta.push(`Created: ${date}`);
  const modified = str(a['modified']);
  if (modified) meta.push(`Modified: ${modified}`);
  if (meta.length > 0) parts.push('\n\n' + meta.join('\n'));
  const refs = strList(a['references']);
  if (refs.length > 0) parts.push('\n\nReferences:', ...refs.map((r) => `\n- ${r}`));
  const ls = rule.logsource;
  const items = [
    ...(ls.category ? [`- Category: ${ls.category}`] : []),
    ...(ls.product ? [`- Product: ${ls.product}`] : []),
    ...(ls.service ? [`- Service: ${ls.service}`] : []),
  ];
  if (items.length > 0) parts.push('\n\nLog Source:', ...items.map((i) => `\n${i}`));
  const fps = strList(a['falsepositives']);
  if (fps.length > 0) parts.push('\n\nFalse Positives:', ...fps.map((f) => `\n- ${f}`));
  return parts.join('');
}

export function ruleJson(
  rule: IrRule,
  expression: string,
  options: Readonly<Record<string, string>>,
  mappingConfidence?: Record<string, unknown>,
): Record<string, unknown> {
  const tags = attackTags(rule.tags);
  const [enabled, prototype] = rule.status
    ? (STATUS[rule.status.toLowerCase()] ?? [true, false])
    : [true, false];
  const firstTactic = tags.find((t) => t.startsWith('_mitreAttackTactic:'));
  const category = firstTactic
    ? (TACTIC_CATEGORY[firstTactic.split(':')[1]!] ?? 'Unknown/Other')
    : 'Unknown/Other';
  const selectors = entitySelectors(rule.logsource);
  const json: Record<string, unknown> = {
    content_type: 'RULE',
    enabled,
    is_prototype: prototype,
    name: rule.title,
    name_expression: rule.title,
    rule_source: options['rule_source'] || 'user',
    summary_expression: '',
    pattern_type: 'templated_match',
    stream: 'record',
    description_expression: description(rule),
    expression,
  };
  if (selectors.length > 0) json['entity_selectors'] = selectors;
  json['score_mapping'] = scoreMapping(rule.level ? (SCORES[rule.level.toLowerCase()] ?? 3) : 3);
  if (tags.length > 0) json['tags'] = tags;
  json['category'] = category;
  if (options['include_conversion_metadata'] !== 'false') {
    const meta: Record<string, unknown> = {
      sigma_uid: str(rule.attributes['id']) ?? null,
      sigma_rule_commit: null,
      sigma_status: rule.status ?? null,
    };
    if (options['include_conversion_timestamp'] === 'true')
      meta['conversion_timestamp'] = new Date().toISOString().replace('Z', '+00:00');
    if (mappingConfidence) meta['mapping_confidence'] = mappingConfidence;
    json['conversion_metadata'] = meta;
  }
  return json;
}

const writer = new PyJsonWriter(SCORE_KEYS);

/** json.dumps(obj, indent=4): Python's layout, ASCII-only escaping and float scores (1.0). */
export function toPythonJson(v: unknown): string {
  return writer.dumps(v);
}
