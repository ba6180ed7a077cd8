/** Processing pipelines: pySigma's pipeline format and semantics over the IR. See docs/pipelines.md. */
export type {
  ApplyOutput,
  CondExpr,
  ConditionGroup,
  ConditionSpec,
  Finalizer,
  Pipeline,
  PostprocessingItem,
  ProcessingItem,
  SourceRef,
} from './types.js';
export { loadPipelineObject, loadPipelineYaml, type LoadOptions } from './loader.js';
export {
  applyPipelines,
  applyPipelinesToCorrelation,
  checkAllowedBackends,
  findItem,
  orderPipelines,
  unmappedFields,
  type PipelineContext,
} from './apply.js';
export { finalizeQueries, postprocessQuery } from './postprocess.js';
export {
  builtinPipelines,
  combineBuiltins,
  definePipeline,
  parsePipelineRef,
  registerTransformation,
  resolvePipeline,
  type BuiltinPipeline,
  type BuiltinTable,
  type ResolveContext,
} from './registry.js';
export {
  defineTransformation,
  type FieldTransformation,
  type ItemTransformation,
  type RuleTransformation,
  type TransformationDef,
  type ValueTransformation,
} from './transformation-def.js';
export { builtinTransformations } from './transformations.js';
export { envError, type ApplyEnv, type Target } from './env.js';
// Helpers for backend-specific item transformations.
export {
  isLeaf,
  leaves,
  markApplied,
  rebuildItem,
  withField,
  type DetectionItem,
  type Leaf,
  type Slot,
} from './detection-items.js';
export { ParamReader } from './params.js';
