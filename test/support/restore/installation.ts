// An Octane installation to restore into, for the restore tests: SQL Server through the TDS
// stand-in, a real repository folder, a set taken by the backup use-case, and the changes users
// make after the set was taken.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { backUp } from '../../../src-main/engine/use-cases/back-up.js';
import { rig, type Rig } from '../../engine/steps/sqlserver/helpers.js';
import { largeTree, smallTree } from '../../e2e/support/trees.js';
import { snapshotTree } from '../trees/snapshot.js';
import { tempDir } from '../temp.js';

const MiB = 1024 * 1024;

export interface Installation {
  r: Rig;
  repo: string;
  profile: Profile;
  setPath: string;
  source: Awaited<ReturnType<typeof snapshotTree>>;
  close(): Promise<void>;
}

let open: Installation[] = [];
afterEach(async () => {
  for (const i of open) await i.close();
  open = [];
});

export async function installation(
  o: { restoreScripts?: Parameters<typeof rig>[0]['restoreScripts']; large?: boolean } = {},
): Promise<Installation> {
  const r = await rig({
    databases: [
      { name: 'octane_site', usedBytes: 40 * MiB, content: 'site at the backup', tables: 12, rows: 3400 },
      {
        name: 'octane_sp_1001',
        usedBytes: 60 * MiB,
        content: 'space at the backup',
        tables: 80,
        rows: 91000,
      },
    ],
    ...(o.restoreScripts && { restoreScripts: o.restoreScripts }),
  });
  const tmp = await tempDir('obm-restore-set-');
  const repo = join(tmp.path, 'octane', 'repo');
  await smallTree(repo);
  // Large enough that a Cancel lands while the archive is being extracted.
  if (o.large) await largeTree(join(repo, 'big'), 30);
  const profile: Profile = {
    ...r.profile(),
    profile: 'octane-prod',
    destination: join(tmp.path, 'backups'),
    repository: { path: repo, format: 'tar.gz' },
  };
  const source = await snapshotTree(repo);
  const out = await backUp(
    { profile, kind: 'manual', signal: new AbortController().signal },
    {
      afterRun: () =>
        Promise.resolve({
          eventLog: { attempted: false, written: [] },
          email: { attempted: false, sent: false },
          problems: [],
        }),
    },
  );
  if (!out.started || !out.result.status.startsWith('succeeded'))
    throw new Error(`backup: ${JSON.stringify(out)}`);
  const inst: Installation = {
    r,
    repo,
    profile,
    setPath: out.result.setPaths[0] as string,
    source,
    close: async () => {
      await r.close();
      await tmp.cleanup();
    },
  };
  open.push(inst);
  return inst;
}

/** Users went on working after the set was taken. */
export async function changeEverything(i: Installation): Promise<void> {
  for (const d of i.r.fake.databases) d.content = `${d.name} changed after the set`;
  // (The profile takes no Elasticsearch: its sets are not a full Octane backup, so each restore names what it restores.)
  await rm(join(i.repo, 'readme.txt'));
  await writeFile(join(i.repo, 'scripts/manual/test-1.txt'), 'edited after the set\n');
  await writeFile(join(i.repo, 'attachments/new-after-set.txt'), 'added after the set\n');
}
