// Sets modification times from the file list (milliseconds, UTC) after a zip was extracted: a
// zip without extended timestamps carries DOS times (local time, 2-second steps), the list has
// the times the backup saw. Links are never followed: the entry itself is timed (lutimes), and
// only when every folder above it is a real folder inside the restored one.
import { lstatSync, lutimesSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { throwIfAborted } from '../../errors.js';
import { readFileList } from './list-reader.js';

export async function applyListTimes(
  root: string,
  listPath: string,
  signal: AbortSignal,
): Promise<{ applied: number }> {
  let applied = 0;
  let lastParent: string | undefined;
  let parentReal = false;
  for await (const l of readFileList(listPath, signal)) {
    if (l.kind !== 'entry' || l.entry.mtimeMs === undefined || l.entry.key.startsWith('\0')) continue;
    throwIfAborted(signal);
    const key = l.entry.key;
    const cut = key.lastIndexOf('/');
    const parent = cut === -1 ? '' : key.slice(0, cut);
    if (parent !== lastParent) {
      lastParent = parent;
      parentReal = parent === '' || realOrUndefined(`${root}${sep}${parent}`) === `${root}${sep}${parent}`;
    }
    if (!parentReal) continue;
    const abs = `${root}${sep}${key}`;
    const st = lstatSync(abs, { throwIfNoEntry: false });
    const type = st?.isDirectory()
      ? 'directory'
      : st?.isSymbolicLink()
        ? 'symlink'
        : st?.isFile()
          ? 'file'
          : undefined;
    if (type !== l.entry.type) continue;
    try {
      const t = l.entry.mtimeMs / 1000;
      lutimesSync(abs, t, t);
      applied++;
    } catch {
      /* a time that cannot be set is not worth failing a restore for; the compare still runs */
    }
  }
  return { applied };
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}
