// A whole Octane installation for the rehearsal tests: SQL Server through the TDS stand-in, a real
// Elasticsearch node (shared by the file), a real repository folder, and a full set taken by the
// backup use-case (database, Elasticsearch, repository).
import { join } from 'node:path';
import type { Profile } from '../../../src-main/contract/profile.js';
import { backUp } from '../../../src-main/engine/use-cases/back-up.js';
import { createIndex } from '../../engine/steps/elasticsearch/restore/octane-like.js';
import { rig, type Rig } from '../../engine/steps/sqlserver/helpers.js';
import { largeTree, smallTree } from '../../e2e/support/trees.js';
import type { EsTestCluster } from '../elasticsearch/cluster.js';
import type { EsTestNode } from '../elasticsearch/node.js';
import { tempDir } from '../temp.js';

const MiB = 1024 * 1024;

export interface FullInstallation {
  r: Rig;
  repo: string;
  dir: string;
  profile: Profile;
  setPath: string;
  setId: string;
  indices: { name: string; docs: number }[];
  close(): Promise<void>;
}

/** A real single node, or a real cluster (every node listed in the profile, its shared path.repo). */
export type RehearsalEs = EsTestNode | EsTestCluster;

export async function fullInstallation(
  node: RehearsalEs,
  tag: string,
  o: { large?: boolean; indices?: { name: string; docs: number; shards?: number; replicas?: number }[] } = {},
): Promise<FullInstallation> {
  const r = await rig({
    databases: [
      { name: 'octane_site', usedBytes: 4 * MiB, content: 'site at the backup', tables: 12, rows: 3400 },
      { name: 'octane_sp_1001', usedBytes: 6 * MiB, content: 'space at the backup', tables: 80, rows: 91000 },
    ],
  });
  const tmp = await tempDir('obm-rehearse-');
  const repo = join(tmp.path, 'octane', 'repo');
  await smallTree(repo);
  if (o.large) await largeTree(join(repo, 'big'), 40);
  const indices = o.indices ?? [
    { name: `octane-${tag}-audit`, docs: 420 },
    { name: `octane-${tag}-search`, docs: 130 },
  ];
  for (const i of indices) await createIndex(node, i);
  const cluster = 'sharedRepo' in node;
  const location = join(cluster ? node.sharedRepo : node.pathRepo, `rh-${tag}`);
  const profile: Profile = {
    ...r.profile({ rehearsalDir: 'S:\\Rehearsal' }),
    profile: 'octane-prod',
    destination: join(tmp.path, 'backups'),
    elasticsearch: {
      ...(cluster ? { nodes: node.urls } : { node: node.url }),
      location,
      copyFrom: location,
      repository: `obm_rh_${tag}`,
      indices: indices.map((i) => i.name),
    },
    repository: { path: repo, format: 'tar.gz' },
  };
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
  return {
    r,
    repo,
    dir: tmp.path,
    profile,
    setPath: out.result.setPaths[0] as string,
    setId: out.result.manifest.setId,
    indices,
    close: async () => {
      await r.close();
      await tmp.cleanup();
    },
  };
}
