import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A fresh temp folder; call the returned cleanup in afterEach/afterAll. */
export async function tempDir(prefix = 'obm-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => removeTree(path) };
}

/**
 * Removes a test tree. Node's rm cannot reach paths longer than PATH_MAX (the long-path trees of
 * the repository tests); GNU rm walks with openat and can.
 */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENAMETOOLONG' || process.platform === 'win32') throw err;
    await promisify(execFile)('rm', ['-rf', '--', path]);
  }
}
