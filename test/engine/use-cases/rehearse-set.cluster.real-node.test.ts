// A whole-set restore rehearsal against a real 3-node Elasticsearch 8.19 cluster on 127.0.0.1 (one
// shared path.repo folder, as Octane's guidance asks): SQL Server through the TDS stand-in, a real
// repository folder, indices whose shards and replicas lie on all three nodes. The set is taken by
// the backup use-case across the cluster, rehearsed onto scratch targets, and nothing is left.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRehearsals } from '../../../src-main/engine/backup-set/rehearsal-record.js';
import { rehearseSet } from '../../../src-main/engine/use-cases/rehearse-set.js';
import { startEsCluster, type EsTestCluster } from '../../support/elasticsearch/cluster.js';
import { fullInstallation, type FullInstallation } from '../../support/restore/rehearsal-installation.js';
import { tempDir } from '../../support/temp.js';
import { snapshotTree } from '../../support/trees/snapshot.js';

const VERSION = '8.19.8';
let cluster: EsTestCluster;
let scratchRoot: Awaited<ReturnType<typeof tempDir>>;
let open: FullInstallation[] = [];

beforeAll(async () => {
  scratchRoot = await tempDir('obm-rehearse-cluster-');
  cluster = await startEsCluster(VERSION);
  console.log(`[es cluster] 3 nodes green in ${cluster.startMs} ms`);
});
afterAll(async () => {
  await cluster?.stop();
  await scratchRoot?.cleanup();
});
afterEach(async () => {
  for (const i of open) await i.close();
  open = [];
});

async function indexNames(): Promise<string[]> {
  const res = await cluster.api<{ index: string }[]>('GET', '/_cat/indices?format=json&h=index');
  return res.body
    .map((x) => x.index)
    .filter((n) => !n.startsWith('.'))
    .sort();
}
const repositories = async (): Promise<string[]> =>
  Object.keys((await cluster.api('GET', '/_snapshot/_all')).body as object).sort();
const docCount = async (index: string): Promise<number> =>
  (await cluster.api<{ count: number }>('GET', `/${index}/_count`)).body.count;

describe(`rehearseSet on a 3-node Elasticsearch ${VERSION} cluster (real nodes; SQL Server: TDS stand-in; repository: real folder)`, () => {
  it('TDS stand-in: rehearses a whole set whose indices lie on all three nodes: every store passes, counts checked, the live installation untouched, nothing left', async () => {
    const i = await fullInstallation(cluster, 'cl', {
      indices: [
        { name: 'octane-cl-audit', docs: 1500, shards: 3, replicas: 1 },
        { name: 'octane-cl-search', docs: 600, shards: 2, replicas: 1 },
      ],
    });
    open.push(i);
    const shards = await cluster.api<{ node: string }[]>(
      'GET',
      '/_cat/shards/octane-cl-*?format=json&h=node',
    );
    expect(new Set(shards.body.map((s) => s.node)).size).toBe(3);
    // Users went on working after the set: the live stores must stay exactly as they are.
    for (const d of i.r.fake.databases) d.content = `${d.name} live after the set`;
    await writeFile(join(i.repo, 'attachments/new-after-set.txt'), 'added after the set\n');
    await cluster.bulk('octane-cl-audit', [{ title: 'written after the set' }]);
    const liveTree = await snapshotTree(i.repo);
    const liveIndices = await indexNames();
    const liveRepos = await repositories();
    const scratch = join(scratchRoot.path, 'cl');
    await mkdir(scratch);

    const out = await rehearseSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: new AbortController().signal,
      scratchDir: scratch,
    });

    const r = out.record;
    expect(r.result, JSON.stringify(r)).toBe('passed');
    expect(r.stores.map((s) => [s.id, s.status])).toEqual([
      ['database', 'passed'],
      ['elasticsearch', 'passed'],
      ['repository', 'passed'],
    ]);
    const es = r.stores.find((s) => s.id === 'elasticsearch')?.checked.join('\n') ?? '';
    // The set's counts, not the live ones (1501 now): the snapshot is what came back.
    expect(es).toContain(
      `octane-cl-audit → rehearsal-${i.setId}-octane-cl-audit: 1500 documents (the backup counted 1500 before and 1500 after the snapshot)`,
    );
    expect(es).toContain(`octane-cl-search → rehearsal-${i.setId}-octane-cl-search: 600 documents`);
    expect(r.stores.find((s) => s.id === 'repository')?.checked[0]).toMatch(
      /^\d+ file\(s\) extracted into a scratch folder and read back; (\d+) matched by SHA-256/,
    );
    // The live installation is exactly as it was, and nothing the rehearsal made is left.
    expect(i.r.fake.databases.map((d) => [d.name, d.content])).toEqual([
      ['octane_site', 'octane_site live after the set'],
      ['octane_sp_1001', 'octane_sp_1001 live after the set'],
    ]);
    expect(await snapshotTree(i.repo)).toEqual(liveTree);
    expect(await docCount('octane-cl-audit')).toBe(1501);
    expect(await indexNames()).toEqual(liveIndices);
    expect(await repositories()).toEqual(liveRepos);
    expect(await readdir(scratch)).toEqual([]);
    expect(out.journalKept).toBeUndefined();
    expect(await readRehearsals(i.setPath)).toEqual([r]);
  }, 300_000);
});
