// What "Open folder" may open. shell.openPath runs what it is given — an .exe, a .bat, a .lnk — so
// the renderer (which can also save a profile with any destination) must never reach it with
// anything but a backup set's folder. A file inside a set is only shown in its folder
// (showItemInFolder selects it, never runs it); links are refused so that a planted symlink or
// junction in a set cannot lead elsewhere.
import { lstat } from 'node:fs/promises';
import { posix, win32 } from 'node:path';
import { ExpectedError } from '../engine/errors.js';
import { isWindowsPath, relativeUnderRoot } from '../engine/drives/drive-paths.js';
import { SET_NAME_PATTERN } from '../engine/backup-set/set-layout.js';

export interface OpenTarget {
  kind: 'folder' | 'file';
  /** Rebuilt from the profile folder and the checked parts, not the renderer's text. */
  path: string;
}

function refuse(code: string, message: string): ExpectedError {
  return new ExpectedError(code, message, {
    step: 'app',
    fix: 'Only the folders of backup sets (and files inside them) can be opened from the app.',
  });
}

/** Where `path` lies inside a set of one of `profileFolders` (<destination>/<profile>), if it does. */
function locate(profileFolders: string[], path: string): { root: string; parts: string[] } | undefined {
  for (const root of profileFolders) {
    const rel = relativeUnderRoot(root, path);
    if (rel === undefined || rel === '') continue;
    const parts = rel.split('/');
    if (SET_NAME_PATTERN.test(parts[0] ?? '')) return { root, parts };
  }
  return undefined;
}

export async function openableSetPath(profileFolders: string[], path: unknown): Promise<OpenTarget> {
  if (typeof path !== 'string' || path === '') throw refuse('BAD_REQUEST', 'No folder was given to open.');
  const where = locate(profileFolders, path);
  if (!where) throw refuse('PATH_NOT_ALLOWED', `${path} is not a backup set folder of any profile.`);
  const api = isWindowsPath(where.root) ? win32 : posix;
  let cur = where.root;
  let kind: OpenTarget['kind'] = 'folder';
  // The profile folder and every part below it must be what it claims, not a link.
  for (const part of ['', ...where.parts]) {
    cur = part === '' ? cur : api.join(cur, part);
    let st;
    try {
      st = await lstat(cur);
    } catch {
      throw refuse('PATH_NOT_FOUND', `${cur} does not exist (any more).`);
    }
    if (st.isSymbolicLink())
      throw refuse('PATH_IS_LINK', `${cur} is a link (symbolic link or junction): it is not opened.`);
    if (st.isDirectory()) kind = 'folder';
    else if (st.isFile() && part === where.parts.at(-1)) kind = 'file';
    else throw refuse('PATH_NOT_ALLOWED', `${cur} is neither a folder nor a plain file.`);
  }
  return { kind, path: cur };
}
