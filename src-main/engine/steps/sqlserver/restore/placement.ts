// Where each file of a restored database goes (RESTORE ... WITH MOVE), and the scratch names of a
// rehearsal. Pure functions: the plan and the run place files the same way.
import { createHash } from 'node:crypto';
import { MAX_NAME_LENGTH, serverPath } from '../tsql.js';
import type { FileListRow, TargetDatabase } from './facts.js';
import type { RecordedFile } from './source.js';
import type { Move } from './tsql.js';

export interface Placement {
  logicalName: string;
  type: string;
  /** Where the backup says the file was. */
  from: string;
  /** Where it goes. */
  to: string;
  sizeBytes: number;
  /** Why it goes there, in a few words. */
  reason: string;
}

/** `<db>__rehearsal_<set id>`; a name too long for sysname keeps its start and gains a short hash. */
export function scratchDatabaseName(database: string, setId: string): string {
  const suffix = `__rehearsal_${setId}`;
  if (database.length + suffix.length <= MAX_NAME_LENGTH) return database + suffix;
  const hash = createHash('sha256').update(database, 'utf8').digest('hex').slice(0, 6);
  return `${database.slice(0, MAX_NAME_LENGTH - suffix.length - 7)}-${hash}${suffix}`;
}

const TYPE_OF: Record<string, string> = { ROWS: 'D', LOG: 'L', FILESTREAM: 'S', FULLTEXT: 'F' };

/** The set's record of a database's files as FILELISTONLY would list them (before the .bak is staged). */
export function rowsFromRecord(files: RecordedFile[]): FileListRow[] {
  return files.map((f, i) => ({
    logicalName: f.logicalName,
    physicalName: f.physicalName,
    type: TYPE_OF[f.type.toUpperCase()] ?? f.type.slice(0, 1).toUpperCase(),
    sizeBytes: f.sizeBytes ?? 0,
    fileId: i + 1,
  }));
}

function fileNameOf(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut > 0 ? path.slice(0, cut) : path;
}

/** Scratch files: one per FILELISTONLY row, named after the scratch database and the file id. */
export function scratchPlacement(rows: FileListRow[], scratchName: string, scratchDir: string): Placement[] {
  const safe = scratchName.replace(/[^A-Za-z0-9._-]/g, '_');
  return rows.map((r) => {
    const ext = r.type === 'L' ? '.ldf' : r.type === 'D' ? (r.fileId === 1 ? '.mdf' : '.ndf') : '';
    return {
      logicalName: r.logicalName,
      type: r.type,
      from: r.physicalName,
      to: serverPath(scratchDir, `${safe}_${r.fileId}${ext}`),
      sizeBytes: r.sizeBytes,
      reason: 'the rehearsal folder',
    };
  });
}

export interface InPlaceInputs {
  rows: FileListRow[];
  existing: TargetDatabase | undefined;
  /** Folders on the server and whether they exist (undefined: the server could not say). */
  folders: Map<string, boolean | undefined>;
  defaultDataPath?: string;
  defaultLogPath?: string;
}

/**
 * In place: a file the live database has (same logical name) stays where it is; a file the live
 * database lacks goes where the backup had it when that folder exists on this server, otherwise
 * to the server's default data or log folder.
 */
export function inPlacePlacement(o: InPlaceInputs): Placement[] {
  return o.rows.map((r) => {
    const base = { logicalName: r.logicalName, type: r.type, from: r.physicalName, sizeBytes: r.sizeBytes };
    const live = o.existing?.files.find((f) => f.logicalName.toLowerCase() === r.logicalName.toLowerCase());
    if (live) return { ...base, to: live.physicalName, reason: 'where the live database keeps it' };
    if (o.folders.get(folderOf(r.physicalName)) !== false)
      return { ...base, to: r.physicalName, reason: 'where the backup had it' };
    const dir = r.type === 'L' ? (o.defaultLogPath ?? o.defaultDataPath) : o.defaultDataPath;
    if (!dir)
      return { ...base, to: r.physicalName, reason: 'where the backup had it (no default folder known)' };
    return {
      ...base,
      to: serverPath(dir, fileNameOf(r.physicalName)),
      reason: "the server's default folder",
    };
  });
}

/** The folders the backup's files were in (asked of the server before placing files in place). */
export function backupFolders(rows: { physicalName: string }[]): string[] {
  return [...new Set(rows.map((r) => folderOf(r.physicalName)))];
}

export function movesOf(placements: Placement[]): Move[] {
  return placements
    .filter((p) => p.to.toLowerCase() !== p.from.toLowerCase())
    .map((p) => ({ logicalName: p.logicalName, to: p.to }));
}

/** "D:\" or "/var" of a server path (to match volumes by mount point, longest first). */
export function volumeOf(path: string, mountPoints: string[]): string | undefined {
  const p = path.toLowerCase().replace(/\//g, '\\');
  return [...mountPoints]
    .sort((a, b) => b.length - a.length)
    .find((m) => p.startsWith(m.toLowerCase().replace(/\//g, '\\')));
}
