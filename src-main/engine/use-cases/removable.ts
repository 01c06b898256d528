// Removable media for the CLI, the app and the scheduled task alike: export a set (to a folder or
// to the connected drives of the profile's rotation, with per-drive retention and eject), and the
// action when a rotation drive is connected, "not more often than every N hours".
import { mkdir } from 'node:fs/promises';
import { DEFAULT_CONNECTED_MIN_INTERVAL_HOURS, type Profile } from '../../contract/profile.js';
import { formatDateTime } from '../../contract/format.js';
import type { ExportEvent, ExportOutcome } from '../../contract/removable.js';
import type { DriveInfo } from '../../contract/ui.js';
import { sealKeysFor } from '../backup-set/seal-keys.js';
import { ExpectedError } from '../errors.js';
import { ejectDrive, type EjectOptions } from '../removable/eject.js';
import { exportSet } from '../removable/export-set.js';
import { markedDrives } from '../removable/marked-drives.js';
import {
  applyDriveRetention,
  driveFolder,
  nextDrive,
  requireRotation,
  rotationStatus,
  usableCopy,
} from '../removable/rotation.js';
import { listProfileSets } from '../backup-set/list-sets.js';
import { readRotationState, updateRotationState } from '../removable/rotation-state.js';
import type { FileSystemOf } from '../removable/target-space.js';
import { watchDrives, type DriveEventSource } from '../removable/drive-watcher.js';
import { configuredPlaces } from './verify-set.js';

export interface ExportRequest {
  setPath: string;
  /** The folder that receives <profile>/<set>; absent: the connected drives of the profile's rotation. */
  to?: string;
  profile?: Profile;
  eject?: boolean;
  sealKey?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: (e: ExportEvent) => void;
  /** Drives connected now (default: listed from the system). */
  drives?: () => Promise<DriveInfo[]>;
  ejectOptions?: EjectOptions;
  fileSystemOf?: FileSystemOf;
  now?: () => Date;
}

/** One outcome per target: the folder given, or each connected drive of the rotation. */
export async function exportBackupSet(req: ExportRequest): Promise<ExportOutcome[]> {
  const base = {
    setPath: req.setPath,
    sealKeys: sealKeysFor(req.env ?? process.env, req.profile, req.sealKey),
    places: (req.profile && configuredPlaces(req.profile, req.setPath)) ?? {},
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
    ...(req.fileSystemOf ? { fileSystemOf: req.fileSystemOf } : {}),
    ...(req.now ? { now: req.now } : {}),
  };
  if (req.to !== undefined) {
    const out = await exportSet({ ...base, to: req.to });
    if (req.eject && out.status === 'succeeded') out.eject = await ejectDrive(req.to, req.ejectOptions);
    return [out];
  }
  if (!req.profile)
    throw new ExpectedError(
      'EXPORT_NO_TARGET',
      'No target: give --to <folder or drive>, or a profile with a drive rotation.',
      {
        step: 'export',
        fix: 'Add --to, or --config <profile> whose "rotation" names the drives.',
      },
    );
  return exportToRotation(req.profile, req, base);
}

async function exportToRotation(
  profile: Profile,
  req: ExportRequest,
  base: Omit<Parameters<typeof exportSet>[0], 'to'>,
): Promise<ExportOutcome[]> {
  const rotation = requireRotation(profile);
  const drives = await (req.drives ?? (() => markedDrives()))();
  const status = await rotationStatus(profile, { drives });
  const connected = status.drives.filter((d) => d.connected && d.root !== undefined);
  if (connected.length === 0) {
    const next = nextDrive(status);
    throw new ExpectedError(
      'ROTATION_DRIVE_NOT_CONNECTED',
      `No drive of the rotation of "${profile.profile}" is connected.`,
      {
        step: 'export',
        fix: `Connect ${next?.label !== undefined ? `"${next.label}"` : `the drive ${next?.volumeId.slice(0, 8) ?? ''}`} (the one that holds the oldest copy) and export again.`,
      },
    );
  }
  const outcomes: ExportOutcome[] = [];
  for (const d of connected) {
    const root = d.root as string;
    const folder = driveFolder(rotation, root);
    await mkdir(folder, { recursive: true }).catch(() => undefined);
    const drive = { volumeId: d.volumeId, root, ...(d.label !== undefined ? { label: d.label } : {}) };
    const out = await exportSet({ ...base, to: folder, drive });
    if (out.status === 'succeeded' && rotation.keepLast !== undefined)
      out.retention = await applyDriveRetention(profile, folder, rotation.keepLast);
    await remember(profile, d.volumeId, root, out, req.now?.() ?? new Date());
    if (out.status === 'succeeded' && (req.eject ?? rotation.eject === true))
      out.eject = await ejectDrive(root, req.ejectOptions);
    outcomes.push(out);
  }
  return outcomes;
}

/** What this machine remembers about a rotation drive after an export to it (best effort). */
export async function remember(
  profile: Profile,
  id: string,
  root: string,
  out: ExportOutcome,
  now: Date,
): Promise<void> {
  await updateRotationState(profile, (s) => {
    const d = (s.drives[id] ??= {});
    d.lastSeenAt = now.toISOString();
    d.root = root;
    d.lastExport = { at: now.toISOString(), setName: out.setName, status: out.status };
    if (out.error) d.lastExport.message = out.error.message;
    if (out.status === 'succeeded') d.newestSet = { setName: out.setName };
  }).catch(() => undefined);
}

export interface WhenConnectedOptions {
  source: DriveEventSource;
  signal: AbortSignal;
  /** The job (a backup, or an export of the newest usable set); its own outcome is its business. */
  action: (drive: DriveInfo) => Promise<void>;
  /** Plain sentences: connected, started, skipped because of the limit. */
  onNote?: (text: string) => void;
  now?: () => Date;
}

/** Watches for the rotation's drives and starts the action once per connection, within the limit. */
export async function runWhenConnected(profile: Profile, opts: WhenConnectedOptions): Promise<never> {
  const rotation = requireRotation(profile);
  const hours = rotation.minIntervalHours ?? DEFAULT_CONNECTED_MIN_INTERVAL_HOURS;
  const now = opts.now ?? (() => new Date());
  // Kept in memory too: a main destination that cannot be written must not lift the limit.
  let lastInMemory: string | undefined;
  return watchDrives(opts.source, {
    ids: rotation.drives.map((d) => d.id),
    signal: opts.signal,
    onConnected: async (drive) => {
      const name = drive.marker?.label ?? drive.label ?? drive.root;
      const stored = (await readRotationState(profile)).lastConnectedActionAt;
      const last = [stored, lastInMemory]
        .filter((x): x is string => x !== undefined)
        .sort()
        .at(-1);
      const t = now();
      const due = last === undefined || t.getTime() - Date.parse(last) >= hours * 3_600_000;
      if (due) lastInMemory = t.toISOString();
      await updateRotationState(profile, (s) => {
        const d = (s.drives[drive.marker?.id ?? drive.root] ??= {});
        d.lastSeenAt = t.toISOString();
        d.root = drive.root;
        if (due) s.lastConnectedActionAt = t.toISOString();
      }).catch((err: unknown) =>
        opts.onNote?.(
          `The rotation state could not be written (${(err as Error).message}): the limit holds only while this watch runs.`,
        ),
      );
      if (!due) {
        const again = new Date(Date.parse(last) + hours * 3_600_000).toISOString();
        opts.onNote?.(
          `${name} was connected at ${drive.root}; the last run on connection was ${formatDateTime(last)}, so nothing starts before ${formatDateTime(again)}.`,
        );
        return;
      }
      opts.onNote?.(`${name} was connected at ${drive.root}: starting.`);
      await opts.action(drive);
    },
  });
}

/** The newest usable set of the profile over its destinations (what a drive should receive). */
export async function newestUsableSet(profile: Profile): Promise<string | undefined> {
  const sets = await listProfileSets(profile);
  return sets.find((s) => usableCopy(profile, s))?.path;
}

/** "export" on connection: the newest usable set to the rotation's connected drives. */
export async function exportNewest(
  profile: Profile,
  req: Omit<ExportRequest, 'setPath' | 'profile' | 'to'>,
): Promise<ExportOutcome[]> {
  const setPath = await newestUsableSet(profile);
  if (setPath === undefined)
    throw new ExpectedError('NO_USABLE_SET', `The profile "${profile.profile}" has no usable set to copy.`, {
      step: 'export',
      fix: 'Take a backup first (octane-backup run).',
    });
  return exportBackupSet({ ...req, setPath, profile });
}
