// The archive pass: walk the tree, put every entry through the format's writer, record it in
// the file list (with each file's SHA-256, hashed as it is read), and name every file that
// vanished, changed or could not be read. Nothing is silenced: each problem becomes a warning with
// the file's path as its subject; source-policy.ts decides which of them fail the step.
import { readlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ArchiveNamer, EntryWriter } from './entry-writer.js';
import { FileReader, openSource, type FileSource, type OpenFile } from './file-reader.js';
import { listEntry, type FileListWriter } from './file-list.js';
import type { ArchiveProgress } from './archive-progress.js';
import { walkTree, type WalkEntry, type WalkIssueCode, type WalkOptions } from './walk.js';

export type RepositoryWarningCode =
  | WalkIssueCode
  | 'SYMLINK_OUTSIDE_ROOT'
  | 'SPECIAL_FILE_SKIPPED'
  | 'FILE_CHANGED'
  | 'ZIP_NAME_CHANGED'
  | 'ZIP_NAME_NOT_STORED'
  | 'DESTINATION_INSIDE_SOURCE'
  | 'REPOSITORY_SHRANK'
  | 'REPOSITORY_MOUNT_CHANGED';

/** Test seams: called between units of work so a test can change the tree at an exact moment. */
export interface ArchiveHooks {
  beforeOpen?: (rel: string, abs: string) => void | Promise<void>;
  afterRead?: (rel: string, bytesSoFar: number, abs: string) => void | Promise<void>;
  /** After each entry is in the archive (and the file list). */
  afterEntry?: (rel: string) => void | Promise<void>;
  /** After the scanner counted an entry (the scanner runs ahead of the archive pass). */
  scanned?: (rel: string) => void | Promise<void>;
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
  /** The root's device: folders on other devices are not entered. */
  rootDev?: number;
  /** Called before each entry is written: throws to stop the run (e.g. the FAT32 limit). */
  check?: (e: WalkEntry) => void;
  /** Only the entries it accepts are archived (a second pass: what is new or changed); all are walked. */
  select?: (e: WalkEntry) => boolean;
  /** After each walked entry: whether it went into the archive, and whether it is a faithful copy. */
  onEntry?: (e: WalkEntry, outcome: EntryOutcome) => void;
  /** Which pass this is, when there are several (recorded on the file list's lines after the first). */
  pass?: number;
}

/** What became of a walked entry: archived as it is, archived with a warning, left out, or not selected. */
export type EntryOutcome = 'stored' | 'warned' | 'skipped' | 'unselected';

export interface ArchiveCounts {
  files: number;
  directories: number;
  symlinks: number;
  /** Source bytes stored (files' content as held by the archive). */
  bytes: number;
  skipped: number;
}

/**
 * Archives one walk of the tree into `writer` without finishing it (more batches may follow);
 * the caller calls writer.finish() and list.flush().
 */
export async function archiveTree(o: ArchiveTreeOptions): Promise<ArchiveCounts> {
  const counts: ArchiveCounts = { files: 0, directories: 0, symlinks: 0, bytes: 0, skipped: 0 };
  const walkOpts: WalkOptions = { signal: o.signal, onIssue: (i) => o.warn(i.code, i.message, i.rel) };
  if (o.exclude) walkOpts.exclude = o.exclude;
  if (o.rootDev !== undefined) walkOpts.rootDev = o.rootDev;
  const namer = o.writer.namer();
  for await (const e of walkTree(o.root, walkOpts)) {
    if (o.select && !o.select(e)) {
      // Named all the same: a zip names an entry from its folders', which come first in the walk.
      if (e.kind !== 'special') namer.name(e);
      o.onEntry?.(e, 'unselected');
      continue;
    }
    o.check?.(e);
    o.progress.current(e.rel);
    const named = e.kind === 'special' ? undefined : nameEntry(o, namer, e);
    const outcome = named === null ? 'skipped' : await archiveEntry(o, e, named as Named, counts);
    if (outcome === 'skipped') counts.skipped++;
    o.onEntry?.(e, outcome);
    o.progress.itemDone();
    if (o.hooks?.afterEntry) await o.hooks.afterEntry(e.rel);
  }
  return counts;
}

async function archiveEntry(
  o: ArchiveTreeOptions,
  e: WalkEntry,
  named: Named,
  counts: ArchiveCounts,
): Promise<EntryOutcome> {
  const pass = o.pass !== undefined && o.pass > 1 ? { pass: o.pass } : {};
  switch (e.kind) {
    case 'directory':
      await o.writer.directory({ name: named.name, stats: e.stats });
      await o.list.add({ ...listEntry(e, 'directory', 0, archivePathOf(named)), ...pass });
      counts.directories++;
      return 'stored';
    case 'symlink':
      if (!(await archiveLink(o, e, named))) return 'skipped';
      counts.symlinks++;
      return 'stored';
    case 'file': {
      const r = await archiveFile(o, e, named);
      if (r === undefined) return 'skipped';
      counts.files++;
      counts.bytes += r.stored;
      return r.warning === undefined ? 'stored' : 'warned';
    }
    case 'special':
      o.warn(
        'SPECIAL_FILE_SKIPPED',
        `${e.rel} is not a regular file, folder or link (a socket, pipe or device); it is not in the archive.`,
        e.rel,
      );
      return 'skipped';
  }
}

/** An entry's name in the archive, and whether it differs from its path (then the file list says so). */
interface Named {
  name: Buffer;
  differs: boolean;
}

const archivePathOf = (n: Named | undefined): { archivePath?: Buffer } =>
  n?.differs ? { archivePath: n.name } : {};

/** The entry's name in the archive, or null when the format cannot hold it (warned; the entry is left out). */
function nameEntry(o: ArchiveTreeOptions, namer: ArchiveNamer, e: WalkEntry): Named | null {
  const r = namer.name(e);
  if (!r.ok) {
    o.warn(
      'ZIP_NAME_NOT_STORED',
      `${e.rel} cannot be stored in a zip (${r.reason}); it is not in the archive. Use format tar.gz, which keeps any name.`,
      e.rel,
    );
    if (e.kind === 'file') o.progress.bytes(e.stats.size);
    return null;
  }
  if (r.mapped)
    o.warn(
      'ZIP_NAME_CHANGED',
      `${e.rel} cannot be named as it is inside a zip (a "\\" or a drive letter would be read as a path by zip tools); it is stored as "${r.name.toString('utf8')}"${e.kind === 'directory' ? ' with its contents' : ''}. Use format tar.gz to keep such names.`,
      e.rel,
    );
  return { name: r.name, differs: r.differs };
}

async function archiveLink(o: ArchiveTreeOptions, e: WalkEntry, named: Named): Promise<boolean> {
  let target: Buffer;
  try {
    target = await readlink(e.abs, { encoding: 'buffer' });
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
  const targetText = target.toString('utf8');
  if (pointsOutside(o.root, e.rel, targetText))
    o.warn(
      'SYMLINK_OUTSIDE_ROOT',
      `${e.rel} is a link to ${targetText}, outside the repository folder. The link is stored as a link; what it points to is NOT in this backup.`,
      e.rel,
    );
  await o.writer.symlink({ name: named.name, stats: e.stats }, target);
  await o.list.add({
    ...listEntry(e, 'symlink', 0, { target, ...archivePathOf(named) }),
    ...(o.pass !== undefined && o.pass > 1 && { pass: o.pass }),
  });
  return true;
}

/** The bytes stored and the warning it got, or undefined when the file is not in the archive. */
async function archiveFile(
  o: ArchiveTreeOptions,
  e: WalkEntry,
  named: Named,
): Promise<{ stored: number; warning: RepositoryWarningCode | undefined } | undefined> {
  const abs = typeof e.abs === 'string' ? e.abs : e.abs.toString('utf8');
  if (o.hooks?.beforeOpen) await o.hooks.beforeOpen(e.rel, abs);
  let source: FileSource;
  try {
    source = await openSource(e.abs, e.stats.size, o.open);
  } catch (err) {
    warnOpenFailed(o, e, err);
    o.progress.bytes(e.stats.size);
    return undefined;
  }
  try {
    const afterRead = o.hooks?.afterRead;
    const reader = new FileReader(source, e.stats.size, o.signal, {
      onBytes: (n) => o.progress.bytes(n),
      ...(afterRead && { afterRead: (b: number) => afterRead(e.rel, b, abs) }),
    });
    const stored = await o.writer.file({ name: named.name, stats: e.stats }, reader);
    o.progress.bytes(reader.shortBy);
    const warning = await readProblem(o, e, reader, source);
    await o.list.add({
      ...listEntry(e, 'file', stored, {
        sha256: reader.digest(stored),
        ...archivePathOf(named),
        ...(warning !== undefined && { warning }),
      }),
      ...(o.pass !== undefined && o.pass > 1 && { pass: o.pass }),
    });
    return { stored, warning };
  } finally {
    await source.close().catch(() => undefined);
  }
}

function warnOpenFailed(o: ArchiveTreeOptions, e: WalkEntry, err: unknown): void {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT')
    o.warn('FILE_VANISHED', `${e.rel} disappeared before it could be read; it is not in the archive.`, e.rel);
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
}

/** Warns about a read that failed or a file that changed while read; returns the warning code. */
async function readProblem(
  o: ArchiveTreeOptions,
  e: WalkEntry,
  reader: FileReader,
  source: FileSource,
): Promise<RepositoryWarningCode | undefined> {
  const size = e.stats.size;
  if (reader.error) {
    o.warn(
      'FILE_UNREADABLE',
      `Reading ${e.rel} failed after ${reader.bytesRead} of ${size} bytes (${reader.error.code ?? reader.error.message}); ${o.writer.shortFileNote}.`,
      e.rel,
    );
    return 'FILE_UNREADABLE';
  }
  if (reader.shortBy > 0) {
    o.warn(
      'FILE_CHANGED',
      `${e.rel} shrank while it was archived: ${reader.bytesRead} of ${size} bytes could be read; ${o.writer.shortFileNote}.`,
      e.rel,
    );
    return 'FILE_CHANGED';
  }
  const after = await source.stat().catch(() => undefined);
  if (!after || (after.size === size && after.mtimeMs === e.stats.mtimeMs)) return undefined;
  const what =
    after.size !== size
      ? `its size went from ${size} to ${after.size} bytes`
      : `it was modified (${new Date(e.stats.mtimeMs).toISOString()} -> ${new Date(after.mtimeMs).toISOString()})`;
  o.warn(
    'FILE_CHANGED',
    `${e.rel} changed while it was archived (${what}); the archive holds the first ${size} bytes as they were read.`,
    e.rel,
  );
  return 'FILE_CHANGED';
}

/** Lexical check: where the link points, resolved against its own folder, is outside the root. */
export function pointsOutside(root: string, linkRel: string, target: string): boolean {
  const linkAbs = resolve(root, ...linkRel.split('/'));
  const dest = isAbsolute(target) ? resolve(target) : resolve(dirname(linkAbs), target);
  const rel = relative(root, dest);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
