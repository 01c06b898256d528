// Paths as the Elasticsearch nodes see them: they may be Windows paths while this tool runs on
// Linux and the other way round, so the style is taken from the path itself, not from this OS.
import { posix, win32 } from 'node:path';

function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(p) || p.startsWith('\\\\');
}

function flavour(p: string): typeof posix {
  return isWindowsPath(p) ? win32 : posix;
}

function norm(p: string): string {
  const f = flavour(p);
  const n = f.normalize(p).replace(/[\\/]+$/, '');
  const out = n === '' ? f.sep : n;
  return f === win32 ? out.toLowerCase() : out;
}

/** True when `child` is `parent` or lies below it (same path style). */
export function isWithin(child: string, parent: string): boolean {
  if (isWindowsPath(child) !== isWindowsPath(parent)) return false;
  const f = flavour(child);
  const rel = f.relative(norm(parent), norm(child));
  return rel === '' || (!rel.startsWith('..') && !f.isAbsolute(rel));
}

export function samePath(a: string, b: string): boolean {
  return isWindowsPath(a) === isWindowsPath(b) && norm(a) === norm(b);
}

/** Elasticsearch resolves a relative location against path.repo; an absolute one must lie inside an entry. */
export function isUnderPathRepo(location: string, pathRepo: string[]): boolean {
  if (pathRepo.length === 0) return false;
  if (!flavour(location).isAbsolute(location)) return true;
  return pathRepo.some((r) => isWithin(location, r));
}

/** path.repo may come back from _nodes/settings as a string, an array, or a comma-separated string. */
export function pathRepoList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string' && value.length > 0)
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

/** The exact elasticsearch.yml line to add, keeping the entries that are already there. */
export function pathRepoLine(location: string, pathRepo: string[]): string {
  const entries = [...pathRepo.filter((p) => !samePath(p, location)), location];
  return `path.repo: [${entries.map((e) => JSON.stringify(e)).join(', ')}]`;
}

export function pathRepoFix(location: string, pathRepo: string[]): string {
  return (
    `Add this line to elasticsearch.yml on every master and data node (replacing any existing path.repo line), ` +
    `make sure the folder exists there and is writable by the account Elasticsearch runs as, then restart the nodes one by one:\n` +
    `${pathRepoLine(location, pathRepo)}\n` +
    'In a cluster the folder must be the same shared storage (NFS or SMB) mounted at that path on every node.'
  );
}
