// What every archive reader hands out: one entry at a time, its content streamed on demand.
// Readers hold one entry and a bounded buffer, never a list of entries, so a million-entry
// archive costs no more memory than a small one.

export type ArchiveFormat = 'tar' | 'tar.gz' | 'zip';

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface ArchiveEntry {
  /** 0-based position in the archive (metadata-only records such as PAX headers not counted). */
  readonly index: number;
  /** The stored name, decoded (UTF-8; CP437 for old DOS zips). Not yet checked for safety. */
  readonly name: string;
  /** The stored bytes of the name when they are not valid UTF-8 (tar hdrcharset=BINARY, Unix zips). */
  readonly rawName?: Buffer;
  readonly type: EntryType;
  /** Bytes of content (regular files; 0 for everything else). */
  readonly size: number;
  /** Modification time, ms since the epoch, when the archive records one. */
  readonly mtimeMs?: number;
  /** Permission bits (0o7777), when the archive records them. */
  readonly mode?: number;
  /** Symbolic link target, or the archive path a hard link refers to. */
  readonly linkTarget?: string;
  readonly rawLinkTarget?: Buffer;
  /** For type 'other': what it is ("FIFO", "character device", "type flag 'V'"). */
  readonly otherKind?: string;
}

/** Receives content in order; a chunk is only valid until the sink returns (or its promise settles). */
export type ChunkSink = (chunk: Buffer) => void | Promise<void>;

export interface ArchiveReader {
  readonly format: ArchiveFormat;
  /** Size of the archive file, bytes. */
  readonly archiveBytes: number;
  /** How far into the archive file reading has got, bytes (compressed bytes for tar.gz). */
  readonly bytesConsumed: number;
  /** Entries in archive order. */
  entries(): AsyncGenerator<ArchiveEntry>;
  /**
   * Streams the content of the entry last yielded into `sink`, once, before the next entry is asked
   * for (unread content is skipped). Returns the bytes delivered; throws when the archive ends early
   * or the content fails its check (zip CRC-32, sizes).
   */
  readContent(sink: ChunkSink): Promise<number>;
  close(): Promise<void>;
}
