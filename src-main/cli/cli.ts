// The headless entry: the same engine as the desktop app, for scheduled tasks and scripts.
// Exit codes: 0 success (warnings printed), 1 backup failed / verify found damage,
// 2 bad input or config, 130 cancelled.
import { EXIT_CODES } from '../contract/errors.js';
import { TOOL_VERSION } from '../engine/version.js';
import { CliError } from './cli-error.js';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './io.js';

function usage(): string {
  return [
    `octane-backup ${TOOL_VERSION} — complete, ordered backups of ALM Octane (database → Elasticsearch → repository folder)`,
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => `  octane-backup ${c.summary}`),
    '',
    'Exit codes: 0 success (warnings printed), 1 failed or damaged, 2 bad input, config or a failed precondition, 130 cancelled.',
  ].join('\n');
}

export async function cli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? EXIT_CODES.badInput : EXIT_CODES.success;
  }
  if (name === '--version' || name === 'version') {
    io.out(TOOL_VERSION);
    return EXIT_CODES.success;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return EXIT_CODES.badInput;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(err.message);
      return err.exitCode;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\n\n${usage()}`);
      return EXIT_CODES.badInput;
    }
    if (io.signal.aborted) return EXIT_CODES.cancelled;
    io.err(`Unexpected error: ${(err as Error).stack ?? String(err)}`);
    return EXIT_CODES.failed;
  }
}
