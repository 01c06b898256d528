// Depth-first walk of the repository folder with lstat: symbolic links are reported as links and
// never followed, so nothing outside the root is ever read. Names are sorted so two runs over the
// same tree produce the same archive order. Memory holds one directory listing per depth level.
// readdir/lstat are synchronous (a thread-pool round trip per entry costs 10x more than the call)
// with the event loop let through every few milliseconds.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { throwIfAborted } from '../../errors.js';
import { EventLoopYielder } from './yielder.js';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'special';

export interface WalkEntry {
  /** Path relative to the root, forward slashes. */
  rel: string;
  abs: string;
  kind: EntryKind;
  stats: Stats;
}

export type WalkIssueCode = 'FOLDER_UNREADABLE' | 'FOLDER_VANISHED' | 'FILE_VANISHED' | 'FILE_UNREADABLE';

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
}

export function kindOf(s: Stats): EntryKind {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  return 'special';
}

export async function* walkTree(root: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  yield* walkDir(root, '', opts, new EventLoopYielder());
}

async function* walkDir(
  abs: string,
  rel: string,
  opts: WalkOptions,
  yielder: EventLoopYielder,
): AsyncGenerator<WalkEntry> {
  throwIfAborted(opts.signal);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const where = rel === '' ? 'The repository folder' : `The folder ${rel}`;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      opts.onIssue?.({
        code: 'FOLDER_VANISHED',
        rel,
        message: `${where} disappeared before its contents could be listed; its contents are not in the archive.`,
      });
    else
      opts.onIssue?.({
        code: 'FOLDER_UNREADABLE',
        rel,
        message: `${where} cannot be listed (${code ?? (err as Error).message}); its contents are not in the archive.`,
      });
    return;
  }
  names.sort();
  for (const name of names) {
    await yielder.maybeYield();
    throwIfAborted(opts.signal);
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const childAbs = join(abs, name);
    let s: Stats;
    try {
      s = lstatSync(childAbs);
    } catch (err) {
      const code = (err as { code?: string }).code;
      opts.onIssue?.(
        code === 'ENOENT' && name.includes('\uFFFD')
          ? {
              code: 'FILE_UNREADABLE',
              rel: childRel,
              message: `${childRel} has a name that is not valid UTF-8 and cannot be opened by that name; it is not in the archive. Rename it.`,
            }
          : code === 'ENOENT'
            ? {
                code: 'FILE_VANISHED',
                rel: childRel,
                message: `${childRel} disappeared while the folder was read; it is not in the archive.`,
              }
            : {
                code: 'FILE_UNREADABLE',
                rel: childRel,
                message: `${childRel} cannot be examined (${code ?? 'error'}); it is not in the archive.`,
              },
      );
      continue;
    }
    const kind = kindOf(s);
    if (kind === 'directory' && opts.exclude?.has(childAbs)) continue;
    yield { rel: childRel, abs: childAbs, kind, stats: s };
    if (kind === 'directory') yield* walkDir(childAbs, childRel, opts, yielder);
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

/** The pre-scan: totals for progress, preflight and the FAT32 check. Problems are left to the archive pass. */
export async function scanTree(
  root: string,
  opts: { signal: AbortSignal; onProgress?: (t: TreeTotals) => void; exclude?: ReadonlySet<string> },
): Promise<TreeTotals> {
  const t: TreeTotals = { files: 0, directories: 0, symlinks: 0, special: 0, bytes: 0, largestFile: 0 };
  let n = 0;
  const walkOpts: WalkOptions = { signal: opts.signal };
  if (opts.exclude) walkOpts.exclude = opts.exclude;
  for await (const e of walkTree(root, walkOpts)) {
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
    if (++n % 1000 === 0) opts.onProgress?.(t);
  }
  return t;
}

/** Entries an archive will hold (each costs a header and an open/close). */
export function entryCount(t: TreeTotals): number {
  return t.files + t.directories + t.symlinks;
}
