/**
 * What a target contributes to the registry: a backend factory, its formats and options, the
 * pipelines it ships (as pySigma-vocabulary data) and which of them apply by default.
 */
import type { IrRule } from '../ir/types.js';
import type { BuiltinTable, TransformationDef } from '../pipeline/index.js';
import type { Backend } from './text/backend.js';

export interface TargetDef {
  /** Name on the command line (`-t splunk`). */
  name: string;
  description: string;
  /** A fresh backend per conversion run (backends hold no cross-run state, but may cache). */
  create(): Backend;
  formats: Readonly<Record<string, string>>;
  defaultFormat: string;
  /** Pipelines applied when the user gives no -p (the reference's usual default). */
  defaultPipelines: readonly string[];
  /** Pipelines an output format needs in place of the defaults (e.g. data_model → splunk_cim). */
  formatPipelines?: Readonly<Record<string, readonly string[]>>;
  /** Built-in pipelines this target ships, by name (definePipeline over pySigma-vocabulary data). */
  pipelines: BuiltinTable;
  /** Transformation types of this target's own, for its pipelines and users' pipeline files. */
  transformations?: Readonly<Record<string, TransformationDef>>;
  /** Backend options (-O key=value): key → description. */
  options: Readonly<Record<string, string>>;
  /**
   * Fields the target knows for a rule after its pipelines (a table schema, a data model); fields
   * outside it are reported as unmapped. Undefined: no schema, nothing is reported.
   */
  knownFields?(rule: IrRule, state: Readonly<Record<string, unknown>>): ReadonlySet<string> | undefined;
}
