// Checks before a run: the source folder, the destination (writable, enough space, not a FAT32
// drive for a > 4 GiB archive). Each failed check says what to do in plain words.
import { randomBytes } from 'node:crypto';
import { rm, statfs, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PreflightCheck } from '../../../contract/preflight.js';
import type { Profile } from '../../../contract/profile.js';
import { formatBytes } from '../../../contract/format.js';
import { ExpectedError } from '../../errors.js';
import {
  estimateArchiveBytes,
  repositorySettings,
  setsInsideSource,
  type RepositorySettings,
} from './config.js';
import {
  defaultFsTypeProbe,
  FAT32_MAX_FILE,
  isFatFamily,
  nearestExisting,
  type FsTypeProbe,
} from './fs-type.js';
import { notMountedError, type MountTables } from './source-policy.js';
import { openSourceRoot } from './source-root.js';
import { scanTree, type TreeTotals } from './walk.js';
import { snapshotCheck } from './snapshot/preflight.js';
import type { SnapshotEnv } from './snapshot/provider.js';
import { stat } from 'node:fs/promises';

export interface RepositoryPreflightOptions {
  signal?: AbortSignal;
  fsType?: FsTypeProbe;
  mountTables?: MountTables;
  /** Snapshot mode's commands and platform (recorded PowerShell output in tests). */
  snapshot?: Partial<SnapshotEnv>;
  env?: NodeJS.ProcessEnv;
}

export async function repositoryPreflight(
  profile: Profile,
  opts: RepositoryPreflightOptions = {},
): Promise<PreflightCheck[]> {
  const signal = opts.signal ?? new AbortController().signal;
  const settings = repositorySettings(profile);
  const checks: PreflightCheck[] = [];

  let root: string | undefined;
  try {
    root = await openSourceRoot(settings.path);
    const notMounted = await notMountedError(root, settings.path, opts.mountTables);
    if (notMounted) throw notMounted;
    checks.push({
      id: 'repository:source',
      component: 'repository',
      title: 'Repository folder',
      status: 'ok',
      message: `${root} exists and can be read.`,
    });
  } catch (err) {
    checks.push(failedCheck('repository:source', 'Repository folder', err));
  }

  checks.push(await writableCheck(settings.destination));

  if (root === undefined) return checks;
  const inside = await setsInsideSource(root, settings);
  if (inside !== undefined)
    checks.push({
      id: 'repository:destination-inside-source',
      component: 'repository',
      title: 'Destination outside the repository folder',
      status: 'warning',
      message: `The sets would be written inside the repository folder (${inside}); that folder will be left out of the archive.`,
      fix: `Choose a destination outside ${root}, so that backups are not stored in what they back up.`,
    });
  const totals = await scanTree(root, {
    signal,
    rootDev: (await stat(root)).dev,
    ...(inside !== undefined && { exclude: new Set([inside]) }),
  });
  if (totals.files === 0 && !settings.allowEmpty)
    checks.push({
      id: 'repository:not-empty',
      component: 'repository',
      title: 'Repository folder holds files',
      status: 'failed',
      message: `${root} holds no files. An unmounted share or disk looks exactly like this; a backup of it would fail.`,
      fix: 'Check that the share or disk holding the repository is mounted. If the repository is really empty (a new installation), set repository.allowEmpty to true.',
    });
  checks.push(await freeSpaceCheck(settings, totals));
  checks.push(await fatCheck(settings, totals, opts.fsType ?? defaultFsTypeProbe()));
  if (profile.repository?.capture === 'snapshot')
    checks.push(await snapshotCheck(settings, root, signal, opts.env ?? process.env, opts.snapshot));
  return checks;
}

async function writableCheck(destination: string): Promise<PreflightCheck> {
  const title = `Repository destination ${destination}`;
  const dir = await nearestExisting(destination);
  const creates = resolve(dir) !== resolve(destination);
  const probe = join(dir, `.octane-backup-probe-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, 'probe');
    await rm(probe, { force: true });
    return {
      id: 'repository:destination-writable',
      component: 'repository',
      title,
      status: 'ok',
      message: creates
        ? `Does not exist yet; it will be created inside ${dir}, which is writable.`
        : 'Writable.',
    };
  } catch (err) {
    const code = (err as { code?: string }).code;
    return {
      id: 'repository:destination-writable',
      component: 'repository',
      title,
      status: 'failed',
      message: `A test file cannot be written in ${dir} (${code ?? (err as Error).message}).`,
      fix:
        code === 'EROFS'
          ? 'The destination is read-only: remove the write protection or choose another drive.'
          : 'Give the account that runs the backup write access to the destination folder, or choose another destination.',
    };
  }
}

async function freeSpaceCheck(s: RepositorySettings, t: TreeTotals): Promise<PreflightCheck> {
  const id = 'repository:free-space';
  const title = 'Free space for the repository archive';
  const need = estimateArchiveBytes(t);
  const compressedNote =
    s.level > 0 ? ' (estimated as if nothing compresses: attachments mostly do not)' : '';
  let free: number;
  try {
    const st = await statfs(await nearestExisting(s.destination));
    free = st.bavail * st.bsize;
  } catch (err) {
    return {
      id,
      component: 'repository',
      title,
      status: 'warning',
      message: `The free space on ${s.destination} cannot be read (${(err as Error).message}); the archive needs about ${formatBytes(need)}.`,
      fix: `Make sure the destination has at least ${formatBytes(need)} free.`,
    };
  }
  const facts = `${t.files} files, ${formatBytes(t.bytes)}; the archive needs about ${formatBytes(need)}${compressedNote}; ${formatBytes(free)} free`;
  if (free >= need) return { id, component: 'repository', title, status: 'ok', message: `${facts}.` };
  return {
    id,
    component: 'repository',
    title,
    status: 'failed',
    message: `Not enough space on ${s.destination}: ${facts}.`,
    fix: `Free at least ${formatBytes(need - free)} on the destination, prune old sets, or point destinations.repository to a larger drive.`,
  };
}

/** What the FAT32 file-size limit means for this archive, or undefined when it does not apply. */
export function fatLimitProblem(
  fsType: string | undefined,
  s: RepositorySettings,
  t: TreeTotals,
): { status: 'failed' | 'warning'; message: string; fix: string } | undefined {
  if (!isFatFamily(fsType)) return undefined;
  const fix = `Use an NTFS or exFAT drive for the repository backup (or reformat this one), or point destinations.repository to another drive.`;
  const drive = `${s.destination} is on a ${fsType} drive, which cannot hold a file of 4 GiB or more`;
  if (t.largestFile > FAT32_MAX_FILE)
    return {
      status: 'failed',
      message: `${drive}, and ${t.largestFilePath ?? 'one file'} alone is ${formatBytes(t.largestFile)}.`,
      fix,
    };
  const est = estimateArchiveBytes(t);
  if (est <= FAT32_MAX_FILE) return undefined;
  if (s.level === 0)
    return {
      status: 'failed',
      message: `${drive}, and the ${s.format} archive will be about ${formatBytes(est)}.`,
      fix,
    };
  return {
    status: 'warning',
    message: `${drive}; the source is ${formatBytes(t.bytes)}, so the compressed archive may pass that limit and fail.`,
    fix,
  };
}

async function fatCheck(s: RepositorySettings, t: TreeTotals, probe: FsTypeProbe): Promise<PreflightCheck> {
  const id = 'repository:file-size-limit';
  const title = 'File size limit of the destination';
  const fsType = await probe(s.destination).catch(() => undefined);
  const problem = fatLimitProblem(fsType, s, t);
  if (problem) return { id, component: 'repository', title, ...problem };
  return {
    id,
    component: 'repository',
    title,
    status: 'ok',
    message:
      fsType === undefined
        ? 'The file system type could not be determined; no FAT32 limit is known.'
        : `The destination file system is ${fsType}.`,
  };
}

function failedCheck(id: string, title: string, err: unknown): PreflightCheck {
  if (err instanceof ExpectedError)
    return {
      id,
      component: 'repository',
      title,
      status: 'failed',
      message: err.message,
      fix: err.fix ?? 'Check the repository settings.',
    };
  return {
    id,
    component: 'repository',
    title,
    status: 'failed',
    message: (err as Error).message,
    fix: 'Check the repository settings.',
  };
}
