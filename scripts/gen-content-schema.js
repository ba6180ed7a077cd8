#!/usr/bin/env node
// Writes content/schema/*.schema.json from the schema descriptions in src/content/schemas.ts (compiled
// to build/). Run `npm run build` first. test/content/schema.test.ts fails when the files are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { detectionJsonSchema, storyJsonSchema, dataSourceJsonSchema } = await import(
  resolve(root, 'build/src/content/schemas.js')
);
// Formatted with the project's Prettier settings so `npm run format:check` stays clean.
const prettier = await import('prettier');
const options = { ...(await prettier.resolveConfig(resolve(root, 'package.json'))), parser: 'json' };
const out = resolve(root, 'content/schema');
mkdirSync(out, { recursive: true });
for (const [name, schema] of [
  ['detection', detectionJsonSchema()],
  ['story', storyJsonSchema()],
  ['data-source', dataSourceJsonSchema()],
]) {
  writeFileSync(resolve(out, `${name}.schema.json`), await prettier.format(JSON.stringify(schema), options));
}
process.stderr.write(`wrote ${out}/{detection,story,data-source}.schema.json\n`);
