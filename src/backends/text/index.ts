export * from './token-table.js';
export * from './context.js';
export * from './printer.js';
export * from './backend.js';
export * from './strings.js';
export * from './values.js';
