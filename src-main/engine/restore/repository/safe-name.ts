// Decides where an archive entry may land: inside the target folder or nowhere. A name is split
// into components; absolute names, drive letters, ".." anywhere (also behind a backslash, which
// Windows reads as a separator) and NUL bytes are refused. "./" components are dropped, so
// "./a/b" and "a/b" are the same entry (GNU tar writes the first when run as `tar -C dir .`).
import { nameKey } from '../../archive/names.js';

export interface SafeName {
  /** Normalised name as text ("a/b"; raw bytes shown as U+FFFD): messages, link checks, paths. */
  text: string;
  /** Number of components; 0 for the target folder itself. */
  depth: number;
  /** The key the file list is matched on: `text`, or nameKey()'s form for raw names. */
  key: string;
  /** The components as bytes, only for names that are not UTF-8. */
  rawParts?: Buffer[];
}

export type NameCheck = { ok: true; name: SafeName } | { ok: false; reason: string };

const SLASH = 0x2f;
/** Names with none of these need no component-by-component look (the common case, made fast). */
const NEEDS_A_LOOK = /\\|\.\.|(^|\/)\.(\/|$)|\/\/|^\/|^[A-Za-z]:|\0/;

export function checkEntryName(
  name: string,
  raw: Buffer | undefined,
  platform: NodeJS.Platform = process.platform,
): NameCheck {
  const windows = platform === 'win32';
  if (!windows && raw === undefined && !NEEDS_A_LOOK.test(name)) {
    const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
    return { ok: true, name: { text: trimmed, key: trimmed, depth: trimmed === '' ? 0 : count(trimmed) } };
  }
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
  const text = texts.join('/');
  if (raw === undefined) return { ok: true, name: { text, key: text, depth: texts.length } };
  if (windows) return { ok: false, reason: 'its name is not UTF-8 and cannot be written on Windows' };
  // Raw bytes: the same split on the bytes (the text checks above already saw every ASCII byte).
  const rawParts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== SLASH) continue;
    const part = raw.subarray(start, i);
    if (part.length > 0 && !(part.length === 1 && part[0] === 0x2e)) rawParts.push(Buffer.from(part));
    start = i + 1;
  }
  const joined = Buffer.concat(rawParts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('/'), p])));
  return { ok: true, name: { text, key: nameKey(text, joined), depth: rawParts.length, rawParts } };
}

/** The key of a file-list path, normalised like an archive name; undefined when the path is unsafe. */
export function listPathKey(path: string): string | undefined {
  const c = checkEntryName(path, undefined, 'linux');
  return c.ok && c.name.depth > 0 ? c.name.key : undefined;
}

function count(s: string): number {
  let n = 1;
  for (let i = s.indexOf('/'); i !== -1; i = s.indexOf('/', i + 1)) n++;
  return n;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}
