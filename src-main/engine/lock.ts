// One run per profile at a time. The lock file holds the owner's pid and host, and its
// modification time is a heartbeat the owner renews every minute. A lock whose heartbeat is older
// than STALE_MS is stale on any host, whatever its pid says (after a reboot the pid may belong to
// another process); on this host a lock whose process is gone is stale at once. So a crashed run
// cannot block backups forever.
import { hostname } from 'node:os';
import { link, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { destinationError } from './backup-set/fs-errors.js';
import { makeDirs } from './backup-set/make-dirs.js';
import { PRIVATE_FILE_MODE } from './backup-set/private-modes.js';
import { ExpectedError } from './errors.js';

export const STALE_MS = 10 * 60_000;
const HEARTBEAT_MS = 60_000;

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  runId: string;
}

export interface ProfileLock {
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<Partial<LockOwner> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
  } catch {
    return undefined;
  }
}

export const PROFILE_LOCK_FILE = '.octane-backup.lock';

/** Renews the lock's modification time; where a share refuses utimes, rewriting the file does it. */
async function heartbeat(path: string, owner: LockOwner): Promise<void> {
  const now = new Date();
  try {
    await utimes(path, now, now);
  } catch {
    try {
      const fh = await open(path, 'r+');
      try {
        await fh.write(JSON.stringify(owner), 0);
      } finally {
        await fh.close();
      }
    } catch {
      // The destination is gone: the run itself reports that.
    }
  }
}

/** Where runBackup keeps the lock of a profile: the profile folder of its main destination. */
export function profileLockPath(profileFolderPath: string): string {
  return join(profileFolderPath, PROFILE_LOCK_FILE);
}

export interface LockState {
  held: boolean;
  /** Run id of the holder, when readable. */
  runId?: string;
}

/**
 * Whether a lock file is held: by a live process on this host, or (other host) touched within
 * STALE_MS. An unreadable (half-written or damaged) lock counts as held for `unreadableGraceMs`.
 */
export async function readLockState(path: string, unreadableGraceMs = 5_000): Promise<LockState> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
  } catch {
    return { held: false };
  }
  const owner = await readOwner(path);
  if (!owner) return { held: Date.now() - mtimeMs <= unreadableGraceMs };
  const fresh = Date.now() - mtimeMs <= STALE_MS;
  const held =
    fresh && (owner.host !== hostname() || typeof owner.pid !== 'number' || processAlive(owner.pid));
  return typeof owner.runId === 'string' ? { held, runId: owner.runId } : { held };
}

async function isStale(path: string): Promise<boolean> {
  return !(await readLockState(path)).held;
}

export async function acquireProfileLock(path: string, runId: string, profile: string): Promise<ProfileLock> {
  // The lock lives on the destination: a destination that is missing, a file, read-only or full
  // is said in plain words here, before anything else is tried.
  await makeDirs(dirname(path)).catch((err: unknown) => {
    throw destinationError(err, dirname(path));
  });
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), runId };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx', PRIVATE_FILE_MODE);
      try {
        await fh.writeFile(JSON.stringify(owner));
        await fh.close();
      } catch (err) {
        // Created but not written (a full disk): never leave an empty lock behind.
        await fh.close().catch(() => undefined);
        await rm(path, { force: true }).catch(() => undefined);
        throw err;
      }
      const timer = setInterval(() => void heartbeat(path, owner), HEARTBEAT_MS);
      timer.unref();
      return {
        // Never throws: a destination that vanished during the run takes its lock with it.
        release: async () => {
          clearInterval(timer);
          // Only our own lock: if it was taken over (we looked dead), the new owner keeps it.
          try {
            const current = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
            if (current.runId !== runId) return;
            await rm(path, { force: true });
          } catch {
            return;
          }
        },
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw destinationError(err, path);
      if (attempt === 0 && (await isStale(path))) {
        const judged = await readOwner(path);
        // Move the stale lock aside under a unique name, then check that what moved is the lock
        // we judged: if another run replaced it in between, put that fresh lock back (link fails
        // when yet another lock exists) instead of deleting it.
        const aside = `${path}.stale-${process.pid}-${runId}`;
        try {
          await rename(path, aside);
          const moved = await readOwner(aside);
          if (moved?.runId !== judged?.runId) await link(aside, path).catch(() => undefined);
          await rm(aside, { force: true });
        } catch {
          // Someone else moved it first: try to create once more and lose cleanly if they won.
        }
        continue;
      }
      let detail = '';
      try {
        const o = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
        detail = ` (process ${o.pid} on ${o.host}, started ${o.startedAt})`;
      } catch {
        /* the owner may be writing it right now */
      }
      throw new ExpectedError('PROFILE_BUSY', `Another backup of profile "${profile}" is running${detail}.`, {
        step: 'run',
        fix: `Wait for it to finish, or if no backup is running, delete the lock file ${path}.`,
      });
    }
  }
  throw new ExpectedError('PROFILE_BUSY', `Could not take the lock ${path}.`, { step: 'run' });
}
