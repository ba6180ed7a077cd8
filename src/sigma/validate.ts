/** Lint checks over one parsed document: the established SigmaHQ checks, as diagnostics with positions. */
import type { Diagnostic, Span } from '../diagnostics/index.js';
import type { ConditionNode, DetectionGroup, DetectionItem, SigmaDocument, SigmaScalar } from './ast.js';
import { matchSelections } from './condition.js';
import { checkModifierChain, MODIFIERS } from './modifiers.js';
import { isUuid } from './parse.js';
import { translateRegex } from './regex.js';

const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const TACTICS = new Set([
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'stealth',
  'defense-impairment',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
]);
const RELATED_TYPES = ['derived', 'obsolete', 'merged', 'renamed', 'similar'];

export function validateDocument(doc: SigmaDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (
    code: Diagnostic['code'],
    severity: Diagnostic['severity'],
    message: string,
    span: Span,
    path?: (string | number)[],
  ): void => {
    const d: Diagnostic = { code, severity, message, file: doc.file, span };
    if (path) d.path = path;
    out.push(d);
  };
  const keySpan = (k: string): Span => doc.keySpans[k] ?? doc.span;

  if (doc.id !== undefined && !isUuid(doc.id))
    add('TL1013', 'error', `id '${doc.id}' is not a UUID`, keySpan('id'), ['id']);
  if (doc.status !== undefined && !STATUSES.includes(doc.status)) {
    add('TL1015', 'error', `status '${doc.status}' is not one of ${STATUSES.join(', ')}`, keySpan('status'), [
      'status',
    ]);
  }
  if (doc.level !== undefined && !LEVELS.includes(doc.level)) {
    add('TL1016', 'error', `level '${doc.level}' is not one of ${LEVELS.join(', ')}`, keySpan('level'), [
      'level',
    ]);
  }
  for (const k of ['date', 'modified'] as const) {
    const v = doc[k];
    if (v === undefined || isIsoDate(v)) continue;
    // pySigma still reads the legacy YYYY/MM/DD form, so it is a warning; anything else is an error.
    const legacy = isIsoDate(v.replaceAll('/', '-'));
    add('TL1017', legacy ? 'warning' : 'error', `${k} '${v}' is not a date in YYYY-MM-DD form`, keySpan(k), [
      k,
    ]);
  }
  if (doc.date && doc.modified && isIsoDate(doc.date) && isIsoDate(doc.modified) && doc.modified < doc.date) {
    add('TL1029', 'warning', `modified (${doc.modified}) is before date (${doc.date})`, keySpan('modified'), [
      'modified',
    ]);
  }
  if (doc.title.length > 256)
    add('TL1026', 'warning', `title has ${doc.title.length} characters`, keySpan('title'), ['title']);
  const seenTags = new Set<string>();
  doc.tags.forEach((t, i) => {
    if (seenTags.has(t)) add('TL1033', 'warning', `tag '${t}' listed twice`, keySpan('tags'), ['tags', i]);
    seenTags.add(t);
    if (!/^[a-z0-9_-]+\.[a-z0-9._-]+$/.test(t)) {
      add('TL1018', 'warning', `tag '${t}' should be lowercase 'namespace.name'`, keySpan('tags'), [
        'tags',
        i,
      ]);
    } else if (t.startsWith('attack.')) {
      const n = t.slice(7);
      if (!/^(?:t\d{4}(?:\.\d{3})?|[gsm]\d{4}|ta\d{4})$/.test(n) && !TACTICS.has(n)) {
        add(
          'TL1019',
          'warning',
          `'${t}' is not an ATT&CK technique, group, software or tactic tag`,
          keySpan('tags'),
          ['tags', i],
        );
      }
    }
  });
  const seenRefs = new Set<string>();
  doc.references.forEach((r, i) => {
    if (seenRefs.has(r))
      add('TL1033', 'warning', `reference listed twice: ${r}`, keySpan('references'), ['references', i]);
    seenRefs.add(r);
  });
  doc.related.forEach((r, i) => {
    if (!isUuid(r.id))
      add('TL1013', 'error', `related id '${r.id}' is not a UUID`, keySpan('related'), ['related', i, 'id']);
    if (!RELATED_TYPES.includes(r.type)) {
      add(
        'TL1024',
        'error',
        `related type '${r.type}' is not one of ${RELATED_TYPES.join(', ')}`,
        keySpan('related'),
        ['related', i, 'type'],
      );
    }
  });
  if (doc.kind === 'Rule' || doc.kind === 'Filter') {
    const base = doc.kind === 'Rule' ? 'detection' : 'filter';
    const ls = doc.logsource;
    if (
      doc.kind === 'Rule' &&
      ls.category === undefined &&
      ls.product === undefined &&
      ls.service === undefined
    ) {
      add('TL1030', 'error', 'logsource needs at least one of category, product or service', ls.span, [
        'logsource',
      ]);
    }
    checkDetection(
      doc.detection.selections,
      doc.detection.conditions.map((c) => c.ast),
      base,
      add,
    );
  }
  return out;
}

export function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

type Add = (
  code: Diagnostic['code'],
  severity: Diagnostic['severity'],
  message: string,
  span: Span,
  path?: (string | number)[],
) => void;

function checkDetection(
  selections: readonly { name: string; span: Span; body: DetectionGroup }[],
  conditions: readonly (ConditionNode | undefined)[],
  base: string,
  add: Add,
): void {
  const names = selections.map((s) => s.name);
  const used = new Set<string>();
  const walk = (n: ConditionNode): void => {
    switch (n.kind) {
      case 'And':
      case 'Or':
        walk(n.left);
        walk(n.right);
        return;
      case 'Not':
        walk(n.operand);
        return;
      case 'Ref':
        if (names.includes(n.name)) used.add(n.name);
        else
          add(
            'TL2002',
            'error',
            `condition references '${n.name}', which is not defined in ${base}`,
            n.span,
            [base, 'condition'],
          );
        return;
      case 'Quantified': {
        const m = matchSelections(n.pattern, names);
        m.forEach((x) => used.add(x));
        if (m.length === 0) {
          add('TL2005', 'error', `'${n.pattern}' matches no selection in ${base}`, n.span, [
            base,
            'condition',
          ]);
        } else if (n.quantifier === 'all' && m.length === 1 && n.pattern !== 'them') {
          add(
            'TL2004',
            'warning',
            `'all of ${n.pattern}' covers a single selection; write '${m[0]!}'`,
            n.span,
            [base, 'condition'],
          );
        }
        return;
      }
    }
  };
  let parsedAll = true;
  for (const c of conditions) {
    if (c) walk(c);
    else parsedAll = false;
  }
  if (parsedAll && conditions.length > 0) {
    for (const s of selections) {
      if (!used.has(s.name))
        add('TL2003', 'warning', `selection '${s.name}' is never used in the condition`, s.span, [
          base,
          s.name,
        ]);
    }
  }
  for (const s of selections) checkGroup(s.body, [base, s.name], add);
}

function checkGroup(g: DetectionGroup, path: (string | number)[], add: Add): void {
  for (const it of g.items) {
    if (it.kind === 'DetectionGroup') checkGroup(it, path, add);
    else checkItem(it, it.field !== undefined ? [...path, it.key] : path, add);
  }
}

function checkItem(it: DetectionItem, path: (string | number)[], add: Add): void {
  const names = it.modifiers.map((m) => m.name);
  for (const p of checkModifierChain(names))
    add('TL3002', 'error', p.message, it.modifiers[p.index]?.span ?? it.span, path);
  const has = (m: string): boolean => names.includes(m);
  const cls = new Set(names.map((n) => MODIFIERS[n]));
  if (has('all') && it.values.length < 2 && it.field !== undefined) {
    add('TL3002', 'warning', "'all' over a single value has no effect", it.span, path);
  }
  const reFlags = { i: has('i'), m: has('m'), s: has('s') };
  for (const v of it.values) {
    if (cls.has('regex')) {
      if (v.kind !== 'string') add('TL3005', 'error', 'a regular expression must be a string', v.span, path);
      else {
        const r = translateRegex(v.value, reFlags);
        if (!r.ok) add('TL3003', 'error', `invalid regular expression: ${r.message}`, v.span, path);
      }
    } else if (cls.has('cidr')) {
      if (v.kind !== 'string' || !isCidr(v.value))
        add('TL3005', 'error', `'${scalarText(v)}' is not a CIDR network (e.g. 10.0.0.0/8)`, v.span, path);
    } else if (cls.has('compare') || cls.has('timepart')) {
      if (!(
        v.kind === 'number' ||
        (v.kind === 'string' && v.value.trim() !== '' && Number.isFinite(Number(v.value)))
      )) {
        add('TL3005', 'error', `'${scalarText(v)}' is not a number`, v.span, path);
      }
    } else if (cls.has('exists')) {
      if (v.kind !== 'boolean') add('TL3005', 'error', "'exists' takes true or false", v.span, path);
    } else if (cls.has('fieldref')) {
      if (v.kind !== 'string' || v.value === '')
        add('TL3005', 'error', "'fieldref' takes a field name", v.span, path);
    } else if (cls.has('string') && v.kind === 'string') {
      const mod = names.find((n) => MODIFIERS[n] === 'string')!;
      const lead = v.value.startsWith('*') && (mod === 'contains' || mod === 'endswith');
      const trail =
        v.value.endsWith('*') && !v.value.endsWith('\\*') && (mod === 'contains' || mod === 'startswith');
      if (lead || trail)
        add(
          'TL3004',
          'warning',
          `'${mod}' already adds the wildcard; '${v.value}' has one too`,
          v.span,
          path,
        );
    }
    if (v.kind === 'string' && cls.has('expand') && !/%[^%]+%/.test(v.value)) {
      add('TL3005', 'error', "'expand' needs a %placeholder% in the value", v.span, path);
    }
  }
}

function scalarText(v: SigmaScalar): string {
  return v.kind === 'null' ? 'null' : v.kind === 'number' ? v.raw : String(v.value);
}

export function isCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  if (addr === undefined || extra !== undefined) return false;
  const b = bits === undefined ? undefined : Number(bits);
  if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || b === undefined)) return false;
  if (addr.includes(':')) return isIpv6(addr) && (b === undefined || b <= 128);
  const parts = addr.split('.');
  return (
    parts.length === 4 &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255) &&
    (b === undefined || b <= 32)
  );
}

function isIpv6(a: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(a)) return false;
  const dbl = a.split('::');
  if (dbl.length > 2) return false;
  const groups = a.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4 && !g.includes('.'))) return false;
  return dbl.length === 2 ? groups.length < 8 : groups.length === 8;
}
