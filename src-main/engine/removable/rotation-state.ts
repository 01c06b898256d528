// What this machine remembers about a profile's rotation drives while they are away: when each was
// last seen, its last export, and when the action on connection last ran (for "not more often
// than every N hours"). Kept next to the profile's sets on the main destination, in a dot file
// that no set listing reads; written through a temporary file and a rename.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '../../contract/profile.js';
import type { ExportStatus } from '../../contract/removable.js';
import { makeDirs } from '../backup-set/make-dirs.js';
import { profileFolder } from '../backup-set/set-layout.js';

export const ROTATION_STATE_FILE = '.octane-rotation.json';

export interface RotationDriveState {
  lastSeenAt?: string;
  root?: string;
  newestSet?: { setName: string; startedAt?: string };
  lastExport?: { at: string; setName: string; status: ExportStatus; message?: string };
}

export interface RotationState {
  formatVersion: 1;
  drives: Record<string, RotationDriveState>;
  /** When the action on connection last started (ISO). */
  lastConnectedActionAt?: string;
}

export function rotationStatePath(profile: Profile): string {
  return join(profileFolder(profile.destination, profile.profile), ROTATION_STATE_FILE);
}

/** The state, or an empty one when there is none or it cannot be believed. */
export async function readRotationState(profile: Profile): Promise<RotationState> {
  try {
    const parsed = JSON.parse(await readFile(rotationStatePath(profile), 'utf8')) as Partial<RotationState>;
    if (parsed.formatVersion === 1 && typeof parsed.drives === 'object' && parsed.drives !== null)
      return parsed as RotationState;
  } catch {
    // none yet, or unreadable: start afresh
  }
  return { formatVersion: 1, drives: {} };
}

/** Reads, changes and writes the state (the last writer wins; the fields are only hints). */
export async function updateRotationState(
  profile: Profile,
  change: (s: RotationState) => void,
): Promise<RotationState> {
  const state = await readRotationState(profile);
  change(state);
  const target = rotationStatePath(profile);
  await makeDirs(profileFolder(profile.destination, profile.profile));
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { flag: 'wx' });
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return state;
}
