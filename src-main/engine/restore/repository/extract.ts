// Extracts an archive into a folder, entry by entry, in archive order. A later entry for the
// same path replaces an earlier one (the bracketed capture appends changed files to the archive),
// for tar and zip alike. Nothing lands outside the target: names are checked (safe-name.ts),
// folders are verified real (dir-guard.ts) and files are created exclusively, so an existing link
// is replaced, never followed. Folder times and modes are set at the end, after their contents.
import {
  constants,
  lchownSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  realpathSync,
  unlinkSync,
} from 'node:fs';
import { linkSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { openArchive, type ArchiveEntry, type ArchiveReader } from '../../archive/open-archive.js';
import { throwIfAborted } from '../../errors.js';
import { removeTreeSync } from '../../fs/remove-tree.js';
import { EventLoopYielder } from '../../steps/repository/yielder.js';
import { DirGuard, type FsPath, type Owner } from './dir-guard.js';
import { ExtractProgressReporter, type ExtractProgress } from './extract-progress.js';
import { FileOutput, fileMode } from './file-output.js';
import { applyFolderMeta, FolderMeta } from './folder-meta.js';
import { checkEntryName, type SafeName } from './safe-name.js';
import { restoreTargetError, unsafeEntryError } from './target-errors.js';

export type { ExtractProgress } from './extract-progress.js';

/** What an extracted entry turned out to be: the compare step matches it against the file list. */
export interface ExtractedEntry {
  key: string;
  name: string;
  /** Hard links are reported as files (the file list sees them so). */
  type: 'file' | 'directory' | 'symlink';
  size: number;
  /** SHA-256 of the bytes written (files, when hashing). */
  sha256?: string;
  target?: string;
}

export interface RestoreWarning {
  code: string;
  message: string;
  subject: string;
}

export interface ExtractOptions {
  signal: AbortSignal;
  /** Hash every file while it is written (SHA-256, no second read). */
  hash?: boolean;
  /** Owner for everything created (a root restore gives the files back to Octane's account). */
  owner?: Owner;
  /** Links whose target lies outside the folder: recreated as stored (default) or skipped. */
  linksOutside?: 'create' | 'skip';
  onProgress?: (p: ExtractProgress) => void;
  onEntry?: (e: ExtractedEntry) => void;
  onWarning?: (w: RestoreWarning) => void;
  /** Name rules of this platform (test seam). */
  platform?: NodeJS.Platform;
}

export interface ExtractSummary {
  entries: number;
  files: number;
  directories: number;
  symlinks: number;
  hardlinks: number;
  skipped: number;
  /** Content bytes written. */
  bytes: number;
  /** Entries that replaced an earlier entry for the same path. */
  replaced: number;
}

export class Extraction {
  readonly summary: ExtractSummary = {
    entries: 0,
    files: 0,
    directories: 0,
    symlinks: 0,
    hardlinks: 0,
    skipped: 0,
    bytes: 0,
    replaced: 0,
  };
  /** The entry being written when the extraction stopped (for the failure report). */
  current: string | undefined;
  private root = '';
  private guard!: DirGuard;
  private readonly folders = new FolderMeta();
  private reader: ArchiveReader | undefined;

  constructor(
    readonly archive: string,
    readonly target: string,
    private readonly opts: ExtractOptions,
  ) {}

  async run(): Promise<ExtractSummary> {
    const o = this.opts;
    try {
      this.root = realpathSync(this.target);
    } catch (err) {
      throw restoreTargetError(err, this.target);
    }
    this.guard = new DirGuard(this.root, o.owner, (reason) => {
      throw unsafeEntryError(this.archive, this.current ?? '', reason);
    });
    const progress = new ExtractProgressReporter(o.onProgress);
    const yielder = new EventLoopYielder();
    this.reader = await openArchive(this.archive, { signal: o.signal });
    try {
      for await (const entry of this.reader.entries()) {
        throwIfAborted(o.signal);
        this.current = entry.name;
        await this.entry(entry, this.reader);
        this.summary.entries++;
        progress.update(this.summary, this.reader, entry.name);
        await yielder.maybeYield();
      }
      this.current = undefined;
      applyFolderMeta(
        this.folders,
        (name) => this.guard.pathOf(name),
        (name, err) => restoreTargetError(err, name.depth ? `${this.root}${sep}${name.text}` : this.root),
      );
      progress.done(this.summary, this.reader);
      return this.summary;
    } finally {
      this.guard.close();
      await this.reader.close();
    }
  }

  private async entry(entry: ArchiveEntry, reader: ArchiveReader): Promise<void> {
    const check = checkEntryName(entry.name, entry.rawName, this.opts.platform);
    if (!check.ok) throw unsafeEntryError(this.archive, entry.name, check.reason);
    const name = check.name;
    if (name.depth === 0) {
      if (entry.type !== 'directory') throw unsafeEntryError(this.archive, entry.name, 'it has no name');
      this.folders.set(name, entry);
      return;
    }
    try {
      const abs = this.guard.prepare(name);
      switch (entry.type) {
        case 'file':
          return await this.file(entry, name, abs, reader);
        case 'directory':
          return this.directory(entry, name, abs);
        case 'symlink':
          return this.symlink(entry, name, abs);
        case 'hardlink':
          return this.hardlink(entry, name, abs);
        case 'other':
          this.summary.skipped++;
          this.opts.onWarning?.({
            code: 'RESTORE_ENTRY_SKIPPED',
            message: `${entry.name} is a ${entry.otherKind ?? 'special entry'}; it is not restored.`,
            subject: entry.name,
          });
      }
    } catch (err) {
      throw restoreTargetError(err, `${this.root}${sep}${name.text}`);
    }
  }

  private async file(entry: ArchiveEntry, name: SafeName, abs: FsPath, reader: ArchiveReader): Promise<void> {
    const out = new FileOutput(
      this.create(abs, name, () => openSync(abs, EXCLUSIVE, fileMode(entry.mode))),
      this.opts.hash === true,
    );
    try {
      const signal = this.opts.signal;
      await reader.readContent((chunk) => {
        throwIfAborted(signal);
        out.write(chunk);
      });
      const sha256 = out.finish({ mtimeMs: entry.mtimeMs, mode: entry.mode, owner: this.opts.owner });
      this.summary.files++;
      this.summary.bytes += out.bytes;
      this.opts.onEntry?.({
        key: name.key,
        name: name.text,
        type: 'file',
        size: out.bytes,
        ...(sha256 !== undefined && { sha256 }),
      });
    } finally {
      out.close();
    }
  }

  private directory(entry: ArchiveEntry, name: SafeName, abs: FsPath): void {
    try {
      mkdirSync(abs, 0o755);
      if (this.opts.owner) lchownSync(abs, this.opts.owner.uid, this.opts.owner.gid);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      if (!lstatSync(abs).isDirectory()) {
        unlinkSync(abs); // a later folder entry replaces an earlier file or link
        this.summary.replaced++;
        mkdirSync(abs, 0o755);
        if (this.opts.owner) lchownSync(abs, this.opts.owner.uid, this.opts.owner.gid);
      }
    }
    this.guard.mark(name);
    this.folders.set(name, entry);
    this.summary.directories++;
    this.opts.onEntry?.({ key: name.key, name: name.text, type: 'directory', size: 0 });
  }

  private symlink(entry: ArchiveEntry, name: SafeName, abs: FsPath): void {
    const target = entry.linkTarget ?? '';
    const outside = pointsOutside(this.root, name.text, target);
    if (outside) {
      const skip = this.opts.linksOutside === 'skip';
      this.opts.onWarning?.({
        code: 'RESTORE_LINK_OUTSIDE',
        message: `${entry.name} is a link to ${target}, outside the restored folder; ${skip ? 'it is not restored' : 'it is restored as stored (what it points to is not part of the set)'}.`,
        subject: entry.name,
      });
      if (skip) {
        this.summary.skipped++;
        return;
      }
    }
    this.create(abs, name, () => symlinkSync(entry.rawLinkTarget ?? target, abs));
    if (this.opts.owner) lchownSync(abs, this.opts.owner.uid, this.opts.owner.gid);
    if (entry.mtimeMs !== undefined) {
      try {
        lutimesSync(abs, entry.mtimeMs / 1000, entry.mtimeMs / 1000);
      } catch {
        /* some platforms cannot time a link itself; the link is what matters */
      }
    }
    this.summary.symlinks++;
    this.opts.onEntry?.({ key: name.key, name: name.text, type: 'symlink', size: 0, target });
  }

  private hardlink(entry: ArchiveEntry, name: SafeName, abs: FsPath): void {
    const src = checkEntryName(entry.linkTarget ?? '', entry.rawLinkTarget, this.opts.platform);
    if (!src.ok || src.name.depth === 0)
      throw unsafeEntryError(
        this.archive,
        entry.name,
        `it is a hard link to "${entry.linkTarget}", outside the folder`,
      );
    const srcAbs = this.guard.existing(src.name);
    const st = lstatSync(srcAbs, { throwIfNoEntry: false });
    if (!st?.isFile())
      throw unsafeEntryError(
        this.archive,
        entry.name,
        `it is a hard link to "${entry.linkTarget}", which is not a file extracted before it`,
      );
    this.create(abs, name, () => linkSync(srcAbs, abs));
    this.summary.hardlinks++;
    this.opts.onEntry?.({ key: name.key, name: name.text, type: 'file', size: st.size });
  }

  /** Runs `make` (which creates `abs` exclusively); when something is already there, replaces it once. */
  private create<T>(abs: FsPath, name: SafeName, make: () => T): T {
    try {
      return make();
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    const st = lstatSync(abs);
    if (st.isDirectory()) {
      removeTreeSync(abs); // never follows links inside, reaches any depth
      this.guard.forget();
      this.folders.removeUnder(name.key);
    } else unlinkSync(abs);
    this.summary.replaced++;
    return make();
  }
}

const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/** Lexical: where a link at `key` (relative to root) pointing at `target` resolves, is outside root. */
export function pointsOutside(root: string, key: string, target: string): boolean {
  const linkAbs = resolve(root, ...key.split('/'));
  const dest = isAbsolute(target) ? resolve(target) : resolve(dirname(linkAbs), target);
  const rel = relative(root, dest);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Extracts `archive` into the existing folder `target`. */
export function extractArchive(
  archive: string,
  target: string,
  opts: ExtractOptions,
): Promise<ExtractSummary> {
  return new Extraction(archive, target, opts).run();
}
