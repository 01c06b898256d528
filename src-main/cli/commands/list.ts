// `octane-backup list <destination> [--profile name] [--json]`
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { listSets } from '../../engine/backup-set/list-sets.js';
import { CliError } from '../cli-error.js';
import { formatBytes } from '../../contract/format.js';
import type { CliIo } from '../io.js';

export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, profile: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const dest = positionals[0];
  if (!dest || positionals.length > 1)
    throw new CliError('list takes exactly one argument: the destination folder.');
  const opts: { profile?: string } = {};
  if (values.profile !== undefined) opts.profile = values.profile;
  const sets = await listSets(dest, opts);
  if (values.json) {
    io.out(JSON.stringify(sets.map(({ manifest: _m, ...s }) => s)));
    return EXIT_CODES.success;
  }
  if (sets.length === 0) {
    io.out(`No backup sets found under ${dest}.`);
    return EXIT_CODES.success;
  }
  io.out(
    [
      'STATUS'.padEnd(36),
      'KIND'.padEnd(12),
      'STARTED (UTC)'.padEnd(21),
      'SIZE'.padStart(10),
      '  WINDOW',
      '  SET',
    ].join(''),
  );
  for (const s of sets) {
    const status = s.complete
      ? s.status
      : s.status === 'incomplete'
        ? 'INCOMPLETE'
        : `${s.status} (not full)`;
    io.out(
      [
        status.padEnd(36),
        (s.kind ?? '?').padEnd(12),
        (s.startedAt?.slice(0, 19).replace('T', ' ') ?? '?').padEnd(21),
        formatBytes(s.bytes).padStart(10),
        `  ${s.skewSeconds !== undefined ? `${s.skewSeconds.toFixed(s.skewSeconds < 10 ? 1 : 0)}s${s.withinTolerance === false ? '!' : ''}` : '-'}`.padEnd(
          8,
        ),
        `${s.path}${s.pinned ? '  [pinned]' : ''}${s.label ? `  "${s.label}"` : ''}`,
      ].join(''),
    );
  }
  return EXIT_CODES.success;
}
