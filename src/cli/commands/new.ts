import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { renderText } from '../../diagnostics/index.js';
import { scaffoldDetection } from '../../content/index.js';
import type { Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, str, write } from '../command.js';

export const newCommand: Command = {
  name: 'new',
  usage: 'new detection --technique ID [--title TEXT] [--author NAME] [-o DIR|-]',
  description: [
    'Writes a detection file (a Sigma rule plus a tripline: block) with the ATT&CK tags, a reference, a',
    "fresh UUID, today's date, enrichment, risk/threat objects, triage sections and one positive and one",
    'negative test stub filled in from the technique. The result loads without errors; replace the TODOs.',
    'The file goes to DIR (default: content/detections when it exists, else the current folder);',
    '-o - prints it instead. An existing file is never overwritten.',
  ].join('\n'),
  options: {
    technique: {
      type: 'string',
      arg: 'ID',
      description: 'ATT&CK technique or sub-technique id, e.g. T1119 or T1003.001',
    },
    title: { type: 'string', arg: 'TEXT', description: 'rule title (default: "<technique name> Activity")' },
    author: { type: 'string', arg: 'NAME', description: 'author field' },
    output: { type: 'string', short: 'o', arg: 'DIR', description: "output folder, or '-' for stdout" },
  },
  examples: [
    'tripline new detection --technique T1119',
    "tripline new detection --technique T1003.001 --title 'LSASS Access by Unsigned Process' -o content/detections/credential_access",
    'tripline new detection --technique T1059.001 -o -',
  ],
  run(io, values, positionals) {
    if (positionals[0] !== 'detection' || positionals.length > 1) {
      write(io.stderr, `error TL9002: expected 'new detection'\n\nUsage: tripline ${this.usage}`);
      return Promise.resolve(EXIT_USAGE);
    }
    const technique = str(values, 'technique');
    if (technique === undefined) {
      write(io.stderr, `error TL9002: --technique is required\n\nUsage: tripline ${this.usage}`);
      return Promise.resolve(EXIT_USAGE);
    }
    const title = str(values, 'title');
    const author = str(values, 'author');
    const s = scaffoldDetection({
      technique,
      date: new Date().toISOString().slice(0, 10),
      id: randomUUID(),
      ...(title !== undefined ? { title } : {}),
      ...(author !== undefined ? { author } : {}),
    });
    if (!s.ok) {
      write(io.stderr, renderText(s.diagnostics));
      return Promise.resolve(EXIT_USAGE);
    }
    const out = str(values, 'output');
    if (out === '-') {
      write(io.stdout, s.value.text);
      return Promise.resolve(EXIT_OK);
    }
    const defaultDir = join(io.cwd, 'content', 'detections');
    const dir = out !== undefined ? resolve(io.cwd, out) : existsSync(defaultDir) ? defaultDir : io.cwd;
    const path = join(dir, s.value.fileName);
    if (existsSync(path)) {
      write(
        io.stderr,
        `error TL9004: ${relative(io.cwd, path)} already exists; choose another --title or -o`,
      );
      return Promise.resolve(EXIT_FINDINGS);
    }
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, s.value.text);
    } catch (e) {
      write(io.stderr, `error TL9003: cannot write ${path}: ${(e as Error).message}`);
      return Promise.resolve(EXIT_FINDINGS);
    }
    const shown = relative(io.cwd, path);
    write(io.stdout, shown.startsWith('..') ? path : shown);
    return Promise.resolve(EXIT_OK);
  },
};
