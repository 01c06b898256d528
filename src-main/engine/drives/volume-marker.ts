// A destination on a removable drive is remembered by a marker file with an id at the drive's
// root, so a changed drive letter still finds it and another drive in the same letter is not
// mistaken for it. Label and serial are kept for the messages, never used to decide.
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { TOOL_NAME } from '../../contract/manifest.js';
import type { DriveInfo, VolumeBinding, VolumeMarker } from '../../contract/ui.js';
import { ExpectedError } from '../errors.js';
import { joinUnderRoot, relativeUnderRoot } from './drive-paths.js';

export const VOLUME_MARKER_FILE = '.octane-backup-volume.json';
export const VOLUME_MARKER_FORMAT = 1;

export function markerPath(root: string): string {
  return joinUnderRoot(root, VOLUME_MARKER_FILE);
}

/** The drive's marker, or undefined when it has none (or an unreadable one). */
export async function readVolumeMarker(root: string): Promise<VolumeMarker | undefined> {
  let text: string;
  try {
    text = await readFile(markerPath(root), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as Partial<VolumeMarker>;
    if (m.tool !== TOOL_NAME || typeof m.id !== 'string' || m.id === '') return undefined;
    return m as VolumeMarker;
  } catch {
    return undefined;
  }
}

/** Reads the drive's marker or writes a new one (temp file + rename, so a half marker never exists). */
export async function ensureVolumeMarker(drive: DriveInfo, now = new Date()): Promise<VolumeMarker> {
  const existing = await readVolumeMarker(drive.root);
  if (existing) return existing;
  const marker: VolumeMarker = {
    tool: TOOL_NAME,
    formatVersion: VOLUME_MARKER_FORMAT,
    id: randomUUID(),
    createdAt: now.toISOString(),
  };
  if (drive.label !== undefined) marker.label = drive.label;
  if (drive.serial !== undefined) marker.serial = drive.serial;
  const target = markerPath(drive.root);
  const tmp = `${target}.${marker.id.slice(0, 8)}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(marker, null, 2) + '\n', 'utf8');
    await rename(tmp, target);
  } catch (err) {
    throw new ExpectedError(
      'VOLUME_MARKER_WRITE',
      `Cannot write the drive marker on ${drive.root} (${(err as { code?: string }).code ?? (err as Error).message}).`,
      {
        step: 'run',
        fix: 'Check that the drive is not write-protected and that your account may write to its root folder.',
        cause: err,
      },
    );
  }
  return marker;
}

/** The drive that holds `folder` (the longest matching root). */
export function driveFor(folder: string, drives: DriveInfo[]): DriveInfo | undefined {
  let best: DriveInfo | undefined;
  for (const d of drives) {
    if (relativeUnderRoot(d.root, folder) === undefined) continue;
    if (!best || d.root.length > best.root.length) best = d;
  }
  return best;
}

export function bindingFor(folder: string, drive: DriveInfo, marker: VolumeMarker): VolumeBinding {
  const b: VolumeBinding = {
    volumeId: marker.id,
    relativePath: relativeUnderRoot(drive.root, folder) ?? '',
    lastRoot: drive.root,
  };
  const label = marker.label ?? drive.label;
  if (label !== undefined) b.label = label;
  const serial = marker.serial ?? drive.serial;
  if (serial !== undefined) b.serial = serial;
  return b;
}

const describe = (b: VolumeBinding): string =>
  (b.label ? `"${b.label}"` : 'the backup drive') + ` (drive id ${b.volumeId.slice(0, 8)})`;

/**
 * Where a bound destination is now. Drives must carry their markers (listDrives reads them).
 * Throws VOLUME_NOT_CONNECTED / VOLUME_MISMATCH with plain words and the fix.
 */
export function resolveBinding(binding: VolumeBinding, drives: DriveInfo[]): { root: string; path: string } {
  const match = drives.find((d) => d.marker?.id === binding.volumeId);
  if (match) return { root: match.root, path: joinUnderRoot(match.root, binding.relativePath) };
  const atLast = drives.find((d) => d.root === binding.lastRoot);
  if (atLast) {
    const other = atLast.marker
      ? `another backup drive${atLast.marker.label ? ` ("${atLast.marker.label}")` : ''}`
      : `a different drive${atLast.label ? ` ("${atLast.label}")` : ''}`;
    throw new ExpectedError('VOLUME_MISMATCH', `${atLast.root} is ${other}, not ${describe(binding)}.`, {
      step: 'run',
      fix: `Connect ${describe(binding)}. If this drive should become the destination, choose it again in the profile's destinations.`,
      details: { expected: binding.volumeId, found: atLast.marker?.id ?? null, root: atLast.root },
    });
  }
  throw new ExpectedError(
    'VOLUME_NOT_CONNECTED',
    `${describe(binding)} is not connected (last seen as ${binding.lastRoot}).`,
    {
      step: 'run',
      fix: `Connect ${describe(binding)} and start the backup again; its drive letter does not matter.`,
      details: { expected: binding.volumeId },
    },
  );
}
