// A profile's rotation of removable drives: which of its drives are connected (found by the id in
// their marker), where each keeps this profile's copies, what each holds, which one to plug in
// next, and the per-drive retention (keep the newest N usable copies, never the last one).
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  COMPONENT_IDS,
  DEFAULT_CONNECTED_MIN_INTERVAL_HOURS,
  DEFAULT_ROTATION_FOLDER,
  type Profile,
  type RotationConfig,
} from '../../contract/profile.js';
import { formatDateTime, plural } from '../../contract/format.js';
import type { RotationDriveView, RotationStatusView } from '../../contract/removable.js';
import { holdsComponents, type SetSummary } from '../../contract/sets.js';
import type { DriveInfo } from '../../contract/ui.js';
import { listSets } from '../backup-set/list-sets.js';
import { joinUnderRoot } from '../drives/drive-paths.js';
import { ExpectedError } from '../errors.js';
import { DELETING_PREFIX } from '../retention/prune.js';
import { readRotationState, type RotationState } from './rotation-state.js';

export function requireRotation(profile: Profile): RotationConfig {
  if (!profile.rotation)
    throw new ExpectedError('NO_ROTATION', `The profile "${profile.profile}" names no drives (rotation).`, {
      step: 'drives',
      fix: 'Add "rotation": { "drives": [{ "id": "<id from the drive marker>" }] } to the profile (octane-backup drives lists the ids).',
    });
  return profile.rotation;
}

/** The folder on a connected drive that receives the copies (sets go to <it>/<profile>/<set>). */
export function driveFolder(rotation: RotationConfig | undefined, root: string): string {
  return joinUnderRoot(root, (rotation?.folder ?? DEFAULT_ROTATION_FOLDER).replace(/\\/g, '/'));
}

/** A usable copy of this profile: finished, holding every component the profile takes, not damaged. */
export function usableCopy(profile: Profile, s: SetSummary): boolean {
  const taken = COMPONENT_IDS.filter((id) => profile[id] !== undefined);
  return (
    s.profile === profile.profile &&
    s.manifest !== undefined &&
    s.status !== 'incomplete' &&
    s.status !== 'unreadable' &&
    s.damaged !== true &&
    holdsComponents(s.manifest, taken)
  );
}

/** Copies of this profile on a drive folder, newest first; [] when it has none yet. */
export async function copiesOn(profile: Profile, folder: string): Promise<SetSummary[]> {
  try {
    return (await listSets(folder, { profile: profile.profile })).filter(
      (s) => s.profile === profile.profile,
    );
  } catch {
    return [];
  }
}

export interface StatusOptions {
  drives: DriveInfo[];
  now?: Date;
  state?: RotationState;
}

export async function rotationStatus(profile: Profile, opts: StatusOptions): Promise<RotationStatusView> {
  const rotation = requireRotation(profile);
  const now = opts.now ?? new Date();
  const state = opts.state ?? (await readRotationState(profile));
  const view: RotationStatusView = {
    profile: profile.profile,
    drives: [],
    exportAfterRun: rotation.exportAfterRun === true,
    minIntervalHours: rotation.minIntervalHours ?? DEFAULT_CONNECTED_MIN_INTERVAL_HOURS,
    eject: rotation.eject === true,
    checkedAt: now.toISOString(),
    problems: [],
  };
  if (rotation.warnAfterDays !== undefined) view.warnAfterDays = rotation.warnAfterDays;
  if (rotation.whenConnected !== undefined) view.whenConnected = rotation.whenConnected;
  for (const d of rotation.drives) {
    const connected = opts.drives.find((x) => x.marker?.id.toLowerCase() === d.id.toLowerCase());
    view.drives.push(await driveView(profile, rotation, d, connected, state, now));
  }
  return view;
}

async function driveView(
  profile: Profile,
  rotation: RotationConfig,
  d: RotationConfig['drives'][number],
  connected: DriveInfo | undefined,
  state: RotationState,
  now: Date,
): Promise<RotationDriveView> {
  const remembered = state.drives[d.id] ?? {};
  const v: RotationDriveView = { volumeId: d.id, connected: connected !== undefined };
  const label = d.name ?? connected?.marker?.label ?? connected?.label;
  if (label !== undefined) v.label = label;
  if (remembered.lastExport) v.lastExport = remembered.lastExport;
  if (connected) {
    v.root = connected.root;
    v.folder = driveFolder(rotation, connected.root);
    v.lastSeenAt = now.toISOString();
    if (connected.fileSystem !== undefined) v.fileSystem = connected.fileSystem;
    if (connected.sizeBytes !== undefined) v.sizeBytes = connected.sizeBytes;
    if (connected.freeBytes !== undefined) v.freeBytes = connected.freeBytes;
    const copies = (await copiesOn(profile, v.folder)).filter((s) => usableCopy(profile, s));
    v.sets = copies.length;
    const newest = copies[0];
    if (newest) v.newestSet = newestOf(newest);
  } else {
    if (remembered.lastSeenAt !== undefined) v.lastSeenAt = remembered.lastSeenAt;
    if (remembered.newestSet) v.newestSet = remembered.newestSet;
  }
  const warning = warningFor(v, rotation, now);
  if (warning) v.warning = warning;
  return v;
}

const newestOf = (s: SetSummary): { setName: string; startedAt?: string } =>
  s.startedAt !== undefined ? { setName: s.setName, startedAt: s.startedAt } : { setName: s.setName };

function warningFor(v: RotationDriveView, rotation: RotationConfig, now: Date): string | undefined {
  const name = v.label !== undefined ? `"${v.label}"` : `drive ${v.volumeId.slice(0, 8)}`;
  if (v.connected) return undefined;
  if (v.lastSeenAt === undefined) return `${name} has never been connected to this machine.`;
  const days = (now.getTime() - Date.parse(v.lastSeenAt)) / 86_400_000;
  if (rotation.warnAfterDays !== undefined && days > rotation.warnAfterDays)
    return `${name} was last connected ${formatDateTime(v.lastSeenAt)} (${plural(Math.floor(days), 'day')} ago, more than ${plural(rotation.warnAfterDays, 'day')}): rotate it.`;
  return undefined;
}

/**
 * The drive to connect next: of the drives not connected, the one whose newest copy is oldest
 * (never seen or holding nothing first). Undefined when every drive is connected.
 */
export function nextDrive(view: RotationStatusView): RotationDriveView | undefined {
  const away = view.drives.filter((d) => !d.connected);
  const age = (d: RotationDriveView): string => d.newestSet?.setName ?? '';
  return away.sort(
    (a, b) => age(a).localeCompare(age(b)) || (a.lastSeenAt ?? '').localeCompare(b.lastSeenAt ?? ''),
  )[0];
}

export interface DriveRetentionResult {
  deleted: string[];
  failed: { path: string; error: string }[];
  notes: string[];
}

/**
 * Keeps the newest `keepLast` usable copies of this profile in a drive folder and deletes older
 * usable, unpinned ones. Never deletes the newest usable copy, nor anything not usable (an
 * interrupted copy is replaced by the next export of that set, a damaged one is left for people).
 */
export async function applyDriveRetention(
  profile: Profile,
  folder: string,
  keepLast: number,
): Promise<DriveRetentionResult> {
  const out: DriveRetentionResult = { deleted: [], failed: [], notes: [] };
  const usable = (await copiesOn(profile, folder)).filter((s) => usableCopy(profile, s));
  const keep = Math.max(1, keepLast);
  for (const s of usable.slice(keep)) {
    if (s.pinned) {
      out.notes.push(`${s.setName} is pinned: kept.`);
      continue;
    }
    try {
      // Renamed aside first (as retention does): an interrupted deletion never leaves a folder
      // that still claims to be a complete set.
      const aside = join(
        dirname(s.path),
        `${DELETING_PREFIX}${basename(s.path)}-${randomBytes(4).toString('hex')}`,
      );
      await rename(s.path, aside);
      await rm(aside, { recursive: true, force: true });
      out.deleted.push(s.path);
    } catch (err) {
      out.failed.push({ path: s.path, error: (err as { code?: string }).code ?? (err as Error).message });
    }
  }
  if (usable.length > 0)
    out.notes.push(
      `${plural(Math.min(usable.length, keep), 'usable copy', 'usable copies')} kept on the drive.`,
    );
  return out;
}
