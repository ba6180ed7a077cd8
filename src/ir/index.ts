export * from './types.js';
export { lowerRule, lowerCorrelation, lowerFilter, ruleId } from './lower.js';
export { normalize } from './normalize.js';
export { printIr, printValue } from './print.js';
export { parseSigmaString, sigmaText, plainText, hasSpecial } from './strings.js';
