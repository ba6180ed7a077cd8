export { SumoLogicBackend, sumologicFormats, sumologicOptions } from './backend.js';
export { sumologicTable } from './table.js';
export { sumologicCsePipeline, sumologicTransformations } from './pipelines.js';
export { finalizeExpression, ruleJson, attackTags, toPythonJson } from './finalize.js';
export { sumologicTarget } from './target.js';
