// "Size found" for a folder (the repository): files, folders and bytes, without following links.
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderScan } from '../contract/ui.js';

export interface ScanOptions {
  signal?: AbortSignal;
  /** Stop after this many entries (the figure is then a lower bound). */
  maxEntries?: number;
}

export async function scanFolder(path: string, opts: ScanOptions = {}): Promise<FolderScan> {
  const max = opts.maxEntries ?? 2_000_000;
  const scan: FolderScan = { path, files: 0, folders: 0, bytes: 0, complete: true };
  try {
    if (!(await lstat(path)).isDirectory())
      return { ...scan, complete: false, note: `${path} is not a folder.` };
  } catch (err) {
    return {
      ...scan,
      complete: false,
      note: `${path} cannot be read (${(err as { code?: string }).code ?? (err as Error).message}).`,
    };
  }
  let unreadable = 0;
  const stack = [path];
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const dir = stack.pop() as string;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      unreadable++;
      continue;
    }
    for await (const e of handle) {
      if (scan.files + scan.folders >= max) {
        scan.complete = false;
        scan.note = `Stopped counting after ${max} entries: the folder is at least this large.`;
        // Leaving the loop closes the directory handle.
        return scan;
      }
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        scan.folders++;
        stack.push(p);
      } else if (e.isFile()) {
        scan.files++;
        try {
          scan.bytes += (await lstat(p)).size;
        } catch {
          unreadable++;
        }
      }
    }
  }
  if (unreadable > 0) {
    scan.complete = false;
    scan.note = `${unreadable} file(s) or folder(s) could not be read with this account; the backup will report them too.`;
  }
  return scan;
}
