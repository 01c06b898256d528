// A real 3-node Elasticsearch 8.19 cluster on 127.0.0.1 with one shared path.repo folder (started
// once for this file): backup and rehearsal across the nodes, a node whose path.repo lacks the
// restore folder caught by the check with that node's own fix, and a node stopped mid-snapshot.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../../src-main/contract/events.js';
import type { ElasticsearchConfig, Profile } from '../../../../../src-main/contract/profile.js';
import { createElasticsearchRestore } from '../../../../../src-main/engine/steps/elasticsearch/restore/index.js';
import { startEsCluster, type EsTestCluster } from '../../../../support/elasticsearch/cluster.js';
import { tempDir } from '../../../../support/temp.js';
import { lookContext, restoreContext } from '../../restore/context.js';
import { esComponent, runEs } from '../real-node-scenarios.js';
import { clusterObjects, createIndex, documents, sameDocuments } from './octane-like.js';

const VERSION = '8.19.8';
const restore = createElasticsearchRestore({ pollMs: 200 });
let cluster: EsTestCluster;
let dir: { path: string; cleanup: () => Promise<void> };
let extra: string;

function profile(tag: string, es: Partial<ElasticsearchConfig> = {}): Profile {
  const location = join(cluster.sharedRepo, tag);
  return {
    profile: 'cluster-test',
    destination: join(dir.path, 'dest'),
    elasticsearch: { nodes: cluster.urls, repository: `obm_${tag}`, location, copyFrom: location, ...es },
  };
}

describe(`Elasticsearch ${VERSION}, 3-node cluster (real nodes)`, () => {
  beforeAll(async () => {
    dir = await tempDir('obm-es-cluster-test-');
    extra = join(dir.path, 'extra-repo');
    // node-1 and node-2 also list an extra folder in path.repo; node-3 does not.
    cluster = await startEsCluster(VERSION, { extraPathRepo: { 'node-1': [extra], 'node-2': [extra] } });
    console.log(`[es cluster] 3 nodes green in ${cluster.startMs} ms`);
  });
  afterAll(async () => {
    await cluster?.stop();
    await dir?.cleanup();
  });

  it("backs up indices spread over the three nodes and rehearses their restore from the set's copy: counts checked, nothing left behind", async () => {
    await createIndex(cluster, { name: 'octane-cl-audit', docs: 1500, shards: 3, replicas: 1, nested: 1 });
    await createIndex(cluster, { name: 'octane-cl-trend', docs: 800, shards: 2, replicas: 1 });
    const shards = await cluster.api<{ node: string }[]>(
      'GET',
      '/_cat/shards/octane-cl-*?format=json&h=node',
    );
    expect(new Set(shards.body.map((s) => s.node)).size).toBe(3);
    const p = profile('cl', { indices: ['octane-cl-*'] });
    const r = await runEs(p);
    const es = esComponent(r.manifest);
    expect(es.error, JSON.stringify(es.error)).toBeUndefined();
    expect((es.details?.repository as { verifiedOnNodes: number }).verifiedOnNodes).toBe(3);
    const setRoot = r.setPaths[0] as string;
    const target = { kind: 'scratch', setId: r.manifest.setId } as const;
    const before = await clusterObjects(cluster);
    const live = await documents(cluster, 'octane-cl-audit');
    const { ctx, rec } = await restoreContext(p, setRoot, target);
    const result = await restore.run(ctx, { source: 'set' });
    expect(result.indices.map((i) => [i.target, i.docs, i.check])).toEqual([
      [`rehearsal-${r.manifest.setId}-octane-cl-audit`, 1500, 'ok'],
      [`rehearsal-${r.manifest.setId}-octane-cl-trend`, 800, 'ok'],
    ]);
    expect(rec.statements).toContain(`POST /_snapshot/octane-restore-${r.manifest.setId}/_verify`);
    expect(await clusterObjects(cluster)).toEqual(before);
    expect(sameDocuments(await documents(cluster, 'octane-cl-audit'), live)).toBe(true);
  });

  it("a restore folder that node-3's path.repo lacks is caught by the check, naming node-3 and its own elasticsearch.yml line", async () => {
    await createIndex(cluster, { name: 'octane-pr-audit', docs: 50, shards: 2, replicas: 1 });
    const p = profile('pr', { indices: ['octane-pr-*'] });
    const r = await runEs(p);
    expect(esComponent(r.manifest).error).toBeUndefined();
    const folder = join(extra, `octane-restore-${r.manifest.setId}`);
    const look = await lookContext(p, r.setPaths[0] as string, { kind: 'scratch', setId: r.manifest.setId });
    const checks = await restore.check(look, { source: 'set', copyLocation: folder, copyFrom: folder });
    const pr = checks.find((c) => c.id === 'es.restore.path-repo');
    expect(pr?.status).toBe('failed');
    expect(pr?.message).toContain('node-3 does not list it in path.repo');
    expect(pr?.message).not.toContain('node-1');
    expect(pr?.fix).toContain(
      `node-3: path.repo: [${JSON.stringify(cluster.sharedRepo)}, ${JSON.stringify(folder)}]`,
    );
    expect(pr?.fix).not.toContain('node-1:');
    // The folder every node lists passes.
    const ok = await restore.check(look, { source: 'set' });
    expect(ok.find((c) => c.id === 'es.restore.path-repo')?.status).toBe('ok');
  });

  // Last: it stops node-3.
  it('a node stopped mid-snapshot makes the snapshot PARTIAL: the step fails naming the index on that node, as on a single node', async () => {
    // One index kept off node-3, one only on node-3.
    const ok = await cluster.api('PUT', '/octane-down-ok', {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 1,
        'index.routing.allocation.exclude._name': 'node-3',
      },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    await cluster.bulk(
      'octane-down-ok',
      Array.from({ length: 200 }, (_, n) => ({ n })),
    );
    const slow = await cluster.api('PUT', '/octane-down-slow', {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 0,
        'index.routing.allocation.require._name': 'node-3',
      },
    });
    expect(slow.status, JSON.stringify(slow.body)).toBe(200);
    for (let i = 0; i < 6; i++)
      await cluster.bulk(
        'octane-down-slow',
        Array.from({ length: 1000 }, (_, k) => ({
          n: i * 1000 + k,
          body: `${'x'.repeat(300)}${Math.random()}`,
        })),
      );
    const location = join(cluster.sharedRepo, 'down');
    const reg = await cluster.api('PUT', '/_snapshot/obm_down', {
      type: 'fs',
      settings: { location, max_snapshot_bytes_per_sec: '100kb' },
    });
    expect(reg.status).toBe(200);
    const p = profile('down', {
      indices: ['octane-down-*'],
      nodes: [cluster.node('node-1').url, cluster.node('node-2').url],
    });
    let stopping: Promise<void> | undefined;
    const r = await runEs(p, {
      timing: { pollMs: 200, unreachableGraceMs: 10_000, idleWaitMs: 60_000 },
      onEvent: (e: RunEvent) => {
        if (
          e.type === 'step-progress' &&
          e.step === 'elasticsearch' &&
          (e.counters.bytesDone ?? 0) > 0 &&
          !stopping
        )
          stopping = cluster.node('node-3').stop();
      },
    });
    await stopping;
    expect(stopping).toBeDefined();
    expect(cluster.node('node-3').alive()).toBe(false);
    const es = esComponent(r.manifest);
    expect(es.status).toBe('failed');
    expect(es.error?.code, JSON.stringify(es.error)).toBe('ES_SNAPSHOT_PARTIAL');
    expect(es.error?.message).toContain('octane-down-slow');
    expect((es.error?.details as { failedIndices: string[] }).failedIndices).toEqual(['octane-down-slow']);
    expect(r.manifest.complete).toBe(false);
    // The two remaining nodes still hold a cluster.
    const h = await cluster.api<{ number_of_nodes: number }>('GET', '/_cluster/health');
    expect(h.body.number_of_nodes).toBe(2);
  });
});
