// Collects a profile's sets from every destination it writes to (per-component destinations hold
// their own copy of each set folder), judges whether each is usable for this profile, and finds
// out which one is being written now.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import { COMPONENT_IDS, type ComponentId, type Profile } from '../../contract/profile.js';
import { holdsComponents, type SetSummary } from '../../contract/sets.js';
import { mergeCopies, summarize } from '../backup-set/list-sets.js';
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
  /** Destinations that could not be read (their copies stay until the next prune), name clashes. */
  problems: string[];
  lock: LockState;
  /** Profiles whose names differ from this one only in case and whose sets share its folder. */
  clashes: string[];
}

/** Same rules as runBackup's lock; a damaged lock counts as held while fresh (keeps every marked set). */
export async function readProfileLock(profile: Profile): Promise<LockState> {
  return readLockState(profileLockPath(profileFolder(profile.destination, profile.profile)), STALE_MS);
}

/** The components this profile takes: a usable set holds every one of them. */
export function takenComponents(profile: Profile): ComponentId[] {
  return COMPONENT_IDS.filter((id) => profile[id] !== undefined);
}

async function setFolders(folder: string, problems: string[]): Promise<string[] | undefined> {
  try {
    return (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && SET_NAME_PATTERN.test(e.name))
      .map((e) => e.name);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ENOENT')
      problems.push(
        `Cannot read ${folder} (${code ?? (err as Error).message}); its copies are left for the next prune.`,
      );
    return undefined;
  }
}

export async function scanProfileSets(profile: Profile): Promise<ScanResult> {
  const problems: string[] = [];
  const byName = new Map<string, { copies: SetCopy[]; summaries: (SetSummary & { hasMarker: boolean })[] }>();
  for (const dest of profileDestinations(profile)) {
    const folder = profileFolder(dest, profile.profile);
    for (const name of (await setFolders(folder, problems)) ?? []) {
      const path = join(folder, name);
      const hasMarker = await pathExists(join(path, IN_PROGRESS_MARKER));
      const summary = { ...(await summarize(path, profile.profile)), hasMarker };
      const entry = byName.get(name) ?? { copies: [], summaries: [] };
      entry.copies.push({ path, destination: dest, hasMarker, owned: isOwnSet(summary) });
      entry.summaries.push(summary);
      byName.set(name, entry);
    }
  }
  const lock = await readProfileLock(profile);
  const taken = takenComponents(profile);
  const sets: ScannedSet[] = [];
  const clashes = new Set<string>();
  for (const [name, { copies, summaries }] of byName) {
    const merged = mergeCopies(summaries);
    if (!merged) continue;
    const hasMarker = summaries.some((s) => s.hasMarker);
    const candidate: RetentionCandidate = {
      ...merged,
      hasMarker,
      bytes: summaries.reduce((a, s) => a + s.bytes, 0),
      usable:
        !hasMarker &&
        merged.status !== 'unreadable' &&
        merged.status !== 'incomplete' &&
        merged.damaged !== true &&
        summaries.every((s) => s.manifest !== undefined && holdsComponents(s.manifest, taken)),
    };
    if (merged.profile !== profile.profile && merged.profile.toLowerCase() === profile.profile.toLowerCase())
      clashes.add(merged.profile);
    if (hasMarker && lock.held && (lock.runId === undefined || name.endsWith(`-${lock.runId.slice(0, 8)}`)))
      candidate.running = true;
    sets.push({ candidate, copies });
  }
  for (const other of clashes)
    problems.push(
      `Sets of profile "${other}" share the folder of "${profile.profile}": names that differ only in case are one folder on Windows (NTFS), FAT32 and exFAT drives. Retention deletes nothing here until one profile is renamed.`,
    );
  sets.sort((a, b) => b.candidate.setName.localeCompare(a.candidate.setName));
  return { sets, problems, lock, clashes: [...clashes] };
}
