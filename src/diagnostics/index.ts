export * from './diagnostic.js';
export * from './catalog.js';
export * from './render.js';
