import { Writable } from 'node:stream';
import type { CliIO } from '../../src/cli/command.js';

/** A CliIO whose stdout and stderr are collected, for calling main() in-process. */
export function capture(cwd = process.cwd()): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const mk = (f: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        f(chunk.toString());
        cb();
      },
    });
  return {
    io: { stdout: mk((s) => (out += s)), stderr: mk((s) => (err += s)), cwd, env: {} },
    out: () => out,
    err: () => err,
  };
}
