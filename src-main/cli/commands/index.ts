// The CLI's commands. Each takes its own argv and returns an exit code.
import type { CliIo } from '../io.js';
import { drivesCommand, ejectCommand } from './drives.js';
import { exportCommand } from './export.js';
import { importConfigCommand } from './import-config.js';
import { listCommand } from './list.js';
import { preflightCommand } from './preflight.js';
import { pruneCommand } from './prune.js';
import { REHEARSE_USAGE, rehearseCommand } from './rehearse.js';
import { RESTORE_USAGE, restoreCommand } from './restore.js';
import { runCommand } from './run.js';
import { scheduleCommand } from './schedule.js';
import { verifyCommand } from './verify.js';
import { watchCommand } from './watch.js';

export type Command = (argv: string[], io: CliIo) => Promise<number>;

export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  run: {
    run: (a, io) => runCommand(a, io),
    summary: 'run --config <file> [--kind manual|scheduled|pre-upgrade] [--label text] [--json]',
  },
  verify: { run: verifyCommand, summary: 'verify <set folder> [--json]' },
  list: { run: listCommand, summary: 'list <destination> [--profile name] [--json]' },
  restore: { run: (a, io) => restoreCommand(a, io), summary: RESTORE_USAGE },
  rehearse: { run: (a, io) => rehearseCommand(a, io), summary: REHEARSE_USAGE },
  preflight: { run: preflightCommand, summary: 'preflight --config <file> [--json]' },
  schedule: {
    run: (a, io) => scheduleCommand(a, io),
    summary:
      'schedule show|install|remove --config <file> [--tz zone] [--logon s4u|interactive|password] [--xml] [--print] [--json]',
  },
  prune: { run: (a, io) => pruneCommand(a, io), summary: 'prune --config <file> [--dry-run] [--json]' },
  export: {
    run: (a, io) => exportCommand(a, io),
    summary: 'export <set folder> [--to <folder or drive>] [--config <file>] [--eject] [--json]',
  },
  drives: {
    run: (a, io) => drivesCommand(a, io),
    summary: 'drives [--config <file>] [--mark <drive root>] [--json]',
  },
  eject: { run: (a, io) => ejectCommand(a, io), summary: 'eject <drive root> [--json]' },
  watch: { run: (a, io) => watchCommand(a, io), summary: 'watch --config <file> [--json]' },
  'import-config': {
    run: importConfigCommand,
    summary: 'import-config [--dir <Octane conf folder>] [--json]',
  },
};
