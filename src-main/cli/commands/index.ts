// The CLI's commands. Each takes its own argv and returns an exit code.
import type { CliIo } from '../io.js';
import { listCommand } from './list.js';
import { preflightCommand } from './preflight.js';
import { runCommand } from './run.js';
import { verifyCommand } from './verify.js';

export type Command = (argv: string[], io: CliIo) => Promise<number>;

export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  run: { run: (a, io) => runCommand(a, io), summary: 'run --config <file> [--kind manual|scheduled|pre-upgrade] [--label text] [--json]' },
  verify: { run: verifyCommand, summary: 'verify <set folder> [--json]' },
  list: { run: listCommand, summary: 'list <destination> [--profile name] [--json]' },
  preflight: { run: preflightCommand, summary: 'preflight --config <file> [--json]' },
};
