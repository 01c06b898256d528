// What an export copies: the files a good set consists of, read from the set folder given (and,
// for a profile that keeps a component on another destination, from the place the profile
// configures for it). Only a finished, usable set that no verify found damaged is exported; its
// manifest is copied byte for byte (the seal covers those bytes), its artifacts by the manifest's
// own confined paths, so the copy is one self-contained set folder.
import { lstat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { IN_PROGRESS_MARKER, MANIFEST_FILE, RUN_LOG_FILE, type Manifest } from '../../contract/manifest.js';
import type { ComponentId } from '../../contract/profile.js';
import { profileNameProblem } from '../../contract/profile-schema.js';
import { confinedSegments } from '../backup-set/artifact-paths.js';
import { SET_NAME_PATTERN } from '../backup-set/set-layout.js';
import { MAX_MANIFEST_BYTES, readSetManifest } from '../backup-set/manifest-io.js';
import { notReadableText, readRegularFile } from '../backup-set/safe-read.js';
import { latestVerification } from '../backup-set/verification-record.js';
import { ExpectedError } from '../errors.js';
import { pathExists } from '../path-exists.js';
import { formatDateTime } from '../../contract/format.js';

export interface ExportFile {
  /** Relative to the set folder, forward slashes: where it goes in the copy. */
  rel: string;
  component: ComponentId | 'octane-config';
  /** Absolute path it is read from. */
  src: string;
  bytes: number;
  sha256: string;
}

export interface ExportSource {
  setPath: string;
  setName: string;
  profile: string;
  manifest: Manifest;
  /** manifest.json exactly as on disk. */
  manifestBytes: Buffer;
  /** run.log, when the set has one (copied as it is; no hash to check it against). */
  runLog?: Buffer;
  files: ExportFile[];
  /** Sum of the artifacts' bytes. */
  bytesTotal: number;
  largest?: ExportFile;
  /** The set folders read: the one given first, then any other destination of the profile. */
  sources: string[];
}

const usable = (s: string): boolean => s === 'succeeded' || s === 'succeeded-with-warnings';

function refuse(code: string, message: string, fix: string, setPath: string): ExpectedError {
  return new ExpectedError(code, message, { step: 'export', fix, details: { path: setPath } });
}

/** Reads and checks the set to export; throws a named error when it is not a good set. */
export async function readExportSource(
  setPathInput: string,
  places: Partial<Record<ComponentId, string>> = {},
): Promise<ExportSource> {
  const setPath = resolve(setPathInput);
  const read = await readSetManifest(setPath);
  if (!read.ok)
    throw refuse(
      'EXPORT_NOT_A_SET',
      read.reason === 'missing'
        ? `${setPath} has no manifest.json: it is not a backup set (or its run never got that far).`
        : `The manifest of ${setPath} cannot be believed: ${read.problem}`,
      'Give the folder of a finished backup set (octane-backup list shows them).',
      setPath,
    );
  const manifest = read.manifest;
  // Both become folder names on the target: an untrusted manifest must not lead the copy elsewhere.
  const nameProblem = profileNameProblem(manifest.profile);
  if (nameProblem !== undefined || !SET_NAME_PATTERN.test(basename(setPath)))
    throw refuse(
      'EXPORT_NOT_A_SET',
      nameProblem !== undefined
        ? `The manifest of ${setPath} names the profile "${manifest.profile}", which ${nameProblem}`
        : `${basename(setPath)} is not named like a backup set (<UTC time>-<kind>-<id>).`,
      'Give the folder of a backup set as the tool wrote it (octane-backup list shows them).',
      setPath,
    );
  if ((await pathExists(join(setPath, IN_PROGRESS_MARKER))) || !usable(manifest.status))
    throw refuse(
      'EXPORT_SET_NOT_USABLE',
      `${basename(setPath)} is not a finished, usable set (status ${manifest.status}${manifest.status === 'running' ? ', or its run was interrupted' : ''}): it is not copied.`,
      'Export a set whose run succeeded (octane-backup list shows each set and its status).',
      setPath,
    );
  const last = await latestVerification(setPath);
  if (last?.damaged)
    throw refuse(
      'EXPORT_SET_DAMAGED',
      `The last verify of ${basename(setPath)} (${formatDateTime(last.at)}) found it damaged: a damaged set is never copied as a backup.`,
      'Verify the set again (octane-backup verify); export another set, or take a new backup.',
      setPath,
    );
  const file = await readRegularFile(join(setPath, MANIFEST_FILE), MAX_MANIFEST_BYTES);
  if (!file.ok)
    throw refuse(
      'EXPORT_NOT_A_SET',
      `The manifest of ${setPath} cannot be read: ${notReadableText(file)}.`,
      'Check the drive that holds the set and try again.',
      setPath,
    );
  const log = await readRegularFile(join(setPath, RUN_LOG_FILE), 64 * 1024 * 1024);
  const files = await listFiles(setPath, manifest, places);
  const source: ExportSource = {
    setPath,
    setName: basename(setPath),
    profile: manifest.profile,
    manifest,
    manifestBytes: file.data,
    files,
    bytesTotal: files.reduce((a, f) => a + f.bytes, 0),
    sources: [...new Set([setPath, ...files.map((f) => rootOf(f))])],
  };
  if (log.ok) source.runLog = log.data;
  const largest = files.reduce<ExportFile | undefined>(
    (a, f) => (!a || f.bytes > a.bytes ? f : a),
    undefined,
  );
  if (largest) source.largest = largest;
  return source;
}

/** The set folder a file is read from (its path minus its set-relative part). */
function rootOf(f: ExportFile): string {
  return f.src.slice(0, f.src.length - f.rel.length - 1);
}

async function listFiles(
  setPath: string,
  manifest: Manifest,
  places: Partial<Record<ComponentId, string>>,
): Promise<ExportFile[]> {
  const wanted: Omit<ExportFile, 'src'>[] = [];
  for (const c of manifest.components)
    for (const a of c.artifacts)
      wanted.push({ rel: a.path, component: c.id, bytes: a.bytes, sha256: a.sha256 });
  for (const a of manifest.octane?.artifacts ?? [])
    wanted.push({ rel: a.path, component: 'octane-config', bytes: a.bytes, sha256: a.sha256 });
  const out: ExportFile[] = [];
  for (const w of wanted) {
    const where = confinedSegments(w.rel, w.component);
    if (!where.ok)
      throw refuse(
        'EXPORT_SET_DAMAGED',
        `The manifest of ${basename(setPath)} names "${w.rel}", which is not read: ${where.reason}.`,
        'Verify the set (octane-backup verify); export another set.',
        setPath,
      );
    const root = await rootFor(setPath, w.component, places);
    const src = join(root, w.component, ...where.segments);
    const s = await lstat(src).catch(() => undefined);
    if (!s?.isFile() || s.size !== w.bytes)
      throw refuse(
        'EXPORT_SET_DAMAGED',
        s === undefined
          ? `${w.rel} of ${basename(setPath)} is missing (looked for at ${src}).`
          : !s.isFile()
            ? `${w.rel} of ${basename(setPath)} is not a regular file (at ${src}).`
            : `${w.rel} of ${basename(setPath)} has ${s.size} bytes, its manifest says ${w.bytes}.`,
        'Verify the set (octane-backup verify, with --config when the profile keeps parts on other destinations); export another set.',
        setPath,
      );
    out.push({ ...w, src });
  }
  return out;
}

/** Here, unless the component's folder is not here and the profile keeps it on another destination. */
async function rootFor(
  setPath: string,
  component: ComponentId | 'octane-config',
  places: Partial<Record<ComponentId, string>>,
): Promise<string> {
  if (component === 'octane-config') return setPath;
  const other = places[component];
  if (other === undefined || resolve(other) === setPath) return setPath;
  return (await pathExists(join(setPath, component))) ? setPath : resolve(other);
}
