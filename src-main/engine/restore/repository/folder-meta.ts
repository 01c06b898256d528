// Folder times and permissions, applied after everything is extracted: creating an entry inside a
// folder changes the folder's time, and a read-only folder would refuse its own contents. Holds one
// small record per folder (the only per-entry memory an extraction keeps; GNU tar does the same).
import { chmodSync, lstatSync, utimesSync } from 'node:fs';
import type { ArchiveEntry } from '../../archive/entry.js';
import type { FsPath } from './dir-guard.js';
import type { SafeName } from './safe-name.js';

interface Meta {
  /** The folder's name; its path is found again at the end (a long one needs fresh descriptors). */
  name: SafeName;
  mtimeMs?: number | undefined;
  mode?: number | undefined;
}

export class FolderMeta {
  private readonly byKey = new Map<string, Meta>();

  set(name: SafeName, entry: ArchiveEntry): void {
    this.byKey.set(name.key, { name, mtimeMs: entry.mtimeMs, mode: entry.mode });
  }

  /** A folder was replaced by something else: its records, and those of everything under it, go. */
  removeUnder(key: string): void {
    for (const k of this.byKey.keys()) if (k === key || k.startsWith(`${key}/`)) this.byKey.delete(k);
  }

  entries(): IterableIterator<Meta> {
    return this.byKey.values();
  }
}

/** Sets each folder's permissions and time; only on real folders (lstat), never through a link. */
export function applyFolderMeta(
  folders: FolderMeta,
  pathOf: (name: SafeName) => FsPath,
  mapError: (name: SafeName, err: unknown) => Error,
): void {
  for (const m of folders.entries()) {
    try {
      const abs = pathOf(m.name);
      if (!lstatSync(abs, { throwIfNoEntry: false })?.isDirectory()) continue;
      if (m.mode !== undefined && m.mode !== 0 && process.platform !== 'win32')
        chmodSync(abs, m.mode & 0o777);
      if (m.mtimeMs !== undefined) utimesSync(abs, m.mtimeMs / 1000, m.mtimeMs / 1000);
    } catch (err) {
      throw mapError(m.name, err);
    }
  }
}
