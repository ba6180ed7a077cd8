/**
 * Column names and types of the tables the kusto pipelines query, as data: the pipelines reject
 * fields outside them, and the test suite declares them to Microsoft's Kusto parser to check every
 * query we emit. Defender XDR tables follow Microsoft's advanced hunting schema reference.
 */
export type { KustoType, TableSchema } from './schemas/schema.js';
export { schema } from './schemas/schema.js';
export { XDR_TABLES } from './schemas/xdr.js';
export { ASIM_TABLES } from './schemas/asim.js';
export { AZURE_MONITOR_TABLES } from './schemas/azure-monitor.js';
