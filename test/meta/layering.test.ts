import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { walkFiles } from '../../src/util/files.js';

/** Which layers each layer may import (besides itself), from ../shared/DESIGN.md. */
const allowed: Record<string, readonly string[]> = {
  util: [],
  diagnostics: ['util'],
  sigma: ['util', 'diagnostics'],
  ir: ['util', 'diagnostics', 'sigma'],
  pipeline: ['util', 'diagnostics', 'sigma', 'ir'],
  backends: ['util', 'diagnostics', 'sigma', 'ir', 'pipeline'],
  engine: ['util', 'diagnostics', 'sigma', 'ir', 'pipeline', 'evtx'],
  evtx: ['util', 'diagnostics'],
  attack: ['util', 'diagnostics'],
  content: ['util', 'diagnostics', 'sigma', 'ir', 'pipeline', 'backends', 'engine', 'evtx', 'attack'],
  build: [
    'util',
    'diagnostics',
    'sigma',
    'ir',
    'pipeline',
    'backends',
    'engine',
    'evtx',
    'attack',
    'content',
  ],
  site: [
    'util',
    'diagnostics',
    'sigma',
    'ir',
    'pipeline',
    'backends',
    'engine',
    'evtx',
    'attack',
    'content',
    'build',
  ],
  cli: [
    'util',
    'diagnostics',
    'sigma',
    'ir',
    'pipeline',
    'backends',
    'engine',
    'evtx',
    'attack',
    'content',
    'build',
    'site',
  ],
};

const root = resolve(import.meta.dirname, '../../..');
const src = join(root, 'src');

test('imports follow the layering in DESIGN.md', () => {
  const { files } = walkFiles([src], ['.ts']);
  assert.ok(files.length > 0, 'no sources found');
  const violations: string[] = [];
  for (const file of files) {
    const layer = relative(src, file).split(sep)[0]!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
      const target = resolve(dirname(file), m[1]!);
      const targetLayer = relative(src, target).split(sep)[0]!;
      if (targetLayer === layer) continue;
      if (!(allowed[layer] ?? []).includes(targetLayer)) {
        violations.push(`${relative(root, file)} imports ${targetLayer} (${m[1]})`);
      }
    }
    // Backends never import each other; only the registry and driver at src/backends/*.ts see them all.
    if (layer === 'backends' && relative(src, file).split(sep).length > 2) {
      const own = relative(src, file).split(sep)[1];
      for (const m of text.matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
        const rel = relative(join(src, 'backends'), resolve(dirname(file), m[1]!)).split(sep);
        if (rel[0] !== '..' && rel.length > 1 && rel[0] !== own && rel[0] !== 'text') {
          violations.push(`${relative(root, file)} imports another backend (${m[1]})`);
        }
      }
    }
  }
  assert.deepEqual(violations, []);
});
