/** Public API of the EVTX reader (imported by the engine and the CLI). */
export { readEvtx, CHUNK_SIZE, FILE_HEADER_SIZE } from './reader.js';
export type { EvtxReadOptions, EvtxReadResult, EvtxRecord } from './reader.js';
export type { JsonObject, JsonValue } from './json.js';
export { toEvtxJson, toEvtxJsonText } from './json.js';
export { toXml } from './xml.js';
export type { XAttr, XElement, XNode } from './tree.js';
