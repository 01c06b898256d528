// `octane-backup preflight --config <file> [--json]`
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { runPreflight } from '../../engine/preflight/run-preflight.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';

export async function preflightCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.config) throw new CliError('--config <file> is required.');
  let json: unknown;
  try {
    json = JSON.parse((await readFile(resolve(values.config), 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CliError(`Cannot read ${values.config} as JSON: ${(err as Error).message}`);
  }
  const report = await runPreflight(json, { signal: io.signal });
  if (values.json) io.out(JSON.stringify(report));
  else {
    for (const c of report.checks) {
      io.out(
        `${c.status === 'ok' ? '[ ok ]' : c.status === 'warning' ? '[warn]' : '[FAIL]'} ${c.title}: ${c.message}`,
      );
      if (c.fix && c.status !== 'ok') io.out(`       fix: ${c.fix}`);
    }
    io.out(
      report.ok
        ? 'Preflight passed.'
        : 'Preflight FAILED: fix the items marked FAIL before running a backup.',
    );
  }
  if (report.checks.some((c) => c.component === 'profile' && c.status === 'failed'))
    return EXIT_CODES.badInput;
  return report.ok ? EXIT_CODES.success : EXIT_CODES.failed;
}
