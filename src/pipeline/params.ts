/**
 * Reading the parameters of transformations and conditions: each getter checks one key, records a
 * diagnostic with the key's path when it is missing or of the wrong type, and returns a usable
 * default so parsing can go on and report every problem in one pass.
 */
import type { Diagnostic, DiagnosticCode, YamlPath } from '../diagnostics/index.js';

export class ParamReader {
  private readonly used = new Set<string>();

  constructor(
    readonly raw: Readonly<Record<string, unknown>>,
    readonly path: YamlPath,
    private readonly code: DiagnosticCode,
    private readonly what: string,
    readonly diagnostics: Diagnostic[],
  ) {}

  private report(key: string | undefined, message: string): void {
    this.diagnostics.push({
      code: this.code,
      severity: 'error',
      message: `${this.what}: ${message}`,
      path: key === undefined ? this.path : [...this.path, key],
    });
  }

  error(message: string, key?: string): void {
    this.report(key, message);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  any(key: string): unknown {
    this.used.add(key);
    return this.raw[key];
  }

  private get(key: string, required: boolean): unknown {
    this.used.add(key);
    const v = this.raw[key];
    if (v === undefined && required) this.report(key, `missing parameter '${key}'`);
    return v;
  }

  str(key: string): string {
    const v = this.get(key, true);
    if (v === undefined) return '';
    if (typeof v !== 'string') {
      this.report(key, `parameter '${key}' must be a string`);
      return '';
    }
    return v;
  }

  optStr(key: string): string | undefined {
    const v = this.get(key, false);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.report(key, `parameter '${key}' must be a string`);
      return undefined;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key, false);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.report(key, `parameter '${key}' must be true or false`);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T {
    const v = this.get(key, fallback === undefined);
    if (v === undefined || v === null) return fallback ?? allowed[0]!;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.report(key, `parameter '${key}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
      return fallback ?? allowed[0]!;
    }
    return v as T;
  }

  /** A string or a list of strings, as a list. */
  strList(key: string, required = true): string[] | undefined {
    const v = this.get(key, required);
    if (v === undefined || v === null) return required ? [] : undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    this.report(key, `parameter '${key}' must be a string or a list of strings`);
    return [];
  }

  /** A mapping of strings to a string or a list of strings. */
  strMapping(key: string, required = true): Map<string, string | string[]> {
    const v = this.get(key, required);
    const out = new Map<string, string | string[]>();
    if (v === undefined || v === null) return out;
    if (!isPlainObject(v)) {
      this.report(key, `parameter '${key}' must be a mapping`);
      return out;
    }
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') out.set(k, x);
      else if (Array.isArray(x) && x.every((y) => typeof y === 'string')) out.set(k, x);
      else if (typeof x === 'number') out.set(k, String(x));
      else this.report(key, `mapping value for '${k}' must be a string or a list of strings`);
    }
    return out;
  }

  /** Report keys nobody asked for: pySigma rejects unexpected keyword arguments. */
  finish(): void {
    for (const k of Object.keys(this.raw)) {
      if (!this.used.has(k)) this.report(k, `unexpected parameter '${k}'`);
    }
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
