import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild } from '../../src/build/index.js';
import type { BuildResult } from '../../src/build/index.js';
import { repoRoot } from '../helpers/shared.js';

export const contentDir = join(repoRoot, 'content');

let shipped: BuildResult | undefined;

/** The shipped library built once per test file into a temporary folder. */
export function shippedBuild(): BuildResult {
  if (!shipped) {
    const out = mkdtempSync(join(tmpdir(), 'tripline-build-'));
    const r = runBuild(contentDir, { out });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    shipped = r.value;
  }
  return shipped;
}

/** A .conf file as stanzas; throws on any line that is not a stanza header, key = value or continuation. */
export function parseConf(text: string): Map<string, Map<string, string>> {
  const stanzas = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const header = /^\[([^\]\r\n]*)\]$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      if (stanzas.has(name)) throw new Error(`line ${i + 1}: duplicate stanza [${name}]`);
      current = new Map();
      stanzas.set(name, current);
      continue;
    }
    const kv = /^([\w.:/-]+) = (.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1}: not 'key = value' inside a stanza: ${JSON.stringify(line)}`);
    const key = kv[1] ?? '';
    let value = kv[2] ?? '';
    // A trailing backslash continues the value on the next line.
    while (value.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = lines[i] ?? '';
      value = value.slice(0, -1) + '\n' + line;
    }
    if (current.has(key)) throw new Error(`line ${i + 1}: duplicate key ${key}`);
    current.set(key, value);
  }
  return stanzas;
}

/** A small schema checker: required keys, types, enums, patterns (enough to hold vendor formats). */
export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp; minLength?: number }
  | { type: 'integer' | 'number'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema; maxItems?: number }
  | {
      type: 'object';
      properties: Record<string, Schema>;
      required?: readonly string[];
      additional?: Schema | false | true;
    };

export function validate(value: unknown, schema: Schema, path = '$'): string[] {
  const errs: string[] = [];
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected string`];
      if (schema.enum && !schema.enum.includes(value)) errs.push(`${path}: '${value}' not in ${schema.enum.join('|')}`);
      if (schema.pattern && !schema.pattern.test(value)) errs.push(`${path}: '${value}' does not match ${String(schema.pattern)}`);
      if (schema.minLength !== undefined && value.length < schema.minLength) errs.push(`${path}: too short`);
      return errs;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) return [`${path}: expected ${schema.type}`];
      if (schema.min !== undefined && value < schema.min) errs.push(`${path}: below ${schema.min}`);
      if (schema.max !== undefined && value > schema.max) errs.push(`${path}: above ${schema.max}`);
      return errs;
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected array`];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(`${path}: more than ${schema.maxItems} items`);
      value.forEach((v, i) => errs.push(...validate(v, schema.items, `${path}[${i}]`)));
      return errs;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected object`];
      const o = value as Record<string, unknown>;
      for (const k of schema.required ?? []) if (!(k in o)) errs.push(`${path}: missing required '${k}'`);
      for (const [k, v] of Object.entries(o)) {
        const s = schema.properties[k];
        if (s) errs.push(...validate(v, s, `${path}.${k}`));
        else if (schema.additional === false) errs.push(`${path}: unknown key '${k}'`);
        else if (schema.additional && schema.additional !== true) errs.push(...validate(v, schema.additional, `${path}.${k}`));
      }
      return errs;
    }
  }
}
