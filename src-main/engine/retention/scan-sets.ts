// Collects a profile's sets from every destination it writes to (per-component destinations
// hold their own copy of each set folder) and finds out which one is being written now.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import type { Profile } from '../../contract/profile.js';
import { summarize } from '../backup-set/list-sets.js';
import { profileDestinations, profileFolder, SET_NAME_PATTERN } from '../backup-set/set-layout.js';
import { profileLockPath, readLockState, STALE_MS, type LockState } from '../lock.js';
export { PROFILE_LOCK_FILE, type LockState } from '../lock.js';
import { isOwnSet, type RetentionCandidate } from './plan-retention.js';
import { pathExists } from '../path-exists.js';

export interface SetCopy {
  /** The set folder on this destination. */
  path: string;
  destination: string;
  hasMarker: boolean;
  /** Name pattern and our manifest or marker: the only folders a prune may delete. */
  owned: boolean;
}

export interface ScannedSet {
  candidate: RetentionCandidate;
  copies: SetCopy[];
}

export interface ScanResult {
  sets: ScannedSet[];
  /** Destinations that could not be read (their copies stay until the next prune). */
  problems: string[];
  lock: LockState;
}

/** Same rules as runBackup's lock; a damaged lock counts as held while fresh (keeps every marked set). */
export async function readProfileLock(profile: Profile): Promise<LockState> {
  return readLockState(profileLockPath(profileFolder(profile.destination, profile.profile)), STALE_MS);
}

export async function scanProfileSets(profile: Profile): Promise<ScanResult> {
  const problems: string[] = [];
  const byName = new Map<string, { copies: SetCopy[]; summaries: RetentionCandidate[] }>();
  for (const dest of profileDestinations(profile)) {
    const folder = profileFolder(dest, profile.profile);
    let names: string[];
    try {
      names = (await readdir(folder, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && SET_NAME_PATTERN.test(e.name))
        .map((e) => e.name);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOENT')
        problems.push(
          `Cannot read ${folder} (${code ?? (err as Error).message}); its copies are left for the next prune.`,
        );
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      const hasMarker = await pathExists(join(path, IN_PROGRESS_MARKER));
      const summary: RetentionCandidate = { ...(await summarize(path, profile.profile)), hasMarker };
      const entry = byName.get(name) ?? { copies: [], summaries: [] };
      entry.copies.push({ path, destination: dest, hasMarker, owned: isOwnSet(summary) });
      entry.summaries.push(summary);
      byName.set(name, entry);
    }
  }
  const lock = await readProfileLock(profile);
  const sets: ScannedSet[] = [];
  for (const [name, { copies, summaries }] of byName) {
    // One decision per set: the main destination's copy speaks for it when present, and any
    // copy that is incomplete makes the whole set incomplete.
    const main = summaries.find((s) => s.manifest) ?? summaries[0];
    if (!main) continue;
    const candidate: RetentionCandidate = { ...main, hasMarker: summaries.some((s) => s.hasMarker) };
    if (summaries.some((s) => !s.complete)) {
      candidate.complete = false;
      if (candidate.status !== 'failed' && candidate.status !== 'cancelled') candidate.status = 'incomplete';
    }
    candidate.pinned = summaries.some((s) => s.pinned);
    candidate.bytes = summaries.reduce((a, s) => a + s.bytes, 0);
    if (
      candidate.hasMarker &&
      lock.held &&
      (lock.runId === undefined || name.endsWith(`-${lock.runId.slice(0, 8)}`))
    )
      candidate.running = true;
    sets.push({ candidate, copies });
  }
  sets.sort((a, b) => b.candidate.setName.localeCompare(a.candidate.setName));
  return { sets, problems, lock };
}
