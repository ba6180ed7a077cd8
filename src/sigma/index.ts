export * from './ast.js';
export { parseSigmaText, parseSigmaBytes, timespanSeconds, isUuid } from './parse.js';
export type { ParseOutput } from './parse.js';
export { parseCondition, matchSelections } from './condition.js';
export { validateDocument, isCidr, isIsoDate } from './validate.js';
export { checkFiles, loadSigmaFile, crossChecks } from './check.js';
export type { CheckResult } from './check.js';
export { translateRegex } from './regex.js';
export { MODIFIERS, canonicalModifier, checkModifierChain } from './modifiers.js';
