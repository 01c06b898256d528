// The repository section of a profile with its defaults applied, and what follows from it.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ArchiveFormat, CompressionLevel, Profile, SnapshotMethod } from '../../../contract/profile.js';
import { destinationFor } from '../../backup-set/set-layout.js';
import { ExpectedError } from '../../errors.js';
import { entryCount, type TreeTotals } from './walk.js';

export interface RepositorySettings {
  /** The repository folder as configured (absolute). */
  path: string;
  format: ArchiveFormat;
  compression: CompressionLevel;
  /** zlib level: none 0, fast 1, best 9 (plain tar is never compressed). */
  level: number;
  archiveName: string;
  listName: string;
  /** The destination folder that will hold this component's set folder. */
  destination: string;
  /** This profile's folder on that destination (where the sets go). */
  profileFolder: string;
  /** An empty repository folder is expected (else it fails the step). */
  allowEmpty: boolean;
  snapshotMethod: SnapshotMethod;
  snapshotDir: string | undefined;
  lvmSnapshotSize: string | undefined;
}

export const FILE_LIST_NAME = 'repository.files.jsonl';

const LEVELS: Record<CompressionLevel, number> = { none: 0, fast: 1, best: 9 };

export function repositorySettings(profile: Profile): RepositorySettings {
  const repo = profile.repository;
  if (!repo)
    throw new ExpectedError('REPOSITORY_NOT_CONFIGURED', 'The profile has no repository section.', {
      step: 'repository',
      fix: 'Add "repository": { "path": "<Octane repository folder>" } to the profile.',
    });
  // tar.gz by default: it keeps every name exactly (zip cannot hold a few) and is the fastest here.
  // Windows 10+ and Server 2019+ ship tar.exe to extract it.
  const format = repo.format ?? 'tar.gz';
  const compression = format === 'tar' ? 'none' : (repo.compression ?? 'fast');
  return {
    path: repo.path,
    format,
    compression,
    level: LEVELS[compression],
    archiveName: `repository.${format}`,
    listName: FILE_LIST_NAME,
    destination: destinationFor(profile, 'repository'),
    profileFolder: join(destinationFor(profile, 'repository'), profile.profile),
    allowEmpty: repo.allowEmpty === true,
    snapshotMethod: repo.snapshotMethod ?? 'auto',
    snapshotDir: repo.snapshotDir,
    lvmSnapshotSize: repo.lvmSnapshotSize,
  };
}

/**
 * When the sets are written inside the repository folder itself, the archive would swallow its own
 * growing file. Returns that folder (real path, under `root`) so the walk leaves it out.
 */
export async function setsInsideSource(root: string, s: RepositorySettings): Promise<string | undefined> {
  const target = await realpathLoose(s.profileFolder);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return target;
}

/** realpath of the longest existing prefix, with the rest of the path appended (it may not exist yet). */
async function realpathLoose(p: string): Promise<string> {
  let head = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(await realpath(head), ...tail);
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(p);
      tail.unshift(basename(head));
      head = up;
    }
  }
}

/** Per-entry overhead in the archive, generously: tar header + PAX header + padding, or zip local + central records. */
const ENTRY_OVERHEAD = 2048;

/**
 * Bytes the archive may need on the destination. Compressed formats are estimated at the source
 * size too: attachments are mostly compressed already (images, Office files, PDFs), so that is
 * the safe assumption.
 */
export function estimateArchiveBytes(t: TreeTotals): number {
  return t.bytes + entryCount(t) * ENTRY_OVERHEAD + 64 * 1024;
}
