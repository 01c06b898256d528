// `octane-backup rehearse <set folder> --config <file> [--scratch <folder>] [--json]`: restores the
// set onto scratch targets (never the live installation), checks what came back, removes it and
// records the result in the set. `--newest` instead of a set folder takes the profile's newest
// usable set (the weekly scheduled rehearsal; exit 2 when the profile has none). `--cleanup` removes only what crashed rehearsals of the set
// journaled. Exit codes: 0 passed (cleanup: nothing left), 1 failed (cleanup: something could
// not be removed), 2 bad input or a refused target, 130 cancelled.
import { parseArgs } from 'node:util';
import { EXIT_CODES, type ErrorInfo } from '../../contract/errors.js';
import { formatDuration } from '../../contract/format.js';
import type { RestoreEvent } from '../../contract/restore-run.js';
import type { Profile } from '../../contract/profile.js';
import type { RehearsalRecord } from '../../contract/sets.js';
import { ConfigError } from '../../engine/config/validate-profile.js';
import { ExpectedError, toErrorInfo } from '../../engine/errors.js';
import type { RehearsalCleanup } from '../../engine/rehearsal/cleanup.js';
import { newestUsableSet } from '../../engine/rehearsal/newest-set.js';
import {
  cleanupRehearsals,
  rehearseSet,
  type RehearseDeps,
  type RehearseOutcome,
} from '../../engine/use-cases/rehearse-set.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export const REHEARSE_USAGE =
  'rehearse <set folder> | --newest --config <file> [--scratch <folder>] [--cleanup] [--json]';

function args(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      scratch: { type: 'string' },
      cleanup: { type: 'boolean', default: false },
      newest: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const setPath = positionals[0];
  if (values.newest && positionals.length > 0)
    throw new CliError('rehearse takes either a set folder or --newest, not both.');
  if (!values.newest && (!setPath || positionals.length > 1))
    throw new CliError(
      'rehearse takes exactly one set folder (the one holding manifest.json) or --newest, then --config <file>.',
    );
  return { ...values, setPath };
}

export async function rehearseCommand(argv: string[], io: CliIo, deps: RehearseDeps = {}): Promise<number> {
  const a = args(argv);
  const profile = await loadConfig(a.config, io);
  try {
    const setPath = a.setPath ?? (await chooseNewest(io, profile, a.json));
    const base = { setPath, profile, signal: io.signal };
    if (a.cleanup) {
      const c = await cleanupRehearsals(base, deps);
      if (a.json) io.out(JSON.stringify({ type: 'cleanup-finished', ...c }));
      else printCleanup(io, c);
      return c.failed.length > 0 ? EXIT_CODES.failed : EXIT_CODES.success;
    }
    const outcome = await rehearseSet(
      {
        ...base,
        ...(a.scratch !== undefined && { scratchDir: a.scratch }),
        onEvent: a.json ? (e) => io.out(JSON.stringify(e)) : (e) => printEvent(io, e),
      },
      deps,
    );
    if (a.json) io.out(JSON.stringify({ type: 'rehearsal-finished', ...outcome }));
    else printOutcome(io, outcome);
    const result = outcome.record.result;
    return result === 'passed'
      ? EXIT_CODES.success
      : result === 'cancelled'
        ? EXIT_CODES.cancelled
        : EXIT_CODES.failed;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    if (err instanceof ExpectedError) return failed(io, a.json, toErrorInfo(err, { where: 'rehearsal' }));
    throw err;
  }
}

async function chooseNewest(io: CliIo, profile: Profile, json: boolean): Promise<string> {
  const set = await newestUsableSet(profile);
  if (json) io.out(JSON.stringify({ type: 'set-chosen', setName: set.setName, setPath: set.path }));
  else io.out(`Rehearsing the newest usable set of profile "${profile.profile}": ${set.path}`);
  return set.path;
}

function failed(io: CliIo, json: boolean, e: ErrorInfo): number {
  if (json) io.out(JSON.stringify({ type: 'error', error: e }));
  else io.err(`Not rehearsed: ${e.message}${e.fix ? `\nFix: ${e.fix}` : ''}`);
  return EXIT_CODES.badInput;
}

function printEvent(io: CliIo, e: RestoreEvent): void {
  if (e.type === 'stage-started') io.out(`${e.title}: rehearsing onto a scratch target…`);
  if (e.type === 'stage-finished')
    io.out(`  ${e.status}${e.durationMs !== undefined ? ` in ${formatDuration(e.durationMs / 1000)}` : ''}`);
  if (e.type === 'stage-warning') io.err(`  WARN ${e.message}`);
}

function printCleanup(io: CliIo, c: RehearsalCleanup): void {
  if (c.journals.length === 0) {
    io.out('No rehearsal left anything behind: nothing to remove.');
    return;
  }
  io.out(`Leftovers of ${c.journals.length} unfinished rehearsal(s), from their journals:`);
  for (const r of c.removed) io.out(`  removed  ${r}`);
  for (const r of c.absent) io.out(`  gone     ${r} (already removed)`);
  for (const f of c.failed) io.err(`  LEFT     ${f.name}: ${f.message}`);
  if (c.skippedLines > 0) io.err(`  ${c.skippedLines} journal line(s) could not be read and were ignored.`);
}

export function printRecord(io: CliIo, r: RehearsalRecord): void {
  const head = { passed: 'PASSED', failed: 'FAILED', cancelled: 'CANCELLED' }[r.result];
  io.out(`Rehearsal ${head} in ${formatDuration(r.durationMs / 1000)} (measured time to get this set back).`);
  for (const s of r.stores) {
    io.out(
      `  ${s.id}: ${s.status}${s.durationMs !== undefined ? ` in ${formatDuration(s.durationMs / 1000)}` : ''}${s.problem ? ` — ${s.problem}` : ''}`,
    );
    for (const line of s.checked.slice(0, 20)) io.out(`      ${line}`);
  }
  for (const p of r.problems) io.err(`  PROBLEM ${p}`);
  for (const l of r.leftovers) io.err(`  LEFT ${l}`);
}

function printOutcome(io: CliIo, o: RehearseOutcome): void {
  if (o.earlier.journals.length > 0) printCleanup(io, o.earlier);
  printRecord(io, o.record);
  if (o.recordPath) io.out(`Recorded in ${o.recordPath}.`);
  for (const n of o.notes) io.err(n);
}
