// Every destination must exist (or be creatable) and be writable by the account that runs
// the backup — checked with a real probe file, because ACLs and read-only media lie to stat().
import { formatBytes } from '../../contract/format.js';
import { randomBytes } from 'node:crypto';
import { rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreflightCheck } from '../../contract/preflight.js';
import { COMPONENT_IDS, type Profile } from '../../contract/profile.js';
import { destinationFor } from '../backup-set/set-layout.js';
import { makeDirs } from '../backup-set/make-dirs.js';

export async function freeBytes(path: string): Promise<number | undefined> {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

export async function destinationChecks(profile: Profile): Promise<PreflightCheck[]> {
  const dests = new Map<string, string[]>();
  const used = COMPONENT_IDS.filter((id) => profile[id] !== undefined);
  for (const id of used.length > 0 ? used : COMPONENT_IDS) {
    const d = destinationFor(profile, id);
    dests.set(d, [...(dests.get(d) ?? []), id]);
  }
  const checks: PreflightCheck[] = [];
  for (const [dest, comps] of dests) {
    const id = `destination-writable:${dest}`;
    const title = `Destination ${dest} (${comps.join(', ')})`;
    try {
      await makeDirs(dest);
      const probe = join(dest, `.octane-backup-probe-${randomBytes(4).toString('hex')}`);
      await writeFile(probe, 'probe');
      await rm(probe, { force: true });
      const free = await freeBytes(dest);
      checks.push({
        id,
        component: 'destination',
        title,
        status: 'ok',
        message: `Writable${free !== undefined ? `; ${formatBytes(free)} free` : ''}.`,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      checks.push({
        id,
        component: 'destination',
        title,
        status: 'failed',
        message: `Cannot write to ${dest} (${code ?? (err as Error).message}).`,
        fix:
          code === 'ENOENT'
            ? 'The drive or share is not there: connect the drive (or check the path) and try again.'
            : code === 'EROFS'
              ? 'The destination is read-only: remove write protection or choose another drive.'
              : 'Give the account that runs the backup write access to this folder, or choose another destination.',
      });
    }
  }
  return checks;
}
