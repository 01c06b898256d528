// "Delete this set" for a set that is not a usable backup (interrupted, cancelled, failed, found
// damaged): the window offers it after a confirmation. A usable set is never deleted this way —
// retention decides about those and always keeps the newest good ones. Deleting goes through the
// prune's own path (re-checked just before: still ours, of this profile, not pinned, not being
// written; every copy renamed aside first, then removed), so an interrupted delete never leaves a
// set that claims to be complete.
import type { Profile } from '../../contract/profile.js';
import { ExpectedError } from '../errors.js';
import { executePrune, planPrune, type PruneOutcome } from '../retention/prune.js';

export type DeleteSetOutcome = Pick<PruneOutcome, 'deleted' | 'failed' | 'skipped'>;

export async function deleteUnusableSet(
  profile: Profile,
  setName: string,
  opts: { now?: Date } = {},
): Promise<DeleteSetOutcome> {
  const plan = await planPrune(profile, opts.now ?? new Date());
  const entry = plan.entries.find((e) => e.setName === setName);
  const where = (e: typeof entry): string => e?.copies.map((c) => c.path).join(', ') ?? '';
  if (!entry)
    throw new ExpectedError('SET_NOT_FOUND', `There is no set "${setName}" of "${profile.profile}".`, {
      step: 'retention',
      fix: 'Refresh History: the set may have been deleted or its drive disconnected.',
    });
  if (entry.usable)
    throw new ExpectedError('SET_USABLE', `${setName} is a usable backup, so it is not deleted from here.`, {
      step: 'retention',
      fix: 'Old usable sets are removed by retention (Profiles → Retention), which always keeps the newest good ones.',
    });
  if (entry.code === 'running')
    throw new ExpectedError('SET_RUNNING', `${setName} is being written by a run right now.`, {
      step: 'retention',
      fix: 'Cancel the run or wait for it to end, then delete the set.',
    });
  if (entry.pinned)
    throw new ExpectedError(
      'SET_PINNED',
      `${setName} is a pinned pre-upgrade set: the app never deletes it.`,
      {
        step: 'retention',
        fix: `If you are sure it is not needed, delete its folder by hand: ${where(entry)}.`,
      },
    );
  const notOurs = entry.copies.filter((c) => !c.owned);
  if (notOurs.length > 0)
    throw new ExpectedError(
      'SET_NOT_OURS',
      `${setName} cannot be recognised as a set of this tool (its manifest cannot be read), so the app does not delete it.`,
      {
        step: 'retention',
        fix: `If you are sure it is yours, delete the folder by hand: ${notOurs.map((c) => c.path).join(', ')}.`,
      },
    );
  const outcome = await executePrune(profile, { ...plan, toDelete: [entry], bytesToFree: entry.bytes });
  if (outcome.deleted.length === 0 && outcome.failed.length === 0)
    throw new ExpectedError(
      'SET_NOT_DELETED',
      `${setName} was not deleted: ${outcome.skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')}.`,
      { step: 'retention', fix: 'Refresh History and look at the set again.' },
    );
  return { deleted: outcome.deleted, failed: outcome.failed, skipped: outcome.skipped };
}
