// Sets modification times from the file list (milliseconds, UTC) after a zip was extracted: a
// zip without extended timestamps carries DOS times (local time, 2-second steps), the list has
// the times the backup saw. Links are never followed: the entry itself is timed (lutimes), and
// only when every folder above it is a real folder inside the restored one (checked as the
// extraction checks them, also for paths longer than PATH_MAX).
import { lstatSync, lutimesSync } from 'node:fs';
import { throwIfAborted } from '../../errors.js';
import { DirGuard } from '../repository/dir-guard.js';
import { checkEntryName } from '../repository/safe-name.js';
import { readFileList } from './list-reader.js';

export async function applyListTimes(
  root: string,
  listPath: string,
  signal: AbortSignal,
): Promise<{ applied: number }> {
  let applied = 0;
  const guard = new DirGuard(root, undefined, (reason) => {
    throw new Error(reason);
  });
  try {
    for await (const l of readFileList(listPath, signal)) {
      if (l.kind !== 'entry' || l.entry.mtimeMs === undefined || l.entry.key.startsWith('\0')) continue;
      throwIfAborted(signal);
      if (setTime(guard, l.entry.key, l.entry.type, l.entry.mtimeMs)) applied++;
    }
  } finally {
    guard.close();
  }
  return { applied };
}

function setTime(guard: DirGuard, key: string, type: string, mtimeMs: number): boolean {
  const name = checkEntryName(key, undefined, 'linux');
  if (!name.ok || name.name.depth === 0) return false;
  try {
    // Throws NotReal when a folder above it is not a real folder: its time is left alone.
    const abs = guard.existing(name.name);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    const found = st?.isDirectory()
      ? 'directory'
      : st?.isSymbolicLink()
        ? 'symlink'
        : st?.isFile()
          ? 'file'
          : undefined;
    if (found !== type) return false;
    lutimesSync(abs, mtimeMs / 1000, mtimeMs / 1000);
    return true;
  } catch {
    // A time that cannot be set (or a folder that is not real) is not worth failing a restore
    // for; the compare still runs and names what is wrong.
    return false;
  }
}
