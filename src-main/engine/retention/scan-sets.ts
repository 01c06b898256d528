// Collects a profile's sets from every destination it writes to (per-component destinations
// hold their own copy of each set folder) and finds out which one is being written now.
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import type { Profile } from '../../contract/profile.js';
import { summarize } from '../backup-set/list-sets.js';
import { profileFolder, SET_NAME_PATTERN } from '../backup-set/set-layout.js';
import { STALE_MS } from '../lock.js';
import { isOwnSet, type RetentionCandidate } from './plan-retention.js';

/** The lock runBackup holds in the profile folder of the main destination. */
export const PROFILE_LOCK_FILE = '.octane-backup.lock';

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

export interface LockState {
  held: boolean;
  /** Run id of the holder, when readable. */
  runId?: string;
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

export function profileDestinations(profile: Profile): string[] {
  return [
    ...new Set(
      [profile.destination, ...Object.values(profile.destinations ?? {})]
        .filter((d): d is string => !!d)
        .map((d) => resolve(d)),
    ),
  ];
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Same rules as engine/lock.ts: a lock is live when its process lives (same host) or it was touched recently. */
export async function readProfileLock(profile: Profile): Promise<LockState> {
  const path = join(profileFolder(profile.destination, profile.profile), PROFILE_LOCK_FILE);
  let st;
  try {
    st = await stat(path);
  } catch {
    return { held: false };
  }
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as {
      pid?: unknown;
      host?: unknown;
      runId?: unknown;
    };
    const runId = typeof owner.runId === 'string' ? owner.runId : undefined;
    const held =
      owner.host === hostname() && typeof owner.pid === 'number'
        ? pidAlive(owner.pid)
        : Date.now() - st.mtimeMs <= STALE_MS;
    return runId !== undefined ? { held, runId } : { held };
  } catch {
    // Being written, or damaged: treat as held while it is fresh (keeps every marked set).
    return { held: Date.now() - st.mtimeMs <= STALE_MS };
  }
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
      const hasMarker = await exists(join(path, IN_PROGRESS_MARKER));
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
