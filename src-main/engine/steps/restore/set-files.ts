// Reading files out of a set for a restore. The set is untrusted input (a copied, edited or planted
// folder): an artifact path must stay inside the set folder and name a regular file, and every byte
// taken from it is hashed on the way and compared with the manifest's SHA-256 before it is used.
import { createReadStream } from 'node:fs';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactRecord, ComponentRecord } from '../../../contract/manifest.js';
import type { ComponentId } from '../../../contract/profile.js';
import { PARTIAL_SUFFIX, syncDir } from '../../backup-set/component-writer.js';
import { HashingFileWriter } from '../../backup-set/hashing-file-writer.js';
import { STAGED_FILE_MODE } from '../../backup-set/private-modes.js';
import { hashFile } from '../../backup-set/verify.js';
import { ExpectedError, isAbortError } from '../../errors.js';

const SAFE_SEGMENT = /^(?!\.{1,2}$)[^/\\\0:]+$/;

/** The manifest's artifacts of a component, keeping only well-formed records. */
export function artifactsOf(c: ComponentRecord): ArtifactRecord[] {
  const list = Array.isArray(c.artifacts) ? c.artifacts : [];
  return list.filter(
    (a): a is ArtifactRecord =>
      !!a &&
      typeof a.path === 'string' &&
      typeof a.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(a.sha256) &&
      typeof a.bytes === 'number' &&
      Number.isSafeInteger(a.bytes) &&
      a.bytes >= 0,
  );
}

/**
 * The absolute path of an artifact inside the set folder; refuses absolute paths, "..", drive
 * letters and anything outside the component's own folder.
 */
export function artifactPath(root: string, component: ComponentId, relPath: string): string {
  const parts = relPath.split('/');
  if (parts[0] !== component || parts.length < 2 || !parts.every((p) => SAFE_SEGMENT.test(p)))
    throw new ExpectedError(
      'RESTORE_SET_PATH_INVALID',
      `The manifest names the file "${relPath.slice(0, 200)}", which is not a plain path inside the set's ${component} folder.`,
      {
        step: 'restore',
        fix: 'The set was edited or damaged: restore from another set, or from an untouched copy of this one.',
      },
    );
  return join(root, ...parts);
}

/** The set file must be a regular file of the recorded size (not a link, FIFO or device). */
export async function checkSetFile(path: string, a: ArtifactRecord): Promise<void> {
  let s;
  try {
    s = await lstat(path);
  } catch (err) {
    throw new ExpectedError('RESTORE_SET_FILE_MISSING', `${a.path} is missing from the set (${path}).`, {
      step: 'restore',
      cause: err,
      fix: 'Restore from another set, or from a complete copy of this one (verify names what is missing).',
    });
  }
  if (!s.isFile() || s.size !== a.bytes)
    throw new ExpectedError(
      'RESTORE_SET_FILE_ALTERED',
      `${a.path} in the set is ${s.isFile() ? `${s.size} bytes, the manifest says ${a.bytes}` : 'not a regular file'}.`,
      {
        step: 'restore',
        fix: 'The set is damaged: restore from another set, or from an untouched copy of this one.',
      },
    );
}

export interface StageOptions {
  signal: AbortSignal;
  /** Bytes copied so far of this file. */
  onBytes?: (done: number) => void;
  /** Read the copy back and hash it again after it is in place (catches a bad target disk or share). */
  readBack?: boolean;
  /** Words for errors: "the SQL Server backup folder", "the Data Pump DIRECTORY's folder". */
  targetWhat: string;
  step: ComponentId;
}

/**
 * Copies a set file to `dest` (never over an existing file): written as dest + ".partial", hashed
 * while read, compared with the manifest, fsynced, renamed, and optionally re-hashed from the target.
 * A copy that does not match is removed and never used.
 */
export async function stageFile(
  src: string,
  a: ArtifactRecord,
  dest: string,
  o: StageOptions,
): Promise<void> {
  await checkSetFile(src, a);
  const partial = dest + PARTIAL_SUFFIX;
  try {
    await mkdir(dirname(dest), { recursive: true });
  } catch (err) {
    throw stagingError(err, dirname(dest), o);
  }
  const out = new HashingFileWriter(partial, undefined, STAGED_FILE_MODE);
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      done += chunk.length;
      o.onBytes?.(done);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(src, { highWaterMark: 1024 * 1024 }), counter, out, { signal: o.signal });
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    if (isAbortError(err) || o.signal.aborted) throw err;
    if ((err as { path?: string }).path === src) throw err;
    throw stagingError(err, partial, o);
  }
  if (out.bytesWritten !== a.bytes || out.digest() !== a.sha256) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw new ExpectedError(
      'RESTORE_SET_FILE_ALTERED',
      `${a.path} in the set does not match its manifest (${out.bytesWritten} bytes, SHA-256 ${out.digest()}; the manifest says ${a.bytes} bytes, ${a.sha256}). It was not used.`,
      {
        step: 'restore',
        fix: 'The set is damaged: restore from another set, or from an untouched copy of this one.',
      },
    );
  }
  try {
    await rename(partial, dest);
    await syncDir(dirname(dest));
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw stagingError(err, dest, o);
  }
  if (!o.readBack) return;
  const again = await hashFile(dest, o.signal);
  if (again.sha256 !== a.sha256 || again.bytes !== a.bytes) {
    await rm(dest, { force: true }).catch(() => undefined);
    throw new ExpectedError(
      'RESTORE_STAGED_COPY_MISMATCH',
      `The copy of ${a.path} at ${dest} reads back with SHA-256 ${again.sha256}, not ${a.sha256}: ${o.targetWhat} does not keep what was written. The copy was removed.`,
      {
        step: o.step,
        fix: `Check the disk or share behind ${o.targetWhat} (and the network to it), then run the restore again.`,
      },
    );
  }
}

function stagingError(err: unknown, path: string, o: StageOptions): ExpectedError {
  const code = (err as { code?: string }).code ?? 'ERROR';
  const what =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'may not be written by this account'
        : code === 'ENOENT'
          ? 'does not exist'
          : `cannot be written (${code})`;
  return new ExpectedError(
    'RESTORE_STAGING_FAILED',
    `The backup file cannot be put where the server reads it: ${o.targetWhat} (${path}) ${what}.`,
    {
      step: o.step,
      cause: err,
      details: { path, code },
      fix:
        code === 'ENOSPC' || code === 'EDQUOT'
          ? `Free space in ${o.targetWhat} (the set's file sizes are in its manifest), then run the restore again.`
          : `Make ${o.targetWhat} reachable and writable for the account that runs the restore (and readable for the database server), then run it again.`,
    },
  );
}
