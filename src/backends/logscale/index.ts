export { LogScaleBackend } from './backend.js';
export { logscaleTable } from './table.js';
export { crowdstrikeFalconPipeline, crowdstrikeFdrPipeline } from './pipelines.js';
export { convertLogscaleCorrelation, logscaleSpan } from './correlations.js';
export { logscaleTarget } from './target.js';
