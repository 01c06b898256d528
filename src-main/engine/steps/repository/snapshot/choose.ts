// Which snapshot method freezes this repository, and the cleanup of what a crashed run left.
import { basename, dirname, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SnapshotMethod } from '../../../../contract/profile.js';
import { runCommand } from '../../../os/run-command.js';
import type { Logger } from '../../../logger.js';
import { btrfsProvider, DEFAULT_BTRFS_DIR, removeBtrfsLeftover } from './btrfs.js';
import type { JournalEntry, SnapshotJournal } from './journal.js';
import { DEFAULT_LVM_MOUNT_DIR, lvmProvider, removeLvmLeftover } from './lvm.js';
import type { ProviderInput, SnapshotEnv, SnapshotProvider } from './provider.js';
import { removeVssLeftover, vssLinkOf, vssProvider } from './vss.js';

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

/** Our btrfs and LVM snapshots' names: "octane-backup-" and the name of the set that made them. */
const OUR_NAME = /^octane-backup-\d{8}T\d{6}Z-(manual|scheduled|pre-upgrade)-[0-9a-f]{8}$/;
const VG_NAME = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/;

/**
 * Why a journal entry is not a snapshot this tool made, or undefined when it is. The journal lies
 * on the destination, which others may write (a share, a USB drive): an entry is believed only
 * when its name and place are the ones a run of this profile gives its snapshots, so that a
 * planted entry can never make a run delete someone else's subvolume, logical volume or folder.
 */
export function foreignLeftover(
  e: JournalEntry,
  where: { snapshotDir: string | undefined; env: SnapshotEnv },
): string | undefined {
  if (e.method === 'btrfs') {
    if (!OUR_NAME.test(e.id) || !isAbsolute(e.path) || basename(e.path) !== e.id)
      return `${e.path} is not named as this tool names its snapshots`;
    const folder = dirname(e.path);
    if (folder !== where.snapshotDir && basename(folder) !== DEFAULT_BTRFS_DIR)
      return `${e.path} is not in a snapshot folder of this profile`;
    return undefined;
  }
  if (e.method === 'lvm') {
    if (!OUR_NAME.test(e.lv) || e.lv !== e.id || !VG_NAME.test(e.vg))
      return `${e.vg}/${e.lv} is not named as this tool names its snapshots`;
    if (e.mountDir !== join(where.snapshotDir ?? DEFAULT_LVM_MOUNT_DIR, e.lv))
      return `${e.mountDir} is not where this profile mounts its snapshots`;
    return undefined;
  }
  if (e.link !== undefined && e.link !== vssLinkOf(where.env, e.id))
    return `${e.link} is not where this tool links its shadow copies`;
  return undefined;
}

/**
 * Deletes the snapshots a crashed run of this profile left (only those in its journal, and only
 * those named and placed as ours). What cannot be deleted now stays in the journal for the next
 * run, with a warning; an entry that is not ours is dropped from the journal, untouched, with a
 * warning.
 */
export async function removeLeftovers(
  journal: SnapshotJournal,
  env: SnapshotEnv,
  log: Logger,
  warn: (message: string) => void,
  snapshotDir?: string,
): Promise<void> {
  for (const e of await journal.entries()) {
    const foreign = foreignLeftover(e, { snapshotDir, env });
    if (foreign !== undefined) {
      await journal.remove(e.id);
      warn(
        `The snapshot journal ${journal.file} names a ${e.method} snapshot ${e.id} that this tool did not make (${foreign}); it was left alone and dropped from the journal. If a crashed run did make it (e.g. before snapshotDir changed), delete it by hand.`,
      );
      continue;
    }
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
