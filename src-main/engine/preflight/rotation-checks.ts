// Preflight for a profile with a drive rotation: which of its drives are connected, whether each
// connected one has room for a set of the expected size (the newest usable set's) and takes its
// largest file (FAT32: 4 GiB - 1 byte), and which drive has been away too long.
import { formatBytes } from '../../contract/format.js';
import type { PreflightCheck } from '../../contract/preflight.js';
import type { Profile } from '../../contract/profile.js';
import type { DriveInfo } from '../../contract/ui.js';
import { listProfileSets } from '../backup-set/list-sets.js';
import { fileSystemName, maxFileBytes } from '../removable/file-system-limits.js';
import { markedDrives } from '../removable/marked-drives.js';
import { nextDrive, rotationStatus, usableCopy } from '../removable/rotation.js';

/** Size and largest file of the newest usable set, when there is one. */
async function expected(profile: Profile): Promise<{ bytes: number; largest: number } | undefined> {
  const sets = await listProfileSets(profile).catch(() => []);
  const newest = sets.find((s) => usableCopy(profile, s));
  if (!newest?.manifest) return undefined;
  const sizes = newest.manifest.components.flatMap((c) => c.artifacts.map((a) => a.bytes));
  return { bytes: sizes.reduce((a, b) => a + b, 0), largest: Math.max(0, ...sizes) };
}

export async function rotationChecks(
  profile: Profile,
  drives: () => Promise<DriveInfo[]> = () => markedDrives(),
): Promise<PreflightCheck[]> {
  if (!profile.rotation) return [];
  const status = await rotationStatus(profile, { drives: await drives() });
  const size = await expected(profile);
  const checks: PreflightCheck[] = [];
  for (const d of status.drives) {
    const name = d.label !== undefined ? `"${d.label}"` : `drive ${d.volumeId.slice(0, 8)}`;
    const base = {
      id: `rotation:${d.volumeId}`,
      component: 'destination' as const,
      title: `Rotation drive ${name}`,
    };
    if (!d.connected) {
      checks.push({
        ...base,
        status: d.warning !== undefined ? 'warning' : 'ok',
        message: `${name} is not connected${d.warning !== undefined ? `: ${d.warning}` : '.'}`,
        ...(d.warning !== undefined ? { fix: `Connect ${name} so it receives a copy.` } : {}),
      });
      continue;
    }
    const limit = maxFileBytes(d.fileSystem);
    if (size && limit !== undefined && size.largest > limit) {
      checks.push({
        ...base,
        status: 'failed',
        message: `${name} (${fileSystemName(d.fileSystem as string)}) cannot hold the largest file of a set (${formatBytes(size.largest)}; at most 4 GiB - 1 byte per file).`,
        fix: 'Use a drive formatted as exFAT or NTFS (reformatting erases it).',
      });
      continue;
    }
    const short = size && d.freeBytes !== undefined && d.freeBytes < size.bytes;
    checks.push({
      ...base,
      status: short ? 'warning' : 'ok',
      message: `${name} is connected at ${d.root ?? ''}${d.freeBytes !== undefined ? ` with ${formatBytes(d.freeBytes)} free` : ''}${size ? `; a set takes about ${formatBytes(size.bytes)}` : ''}${d.newestSet ? `; newest copy ${d.newestSet.setName}` : ''}.`,
      ...(short ? { fix: `Free space on ${name} or lower "Sets kept on each drive".` } : {}),
    });
  }
  const next = nextDrive(status);
  if (profile.rotation.exportAfterRun && status.drives.every((d) => !d.connected))
    checks.push({
      id: 'rotation:connected',
      component: 'destination',
      title: 'Copy after each run',
      status: 'warning',
      message: 'No drive of the rotation is connected: the copy after the run will not be made.',
      fix: `Connect ${next?.label !== undefined ? `"${next.label}"` : 'a drive of the rotation'} before the run.`,
    });
  return checks;
}
