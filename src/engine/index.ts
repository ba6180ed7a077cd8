/** Public API of the evaluation engine (used by `tripline hunt`, `tripline test` and the content tests). */
export { Engine, LEVELS } from './engine.js';
export type { CompiledRule, CorrHit, EngineOptions, EngineStats, Hit, RuleHit, RuleInfo } from './engine.js';
export type { CorrelationHit, EventRef } from './correlation.js';
export { toEventView, fieldValue, parseTime } from './event.js';
export type { EventMeta, EventView } from './event.js';
export { referenceMatch } from './reference.js';
export { huntFile, eventFormat, feedJsonText, EVENT_EXTENSIONS } from './input.js';
export type { EventFormat, ReadOptions } from './input.js';
export { windowsRoutes } from './logsource.js';
export { hostileRegex } from './values.js';
export { loadPlaceholders } from './placeholders.js';
