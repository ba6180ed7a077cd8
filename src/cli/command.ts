import type { Writable } from 'node:stream';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. FILE. */
  arg?: string;
  description: string;
  default?: string | boolean;
}

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  name: string;
  usage: string;
  description: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  run(io: CliIO, values: OptionValues, positionals: string[]): Promise<number>;
}

/** What `tripline --help` needs to know of a command without loading it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : text + '\n');
}
