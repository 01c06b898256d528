// Decides where an archive entry may land: inside the target folder or nowhere. A name is split
// into components; absolute names, drive letters, ".." anywhere (also behind a backslash, which
// Windows reads as a separator) and NUL bytes are refused. "./" components are dropped, so
// "./a/b" and "a/b" are the same entry (GNU tar writes the first when run as `tar -C dir .`).
import { nameKey } from '../../archive/names.js';

export interface SafeName {
  /** Components as bytes (raw bytes when the name is not UTF-8); empty for the target folder itself. */
  parts: Buffer[];
  /** Normalised name ("a/b"), the key the file list is matched on; raw names get nameKey()'s form. */
  key: string;
  /** Normalised name as text (raw bytes shown as U+FFFD): for messages and link checks. */
  text: string;
}

export type NameCheck = { ok: true; name: SafeName } | { ok: false; reason: string };

const SLASH = 0x2f;

export function checkEntryName(
  name: string,
  raw: Buffer | undefined,
  platform: NodeJS.Platform = process.platform,
): NameCheck {
  const windows = platform === 'win32';
  if (name.includes('\0')) return { ok: false, reason: 'its name contains a NUL byte' };
  if (name.startsWith('/') || name.startsWith('\\')) return { ok: false, reason: 'it is an absolute path' };
  if (/^[A-Za-z]:/.test(name)) return { ok: false, reason: 'it starts with a drive letter' };
  const texts = name.split(windows ? /[\\/]/ : '/').filter((c) => c !== '' && c !== '.');
  for (const c of texts) {
    if (c.split('\\').includes('..')) return { ok: false, reason: 'it climbs out of the folder with ".."' };
    if (windows && (/[:<>"|?*]/.test(c) || hasControl(c)))
      return { ok: false, reason: `"${c}" cannot be a file name on Windows` };
    if (windows && /^[. ]+$/.test(c)) return { ok: false, reason: `"${c}" is not a usable name on Windows` };
  }
  if (raw === undefined) {
    const text = texts.join('/');
    return { ok: true, name: { parts: texts.map((c) => Buffer.from(c, 'utf8')), key: text, text } };
  }
  if (windows) return { ok: false, reason: 'its name is not UTF-8 and cannot be written on Windows' };
  // Raw bytes: the same split on the bytes (the text checks above already saw every ASCII byte).
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== SLASH) continue;
    const part = raw.subarray(start, i);
    if (part.length > 0 && !(part.length === 1 && part[0] === 0x2e)) parts.push(Buffer.from(part));
    start = i + 1;
  }
  const joined = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('/'), p])));
  return { ok: true, name: { parts, key: nameKey(texts.join('/'), joined), text: texts.join('/') } };
}

/** The key of a file-list path, normalised like an archive name; undefined when the path is unsafe. */
export function listPathKey(path: string): string | undefined {
  const c = checkEntryName(path, undefined, 'linux');
  return c.ok && c.name.parts.length > 0 ? c.name.key : undefined;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}
