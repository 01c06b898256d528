// Depth-first walk of the repository folder with lstat: symbolic links are reported as links and
// never followed, so nothing outside the root is ever read. Names are sorted by their bytes so two
// runs over the same tree produce the same archive order. Memory holds one directory listing per
// depth level. readdir/lstat are synchronous (a thread-pool round trip per entry costs 10x more
// than the call) with the event loop let through every few milliseconds.
//
// Names are handled as the bytes the file system holds: a name that is not valid UTF-8 is read,
// archived and listed exactly (`raw`), never skipped. Paths longer than the kernel's PATH_MAX
// (4 KiB on Linux) are reached through an open descriptor of an ancestor folder
// (`/proc/self/fd/<fd>/<rest>`), as GNU tar does with openat(). The walk never crosses into
// another file system (/proc, /sys, a share mounted inside the repository ...): such a folder is
// reported, and its contents are not read.
import { closeSync, lstatSync, openSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { throwIfAborted } from '../../errors.js';
import { EventLoopYielder } from './yielder.js';
import {
  byteLength,
  CAN_ANCHOR,
  descriptorPath,
  DIR_FLAGS,
  LONG_PATH,
  type FsPath,
} from '../../fs/long-paths.js';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'special';

export type { FsPath };

export interface WalkEntry {
  /** Path relative to the root, forward slashes; bytes that are not UTF-8 shown as U+FFFD. */
  rel: string;
  /** The exact bytes of the relative path, only when `rel` cannot hold them (not valid UTF-8). */
  raw: Buffer | undefined;
  /** The entry's own name (last path segment), as bytes. */
  name: Buffer;
  /** Number of folders above the entry inside the root (0 for the root's own entries). */
  depth: number;
  /** The path to give fs calls (absolute, or through /proc/self/fd for very long paths). */
  abs: FsPath;
  kind: EntryKind;
  stats: Stats;
  /** The parent folder's sorted listing (names as bytes), e.g. for names that must stay unique. */
  siblings: readonly Buffer[];
  /** A folder on another file system (a mount point inside the tree): its contents are not walked. */
  otherFileSystem?: boolean;
}

export type WalkIssueCode =
  'FOLDER_UNREADABLE' | 'FOLDER_VANISHED' | 'FILE_VANISHED' | 'FILE_UNREADABLE' | 'OTHER_FILE_SYSTEM_SKIPPED';

export interface WalkIssue {
  code: WalkIssueCode;
  rel: string;
  message: string;
}

export interface WalkOptions {
  signal: AbortSignal;
  /** Called for each folder that cannot be listed and each entry that vanished before its lstat. */
  onIssue?: (issue: WalkIssue) => void;
  /** Folders (absolute paths under the root) to leave out entirely, e.g. a destination inside the source. */
  exclude?: ReadonlySet<string>;
  /** The device of the root folder; sub-folders on another device are not entered. */
  rootDev?: number;
}

export function kindOf(s: Stats): EntryKind {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  return 'special';
}

interface Dir {
  access: FsPath;
  rel: string;
  raw: Buffer | undefined;
  depth: number;
}

export async function* walkTree(root: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  yield* walkDir({ access: root, rel: '', raw: undefined, depth: 0 }, opts, new EventLoopYielder());
}

/** `a` + "/" + `b` as a string while both are UTF-8, else as bytes. */
export function joinPath(a: FsPath, b: Buffer, bText: string | undefined): FsPath {
  if (typeof a === 'string' && bText !== undefined) return a.endsWith('/') ? a + bText : `${a}/${bText}`;
  const head = typeof a === 'string' ? Buffer.from(a) : a;
  const slash = head[head.length - 1] === 0x2f ? [] : [Buffer.from('/')];
  return Buffer.concat([head, ...slash, b]);
}

/** The folder's entries sorted by name bytes (their types as the folder lists them), or undefined. */
function listDir(dir: Dir, opts: WalkOptions): Dirent<Buffer>[] | undefined {
  try {
    return readdirSync(dir.access, { encoding: 'buffer', withFileTypes: true }).sort((a, b) =>
      Buffer.compare(a.name, b.name),
    );
  } catch (err) {
    const code = (err as { code?: string }).code;
    const where = dir.rel === '' ? 'The repository folder' : `The folder ${dir.rel}`;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      opts.onIssue?.({
        code: 'FOLDER_VANISHED',
        rel: dir.rel,
        message: `${where} disappeared before its contents could be listed; its contents are not in the archive.`,
      });
    else
      opts.onIssue?.({
        code: 'FOLDER_UNREADABLE',
        rel: dir.rel,
        message: `${where} cannot be listed (${code ?? (err as Error).message}); its contents are not in the archive.`,
      });
    return undefined;
  }
}

async function* walkDir(dir: Dir, opts: WalkOptions, yielder: EventLoopYielder): AsyncGenerator<WalkEntry> {
  throwIfAborted(opts.signal);
  const listing = listDir(dir, opts);
  if (!listing) return;
  const names = listing.map((d) => d.name);
  for (const [i, name] of names.entries()) {
    await yielder.maybeYield();
    throwIfAborted(opts.signal);
    const text = isUtf8(name) ? name.toString('utf8') : undefined;
    const shown = text ?? name.toString('utf8');
    const rel = dir.rel === '' ? shown : `${dir.rel}/${shown}`;
    const raw =
      text !== undefined && dir.raw === undefined
        ? undefined
        : dir.rel === ''
          ? name
          : Buffer.concat([dir.raw ?? Buffer.from(dir.rel), Buffer.from('/'), name]);
    const abs = joinPath(dir.access, name, text);
    const s = lstatEntry(abs, rel, listing[i]?.isDirectory() === true, opts);
    if (!s) continue;
    const kind = kindOf(s);
    if (kind === 'directory' && typeof abs === 'string' && opts.exclude?.has(abs)) continue;
    const entry: WalkEntry = { rel, raw, name, depth: dir.depth, abs, kind, stats: s, siblings: names };
    if (kind !== 'directory') {
      yield entry;
      continue;
    }
    if (opts.rootDev !== undefined && s.dev !== opts.rootDev) {
      entry.otherFileSystem = true;
      yield entry;
      opts.onIssue?.({
        code: 'OTHER_FILE_SYSTEM_SKIPPED',
        rel,
        message: `${rel} is another file system mounted inside the repository folder; the folder is archived empty and its contents are NOT in this backup. Back it up separately, or point repository.path at it.`,
      });
      continue;
    }
    yield entry;
    yield* descend(abs, { rel, raw, depth: dir.depth + 1 }, opts, yielder);
  }
}

/** Walks a sub-folder, through an open descriptor when its path is long (see LONG_PATH). */
async function* descend(
  abs: FsPath,
  child: Omit<Dir, 'access'>,
  opts: WalkOptions,
  yielder: EventLoopYielder,
): AsyncGenerator<WalkEntry> {
  if (!CAN_ANCHOR || byteLength(abs) <= LONG_PATH) {
    yield* walkDir({ ...child, access: abs }, opts, yielder);
    return;
  }
  let fd: number;
  try {
    fd = openSync(abs, DIR_FLAGS);
  } catch {
    // Listing it reports the problem in the usual words (vanished, unreadable).
    yield* walkDir({ ...child, access: abs }, opts, yielder);
    return;
  }
  try {
    yield* walkDir({ ...child, access: descriptorPath(fd) }, opts, yielder);
  } finally {
    closeSync(fd);
  }
}

/** lstat, or undefined after reporting why not (a folder that vanished is named as one). */
function lstatEntry(abs: FsPath, rel: string, listedAsFolder: boolean, opts: WalkOptions): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch (err) {
    const code = (err as { code?: string }).code;
    opts.onIssue?.(
      code === 'ENOENT' && listedAsFolder
        ? {
            code: 'FOLDER_VANISHED',
            rel,
            message: `The folder ${rel} disappeared with its contents while the repository was read; none of it is in the archive.`,
          }
        : code === 'ENOENT'
          ? {
              code: 'FILE_VANISHED',
              rel,
              message: `${rel} disappeared while the folder was read; it is not in the archive.`,
            }
          : {
              code: 'FILE_UNREADABLE',
              rel,
              message: `${rel} cannot be examined (${code ?? 'error'}); it is not in the archive.`,
            },
    );
    return undefined;
  }
}

export interface TreeTotals {
  files: number;
  directories: number;
  symlinks: number;
  special: number;
  /** Sum of regular files' sizes. */
  bytes: number;
  largestFile: number;
  largestFilePath?: string;
}

export function emptyTotals(): TreeTotals {
  return { files: 0, directories: 0, symlinks: 0, special: 0, bytes: 0, largestFile: 0 };
}

/** Adds one walked entry to running totals. */
export function countEntry(t: TreeTotals, e: WalkEntry): void {
  switch (e.kind) {
    case 'file':
      t.files++;
      t.bytes += e.stats.size;
      if (e.stats.size > t.largestFile) {
        t.largestFile = e.stats.size;
        t.largestFilePath = e.rel;
      }
      break;
    case 'directory':
      t.directories++;
      break;
    case 'symlink':
      t.symlinks++;
      break;
    case 'special':
      t.special++;
  }
}

export interface ScanOptions {
  signal: AbortSignal;
  onProgress?: (t: TreeTotals) => void;
  /** Called for every entry as it is counted (the running totals already include it). */
  onEntry?: (t: TreeTotals, e: WalkEntry) => void;
  exclude?: ReadonlySet<string>;
  rootDev?: number;
  /** Totals to add to (read by others while the scan runs); a fresh object by default. */
  into?: TreeTotals;
  /** Test seam: awaited after each counted entry. */
  pace?: (rel: string) => void | Promise<void>;
}

/** Totals for progress, preflight and the FAT32 check. Problems are left to the archive pass. */
export async function scanTree(root: string, opts: ScanOptions): Promise<TreeTotals> {
  const t = opts.into ?? emptyTotals();
  let n = 0;
  const walkOpts: WalkOptions = { signal: opts.signal };
  if (opts.exclude) walkOpts.exclude = opts.exclude;
  if (opts.rootDev !== undefined) walkOpts.rootDev = opts.rootDev;
  for await (const e of walkTree(root, walkOpts)) {
    countEntry(t, e);
    opts.onEntry?.(t, e);
    if (opts.pace) await opts.pace(e.rel);
    if (++n % 1000 === 0) opts.onProgress?.(t);
  }
  return t;
}

/** Entries an archive will hold (each costs a header and an open/close). */
export function entryCount(t: TreeTotals): number {
  return t.files + t.directories + t.symlinks;
}
