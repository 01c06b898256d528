// Paths in a profile that this computer opens (destinations, the repository folder, copyFrom
// folders, certificate files) must be absolute paths of THIS computer's kind: a relative path
// depends on the folder a scheduled task starts in (/ or System32), and "E:\OctaneBackups" on Linux
// silently becomes a folder of that name in the current directory. Pure and platform-free: the
// caller says which platform it runs on.

export type PathPlatform = 'win32' | 'posix';

export function pathPlatform(nodePlatform: string): PathPlatform {
  return nodePlatform === 'win32' ? 'win32' : 'posix';
}

const WIN_DRIVE_ABSOLUTE = /^[A-Za-z]:[\\/]/;
const WIN_UNC = /^[\\/]{2}[^\\/]/;

/** A path Windows reads as absolute: "C:\x", "C:/x", "\\server\share", "\\?\C:\x". */
export function isWindowsAbsolute(p: string): boolean {
  return WIN_DRIVE_ABSOLUTE.test(p) || WIN_UNC.test(p);
}

/** Absolute on this platform (Windows: drive letter or UNC; elsewhere: starts with "/"). */
export function isAbsoluteOn(p: string, platform: PathPlatform): boolean {
  return platform === 'win32' ? isWindowsAbsolute(p) : p.startsWith('/');
}

/**
 * Why a local path cannot be used on this platform, or undefined. `relative` is answered
 * separately (the CLI resolves relative paths against the config file's folder first).
 */
export function localPathProblem(p: string, platform: PathPlatform): string | undefined {
  if (platform === 'posix') {
    if (isWindowsAbsolute(p) || /^[A-Za-z]:/.test(p))
      return `is a Windows path, but this computer runs Linux or macOS: give the folder as this computer sees it (for example a mount point such as /mnt/backups).`;
    if (p.includes('\\'))
      return 'contains a backslash: on Linux and macOS folders are separated by "/" (a backslash would become part of a folder name).';
    if (p.startsWith('~'))
      return 'starts with "~", which is not expanded here: give the full path (for example /home/backup/...).';
    if (!p.startsWith('/'))
      return 'is a relative path: give the full path (a scheduled task starts in "/", so a relative path would land anywhere).';
    return undefined;
  }
  if (p.startsWith('/') && !WIN_UNC.test(p))
    return 'is a Linux/Unix path, but this computer runs Windows: give a drive letter (E:\\OctaneBackups) or a UNC path (\\\\server\\share\\backups).';
  if (/^[A-Za-z]:(?![\\/])/.test(p))
    return 'names a drive without a folder separator ("C:backups" is relative to the current folder of drive C:): write "C:\\backups".';
  if (p.startsWith('\\') && !WIN_UNC.test(p))
    return 'starts at the root of the current drive: give the drive letter too (for example C:\\backups).';
  if (!isWindowsAbsolute(p))
    return 'is a relative path: give the full path with its drive letter or a UNC path (a scheduled task starts in System32, so a relative path would land there).';
  return undefined;
}

/** The path with one kind of separator, no trailing separator, lower-case on Windows. */
export function comparablePath(p: string, platform: PathPlatform): string {
  const slashes = p.replace(/\\/g, '/').replace(/\/+/g, '/');
  const trimmed = slashes.length > 1 ? slashes.replace(/\/$/, '') : slashes;
  return platform === 'win32' ? trimmed.toLowerCase() : trimmed;
}

/** A whole file system's root (or the system's own folders) — never a repository folder to archive. */
export function isSystemRoot(p: string, platform: PathPlatform): boolean {
  const c = comparablePath(p, platform);
  if (platform === 'win32')
    return /^[a-z]:\/?$/.test(c) || /^\/\/\?\/[a-z]:\/?$/.test(c) || /^[a-z]:\/windows$/.test(c);
  return ['/', '/proc', '/sys', '/dev', '/run', '/boot', '/etc', '/usr', '/var'].includes(c);
}

/** `child` is `parent` or lies inside it (by the text of the paths: no links are followed). */
export function isSameOrInside(child: string, parent: string, platform: PathPlatform): boolean {
  const c = comparablePath(child, platform);
  const p = comparablePath(parent, platform);
  return c === p || c.startsWith(p.endsWith('/') ? p : `${p}/`);
}
