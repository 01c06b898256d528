// A real backup set taken through the real runner from the TDS stand-in, ready to be restored.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../../../../src-main/contract/manifest.js';
import type { Profile, SqlServerConfig } from '../../../../../src-main/contract/profile.js';
import { runBackup } from '../../../../../src-main/engine/run-backup.js';
import type { RestoreTarget } from '../../../../../src-main/engine/steps/restore/primitive.js';
import { rig, type Rig } from '../helpers.js';

export const MiB = 1024 * 1024;

export interface BackedUp {
  r: Rig;
  setRoot: string;
  manifest: Manifest;
  profile: (o?: Partial<SqlServerConfig>) => Profile;
  scratch: RestoreTarget;
  close(): Promise<void>;
}

export async function backedUp(
  opts: Parameters<typeof rig>[0],
  o: { keepServerCopies?: boolean } = {},
): Promise<BackedUp> {
  const r = await rig(opts);
  const profile = (x: Partial<SqlServerConfig> = {}): Profile =>
    r.profile({ rehearsalDir: 'S:\\Rehearsal', ...x });
  const result = await runBackup(profile(), { env: {} });
  if (result.manifest.components.find((c) => c.id === 'database')?.status !== 'succeeded')
    throw new Error(`backup ${result.status}: ${JSON.stringify(result.manifest.error)}`);
  // The server's own copies are gone (deleted by the DBA, or a new server): the set's copy must be staged.
  if (!o.keepServerCopies)
    for (const f of await readdir(r.serverDir)) await rm(join(r.serverDir, f), { force: true });
  return {
    r,
    setRoot: result.setPaths[0] as string,
    manifest: result.manifest,
    profile,
    scratch: { kind: 'scratch', setId: result.manifest.setId },
    close: () => r.close(),
  };
}

export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
