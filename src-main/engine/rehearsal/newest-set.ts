// "Rehearse the newest good set" (rehearse --newest, the weekly scheduled rehearsal): picked from
// the profile's own set listing over every destination it writes to, with the same notion of a
// usable set as retention (every component the profile configures succeeded with files, no
// verification found damage, not being written now), and whose run finished well.
import { plural } from '../../contract/format.js';
import type { Profile } from '../../contract/profile.js';
import { ExpectedError } from '../errors.js';
import type { RetentionCandidate } from '../retention/plan-retention.js';
import { scanProfileSets } from '../retention/scan-sets.js';

export interface NewestSet {
  setName: string;
  /** The set folder (on the main destination when the profile writes to several). */
  path: string;
  startedAt?: string;
}

/** The newest usable set of the profile; an ExpectedError (NO_USABLE_SET) when there is none. */
export async function newestUsableSet(profile: Profile): Promise<NewestSet> {
  const scan = await scanProfileSets(profile);
  // Retention keeps a failed run's set when every configured store succeeded; a rehearsal on
  // schedule proves the newest set that also finished well.
  const finishedWell = (c: RetentionCandidate): boolean =>
    c.status === 'succeeded' || c.status === 'succeeded-with-warnings';
  const pick = scan.sets
    .map((s) => s.candidate)
    .find((c) => c.usable && c.running !== true && finishedWell(c));
  if (!pick) {
    const others = scan.sets.length;
    throw new ExpectedError(
      'NO_USABLE_SET',
      `The profile "${profile.profile}" has no usable set to rehearse${others > 0 ? ` (${plural(others, 'set')} found, none complete, undamaged and finished)` : ' (no sets found on its destinations)'}.`,
      {
        step: 'rehearsal',
        fix: 'Run a backup of the profile (octane-backup run --config <file>) and rehearse once it has finished well.',
        ...(scan.problems.length > 0 && { details: { problems: scan.problems } }),
      },
    );
  }
  return {
    setName: pick.setName,
    path: pick.path,
    ...(pick.startedAt !== undefined && { startedAt: pick.startedAt }),
  };
}
