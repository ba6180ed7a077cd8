import type { Command, CommandEntry } from './command.js';

function optionLines(cmd: Pick<Command, 'options'>): string[] {
  const rows = Object.entries(cmd.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    const rep = o.multiple ? ' (repeatable)' : '';
    return [left, o.description + def + rep] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
}

export function commandHelp(cmd: Command, summary: string): string {
  return [
    `Usage: tripline ${cmd.usage}`,
    '',
    summary,
    '',
    cmd.description,
    '',
    'Options:',
    ...optionLines(cmd),
    '',
    'Examples:',
    ...cmd.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

export function mainHelp(commands: readonly CommandEntry[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `tripline ${version} — detection engineering toolkit: Sigma in, seven SIEMs out, proven on real logs.`,
    '',
    'Usage: tripline <command> [options] [args]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `tripline <command> --help` for the options and examples of a command.',
    '',
    'Examples:',
    '  tripline check rules/',
    '  tripline convert -t splunk rules/windows/process_creation/',
    '  tripline hunt -r rules/ logs/Security.evtx',
    '',
  ].join('\n');
}
