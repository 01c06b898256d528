// The set folders of one run: created (each by this run and no other), marked "in progress", and
// checked at the end to be the very folders created. A drive unplugged or remounted mid-run (or a
// lazy unmount, after which the same path names an empty mount point) must never leave a set that
// claims to be complete: a folder that vanished or was replaced fails the run.
import { hostname } from 'node:os';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../backup-set/private-modes.js';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import { destinationError } from '../backup-set/fs-errors.js';
import { makeDirs } from '../backup-set/make-dirs.js';
import { ExpectedError } from '../errors.js';

export interface FolderIdentity {
  root: string;
  dev: number;
  ino: number;
}

function markerText(setId: string, startedAt: Date): string {
  return (
    `This backup set is being written or was interrupted (run ${setId}, started ${startedAt.toISOString()} on ${hostname()}).\r\n` +
    'It is NOT a complete backup while this file exists.\r\n'
  );
}

/**
 * Creates every set folder (its parents as needed; the folder itself must be new) with the marker.
 * On failure, removes the folders it created and throws the destination's error in plain words.
 */
export async function createSetFolders(
  roots: string[],
  setId: string,
  startedAt: Date,
): Promise<FolderIdentity[]> {
  const made: FolderIdentity[] = [];
  try {
    for (const root of roots) {
      try {
        await makeDirs(dirname(root));
        await mkdir(root, { mode: PRIVATE_DIR_MODE });
        const s = await stat(root);
        made.push({ root, dev: s.dev, ino: s.ino });
        const fh = await open(join(root, IN_PROGRESS_MARKER), 'wx', PRIVATE_FILE_MODE);
        try {
          await fh.writeFile(markerText(setId, startedAt));
        } finally {
          await fh.close();
        }
      } catch (err) {
        throw destinationError(err, root);
      }
    }
  } catch (err) {
    await removeSetFolders(made);
    throw err;
  }
  return made;
}

/** Undoes createSetFolders when the run cannot start after all (nothing of value was written yet). */
export async function removeSetFolders(made: FolderIdentity[]): Promise<void> {
  for (const m of made) {
    const s = await stat(m.root).catch(() => undefined);
    if (s && s.dev === m.dev && s.ino === m.ino)
      await rm(m.root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Whether each set folder is still the one this run created, with its marker: the error to fail
 * the run with when one is not.
 */
export async function checkSetFolders(made: FolderIdentity[]): Promise<ExpectedError | undefined> {
  for (const m of made) {
    let s;
    try {
      s = await stat(m.root);
      await stat(join(m.root, IN_PROGRESS_MARKER));
    } catch (err) {
      return destinationError(err, m.root);
    }
    if (s.dev !== m.dev || s.ino !== m.ino)
      return new ExpectedError(
        'DESTINATION_REPLACED',
        `The set folder ${m.root} is no longer the folder this run created: its drive was unplugged, remounted or replaced during the run.`,
        {
          step: 'run',
          fix: 'Check the drive or share (and that nothing remounts it during backups), then run the backup again.',
          details: { path: m.root },
        },
      );
  }
  return undefined;
}
