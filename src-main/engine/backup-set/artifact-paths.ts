// An artifact path in a manifest is untrusted: it is read only when it names a file inside its own
// component's folder of the set ("repository/repository.tar", "octane-config/octane.conf").
// Refused: absolute paths, drive letters, UNC paths, backslashes, "." and ".." segments, empty
// segments, ":" (Windows alternate data streams and drive-relative paths) and NUL.

/**
 * The path's segments below `folder` when `path` is confined to `<folder>/…`; otherwise the
 * reason in plain words.
 */
export function confinedSegments(
  path: string,
  folder: string,
): { ok: true; segments: string[] } | { ok: false; reason: string } {
  const refuse = (reason: string) => ({ ok: false as const, reason });
  if (path.includes('\0')) return refuse('it contains a NUL character');
  if (path.includes('\\')) return refuse('it contains a backslash');
  if (path.startsWith('/')) return refuse('it is an absolute path');
  if (path.includes(':')) return refuse('it contains ":" (a drive letter or a stream name)');
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    return refuse('it has an empty, "." or ".." segment');
  if (parts[0] !== folder || parts.length < 2)
    return refuse(`it is not inside the "${folder}" folder of the set`);
  return { ok: true, segments: parts.slice(1) };
}
