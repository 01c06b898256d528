// `octane-backup prune --config <file> [--dry-run] [--json]`: applies the profile's retention
// rules on every destination it writes to. --dry-run shows exactly what would go and why.
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import type { PrunePlan } from '../../engine/retention/prune.js';
import { applyRetention, planRetention } from '../../engine/use-cases/retention.js';
import { formatBytes } from '../../contract/format.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export async function pruneCommand(argv: string[], io: CliIo, deps: { now?: Date } = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const profile = await loadConfig(values.config, io);
  const now = deps.now ?? new Date();
  const plan = await planRetention(profile, now);
  const dry = values['dry-run'];
  if (dry) {
    if (values.json) io.out(JSON.stringify({ dryRun: true, plan }));
    else printPlan(io, plan, true, profile.retention === undefined);
    return EXIT_CODES.success;
  }
  if (!values.json) printPlan(io, plan, false, profile.retention === undefined);
  // What was printed is what may go; the use-case re-plans and keeps anything that changed since.
  const outcome = await applyRetention(profile, {
    now,
    confirmed: plan.toDelete.map((e) => e.setName),
    signal: io.signal,
    onDeleted: (p) => {
      if (!values.json) io.out(`Deleted ${p}`);
    },
  });
  if (values.json)
    io.out(
      JSON.stringify({
        dryRun: false,
        plan,
        deleted: outcome.deleted,
        failed: outcome.failed,
        skipped: outcome.skipped,
      }),
    );
  else {
    for (const s of outcome.skipped) io.out(`Left ${s.path}: ${s.reason}.`);
    for (const f of outcome.failed) io.err(`Could not delete ${f.path}: ${f.error}`);
    io.out(`Deleted ${outcome.deleted.length} set folder(s); ${outcome.failed.length} failed.`);
  }
  if (io.signal.aborted) return EXIT_CODES.cancelled;
  return outcome.failed.length > 0 ? EXIT_CODES.failed : EXIT_CODES.success;
}

function printPlan(io: CliIo, plan: PrunePlan, dry: boolean, noRetention: boolean): void {
  if (noRetention)
    io.out(
      'The profile has no "retention" section: complete sets are all kept; only incomplete sets older than a day go.',
    );
  if (plan.entries.length === 0) io.out(`No backup sets of profile "${plan.profile}" were found.`);
  for (const e of plan.entries) {
    const what = e.action === 'delete' ? (dry ? 'WOULD DELETE' : 'DELETE') : 'keep';
    io.out(`${what.padEnd(13)}${e.setName}${e.label ? `  "${e.label}"` : ''}  ${formatBytes(e.bytes)}`);
    io.out(`${''.padEnd(13)}${e.reason}`);
    if (e.action === 'delete')
      for (const c of e.copies)
        io.out(`${''.padEnd(13)}- ${c.path}${c.owned ? '' : ' (not ours: left alone)'}`);
  }
  for (const p of plan.problems) io.out(`Note: ${p}`);
  io.out(
    `${dry ? 'Dry run: ' : ''}${plan.toDelete.length} of ${plan.entries.length} set(s) ${dry ? 'would be' : 'will be'} deleted, freeing about ${formatBytes(plan.bytesToFree)}.`,
  );
}
