/**
 * Loading pipelines: pySigma's processing pipeline YAML (ProcessingPipeline.from_dict) or the same
 * structure as a plain object (built-in pipelines are TS data, so they load in a browser bundle).
 * Every problem is a TL40xx diagnostic; YAML input gets line and column on each.
 */
import { isMap, LineCounter, parseDocument, type Document, type ScalarTag, type Tags } from 'yaml';
import {
  fail,
  hasErrors,
  ok,
  type Diagnostic,
  type Result,
  type Span,
  type YamlPath,
} from '../diagnostics/index.js';
import { conditionTables, exprRefs, parseCondExpr, type ConditionLevel } from './conditions.js';
import { isPlainObject, ParamReader } from './params.js';
import { compilePyRegex } from './py-regex.js';
import type { TransformationDef } from './transformation-def.js';
import { builtinTransformations } from './transformations.js';
import type {
  ConditionGroup,
  ConditionSpec,
  Finalizer,
  Pipeline,
  PostprocessingItem,
  ProcessingItem,
  SourceRef,
} from './types.js';

export interface LoadOptions {
  /** Extra transformation types (a backend's own), by type name; they may override built-ins. */
  transformations?: Readonly<Record<string, TransformationDef>>;
}

const topKeys = new Set([
  'vars',
  'transformations',
  'postprocessing',
  'finalizers',
  'priority',
  'name',
  'allowed_backends',
]);

const levelKeys: Record<ConditionLevel, { conds: string; expr: string; op: string; not: string }> = {
  rule: { conds: 'rule_conditions', expr: 'rule_cond_expr', op: 'rule_cond_op', not: 'rule_cond_not' },
  detectionItem: {
    conds: 'detection_item_conditions',
    expr: 'detection_item_cond_expr',
    op: 'detection_item_cond_op',
    not: 'detection_item_cond_not',
  },
  fieldName: {
    conds: 'field_name_conditions',
    expr: 'field_name_cond_expr',
    op: 'field_name_cond_op',
    not: 'field_name_cond_not',
  },
};

const controlKeys = new Set([
  'id',
  'type',
  'allow_template_vars',
  'vars_allowed_paths',
  ...Object.values(levelKeys).flatMap((k) => [k.conds, k.expr, k.op, k.not]),
]);

const postprocessingTypes = ['embed', 'simple_template', 'template', 'json', 'replace', 'nest'] as const;
const finalizerTypes = ['concat', 'json', 'yaml', 'template', 'nested'] as const;

class Loader {
  readonly diagnostics: Diagnostic[] = [];
  readonly transformations: Readonly<Record<string, TransformationDef>>;

  constructor(
    readonly name: string,
    readonly file: string | undefined,
    options: LoadOptions,
  ) {
    this.transformations = { ...builtinTransformations, ...options.transformations };
  }

  source(path: YamlPath): SourceRef {
    return this.file === undefined ? { path } : { file: this.file, path };
  }

  error(code: Diagnostic['code'], message: string, path: YamlPath): void {
    this.diagnostics.push({ code, severity: 'error', message, path });
  }

  pipeline(raw: unknown): Pipeline | undefined {
    if (!isPlainObject(raw)) {
      this.error('TL4002', 'a processing pipeline must be a mapping', []);
      return undefined;
    }
    for (const k of Object.keys(raw)) {
      if (!topKeys.has(k)) this.error('TL4002', `unknown pipeline key '${k}'`, [k]);
    }
    let name = this.name;
    if (raw.name !== undefined && raw.name !== null) {
      if (typeof raw.name === 'string') name = raw.name;
      else this.error('TL4009', "'name' must be a string", ['name']);
    }
    let priority = 0;
    if (raw.priority !== undefined && raw.priority !== null) {
      if (typeof raw.priority === 'number' && Number.isFinite(raw.priority)) priority = raw.priority;
      else this.error('TL4009', "'priority' must be a number", ['priority']);
    }
    let vars: Record<string, unknown> = {};
    if (raw.vars !== undefined && raw.vars !== null) {
      if (isPlainObject(raw.vars)) vars = raw.vars;
      else this.error('TL4009', "'vars' must be a mapping", ['vars']);
    }
    const pipeline: Pipeline = {
      name,
      priority,
      items: this.items(raw.transformations, ['transformations'], name),
      postprocessing: this.postprocessingItems(raw.postprocessing, ['postprocessing'], name),
      finalizers: this.finalizers(raw.finalizers, ['finalizers']),
      vars,
    };
    if (raw.allowed_backends !== undefined && raw.allowed_backends !== null) {
      const ab = raw.allowed_backends;
      if (Array.isArray(ab) && ab.every((x) => typeof x === 'string')) pipeline.allowedBackends = ab;
      else if (typeof ab === 'string') pipeline.allowedBackends = [ab];
      else this.error('TL4009', "'allowed_backends' must be a list of target names", ['allowed_backends']);
    }
    if (this.file !== undefined) pipeline.file = this.file;
    return pipeline;
  }

  list(raw: unknown, path: YamlPath, what: string): unknown[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.error('TL4002', `'${what}' must be a list`, path);
      return [];
    }
    return raw as unknown[];
  }

  items(raw: unknown, path: YamlPath, idPrefix: string): ProcessingItem[] {
    const out: ProcessingItem[] = [];
    this.list(raw, path, String(path[path.length - 1])).forEach((x, i) => {
      const item = this.item(x, [...path, i], `${idPrefix}#${i + 1}`);
      if (item) out.push(item);
    });
    return out;
  }

  item(raw: unknown, path: YamlPath, fallbackId: string): ProcessingItem | undefined {
    if (!isPlainObject(raw)) {
      this.error('TL4002', 'a processing item must be a mapping', path);
      return undefined;
    }
    const type = raw.type;
    if (typeof type !== 'string') {
      this.error('TL4003', 'Missing transformation type', path);
      return undefined;
    }
    const def = this.transformations[type];
    if (!def) {
      this.error('TL4003', `Unknown transformation type '${type}'`, [...path, 'type']);
      return undefined;
    }
    const { id, explicitId } = this.itemId(raw, path, fallbackId);
    const paramsRaw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (!controlKeys.has(k)) paramsRaw[k] = v;
    if (type === 'nest' && paramsRaw.items !== undefined) {
      paramsRaw.items = this.items(paramsRaw.items, [...path, 'items'], id);
    }
    const reader = new ParamReader(paramsRaw, path, 'TL4004', `transformation '${type}'`, this.diagnostics);
    const params = def.parse(reader);
    reader.finish();
    return {
      id,
      explicitId,
      type,
      transformation: def,
      params,
      ruleConditions: this.group(raw, path, 'rule'),
      detectionItemConditions: this.group(raw, path, 'detectionItem'),
      fieldNameConditions: this.group(raw, path, 'fieldName'),
      source: this.source(path),
    };
  }

  itemId(
    raw: Record<string, unknown>,
    path: YamlPath,
    fallback: string,
  ): { id: string; explicitId: boolean } {
    const id = raw.id;
    if (id === undefined || id === null || id === '') return { id: fallback, explicitId: false };
    if (typeof id === 'string' || typeof id === 'number') return { id: String(id), explicitId: true };
    this.error('TL4004', "'id' must be a string", [...path, 'id']);
    return { id: fallback, explicitId: false };
  }

  group(raw: Record<string, unknown>, path: YamlPath, level: ConditionLevel): ConditionGroup {
    const keys = levelKeys[level];
    const table = conditionTables[level] as Record<string, { parse(r: ParamReader): unknown }>;
    const group: ConditionGroup = { conditions: [], op: 'and', not: false };
    const condsRaw = raw[keys.conds];
    const condsPath = [...path, keys.conds];
    const entries: [string, unknown, YamlPath][] = [];
    const isDict = isPlainObject(condsRaw);
    if (Array.isArray(condsRaw))
      condsRaw.forEach((c, i) => entries.push([String(i + 1), c, [...condsPath, i]]));
    else if (isDict) for (const [k, c] of Object.entries(condsRaw)) entries.push([k, c, [...condsPath, k]]);
    else if (condsRaw !== undefined && condsRaw !== null) {
      this.error('TL4007', `'${keys.conds}' must be a list or a mapping`, condsPath);
    }
    for (const [ref, c, cpath] of entries) {
      const spec = this.condition(c, cpath, level, table);
      if (spec) group.conditions.push({ ref, cond: spec });
    }
    const op = raw[keys.op];
    if (op !== undefined && op !== null) {
      if (op === 'and' || op === 'or') group.op = op;
      else {
        // pySigma silently links with "and" for any other value; say so, but keep loading.
        this.diagnostics.push({
          code: 'TL4007',
          severity: 'warning',
          message: `'${keys.op}' should be 'and' or 'or'; '${JSON.stringify(op)}' links the conditions with 'and'`,
          path: [...path, keys.op],
        });
      }
    }
    const not = raw[keys.not];
    if (not !== undefined && not !== null) {
      if (typeof not === 'boolean') group.not = not;
      else this.error('TL4007', `'${keys.not}' must be true or false`, [...path, keys.not]);
    }
    const expr = raw[keys.expr];
    if (expr !== undefined && expr !== null) {
      const epath = [...path, keys.expr];
      if (typeof expr !== 'string') {
        this.error('TL4007', `'${keys.expr}' must be a string`, epath);
      } else if (op !== undefined && op !== null) {
        this.error('TL4007', `'${keys.expr}' is mutually exclusive to '${keys.op}'`, epath);
      } else if (!isDict) {
        this.error(
          'TL4007',
          `with '${keys.expr}', '${keys.conds}' must be a mapping from identifiers to conditions`,
          epath,
        );
      } else {
        const parsed = parseCondExpr(expr);
        if (typeof parsed === 'string') {
          this.error('TL4007', `Error parsing condition expression: ${parsed}`, epath);
        } else {
          const refs = exprRefs(parsed);
          const known = new Set(entries.map((e) => e[0]));
          for (const r of refs)
            if (!known.has(r)) this.error('TL4007', `Condition identifier '${r}' not found.`, epath);
          const unused = [...known].filter((k) => !refs.has(k));
          if (unused.length > 0) {
            this.error('TL4007', `condition expression does not reference: ${unused.join(', ')}`, epath);
          }
          group.expr = parsed;
        }
      }
    }
    return group;
  }

  condition(
    raw: unknown,
    path: YamlPath,
    level: ConditionLevel,
    table: Record<string, { parse(r: ParamReader): unknown }>,
  ): ConditionSpec | undefined {
    if (!isPlainObject(raw)) {
      this.error('TL4006', 'a condition must be a mapping', path);
      return undefined;
    }
    const type = raw.type;
    if (typeof type !== 'string') {
      this.error('TL4005', 'Missing condition type', path);
      return undefined;
    }
    const def = table[type];
    if (!def) {
      const levelName = { rule: 'rule', detectionItem: 'detection item', fieldName: 'field name' }[level];
      this.error('TL4005', `Unknown ${levelName} condition type '${type}'`, [...path, 'type']);
      return undefined;
    }
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (k !== 'type') params[k] = v;
    const reader = new ParamReader(params, path, 'TL4006', `condition '${type}'`, this.diagnostics);
    const parsed = def.parse(reader);
    reader.finish();
    return { type, params: parsed, source: this.source(path) };
  }

  postprocessingItems(raw: unknown, path: YamlPath, idPrefix: string): PostprocessingItem[] {
    const out: PostprocessingItem[] = [];
    this.list(raw, path, String(path[path.length - 1])).forEach((x, i) => {
      const ipath = [...path, i];
      if (!isPlainObject(x)) {
        this.error('TL4008', 'a postprocessing item must be a mapping', ipath);
        return;
      }
      const type = x.type;
      if (typeof type !== 'string' || !(postprocessingTypes as readonly string[]).includes(type)) {
        this.error('TL4008', `Unknown postprocessing type '${String(type)}'`, [...ipath, 'type']);
        return;
      }
      const { id, explicitId } = this.itemId(x, ipath, `${idPrefix}#post${i + 1}`);
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) if (!controlKeys.has(k)) params[k] = v;
      const item: PostprocessingItem = {
        id,
        explicitId,
        type: type as PostprocessingItem['type'],
        params,
        ruleConditions: this.group(x, ipath, 'rule'),
        source: this.source(ipath),
      };
      this.checkPostprocessing(item, ipath);
      if (type === 'nest') item.items = this.postprocessingItems(params.items, [...ipath, 'items'], id);
      out.push(item);
    });
    return out;
  }

  checkPostprocessing(item: PostprocessingItem, path: YamlPath): void {
    const p = item.params;
    const needStr = (k: string): void => {
      if (typeof p[k] !== 'string')
        this.error('TL4008', `${item.type}: parameter '${k}' must be a string`, [...path, k]);
    };
    switch (item.type) {
      case 'embed':
        for (const k of ['prefix', 'suffix']) {
          if (p[k] !== undefined && typeof p[k] !== 'string') {
            this.error('TL4008', `embed: parameter '${k}' must be a string`, [...path, k]);
          }
        }
        break;
      case 'simple_template':
      case 'template':
        needStr('template');
        break;
      case 'json':
        needStr('json_template');
        if (typeof p.json_template === 'string') {
          try {
            JSON.parse(p.json_template);
          } catch {
            this.error('TL4008', 'json: json_template is not valid JSON', [...path, 'json_template']);
          }
        }
        break;
      case 'replace':
        needStr('pattern');
        needStr('replacement');
        if (typeof p.pattern === 'string') {
          const rx = compilePyRegex(p.pattern);
          if (typeof rx === 'string')
            this.error('TL4008', `replace: invalid pattern: ${rx}`, [...path, 'pattern']);
        }
        break;
      case 'nest':
        if (!Array.isArray(p.items)) this.error('TL4008', "nest: requires an 'items' list", path);
        break;
    }
  }

  finalizers(raw: unknown, path: YamlPath): Finalizer[] {
    const out: Finalizer[] = [];
    this.list(raw, path, String(path[path.length - 1])).forEach((x, i) => {
      const fpath = [...path, i];
      if (!isPlainObject(x)) {
        this.error('TL4008', 'a finalizer must be a mapping', fpath);
        return;
      }
      const type = x.type;
      if (typeof type !== 'string' || !(finalizerTypes as readonly string[]).includes(type)) {
        this.error('TL4008', `Finalizer '${String(type)}' is unknown`, [...fpath, 'type']);
        return;
      }
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (k !== 'type' && k !== 'allow_template_vars' && k !== 'vars_allowed_paths') params[k] = v;
      }
      const f: Finalizer = { type: type as Finalizer['type'], params, source: this.source(fpath) };
      if (type === 'nested') f.finalizers = this.finalizers(params.finalizers, [...fpath, 'finalizers']);
      out.push(f);
    });
    return out;
  }
}

/** Load a pipeline given as data (a built-in pipeline, or YAML parsed elsewhere). */
export function loadPipelineObject(obj: unknown, name: string, options: LoadOptions = {}): Result<Pipeline> {
  const loader = new Loader(name, undefined, options);
  const p = loader.pipeline(obj);
  if (!p || hasErrors(loader.diagnostics)) return fail(loader.diagnostics);
  return ok(p, loader.diagnostics);
}

/** Load a pipeline YAML file's text (the caller reads the file). Diagnostics carry file, line, column. */
export function loadPipelineYaml(text: string, file: string, options: LoadOptions = {}): Result<Pipeline> {
  const lines = new LineCounter();
  // PyYAML (yaml.safe_load) reads YAML 1.1 and lets a repeated key win.
  const doc = parseDocument(text, {
    lineCounter: lines,
    version: '1.1',
    customTags: pyYamlTags,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    diagnostics.push({
      code: 'TL4001',
      severity: 'error',
      message: e.message.split('\n')[0] ?? e.message,
      file,
      span: { line: pos.line, column: pos.col },
    });
  }
  if (diagnostics.length > 0) return fail(diagnostics);
  const name = baseName(file);
  const loader = new Loader(name, file, options);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // The yaml package throws when aliases expand beyond the limit (a "billion laughs" document).
    return fail({
      code: 'TL4001',
      severity: 'error',
      message: e instanceof Error ? e.message : 'YAML document could not be read',
      file,
    });
  }
  const p = loader.pipeline(data);
  for (const d of loader.diagnostics) {
    d.file = file;
    const span = spanOf(doc, lines, d.path ?? []);
    if (span) d.span = span;
  }
  for (const item of p?.items ?? []) attachSpans(item, doc, lines);
  if (!p || hasErrors(loader.diagnostics)) return fail(loader.diagnostics);
  return ok(p, loader.diagnostics);
}

/** PyYAML's booleans: yes/no/on/off/true/false in three casings, but not y/n as YAML 1.1 lists. */
function pyYamlTags(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:bool' || !('resolve' in t) || !t.test) return t;
    const scalar: ScalarTag = t;
    const isTrue = scalar.test?.test('true') ?? false;
    const test = isTrue
      ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/
      : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
    return { ...scalar, test };
  });
}

function attachSpans(item: ProcessingItem, doc: Document, lines: LineCounter): void {
  const span = spanOf(doc, lines, item.source.path);
  if (span) item.source.span = span;
  if (item.type === 'nest') {
    const nested = (item.params as { items?: ProcessingItem[] }).items ?? [];
    for (const n of nested) attachSpans(n, doc, lines);
  }
}

function baseName(file: string): string {
  const b = file.split(/[\\/]/).pop() ?? file;
  return b.replace(/\.ya?ml$/i, '');
}

/** Position of the deepest node along path that exists in the document. */
function spanOf(doc: Document, lines: LineCounter, path: YamlPath): Span | undefined {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const s = lines.linePos(range[0]);
      const e = lines.linePos(range[1]);
      return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
    }
    // A missing key: point at the mapping that should hold it.
    if (n === path.length && sub.length > 0) {
      const parent = sub.length === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
      if (isMap(parent) && parent.range) {
        const s = lines.linePos(parent.range[0]);
        return { line: s.line, column: s.col };
      }
    }
  }
  return undefined;
}
