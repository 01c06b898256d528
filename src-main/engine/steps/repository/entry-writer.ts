// One archive format behind one small interface, so the walk, the warnings and the file list
// are written once (archive-tree.ts) for tar, tar.gz and zip.
//
// Entries may be added in any number of batches (a later walk may add entries after an earlier
// one, e.g. a second pass over changed files); only finish() ends the archive.
import type { Stats } from 'node:fs';
import type { FileReader } from './file-reader.js';
import type { WalkEntry } from './walk.js';

export interface ArchiveEntry {
  /** The name inside the archive as bytes: forward slashes, no leading or trailing slash. */
  name: Buffer;
  stats: Stats;
}

/** How an entry is named in the archive: its name, or why the format cannot hold it at all. */
export type NameResult =
  | {
      ok: true;
      name: Buffer;
      /** This entry's own name had to be changed (its folders' changes are reported at the folders). */
      mapped: boolean;
      /** The name differs from the entry's path (it or a folder above it was mapped). */
      differs: boolean;
    }
  | { ok: false; reason: string };

export interface ArchiveNamer {
  /** Called for every walked entry in walk order (parents before their contents). */
  name(e: WalkEntry): NameResult;
}

export interface EntryWriter {
  /** The format's own description for the manifest, e.g. "tar.gz, gzip level 1, parallel members". */
  readonly description: string;
  /** What the format says about a file that came up short, for the warning text. */
  readonly shortFileNote: string;
  /** Names the entries of one walk. tar keeps every name as it is; zip maps the few it cannot hold. */
  namer(): ArchiveNamer;
  directory(e: ArchiveEntry): Promise<void>;
  symlink(e: ArchiveEntry, target: Buffer): Promise<void>;
  /**
   * Writes a file entry of reader.size bytes. Returns the bytes the archive holds for it:
   * tar always holds reader.size (zero-filled when the file came up short), zip what was read.
   */
  file(e: ArchiveEntry, reader: FileReader): Promise<number>;
  /** Ends the archive (trailer, central directory) and flushes it into the artifact. */
  finish(): Promise<void>;
  /** After a failure or cancel: stop, wait for work in flight, drop it. */
  abandon(): Promise<void>;
}

/** The exact relative path of a walked entry as bytes. */
export function entryBytes(e: WalkEntry): Buffer {
  return e.raw ?? Buffer.from(e.rel, 'utf8');
}

/** tar and tar.gz hold every name exactly (PAX for long or non-UTF-8 names). */
export const exactNamer: ArchiveNamer = {
  name: (e) => ({ ok: true, name: entryBytes(e), mapped: false, differs: false }),
};
