// `octane-backup list <destination> [--profile name] [--json]`
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { rehearsalWords, type SetSummary } from '../../contract/sets.js';
import { listSets } from '../../engine/backup-set/list-sets.js';
import { ExpectedError } from '../../engine/errors.js';
import { CliError } from '../cli-error.js';
import { formatBytes, formatDuration } from '../../contract/format.js';
import { setStateWord } from '../../contract/words.js';
import type { CliIo } from '../io.js';

async function readSets(dest: string, profile: string | undefined): Promise<SetSummary[]> {
  try {
    return await listSets(dest, profile !== undefined ? { profile } : {});
  } catch (err) {
    if (err instanceof ExpectedError)
      throw new CliError(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    throw err;
  }
}

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
  const sets = await readSets(dest, values.profile);
  // An empty folder is what an unmounted drive or share looks like: never "no sets" and exit 0.
  if (sets.length === 0 && (await readdir(resolve(dest))).length === 0)
    throw new CliError(
      `The destination ${resolve(dest)} is an empty folder: no backup was ever written there, or its drive or share is not mounted.\nFix: mount the backup drive or share, or check the path.`,
    );
  if (values.json) {
    io.out(JSON.stringify(sets.map(({ manifest: _m, ...s }) => s)));
    return EXIT_CODES.success;
  }
  if (sets.length === 0) {
    io.out(`No backup sets${values.profile ? ` of profile "${values.profile}"` : ''} found under ${dest}.`);
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
    io.out(
      [
        setStateWord(s).padEnd(36),
        (s.kind ?? '?').padEnd(12),
        (s.startedAt?.slice(0, 19).replace('T', ' ') ?? '?').padEnd(21),
        formatBytes(s.bytes).padStart(10),
        `  ${s.skewSeconds !== undefined ? `${s.skewSeconds.toFixed(s.skewSeconds < 10 ? 1 : 0)}s${s.withinTolerance === false ? '!' : ''}` : '-'}`.padEnd(
          8,
        ),
        `${s.path}${s.pinned ? '  [pinned]' : ''}${s.label ? `  "${s.label}"` : ''}`,
      ].join(''),
    );
    if (s.status === 'unreadable' && s.problem) io.out(`${''.padEnd(36)}${s.problem}`);
    if (s.rehearsal)
      io.out(
        `${''.padEnd(36)}${rehearsalWords(s.rehearsal, (iso) => iso.slice(0, 19).replace('T', ' '), formatDuration)}${s.rehearsal.problems[0] ? ` — ${s.rehearsal.problems[0]}` : ''}`,
      );
    if (s.damaged && s.verification)
      io.out(
        `${''.padEnd(36)}verify on ${s.verification.at} (${s.verification.checkedPath}): ${s.verification.problems[0] ?? 'damaged'}`,
      );
  }
  return EXIT_CODES.success;
}
