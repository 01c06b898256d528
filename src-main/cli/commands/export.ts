// `octane-backup export <set folder> [--to <folder or drive>] [--config <file>] [--eject] [--json]`:
// copies a good set to another place as one self-contained, verified set. Without --to, to the
// connected drives of the profile's rotation (with their retention). Exit codes as for `run`.
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { formatBytes, formatDuration } from '../../contract/format.js';
import type { Profile } from '../../contract/profile.js';
import { exitCodeForExport, type ExportEvent, type ExportOutcome } from '../../contract/removable.js';
import { ExpectedError } from '../../engine/errors.js';
import { exportBackupSet, type ExportRequest } from '../../engine/use-cases/removable.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export async function exportCommand(
  argv: string[],
  io: CliIo,
  deps: Partial<Pick<ExportRequest, 'drives' | 'ejectOptions' | 'fileSystemOf'>> = {},
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      config: { type: 'string', short: 'c' },
      eject: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const setPath = positionals[0];
  if (!setPath || positionals.length > 1)
    throw new CliError('export takes exactly one argument: the set folder (the one holding manifest.json).');
  if (values.to === undefined && values.config === undefined)
    throw new CliError(
      'Say where to: --to <folder or drive>, or --config <profile> whose rotation names the drives.',
    );
  let profile: Profile | undefined;
  if (values.config !== undefined) profile = await loadConfig(values.config, io);
  const req: ExportRequest = {
    ...deps,
    setPath,
    signal: io.signal,
    onEvent: values.json ? (e) => io.out(JSON.stringify(e)) : (e) => printEvent(io, e),
  };
  if (values.to !== undefined) req.to = values.to;
  if (profile) req.profile = profile;
  if (values.eject) req.eject = true;
  let outcomes: ExportOutcome[];
  try {
    outcomes = await exportBackupSet(req);
  } catch (err) {
    if (!(err instanceof ExpectedError)) throw err;
    // A profile without drives is bad input (exit 2), not a failed export.
    if (err.code === 'NO_ROTATION' || err.code === 'EXPORT_NO_TARGET')
      throw new CliError(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    if (values.json) io.out(JSON.stringify({ type: 'error', error: err.toInfo() }));
    else io.err(`Export not started: ${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    return EXIT_CODES.failed;
  }
  if (outcomes.some((o) => o.status === 'cancelled') || io.signal.aborted) return EXIT_CODES.cancelled;
  return Math.max(...outcomes.map((o) => exitCodeForExport(o.status)));
}

function printEvent(io: CliIo, e: ExportEvent): void {
  if (e.type === 'export-started')
    io.out(`Copying ${e.setName} (${e.files} files, ${formatBytes(e.bytesTotal)}) to ${e.copyPath}`);
  else if (e.type === 'export-progress')
    io.status(
      `  ${e.phase === 'copy' ? 'copying' : 're-reading'} ${Math.round(e.fraction * 100)}%  ${formatBytes(e.bytesDone)} of ${formatBytes(e.bytesTotal)}${e.etaSeconds !== undefined ? `  ${formatDuration(e.etaSeconds)} left` : ''}  ${e.current ?? ''}`,
    );
  else printOutcome(io, e.outcome);
}

function printOutcome(io: CliIo, o: ExportOutcome): void {
  io.status('');
  const where = o.drive
    ? ` (drive ${o.drive.label !== undefined ? `"${o.drive.label}"` : o.drive.volumeId.slice(0, 8)})`
    : '';
  if (o.status === 'succeeded')
    io.out(
      o.alreadyThere
        ? `OK: ${o.copyPath ?? ''}${where} already holds a verified copy of ${o.setName}.`
        : `OK: ${o.setName} copied to ${o.copyPath ?? ''}${where}, re-read and found ${o.verdict === 'intact' ? 'intact' : 'intact (not a full Octane backup: the profile leaves components out)'}.`,
    );
  else if (o.status === 'cancelled')
    io.err(`CANCELLED: the export of ${o.setName} was stopped; no copy was left that looks like a set.`);
  else
    io.err(
      `FAILED: ${o.setName !== '' ? `the export of ${o.setName}` : 'the export'} to ${o.target}${where}: ${o.error?.message ?? ''}${o.error?.fix ? `\nFix: ${o.error.fix}` : ''}`,
    );
  for (const n of o.notes) io.out(`  Note: ${n}`);
  for (const d of o.retention?.deleted ?? []) io.out(`  Deleted older copy ${d}`);
  for (const f of o.retention?.failed ?? []) io.err(`  Could not delete ${f.path} (${f.error})`);
  if (o.eject)
    say(
      io,
      o.eject.ejected,
      `  ${o.eject.message}${o.eject.holders ? ` In use by: ${o.eject.holders.join(', ')}.` : ''}${o.eject.fix ? `\n  Fix: ${o.eject.fix}` : ''}`,
    );
}

/** Good news on stdout, bad news on stderr. */
function say(io: CliIo, good: boolean, line: string): void {
  if (good) io.out(line);
  else io.err(line);
}
