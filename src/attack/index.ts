export * from './attack.js';
export * from './coverage.js';
export * from './navigator.js';
