// Which set folders the renderer may name (open, verify, restore): only those under a destination
// of a stored profile. A compromised renderer cannot point the engine at any other folder.
import type { EmitEvent } from '../contract/ipc.js';
import { relativeUnderRoot } from '../engine/drives/drive-paths.js';
import { ExpectedError } from '../engine/errors.js';
import type { AppCore } from './app-core.js';

export async function requireAllowed(core: AppCore, path: string): Promise<void> {
  const roots = await core.allowedRoots();
  if (typeof path !== 'string' || !roots.some((r) => relativeUnderRoot(r, path) !== undefined))
    throw new ExpectedError(
      'PATH_NOT_ALLOWED',
      `${String(path)} is not under a destination of any profile.`,
      {
        fix: 'Only backup folders of your profiles can be opened, verified or restored from the app.',
        step: 'app',
      },
    );
}

const VERIFY_PROGRESS_MS = 100;

/** Verify progress for the window, at most one message per 100 ms (the last one always). */
export function verifyProgressEmitter(
  emit: EmitEvent,
  setPath: string,
): (bytesDone: number, bytesTotal: number, current: string) => void {
  let last = 0;
  return (bytesDone, bytesTotal, current) => {
    const t = Date.now();
    if (t - last < VERIFY_PROGRESS_MS && bytesDone < bytesTotal) return;
    last = t;
    emit('verify:progress', { setPath, bytesDone, bytesTotal, current });
  };
}
