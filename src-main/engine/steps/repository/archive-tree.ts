// The archive pass: walk the tree, put every entry through the format's writer, record it in
// the file list, and name every file that vanished, changed or could not be read. Nothing is
// silenced: each problem becomes a warning with the file's path as its subject.
import { readlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { EntryWriter } from './entry-writer.js';
import { FileReader, openSource, type FileSource, type OpenFile } from './file-reader.js';
import { listEntry, type FileListWriter } from './file-list.js';
import type { ArchiveProgress } from './archive-progress.js';
import { walkTree, type WalkEntry, type WalkOptions } from './walk.js';

export type RepositoryWarningCode =
  | 'FILE_VANISHED'
  | 'FILE_CHANGED'
  | 'FILE_UNREADABLE'
  | 'FOLDER_UNREADABLE'
  | 'FOLDER_VANISHED'
  | 'SYMLINK_OUTSIDE_ROOT'
  | 'SPECIAL_FILE_SKIPPED'
  | 'ZIP_NAME_CHANGED'
  | 'DESTINATION_INSIDE_SOURCE';

/** Test seams: called between units of work so a test can change the tree at an exact moment. */
export interface ArchiveHooks {
  beforeOpen?: (rel: string, abs: string) => void | Promise<void>;
  afterRead?: (rel: string, bytesSoFar: number, abs: string) => void | Promise<void>;
}

export interface ArchiveTreeOptions {
  root: string;
  writer: EntryWriter;
  list: FileListWriter;
  progress: ArchiveProgress;
  signal: AbortSignal;
  warn: (code: RepositoryWarningCode, message: string, subject: string) => void;
  /** Test seam: every file is opened with it (else small files sync, large ones async). */
  open?: OpenFile | undefined;
  hooks?: ArchiveHooks | undefined;
  /** Folders left out (the destination when it lies inside the repository folder). */
  exclude?: ReadonlySet<string>;
}

export interface ArchiveCounts {
  files: number;
  directories: number;
  symlinks: number;
  /** Source bytes stored (files' content as held by the archive). */
  bytes: number;
  skipped: number;
}

export async function archiveTree(o: ArchiveTreeOptions): Promise<ArchiveCounts> {
  const counts: ArchiveCounts = { files: 0, directories: 0, symlinks: 0, bytes: 0, skipped: 0 };
  const walkOpts: WalkOptions = { signal: o.signal, onIssue: (i) => o.warn(i.code, i.message, i.rel) };
  if (o.exclude) walkOpts.exclude = o.exclude;
  for await (const e of walkTree(o.root, walkOpts)) {
    o.progress.current(e.rel);
    const name = o.writer.archiveName(e.rel);
    const archivePath = name === e.rel ? undefined : name;
    if (name === '' && e.kind !== 'special') {
      counts.skipped++;
      o.warn(
        'ZIP_NAME_CHANGED',
        `${e.rel} has no usable name inside a zip; it is not in the archive. Use format tar.`,
        e.rel,
      );
      o.progress.itemDone();
      continue;
    }
    if (archivePath !== undefined && e.kind !== 'special')
      o.warn(
        'ZIP_NAME_CHANGED',
        `${e.rel} cannot be named as it is inside a zip; it is stored as "${name}". Use format tar to keep such names.`,
        e.rel,
      );
    switch (e.kind) {
      case 'directory':
        await o.writer.directory(e);
        await o.list.add(
          listEntry(e.rel, 'directory', e.stats, 0, { ...(archivePath !== undefined && { archivePath }) }),
        );
        counts.directories++;
        break;
      case 'symlink':
        if (await archiveLink(o, e, archivePath)) counts.symlinks++;
        else counts.skipped++;
        break;
      case 'file': {
        const stored = await archiveFile(o, e, archivePath);
        if (stored === undefined) counts.skipped++;
        else {
          counts.files++;
          counts.bytes += stored;
        }
        break;
      }
      case 'special':
        counts.skipped++;
        o.warn(
          'SPECIAL_FILE_SKIPPED',
          `${e.rel} is not a regular file, folder or link (a socket, pipe or device); it is not in the archive.`,
          e.rel,
        );
    }
    o.progress.itemDone();
  }
  await o.writer.finish();
  await o.list.flush();
  return counts;
}

async function archiveLink(
  o: ArchiveTreeOptions,
  e: WalkEntry,
  archivePath: string | undefined,
): Promise<boolean> {
  let target: string;
  try {
    target = await readlink(e.abs);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT')
      o.warn(
        'FILE_VANISHED',
        `The link ${e.rel} disappeared before it could be read; it is not in the archive.`,
        e.rel,
      );
    else if (code === 'EINVAL')
      o.warn(
        'FILE_CHANGED',
        `${e.rel} stopped being a link while the archive was written; it is not in the archive.`,
        e.rel,
      );
    else
      o.warn(
        'FILE_UNREADABLE',
        `The link ${e.rel} cannot be read (${code ?? (err as Error).message}); it is not in the archive.`,
        e.rel,
      );
    return false;
  }
  if (pointsOutside(o.root, e.abs, target))
    o.warn(
      'SYMLINK_OUTSIDE_ROOT',
      `${e.rel} is a link to ${target}, outside the repository folder. The link is stored as a link; what it points to is NOT in this backup.`,
      e.rel,
    );
  await o.writer.symlink(e, target);
  await o.list.add(
    listEntry(e.rel, 'symlink', e.stats, 0, { target, ...(archivePath !== undefined && { archivePath }) }),
  );
  return true;
}

/** Returns the bytes stored, or undefined when the file is not in the archive. */
async function archiveFile(
  o: ArchiveTreeOptions,
  e: WalkEntry,
  archivePath: string | undefined,
): Promise<number | undefined> {
  if (o.hooks?.beforeOpen) await o.hooks.beforeOpen(e.rel, e.abs);
  let source: FileSource;
  try {
    source = await openSource(e.abs, e.stats.size, o.open);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT')
      o.warn(
        'FILE_VANISHED',
        `${e.rel} disappeared before it could be read; it is not in the archive.`,
        e.rel,
      );
    else if (code === 'ELOOP')
      o.warn(
        'FILE_CHANGED',
        `${e.rel} was replaced by a link while the archive was written; it is not in the archive.`,
        e.rel,
      );
    else
      o.warn(
        'FILE_UNREADABLE',
        `${e.rel} cannot be opened (${code ?? (err as Error).message}); it is not in the archive.`,
        e.rel,
      );
    o.progress.bytes(e.stats.size);
    return undefined;
  }
  try {
    const afterRead = o.hooks?.afterRead;
    const reader = new FileReader(source, e.stats.size, o.signal, {
      onBytes: (n) => o.progress.bytes(n),
      ...(afterRead && { afterRead: (b: number) => afterRead(e.rel, b, e.abs) }),
    });
    const stored = await o.writer.file(e, reader);
    o.progress.bytes(reader.shortBy);
    const after = await source.stat().catch(() => undefined);
    const size = e.stats.size;
    let warning: RepositoryWarningCode | undefined;
    if (reader.error) {
      warning = 'FILE_UNREADABLE';
      o.warn(
        warning,
        `Reading ${e.rel} failed after ${reader.bytesRead} of ${size} bytes (${reader.error.code ?? reader.error.message}); ${o.writer.shortFileNote}.`,
        e.rel,
      );
    } else if (reader.shortBy > 0) {
      warning = 'FILE_CHANGED';
      o.warn(
        warning,
        `${e.rel} shrank while it was archived: ${reader.bytesRead} of ${size} bytes could be read; ${o.writer.shortFileNote}.`,
        e.rel,
      );
    } else if (after && (after.size !== size || after.mtimeMs !== e.stats.mtimeMs)) {
      warning = 'FILE_CHANGED';
      const what =
        after.size !== size
          ? `its size went from ${size} to ${after.size} bytes`
          : `it was modified (${new Date(e.stats.mtimeMs).toISOString()} -> ${new Date(after.mtimeMs).toISOString()})`;
      o.warn(
        warning,
        `${e.rel} changed while it was archived (${what}); the archive holds the first ${size} bytes as they were read.`,
        e.rel,
      );
    }
    await o.list.add(
      listEntry(e.rel, 'file', e.stats, stored, {
        ...(archivePath !== undefined && { archivePath }),
        ...(warning !== undefined && { warning }),
      }),
    );
    return stored;
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** Lexical check: where the link points, resolved against its own folder, is outside the root. */
export function pointsOutside(root: string, linkAbs: string, target: string): boolean {
  const dest = isAbsolute(target) ? resolve(target) : resolve(dirname(linkAbs), target);
  const rel = relative(root, dest);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
