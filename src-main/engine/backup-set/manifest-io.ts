import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../contract/manifest.js';
import { manifestProblems, manifestSchema } from '../../contract/manifest-schema.js';
import { ExpectedError } from '../errors.js';
import { syncDir } from './component-writer.js';
import { PRIVATE_FILE_MODE } from './private-modes.js';
import { notReadableText, readRegularFile } from './safe-read.js';

/** The largest manifest a reader accepts (an Elasticsearch copy lists every file: tens of MB at most). */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Atomic: temp file, fsync, rename, fsync dir. A reader sees the old manifest or the new one, never half. */
export async function writeManifestAtomic(setRoot: string, manifest: Manifest): Promise<string> {
  const target = join(setRoot, MANIFEST_FILE);
  const tmp = join(setRoot, `.${MANIFEST_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  // "wx": never through a link or over a file someone planted under the temporary name.
  const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    await fh.writeFile(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(setRoot);
  return target;
}

export type ManifestRead =
  | {
      ok: true;
      manifest: Manifest;
      /** As parsed from the file, before validation: what the seal covers. */ raw: unknown;
    }
  | {
      ok: false;
      /** missing: no manifest file at all (an interrupted run); unreadable: anything else. */
      reason: 'missing' | 'unreadable';
      /** Plain words: what is wrong with it. */
      problem: string;
    };

/**
 * A set's manifest, validated. Never throws and never hangs: a FIFO, device or link where the
 * manifest should be, invalid JSON, JSON of the wrong shape, or a manifest that names another
 * set folder all come back as "unreadable" with the reason.
 */
export async function readSetManifest(setRoot: string): Promise<ManifestRead> {
  const path = join(setRoot, MANIFEST_FILE);
  const file = await readRegularFile(path, MAX_MANIFEST_BYTES);
  if (!file.ok)
    return file.reason === 'missing'
      ? { ok: false, reason: 'missing', problem: `There is no ${MANIFEST_FILE} in ${setRoot}.` }
      : { ok: false, reason: 'unreadable', problem: `${path} is not readable: ${notReadableText(file)}.` };
  let raw: unknown;
  try {
    raw = JSON.parse(file.data.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    return {
      ok: false,
      reason: 'unreadable',
      problem: `${path} is not valid JSON (${(err as Error).message}).`,
    };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      reason: 'unreadable',
      problem: `${path} is not a manifest this tool wrote: ${manifestProblems(parsed.error)}.`,
    };
  const folder = basename(setRoot);
  if (parsed.data.setName !== folder)
    return {
      ok: false,
      reason: 'unreadable',
      problem: `${path} describes the set "${parsed.data.setName}", not this folder "${folder}": it was copied from another set.`,
    };
  return { ok: true, manifest: parsed.data, raw };
}

/** The manifest of a set, validated; throws MANIFEST_UNREADABLE when it cannot be believed. */
export async function readManifest(setRoot: string): Promise<Manifest> {
  const r = await readSetManifest(setRoot);
  if (r.ok) return r.manifest;
  throw new ExpectedError(r.reason === 'missing' ? 'MANIFEST_MISSING' : 'MANIFEST_UNREADABLE', r.problem, {
    step: 'verify',
    fix: 'This folder is not a usable backup set: use another set, or restore this one from a copy.',
  });
}
