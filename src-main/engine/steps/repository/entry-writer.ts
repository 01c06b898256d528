// One archive format behind one small interface, so the walk, the warnings and the file list
// are written once (archive-tree.ts) for tar, tar.gz and zip.
import type { Stats } from 'node:fs';
import type { FileReader } from './file-reader.js';

export interface EntryMeta {
  /** Path relative to the repository root, forward slashes. */
  rel: string;
  stats: Stats;
}

export interface EntryWriter {
  /** The format's own description for the manifest, e.g. "tar.gz, gzip level 1, parallel members". */
  readonly description: string;
  /** How the entry is named inside the archive (zip rewrites a few names it cannot hold). */
  archiveName(rel: string): string;
  directory(e: EntryMeta): Promise<void>;
  symlink(e: EntryMeta, target: string): Promise<void>;
  /**
   * Writes a file entry of reader.size bytes. Returns the bytes the archive holds for it:
   * tar always holds reader.size (zero-filled when the file came up short), zip what was read.
   */
  file(e: EntryMeta, reader: FileReader): Promise<number>;
  /** Ends the archive (trailer, central directory) and flushes it into the artifact. */
  finish(): Promise<void>;
  /** After a failure or cancel: stop, wait for work in flight, drop it. */
  abandon(): Promise<void>;
  /** What the format says about a file that came up short, for the warning text. */
  readonly shortFileNote: string;
}
