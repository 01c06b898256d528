// `octane-backup run --config <file> [--kind ...] [--label ...] [--json]`
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import type { RunEvent, RunStatus } from '../../contract/events.js';
import { BACKUP_KINDS, type BackupKind } from '../../contract/profile.js';
import { afterRun, notStartedOutcome } from '../../engine/alerts/after-run.js';
import { preUpgradeExtras } from '../../engine/octane-config/pre-upgrade-extras.js';
import { runBackup, type RunOptions } from '../../engine/run-backup.js';
import { ExpectedError } from '../../engine/errors.js';
import { ConfigError } from '../../engine/config/validate-profile.js';
import { CliError } from '../cli-error.js';
import { loadConfig } from '../load-config.js';
import { createHumanPrinter } from '../run-printer.js';
import type { CliIo } from '../io.js';

export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
    case 'succeeded-with-warnings':
      return EXIT_CODES.success;
    case 'cancelled':
      return EXIT_CODES.cancelled;
    case 'failed':
      return EXIT_CODES.failed;
  }
}

export async function runCommand(
  argv: string[],
  io: CliIo,
  extra: Partial<RunOptions> = {},
): Promise<number> {
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
  const profile = await loadConfig(values.config);
  const print = values.json ? (e: RunEvent) => io.out(JSON.stringify(e)) : createHumanPrinter(io);
  const opts: RunOptions = { ...extra, kind, signal: io.signal, onEvent: print };
  if (values.label !== undefined) opts.label = values.label;
  // Pre-upgrade sets also keep Octane's config files and version (docs/operations.md).
  if (kind === 'pre-upgrade') opts.extras ??= preUpgradeExtras;
  // Prune-after-run, Event Log, e-mail, "no good backup" check; never changes the exit code.
  // With --json the last stdout line stays the run-finished event: after-run notes go to stderr.
  const log = (m: string): void => (values.json ? io.err(m) : io.out(m));
  try {
    const result = await runBackup(profile, opts);
    await afterRun(profile, result, { kind, secrets: opts.secrets, env: opts.env, log, signal: io.signal });
    return exitCodeFor(result.status);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    if (err instanceof ExpectedError) {
      const info = err.toInfo();
      if (values.json) io.out(JSON.stringify({ type: 'error', error: info }));
      else io.err(`Backup not started: ${info.message}${info.fix ? `\nFix: ${info.fix}` : ''}`);
      // A scheduled run that cannot even start (drive unplugged, profile busy) must still alert.
      await afterRun(profile, notStartedOutcome(profile, kind, info), {
        kind,
        secrets: opts.secrets,
        env: opts.env,
        log,
        prune: false,
      });
      return EXIT_CODES.failed;
    }
    throw err;
  }
}
