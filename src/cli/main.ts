import { parseArgs } from 'node:util';
import type { CliIO, CommandEntry } from './command.js';
import { EXIT_USAGE, write } from './command.js';
import { commandHelp, mainHelp } from './help.js';
import { commands } from './commands/index.js';
import { VERSION } from './version.js';

function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}

export async function main(argv: string[], io?: CliIO): Promise<number> {
  const cio: CliIO = io ?? {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  };
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const sub = first === 'help' && rest[0] ? findCommand(rest[0]) : undefined;
    write(cio.stdout, sub ? commandHelp(await sub.load(), sub.summary) : mainHelp(commands, VERSION));
    return first === undefined ? EXIT_USAGE : 0;
  }
  if (first === '--version' || first === '-V') {
    write(cio.stdout, VERSION);
    return 0;
  }
  const entry = findCommand(first);
  if (!entry) {
    write(
      cio.stderr,
      `error TL9001: unknown command '${first}'. Run 'tripline --help' for the list of commands.`,
    );
    return EXIT_USAGE;
  }
  const cmd = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          Object.entries(cmd.options).map(([k, o]) => [
            k,
            {
              type: o.type,
              ...(o.short ? { short: o.short } : {}),
              ...(o.multiple ? { multiple: true } : {}),
            },
          ]),
        ),
      },
    });
  } catch (e) {
    write(cio.stderr, `error TL9002: ${(e as Error).message}\n\n${commandHelp(cmd, entry.summary)}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help === true) {
    write(cio.stdout, commandHelp(cmd, entry.summary));
    return 0;
  }
  const values: Record<string, string | boolean | (string | boolean)[] | undefined> = { ...parsed.values };
  for (const [k, o] of Object.entries(cmd.options)) {
    if (values[k] === undefined && o.default !== undefined) values[k] = o.default;
  }
  try {
    return await cmd.run(cio, values, parsed.positionals);
  } catch (e) {
    const err = e as Error;
    write(
      cio.stderr,
      `error TL9000: internal error in '${cmd.name}': ${err.stack ?? err.message}\nPlease report this.`,
    );
    return 3;
  }
}
