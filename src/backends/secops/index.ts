export { SecOpsBackend, udmRegexValue } from './backend.js';
export { secopsTable } from './table.js';
export {
  secopsTransformations,
  secopsUdmPipeline,
  secopsUdmRule,
  eventTypesOf,
  SECOPS_EVENT_TYPES,
  SECOPS_PREPEND_METADATA,
} from './pipeline.js';
export { yaraLRule, yaraLCorrelation } from './yara-l.js';
export { isValidUdmField } from './mappings.js';
export { secopsTarget } from './target.js';
