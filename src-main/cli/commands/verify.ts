// `octane-backup verify <set folder> [--json]`
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { verifyBackupSet } from '../../engine/use-cases/verify-set.js';
import { CliError } from '../cli-error.js';
import { formatBytes } from '../../contract/format.js';
import type { CliIo } from '../io.js';

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const setPath = positionals[0];
  if (!setPath || positionals.length > 1)
    throw new CliError('verify takes exactly one argument: the set folder (the one holding manifest.json).');
  const report = await verifyBackupSet(setPath, { signal: io.signal });
  if (values.json) io.out(JSON.stringify(report));
  else {
    io.out(`Verifying ${report.setPath}`);
    for (const c of report.checks)
      io.out(
        `  ${c.status === 'ok' ? 'ok      ' : c.status.toUpperCase().padEnd(8)} ${c.artifact.path} (${formatBytes(c.artifact.bytes)})`,
      );
    for (const p of report.problems) io.out(`  ${p}`);
    io.out(
      report.ok
        ? `OK: ${report.checks.length} artifact(s) intact; the set is complete.`
        : report.verdict === 'intact-partial'
          ? `INTACT: ${report.checks.length} artifact(s) match the manifest, but this is NOT a full Octane backup (components were left out of the profile).`
          : `DAMAGED OR INCOMPLETE: ${report.problems.length} problem(s) found.`,
    );
  }
  if (io.signal.aborted) return EXIT_CODES.cancelled;
  return report.verdict === 'damaged' ? EXIT_CODES.failed : EXIT_CODES.success;
}
