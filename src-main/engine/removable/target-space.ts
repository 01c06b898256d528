// Before the first byte of an export: does the set fit on the target, and does every file fit the
// target's file system (FAT32: 4 GiB - 1 byte per file)? Refused with the figures, never found out
// half way through a copy.
import { statfs, stat } from 'node:fs/promises';
import { platform as osPlatform } from 'node:os';
import { dirname } from 'node:path';
import { formatBytes } from '../../contract/format.js';
import { listDrives } from '../drives/list-drives.js';
import { driveFor } from '../drives/volume-marker.js';
import { ExpectedError } from '../errors.js';
import type { ExportSource } from './export-source.js';
import { fileSystemName, maxFileBytes } from './file-system-limits.js';
import { mountOf, readMountInfo } from './mount-table.js';

export interface TargetFacts {
  /** Free bytes for this account; undefined when the file system does not say (some FUSE drivers). */
  freeBytes?: number;
  sizeBytes?: number;
  /** Allocation unit: every file takes whole units. */
  blockSize: number;
  fileSystem?: string;
}

/** How a folder's file system is named: Linux from the mount table, Windows from the drive list. */
export type FileSystemOf = (folder: string) => Promise<string | undefined>;

export function defaultFileSystemOf(platform: NodeJS.Platform = osPlatform()): FileSystemOf {
  if (platform === 'linux') return async (folder) => mountOf(folder, await readMountInfo())?.fsType;
  if (platform === 'win32')
    return async (folder) => driveFor(folder, await listDrives({ platform }))?.fileSystem;
  return () => Promise.resolve(undefined);
}

/** The nearest folder of `path` that exists (the target folder may not be made yet). */
async function existingAncestor(path: string): Promise<string> {
  let at = path;
  for (;;) {
    if (
      await stat(at).then(
        () => true,
        () => false,
      )
    )
      return at;
    const up = dirname(at);
    if (up === at) return at;
    at = up;
  }
}

export async function targetFacts(folder: string, fileSystemOf: FileSystemOf): Promise<TargetFacts> {
  const at = await existingAncestor(folder);
  const s = await statfs(at);
  const facts: TargetFacts = { blockSize: s.bsize > 0 ? s.bsize : 4096 };
  // fusefat reports 0 blocks: "unknown", never "full".
  if (s.blocks > 0) {
    facts.freeBytes = s.bavail * s.bsize;
    facts.sizeBytes = s.blocks * s.bsize;
  }
  const fs = await fileSystemOf(at).catch(() => undefined);
  if (fs !== undefined) facts.fileSystem = fs;
  return facts;
}

/** Room for the folders, the manifest, the log and the verification record. */
const OVERHEAD_BYTES = 1024 * 1024;

/** Bytes the copy takes on the target: each file rounded up to whole allocation units. */
export function bytesNeeded(source: ExportSource, blockSize: number): number {
  const round = (n: number): number => Math.ceil(n / blockSize) * blockSize;
  const extra = source.manifestBytes.length + (source.runLog?.length ?? 0);
  return source.files.reduce((a, f) => a + round(f.bytes), 0) + round(extra) + OVERHEAD_BYTES;
}

/** Throws EXPORT_FILE_TOO_LARGE or EXPORT_TARGET_TOO_SMALL with the figures; returns the bytes needed. */
export function checkFits(source: ExportSource, target: string, facts: TargetFacts): number {
  const limit = maxFileBytes(facts.fileSystem);
  const big = source.files.filter((f) => limit !== undefined && f.bytes > limit);
  if (big.length > 0 && limit !== undefined) {
    const fs = fileSystemName(facts.fileSystem as string);
    throw new ExpectedError(
      'EXPORT_FILE_TOO_LARGE',
      `${big.map((f) => `${f.rel} (${formatBytes(f.bytes)})`).join(', ')} cannot be copied to ${target}: its file system is ${fs}, which holds at most ${formatBytes(limit)} (4 GiB - 1 byte) per file. Nothing was copied.`,
      {
        step: 'export',
        fix: 'Use a drive formatted as exFAT or NTFS (reformatting a drive erases it), or split the database backup into several files in the profile.',
        details: {
          fileSystem: fs,
          limitBytes: limit,
          files: big.map((f) => ({ path: f.rel, bytes: f.bytes })),
        },
      },
    );
  }
  const needed = bytesNeeded(source, facts.blockSize);
  if (facts.freeBytes !== undefined && facts.freeBytes < needed)
    throw new ExpectedError(
      'EXPORT_TARGET_TOO_SMALL',
      `The set needs ${formatBytes(needed)} on ${target} (${formatBytes(source.bytesTotal)} of files plus room for its folders), but only ${formatBytes(facts.freeBytes)} is free${facts.sizeBytes !== undefined ? ` of ${formatBytes(facts.sizeBytes)}` : ''}. Nothing was copied.`,
      {
        step: 'export',
        fix: 'Free space on the drive (delete older copies, or set "Sets kept on each drive" in the rotation) or use a larger drive.',
        details: { neededBytes: needed, freeBytes: facts.freeBytes, sizeBytes: facts.sizeBytes ?? null },
      },
    );
  return needed;
}
