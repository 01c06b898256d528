// The repository folder a restore replaces: where it really is (a link is followed to the folder
// it names), whether it can be moved aside by a rename (same volume: not a mount point), whether
// its volume has room, and the moving itself. Nothing here ever deletes anything.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  realpathSync,
  renameSync,
  statfsSync,
  statSync,
  chownSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatBytes } from '../../../contract/format.js';
import { ExpectedError } from '../../errors.js';
import type { Owner } from './dir-guard.js';
import { restoreTargetError } from './target-errors.js';

export interface TargetFolder {
  /** As configured. */
  configured: string;
  /** The folder itself (links followed); where the restore goes. */
  real: string;
  /** The configured path is a link to `real`. */
  viaLink: boolean;
  exists: boolean;
  /** The folder is a mount point (or on another volume than its parent): it cannot be renamed aside. */
  mountPoint: boolean;
  mode?: number;
  owner?: Owner;
}

/** Looks at the target without changing anything. Throws when it exists but is not a folder. */
export function inspectTarget(configured: string): TargetFolder {
  const abs = resolve(configured);
  const l = lstatSync(abs, { throwIfNoEntry: false });
  if (!l) return { configured: abs, real: abs, viaLink: false, exists: false, mountPoint: false };
  let real = abs;
  try {
    real = l.isSymbolicLink() ? realpathSync(abs) : abs;
  } catch (err) {
    throw restoreTargetError(err, abs);
  }
  const st = statSync(real, { throwIfNoEntry: false });
  if (!st?.isDirectory())
    throw new ExpectedError('REPOSITORY_TARGET_NOT_A_FOLDER', `${abs} exists but is not a folder.`, {
      step: 'repository',
      fix: 'Check the repository path in the profile; move that file away by hand if it does not belong there.',
      details: { path: abs },
    });
  const parent = statSync(dirname(real), { throwIfNoEntry: false });
  return {
    configured: abs,
    real,
    viaLink: real !== abs,
    exists: true,
    mountPoint: parent === undefined || parent.dev !== st.dev || dirname(real) === real,
    mode: st.mode & 0o7777,
    owner: { uid: st.uid, gid: st.gid },
  };
}

/** "20260101T120000Z": the same UTC stamp set names use. */
export function utcStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** `<folder>.<label>-<stamp>` ("before-restore"), with "-2", "-3" ... when that name is taken. */
export function asideName(
  real: string,
  now: Date,
  label = 'before-restore',
  exists: (p: string) => boolean = existsSync,
): string {
  const base = `${real}.${label}-${utcStamp(now)}`;
  let name = base;
  for (let i = 2; exists(name); i++) name = `${base}-${i}`;
  return name;
}

export function mountPointError(t: TargetFolder): ExpectedError {
  return new ExpectedError(
    'REPOSITORY_CANNOT_MOVE_ASIDE',
    `${t.real} is a mount point (its own volume or share), so it cannot be moved aside by renaming it; nothing was changed.`,
    {
      step: 'repository',
      fix: `Restore into a folder inside the mount instead (set the repository path to a subfolder Octane uses), or move the contents of ${t.real} aside by hand onto the same volume, then restore into the empty folder.`,
      details: { path: t.real },
    },
  );
}

/** Renames the folder aside on its own volume. */
export function moveAside(t: TargetFolder, aside: string): void {
  try {
    renameSync(t.real, aside);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EXDEV' || (code === 'EBUSY' && process.platform !== 'win32')) throw mountPointError(t);
    if (code === 'EBUSY' || (code === 'EPERM' && process.platform === 'win32'))
      throw new ExpectedError(
        'REPOSITORY_IN_USE',
        `${t.real} cannot be moved aside: a program still has files open in it (${code}).`,
        {
          step: 'repository',
          cause: err,
          fix: 'Stop Octane on every node (and anything else reading the repository, such as a virus scanner or an open Explorer window), then start the restore again.',
          details: { path: t.real },
        },
      );
    throw restoreTargetError(err, dirname(t.real));
  }
}

/** Creates the empty folder to restore into, with the old folder's permissions and owner. */
export function createTarget(t: TargetFolder, owner: Owner | undefined): void {
  try {
    mkdirSync(dirname(t.real), { recursive: true });
    mkdirSync(t.real, t.mode ?? 0o755);
    if (owner) chownSync(t.real, owner.uid, owner.gid);
  } catch (err) {
    throw restoreTargetError(err, t.real);
  }
}

/** Owner to give restored entries: the old folder's, when this process may set it and it differs. */
export function ownerFor(t: TargetFolder): Owner | undefined {
  if (!t.owner || process.platform === 'win32' || process.getuid?.() !== 0) return undefined;
  return t.owner.uid === 0 && t.owner.gid === 0 ? undefined : t.owner;
}

export interface SpaceCheck {
  volume: string;
  free: number;
  needed: number;
  enough: boolean;
  text: string;
}

/** Free space where `path` will be (its nearest existing ancestor) against `needed` bytes + 1 %. */
export function checkSpace(path: string, needed: number): SpaceCheck {
  let at = resolve(path);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const s = statfsSync(at);
  const free = s.bavail * s.bsize;
  const want = Math.ceil(needed * 1.01);
  const enough = free >= want;
  return {
    volume: at,
    free,
    needed,
    enough,
    text: `${formatBytes(free)} free on the volume of ${at}; the restore writes ${formatBytes(needed)}${enough ? '' : ': NOT ENOUGH'}.`,
  };
}

export function spaceError(s: SpaceCheck, where: string): ExpectedError {
  return new ExpectedError(
    'RESTORE_TARGET_TOO_SMALL',
    `Not enough space to restore into ${where}: ${formatBytes(s.free)} free, ${formatBytes(s.needed)} needed. Nothing was changed.`,
    {
      step: 'repository',
      fix: `Free at least ${formatBytes(Math.ceil(s.needed * 1.01) - s.free)} on that volume (the current folder is moved aside, not deleted, so it keeps its space), then start again.`,
      details: { volume: s.volume, free: s.free, needed: s.needed },
    },
  );
}
