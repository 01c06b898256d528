// Which snapshot method freezes this repository, and the cleanup of what a crashed run left.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SnapshotMethod } from '../../../../contract/profile.js';
import { runCommand } from '../../../os/run-command.js';
import type { Logger } from '../../../logger.js';
import { btrfsProvider, removeBtrfsLeftover } from './btrfs.js';
import type { SnapshotJournal } from './journal.js';
import { lvmProvider, removeLvmLeftover } from './lvm.js';
import type { ProviderInput, SnapshotEnv, SnapshotProvider } from './provider.js';
import { removeVssLeftover, vssProvider } from './vss.js';

export function defaultSnapshotEnv(env: NodeJS.ProcessEnv, over: Partial<SnapshotEnv> = {}): SnapshotEnv {
  return {
    platform: process.platform,
    run: runCommand,
    env,
    sleep: async (ms, signal) => {
      await sleep(ms, undefined, { signal });
    },
    ...over,
  };
}

/** auto: Volume Shadow Copy on Windows, btrfs elsewhere; LVM only when chosen. */
export function chooseProvider(method: SnapshotMethod, p: ProviderInput): SnapshotProvider {
  const m = method === 'auto' ? (p.env.platform === 'win32' ? 'vss' : 'btrfs') : method;
  if (m === 'vss') return vssProvider(p);
  if (m === 'lvm') return lvmProvider(p);
  return btrfsProvider(p);
}

/**
 * Deletes the snapshots a crashed run of this profile left (only those in its journal). What cannot
 * be deleted now stays in the journal for the next run, with a warning.
 */
export async function removeLeftovers(
  journal: SnapshotJournal,
  env: SnapshotEnv,
  log: Logger,
  warn: (message: string) => void,
): Promise<void> {
  for (const e of await journal.entries()) {
    let gone = false;
    try {
      if (e.method === 'btrfs') gone = await removeBtrfsLeftover(e.path, env);
      else if (e.method === 'vss') gone = await removeVssLeftover(e, env);
      else gone = await removeLvmLeftover(e, env);
    } catch (err) {
      log.warn(
        `Could not delete the ${e.method} snapshot ${e.id} left by ${e.setName}: ${(err as Error).message}`,
      );
    }
    if (gone) {
      await journal.remove(e.id);
      log.info(`Deleted the ${e.method} snapshot ${e.id} that the interrupted run ${e.setName} left behind.`);
    } else
      warn(
        `The ${e.method} snapshot ${e.id} left by the interrupted run ${e.setName} could not be deleted; the next run tries again. It holds disk space until it is gone.`,
      );
  }
}
