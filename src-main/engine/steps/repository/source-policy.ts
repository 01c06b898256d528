// What makes a repository capture incomplete (docs/repository-step.md, "When the capture fails").
// A backup that silently holds less than the repository is worse than a failed one: retention
// may delete the good sets behind it. So the step FAILS (after committing the archive it wrote, so
// nothing is lost, but the set is never "complete") when
//   - the folder is empty (unless repository.allowEmpty), or a mount point in /etc/fstab at or above
//     it is not mounted (an unmounted share is an empty or stale folder);
//   - the folder was replaced during the run (its device or inode changed: unmounted, remounted);
//   - a folder vanished with its contents, a folder or file could not be read;
//   - (zip) a name could not be stored as it is.
// Single files that change or vanish while read (Octane deleting an attachment) stay warnings. A
// large drop in files or bytes against the last good set of this profile is a named warning; with
// a change of the file system holding the folder as well, it fails as "not mounted".
import { readFile, realpath, stat } from 'node:fs/promises';
import type { Manifest } from '../../../contract/manifest.js';
import { formatBytes, plural } from '../../../contract/format.js';
import { listSets } from '../../backup-set/list-sets.js';
import { ExpectedError } from '../../errors.js';
import { mountFromMounts, unescapeMount, type MountInfo } from './fs-type.js';
import type { RepositoryWarningCode } from './archive-tree.js';

/** Where mount tables are read (test seam: files written by the test). */
export interface MountTables {
  mounts?: string;
  fstab?: string;
}

const step = 'repository' as const;

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** The mount holding the folder (Linux), for the manifest and the comparison with the last good set. */
export async function sourceMount(root: string, tables: MountTables = {}): Promise<MountInfo | undefined> {
  if (process.platform !== 'linux' && tables.mounts === undefined) return undefined;
  const text = await readText(tables.mounts ?? '/proc/mounts');
  return text === undefined ? undefined : mountFromMounts(text, root);
}

/**
 * REPOSITORY_NOT_MOUNTED when /etc/fstab declares a mount point at or above the folder (other than
 * "/") and it is not mounted now: what is there is the empty (or stale) folder under the mount point.
 */
export async function notMountedError(
  root: string,
  configured: string,
  tables: MountTables = {},
): Promise<ExpectedError | undefined> {
  if (process.platform !== 'linux' && tables.fstab === undefined) return undefined;
  const fstab = await readText(tables.fstab ?? '/etc/fstab');
  const mounts = await readText(tables.mounts ?? '/proc/mounts');
  if (fstab === undefined || mounts === undefined) return undefined;
  const mounted = new Set(mounts.split('\n').map((l) => unescapeMount(l.split(' ')[1] ?? '')));
  for (const line of fstab.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || (f[0] ?? '').startsWith('#') || f[2] === 'swap') continue;
    const point = unescapeMount(f[1] ?? '').replace(/\/+$/, '');
    if (!point.startsWith('/') || point === '') continue;
    const covers = (p: string): boolean => p === point || p.startsWith(`${point}/`);
    if (!(covers(root) || covers(configured)) || mounted.has(point)) continue;
    return new ExpectedError(
      'REPOSITORY_NOT_MOUNTED',
      `The repository folder ${configured} lies under ${point}, which /etc/fstab mounts from ${f[0]} (${f[2]}), but nothing is mounted there now: what is there is the folder under the mount point, not the repository.`,
      {
        step,
        fix: `Mount it (for example \`mount ${point}\`), check that the share or disk is reachable, then run the backup again.`,
        details: { path: configured, mountPoint: point, source: f[0], fsType: f[2] },
      },
    );
  }
  return undefined;
}

/**
 * Who the folder is. Device and inode alone are not enough: a file system mounted in place of an
 * unmounted one can get the same (freed) device number, and its root the same inode (tmpfs: 1);
 * its creation time (statx btime, where the file system has one) differs.
 */
export interface RootIdentity {
  real: string;
  dev: number;
  ino: number;
  /** 0 where the file system keeps no creation time (NFS). */
  birthtimeMs: number;
}

export async function rootIdentity(real: string): Promise<RootIdentity> {
  const s = await stat(real);
  return { real, dev: s.dev, ino: s.ino, birthtimeMs: s.birthtimeMs };
}

/** What changed about the folder since `before`, in words, or undefined when it is the same folder. */
export async function rootChange(configured: string, before: RootIdentity): Promise<string | undefined> {
  let now: RootIdentity;
  try {
    now = await rootIdentity(await realpath(configured));
  } catch (err) {
    return `it is no longer there (${(err as { code?: string }).code ?? (err as Error).message})`;
  }
  if (now.real !== before.real) return `it now leads to ${now.real} instead of ${before.real}`;
  if (now.dev !== before.dev)
    return `the file system holding it changed (device ${before.dev} -> ${now.dev}): it was unmounted or mounted again`;
  if (now.ino !== before.ino) return `it was replaced by another folder (inode ${before.ino} -> ${now.ino})`;
  if (now.birthtimeMs !== before.birthtimeMs && now.birthtimeMs !== 0 && before.birthtimeMs !== 0)
    return `it was replaced by another folder or file system (created ${new Date(before.birthtimeMs).toISOString()} -> ${new Date(now.birthtimeMs).toISOString()}): it was unmounted and something mounted again`;
  return undefined;
}

/**
 * What the newest finished set of this profile whose repository capture succeeded recorded about
 * it (whatever happened to the other components: a repository-only profile never has a "complete"
 * set, and the comparison is about this component).
 */
export interface PreviousCapture {
  setName: string;
  files: number;
  bytes: number;
  source?: string;
  mount?: MountInfo;
}

export async function previousCapture(profileFolder: string): Promise<PreviousCapture | undefined> {
  const sets = await listSets(profileFolder).catch(() => []);
  for (const s of sets) {
    if (s.status === 'incomplete') continue;
    const prev = fromManifest(s.setName, s.manifest);
    if (prev) return prev;
  }
  return undefined;
}

function fromManifest(setName: string, m: Manifest | undefined): PreviousCapture | undefined {
  const c = m?.components?.find((x) => x.id === 'repository');
  const d = c?.details;
  if (!d || (c.status !== 'succeeded' && c.status !== 'succeeded-with-warnings')) return undefined;
  if (typeof d.files !== 'number' || typeof d.sourceBytes !== 'number') return undefined;
  const prev: PreviousCapture = { setName, files: d.files, bytes: d.sourceBytes };
  if (typeof d.source === 'string') prev.source = d.source;
  const mount = d.sourceMount as Partial<MountInfo> | undefined;
  if (typeof mount?.mountPoint === 'string' && typeof mount.fsType === 'string')
    prev.mount = { mountPoint: mount.mountPoint, fsType: mount.fsType };
  return prev;
}

/** A drop of more than this share, and at least the minimum, is "large". */
const DROP_SHARE = 0.2;
const DROP_MIN_FILES = 20;
const DROP_MIN_BYTES = 16 * 1024 * 1024;

export interface Comparison {
  shrank?: string;
  mountChanged?: string;
}

/** The drop in files/bytes and the change of file system against the last good set, in words. */
export function compareWithPrevious(
  prev: PreviousCapture | undefined,
  now: { files: number; bytes: number; source: string; mount: MountInfo | undefined },
): Comparison {
  if (!prev || (prev.source !== undefined && prev.source !== now.source)) return {};
  const out: Comparison = {};
  const fewerFiles = prev.files - now.files > Math.max(DROP_MIN_FILES, prev.files * DROP_SHARE);
  const fewerBytes = prev.bytes - now.bytes > Math.max(DROP_MIN_BYTES, prev.bytes * DROP_SHARE);
  if (fewerFiles || fewerBytes)
    out.shrank =
      `The repository folder now holds ${plural(now.files, 'file')} (${formatBytes(now.bytes)}); the last good set ` +
      `${prev.setName} held ${plural(prev.files, 'file')} (${formatBytes(prev.bytes)}).`;
  if (
    prev.mount &&
    now.mount &&
    (prev.mount.mountPoint !== now.mount.mountPoint || prev.mount.fsType !== now.mount.fsType)
  )
    out.mountChanged =
      `The repository folder was on ${prev.mount.fsType} mounted at ${prev.mount.mountPoint} in the last good set ` +
      `${prev.setName}; now it is on ${now.mount.fsType} mounted at ${now.mount.mountPoint}.`;
  return out;
}

/** Warning codes that mean content is missing from the archive: any of them fails the step. */
const LOSS: { code: RepositoryWarningCode; error: string; what: string }[] = [
  { code: 'FOLDER_VANISHED', error: 'REPOSITORY_FOLDERS_VANISHED', what: 'vanished with their contents' },
  { code: 'FOLDER_UNREADABLE', error: 'REPOSITORY_FOLDERS_UNREADABLE', what: 'could not be listed' },
  { code: 'FILE_UNREADABLE', error: 'REPOSITORY_FILES_UNREADABLE', what: 'could not be read' },
  { code: 'ZIP_NAME_CHANGED', error: 'ZIP_NAMES_NOT_STORED', what: 'are stored under another name (zip)' },
  { code: 'ZIP_NAME_NOT_STORED', error: 'ZIP_NAMES_NOT_STORED', what: 'have a name a zip cannot hold' },
];

export interface Verdict {
  files: number;
  allowEmpty: boolean;
  configured: string;
  /** What changed about the root during the run (rootChange()). */
  rootChanged: string | undefined;
  comparison: Comparison;
  /** Warnings per code during the run. */
  warned: (code: RepositoryWarningCode) => number;
}

/** The error that fails the step, or undefined when the capture is complete. */
export function captureError(v: Verdict): ExpectedError | undefined {
  const losses = LOSS.map((l) => ({ ...l, n: v.warned(l.code) })).filter((l) => l.n > 0);
  const lossText = losses.map((l) => `${plural(l.n, 'entry', 'entries')} ${l.what} (${l.code})`).join('; ');
  const details = { path: v.configured, ...Object.fromEntries(losses.map((l) => [l.code, l.n])) };
  const also = lossText ? ` Also: ${lossText}.` : '';
  if (v.rootChanged !== undefined)
    return new ExpectedError(
      'REPOSITORY_REPLACED',
      `The repository folder ${v.configured} changed while it was archived: ${v.rootChanged}. The archive holds what was read before and after, which is not one consistent copy.${also}`,
      {
        step,
        fix: 'Check that the share or disk holding the repository folder stays mounted during the backup, then run it again.',
        details,
      },
    );
  if (v.comparison.shrank !== undefined && v.comparison.mountChanged !== undefined)
    return new ExpectedError(
      'REPOSITORY_NOT_MOUNTED',
      `${v.comparison.mountChanged} ${v.comparison.shrank} The share or disk that holds the repository seems not to be mounted.${also}`,
      {
        step,
        fix: 'Mount the share or disk that holds the repository folder again, then run the backup again.',
        details,
      },
    );
  const first = losses[0];
  // Without losses: no files means nothing was there to read.
  if (!first) return v.files === 0 && !v.allowEmpty ? emptyError(v.configured) : undefined;
  return new ExpectedError(
    first.error,
    `The archive of ${v.configured} is not complete: ${lossText}. The archive and file list are kept (the warnings name every entry), but this set is not a complete backup.`,
    {
      step,
      fix:
        first.error === 'ZIP_NAMES_NOT_STORED'
          ? 'Use repository.format "tar.gz", which keeps every name exactly.'
          : 'Make every file and folder readable by the account that runs the backup and keep the repository reachable during the run, then run the backup again.',
      details,
    },
  );
}

function emptyError(configured: string): ExpectedError {
  return new ExpectedError(
    'REPOSITORY_EMPTY',
    `The repository folder ${configured} holds no files. An unmounted share or disk looks exactly like this.`,
    {
      step,
      fix: 'Check that the share or disk holding the repository is mounted. If the repository is really empty (a new installation), set repository.allowEmpty to true.',
      details: { path: configured },
    },
  );
}
