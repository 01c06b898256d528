// The file list: one JSON object per line for every entry in the archive, written while the
// archive is written (streamed, so a million files cost no memory), stored as its own artifact.
// `verify` and later steps diff it against the archive or the live folder.
import { isUtf8 } from 'node:buffer';
import type { ArtifactOutput } from './artifact-output.js';
import type { WalkEntry } from './walk.js';

export interface FileListEntry {
  /** Path relative to the repository root, forward slashes; bytes that are not UTF-8 shown as U+FFFD (see pathBase64). */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Bytes stored in the archive for this entry (0 for folders and links). */
  size: number;
  /** Modification time as the walk saw it, ISO-8601 UTC with milliseconds. */
  mtime: string;
  /** Permission bits, octal text ("0644"). */
  mode: string;
  /** Files: SHA-256 (lowercase hex) of the `size` bytes the archive holds, computed while they were read. */
  sha256?: string;
  /** Link target exactly as stored (symlinks only). */
  target?: string;
  /** The name inside the archive when the format had to change it (zip only). */
  archivePath?: string;
  /** Warning code when the entry is not a faithful copy (e.g. FILE_CHANGED). */
  warning?: string;
  /** The exact bytes of `path` (base64), present only when they are not valid UTF-8. */
  pathBase64?: string;
  /** The exact bytes of `target` (base64), only when not valid UTF-8. */
  targetBase64?: string;
  /** The exact bytes of `archivePath` (base64), only when not valid UTF-8. */
  archivePathBase64?: string;
  /**
   * 2 on the lines the bracketed capture appended after the database's point (new or changed
   * entries). A later line of a path replaces an earlier one, as the later archive entry replaces
   * the earlier when the archive is extracted.
   */
  pass?: number;
}

const FLUSH_AT = 256 * 1024;

export class FileListWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  entries = 0;

  constructor(private readonly out: ArtifactOutput) {}

  async add(entry: FileListEntry): Promise<void> {
    const line = JSON.stringify(entry) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.entries++;
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    await this.out.write(chunk);
  }
}

export interface ListExtras {
  sha256?: string;
  target?: Buffer;
  /** The name in the archive when it differs from the path. */
  archivePath?: Buffer;
  warning?: string;
}

/** Text for JSON, and the exact bytes in base64 when the text cannot hold them. */
function text(b: Buffer): { text: string; base64?: string } {
  return isUtf8(b)
    ? { text: b.toString('utf8') }
    : { text: b.toString('utf8'), base64: b.toString('base64') };
}

export function listEntry(
  e: Pick<WalkEntry, 'rel' | 'raw' | 'stats'>,
  type: FileListEntry['type'],
  size: number,
  extra: ListExtras = {},
): FileListEntry {
  const entry: FileListEntry = {
    path: e.rel,
    type,
    size,
    mtime: new Date(e.stats.mtimeMs).toISOString(),
    mode: '0' + (e.stats.mode & 0o7777).toString(8).padStart(3, '0'),
  };
  if (extra.sha256 !== undefined) entry.sha256 = extra.sha256;
  if (extra.target !== undefined) {
    const t = text(extra.target);
    entry.target = t.text;
    if (t.base64 !== undefined) entry.targetBase64 = t.base64;
  }
  if (extra.archivePath !== undefined) {
    const a = text(extra.archivePath);
    entry.archivePath = a.text;
    if (a.base64 !== undefined) entry.archivePathBase64 = a.base64;
  }
  if (extra.warning !== undefined) entry.warning = extra.warning;
  if (e.raw !== undefined) entry.pathBase64 = e.raw.toString('base64');
  return entry;
}
