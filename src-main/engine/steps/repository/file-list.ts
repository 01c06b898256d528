// The file list: one JSON object per line for every entry in the archive, written while the
// archive is written (streamed, so a million files cost no memory), stored as its own artifact.
// `verify` and later steps diff it against the archive or the live folder.
import type { Stats } from 'node:fs';
import type { ArtifactOutput } from './artifact-output.js';

export interface FileListEntry {
  /** Path relative to the repository root, forward slashes (as in the archive unless archivePath says otherwise). */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Bytes stored in the archive for this entry (0 for folders and links). */
  size: number;
  /** Modification time as the walk saw it, ISO-8601 UTC with milliseconds. */
  mtime: string;
  /** Permission bits, octal text ("0644"). */
  mode: string;
  /** Link target exactly as stored (symlinks only). */
  target?: string;
  /** The name inside the archive when the format had to change it (zip only). */
  archivePath?: string;
  /** Warning code when the entry is not a faithful copy (e.g. FILE_CHANGED). */
  warning?: string;
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

export function listEntry(
  path: string,
  type: FileListEntry['type'],
  stats: Stats,
  size: number,
  extra: Partial<Pick<FileListEntry, 'target' | 'archivePath' | 'warning'>> = {},
): FileListEntry {
  const entry: FileListEntry = {
    path,
    type,
    size,
    mtime: new Date(stats.mtimeMs).toISOString(),
    mode: '0' + (stats.mode & 0o7777).toString(8).padStart(3, '0'),
  };
  if (extra.target !== undefined) entry.target = extra.target;
  if (extra.archivePath !== undefined) entry.archivePath = extra.archivePath;
  if (extra.warning !== undefined) entry.warning = extra.warning;
  return entry;
}
