// `octane-backup run --config <file> [--kind ...] [--label ...] [--json]`: parses, calls the backup
// use-case (the same the app and its headless mode call), prints.
import { parseArgs } from 'node:util';
import { EXIT_CODES, exitCodeForStatus } from '../../contract/errors.js';
import type { RunEvent } from '../../contract/events.js';
import { BACKUP_KINDS, type BackupKind } from '../../contract/profile.js';
import { ConfigError } from '../../engine/config/validate-profile.js';
import { backUp, type BackUpDeps } from '../../engine/use-cases/back-up.js';
import { CliError } from '../cli-error.js';
import { loadConfig } from '../load-config.js';
import { createHumanPrinter } from '../run-printer.js';
import type { CliIo } from '../io.js';

export async function runCommand(argv: string[], io: CliIo, deps: BackUpDeps = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      kind: { type: 'string', default: 'manual' },
      label: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const kind = values.kind as BackupKind;
  if (!BACKUP_KINDS.includes(kind))
    throw new CliError(`--kind must be one of ${BACKUP_KINDS.join(', ')} (got "${values.kind}").`);
  const profile = await loadConfig(values.config, io);
  const print = values.json ? (e: RunEvent) => io.out(JSON.stringify(e)) : createHumanPrinter(io);
  // With --json the last stdout line stays the run-finished event: after-run notes go to stderr.
  const note = (m: string): void => (values.json ? io.err(m) : io.out(m));
  try {
    const outcome = await backUp(
      {
        profile,
        kind,
        ...(values.label !== undefined && { label: values.label }),
        signal: io.signal,
        onEvent: print,
        onNote: note,
      },
      deps,
    );
    if (outcome.started) {
      // verifyAfterRun: a new set found damaged is a failed backup, whatever the run said.
      if (outcome.verification?.verdict === 'damaged' && outcome.result.status !== 'cancelled')
        return EXIT_CODES.failed;
      return exitCodeForStatus(outcome.result.status);
    }
    const info = outcome.error;
    if (values.json) io.out(JSON.stringify({ type: 'error', error: info }));
    else io.err(`Backup not started: ${info.message}${info.fix ? `\nFix: ${info.fix}` : ''}`);
    return EXIT_CODES.failed;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}
