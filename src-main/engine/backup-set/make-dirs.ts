// mkdir -p that reports the real reason. Node's recursive mkdir says ENOENT when it cannot create a
// missing parent — on a read-only drive (EROFS) or one the account may not write (EACCES) too —
// which would tell an admin "the destination is no longer reachable" about a write-protected USB
// disk. On ENOENT this retries the first missing folder alone to get the file system's own answer.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE } from './private-modes.js';

export async function makeDirs(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    let first = path;
    while (dirname(first) !== first && !(await exists(dirname(first)))) first = dirname(first);
    // Throws the real error (EROFS, EACCES, ...); ENOENT again means the root itself is gone.
    await mkdir(first, { mode: PRIVATE_DIR_MODE });
    throw err;
  }
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );
