import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../contract/manifest.js';
import { syncDir } from './component-writer.js';
import { PRIVATE_FILE_MODE } from './private-modes.js';

/** Atomic: temp file, fsync, rename, fsync dir. A reader sees the old manifest or the new one, never half. */
export async function writeManifestAtomic(setRoot: string, manifest: Manifest): Promise<string> {
  const target = join(setRoot, MANIFEST_FILE);
  const tmp = join(setRoot, `.${MANIFEST_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    await fh.writeFile(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(setRoot);
  return target;
}

export async function readManifest(setRoot: string): Promise<Manifest> {
  const text = await readFile(join(setRoot, MANIFEST_FILE), 'utf8');
  return JSON.parse(text) as Manifest;
}
