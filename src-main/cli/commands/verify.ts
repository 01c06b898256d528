// `octane-backup verify <set folder> [--config <file>] [--json]`
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import type { Profile } from '../../contract/profile.js';
import type { VerifyReport } from '../../contract/sets.js';
import { verifyBackupSet, type VerifyRequest } from '../../engine/use-cases/verify-set.js';
import { ExpectedError } from '../../engine/errors.js';
import { CliError } from '../cli-error.js';
import { formatBytes } from '../../contract/format.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, config: { type: 'string', short: 'c' } },
    allowPositionals: true,
    strict: true,
  });
  const setPath = positionals[0];
  if (!setPath || positionals.length > 1)
    throw new CliError('verify takes exactly one argument: the set folder (the one holding manifest.json).');
  // With the profile, components kept on the destinations it configures are read there.
  let profile: Profile | undefined;
  if (values.config !== undefined) profile = await loadConfig(values.config, io);
  const req: VerifyRequest = { signal: io.signal };
  if (profile) req.profile = profile;
  let report: VerifyReport;
  try {
    report = await verifyBackupSet(setPath, req);
  } catch (err) {
    if (err instanceof ExpectedError && err.code === 'SEAL_KEY_TOO_SHORT')
      throw new CliError(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    throw err;
  }
  if (values.json) io.out(JSON.stringify(report));
  else printReport(io, report);
  if (io.signal.aborted) return EXIT_CODES.cancelled;
  return report.verdict === 'damaged' ? EXIT_CODES.failed : EXIT_CODES.success;
}

function printReport(io: CliIo, report: VerifyReport): void {
  io.out(`Verifying ${report.setPath}`);
  for (const c of report.checks)
    io.out(
      `  ${c.status === 'ok' ? 'ok      ' : c.status.toUpperCase().padEnd(8)} ${c.artifact.path} (${formatBytes(c.artifact.bytes)})`,
    );
  for (const p of report.problems) io.out(`  ${p}`);
  for (const n of report.notes) io.out(`  Note: ${n}`);
  io.out(
    report.ok
      ? `OK: ${report.checks.length} artifact(s) intact; the set is complete.`
      : report.verdict === 'intact-partial'
        ? `INTACT: ${report.checks.length} artifact(s) match the manifest, but this is NOT a full Octane backup (components were left out of the profile).`
        : `DAMAGED OR INCOMPLETE: ${report.problems.length} problem(s) found.`,
  );
}
