// Restores and rehearsals on a real Elasticsearch node (es-7 / es-8 .restore.real-node.test.ts):
// back up Octane-like indices through the real runner, change the cluster (documents changed and
// deleted, an index deleted, another added), restore, and compare document by document.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../../src-main/contract/profile.js';
import { ExpectedError, isAbortError } from '../../../../../src-main/engine/errors.js';
import { createElasticsearchRestore } from '../../../../../src-main/engine/steps/elasticsearch/restore/index.js';
import { startEsNode } from '../../../../support/elasticsearch/node.js';
import { tempDir } from '../../../../support/temp.js';
import { lookContext, monotonic, restoreContext } from '../../restore/context.js';
import { esComponent, profileFor, runEs, type Ctx } from '../real-node-scenarios.js';
import { clusterObjects, createIndex, documents, sameDocuments } from './octane-like.js';

const restore = createElasticsearchRestore({ pollMs: 200 });
const inPlace = { kind: 'in-place' } as const;

interface Backed {
  profile: Profile;
  setRoot: string;
  setId: string;
  snapshot: string;
  before: Map<string, Map<string, unknown>>;
}

/** Indices created, documents read back whole, then a real backup through the runner. */
async function backUp(c: Ctx, tag: string, specs: Parameters<typeof createIndex>[1][]): Promise<Backed> {
  for (const s of specs) await createIndex(c.node, s);
  const before = new Map<string, Map<string, unknown>>();
  for (const s of specs) before.set(s.name, await documents(c.node, s.name));
  const profile = profileFor(c, tag, { repository: `obm_${tag}`, indices: specs.map((s) => s.name) });
  const r = await runEs(profile);
  const es = esComponent(r.manifest);
  expect(es.error, JSON.stringify(es.error)).toBeUndefined();
  // The backup recorded each index's documents just before and just after the snapshot.
  const counts = (es.details?.docCounts as { indices: Record<string, { before: number; after: number }> })
    .indices;
  for (const s of specs) expect(counts[s.name]).toEqual({ before: s.docs, after: s.docs });
  return {
    profile,
    setRoot: r.setPaths[0] as string,
    setId: r.manifest.setId,
    snapshot: r.setName.toLowerCase(),
    before,
  };
}

/** Users keep working after the backup: documents changed and deleted, an index dropped, one added. */
async function changeCluster(c: Ctx, changed: string, dropped: string, added: string): Promise<void> {
  await c.node.api('POST', `/${changed}/_update_by_query?refresh=true`, {
    query: { range: { n: { lt: 50 } } },
    script: { source: "ctx._source.title = 'changed after the backup'" },
  });
  await c.node.api('POST', `/${changed}/_delete_by_query?refresh=true`, {
    query: { range: { n: { gte: 100, lt: 160 } } },
  });
  await c.node.bulk(changed, [{ n: 99_999, title: 'written after the backup' }]);
  expect((await c.node.api('DELETE', `/${dropped}`)).status).toBe(200);
  await createIndex(c.node, { name: added, docs: 37 });
}

export function defineRestoreScenarios(version: string): void {
  const c = {} as Ctx;
  let cleanupDir: () => Promise<void> = () => Promise.resolve();

  describe(`Elasticsearch ${version} restore (real node)`, () => {
    beforeAll(async () => {
      const t = await tempDir('obm-es-restore-');
      c.dir = t.path;
      cleanupDir = t.cleanup;
      c.node = await startEsNode(version);
    });
    afterAll(async () => {
      await c.node?.stop();
      await cleanupDir();
    });

    it('in place from the live repository: every document back exactly as backed up, the dropped index back, the index added since untouched', async () => {
      const b = await backUp(c, 'live', [
        { name: 'octane-live-audit', docs: 900, nested: 2 },
        { name: 'octane-live-trend', docs: 1200, shards: 2 },
        { name: 'octane-live-search', docs: 300 },
      ]);
      await changeCluster(c, 'octane-live-audit', 'octane-live-search', 'octane-live-added');
      // Recreated with another shard count: it cannot be overwritten closed, so it is deleted.
      expect((await c.node.api('DELETE', '/octane-live-trend')).status).toBe(200);
      await createIndex(c.node, { name: 'octane-live-trend', docs: 5, shards: 3 });
      const added = await documents(c.node, 'octane-live-added');
      const plan = await restore.plan(await lookContext(b.profile, b.setRoot, inPlace), {});
      const texts = plan.actions.map((a) => a.text ?? a.title);
      expect(texts).toContain('POST /octane-live-audit/_close');
      expect(texts).toContain('DELETE /octane-live-trend?ignore_unavailable=true');
      expect(texts.some((t) => t.includes('octane-live-added'))).toBe(false);
      const { ctx, rec } = await restoreContext(b.profile, b.setRoot, inPlace);
      const result = await restore.run(ctx, {});
      expect(result.source).toBe('live');
      expect(result.indices.map((i) => [i.target, i.docs, i.check])).toEqual([
        ['octane-live-audit', 900, 'ok'],
        ['octane-live-search', 300, 'ok'],
        ['octane-live-trend', 1200, 'ok'],
      ]);
      for (const [name, docs] of b.before)
        expect(sameDocuments(await documents(c.node, name), docs), name).toBe(true);
      expect(sameDocuments(await documents(c.node, 'octane-live-added'), added)).toBe(true);
      expect(rec.journal).toEqual([]);
      expect(rec.statements.some((s) => s.includes('"include_global_state":false'))).toBe(true);
      expect(monotonic(rec)).toBe(true);
    });

    it("in place from the set's copy when the snapshot is gone from the live repository; the temporary repository and the copied folder are removed", async () => {
      const b = await backUp(c, 'copy', [
        { name: 'octane-copy-audit', docs: 700, nested: 1 },
        { name: 'octane-copy-runs', docs: 450 },
      ]);
      expect((await c.node.api('DELETE', `/_snapshot/obm_copy/${b.snapshot}`)).status).toBe(200);
      await changeCluster(c, 'octane-copy-audit', 'octane-copy-runs', 'octane-copy-added');
      const objects = await clusterObjects(c.node);
      const { ctx, rec } = await restoreContext(b.profile, b.setRoot, inPlace);
      const result = await restore.run(ctx, {});
      expect(result.source).toBe('set');
      expect(result.repository).toBe(`octane-restore-${b.setId}`);
      expect(rec.journal.map((j) => j.kind)).toEqual(['folder', 'es-repository']);
      for (const [name, docs] of b.before)
        expect(sameDocuments(await documents(c.node, name), docs), name).toBe(true);
      const after = await clusterObjects(c.node);
      expect(after.repositories).toEqual(objects.repositories);
      expect(after.indices).toEqual([...objects.indices, 'octane-copy-runs'].sort());
      expect(await readdir(c.node.pathRepo)).not.toContain(`octane-restore-${b.setId}`);
    });

    it('a rehearsal restores renamed indices with no replica, checks their counts and leaves no index, repository or folder behind', async () => {
      const b = await backUp(c, 'rh', [
        { name: 'octane-rh-audit', docs: 640, nested: 3 },
        { name: 'octane-rh-trend', docs: 220, replicas: 1 },
      ]);
      const before = await clusterObjects(c.node);
      const target = { kind: 'scratch', setId: b.setId } as const;
      const { ctx, rec } = await restoreContext(b.profile, b.setRoot, target);
      const seen: string[][] = [];
      const watch = setInterval(() => void clusterObjects(c.node).then((o) => seen.push(o.indices)), 300);
      let result;
      try {
        result = await restore.run(ctx, { source: 'set' });
      } finally {
        clearInterval(watch);
      }
      expect(result.indices.map((i) => [i.target, i.docs, i.check])).toEqual([
        [`rehearsal-${b.setId}-octane-rh-audit`, 640, 'ok'],
        [`rehearsal-${b.setId}-octane-rh-trend`, 220, 'ok'],
      ]);
      expect(rec.journal.map((j) => [j.kind, j.name])).toEqual([
        ['folder', join(c.node.pathRepo, `octane-restore-${b.setId}`)],
        ['es-repository', `octane-restore-${b.setId}`],
        ['es-index', `rehearsal-${b.setId}-octane-rh-audit`],
        ['es-index', `rehearsal-${b.setId}-octane-rh-trend`],
      ]);
      expect(seen.some((list) => list.includes(`rehearsal-${b.setId}-octane-rh-audit`))).toBe(true);
      expect(await clusterObjects(c.node)).toEqual(before);
      for (const [name, docs] of b.before)
        expect(sameDocuments(await documents(c.node, name), docs), name).toBe(true);
      expect(await readdir(c.node.pathRepo)).not.toContain(`octane-restore-${b.setId}`);
    });

    it('a rehearsal whose index holds fewer documents than the backup recorded fails and names the index; nothing is left', async () => {
      const b = await backUp(c, 'few', [{ name: 'octane-few-audit', docs: 300 }]);
      const manifest = join(b.setRoot, 'manifest.json');
      const m = JSON.parse(await readFile(manifest, 'utf8')) as {
        components: { id: string; details: { docCounts: { indices: Record<string, unknown> } } }[];
      };
      const es = m.components.find((x) => x.id === 'elasticsearch');
      if (es) es.details.docCounts.indices['octane-few-audit'] = { before: 310, after: 320 };
      await writeFile(manifest, JSON.stringify(m));
      const before = await clusterObjects(c.node);
      const { ctx } = await restoreContext(b.profile, b.setRoot, { kind: 'scratch', setId: b.setId });
      const e = await restore.run(ctx, {}).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ExpectedError);
      expect((e as ExpectedError).code).toBe('ES_RESTORE_COUNT_MISMATCH');
      expect((e as ExpectedError).message).toContain(
        `rehearsal-${b.setId}-octane-few-audit has 300 documents; the backup counted 310 just before and 320 just after the snapshot`,
      );
      expect(await clusterObjects(c.node)).toEqual(before);
    });

    it("cancel during a rehearsal's restore stops it and leaves no rehearsal index or repository behind", async () => {
      const b = await backUp(c, 'cancel', [{ name: 'octane-cancel-big', docs: 6000 }]);
      // A throttled restore is slow enough to cancel while shards recover.
      const location = join(c.node.pathRepo, 'cancel');
      expect(
        (
          await c.node.api('PUT', '/_snapshot/obm_cancel', {
            type: 'fs',
            settings: { location, max_restore_bytes_per_sec: '50kb' },
          })
        ).status,
      ).toBe(200);
      const before = await clusterObjects(c.node);
      const ac = new AbortController();
      const { ctx } = await restoreContext(
        b.profile,
        b.setRoot,
        { kind: 'scratch', setId: b.setId },
        {
          signal: ac.signal,
          onProgress: (m) => {
            if (m.startsWith('Restoring shards')) ac.abort();
          },
        },
      );
      const e = await restore.run(ctx, {}).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(isAbortError(e)).toBe(true);
      expect(await clusterObjects(c.node)).toEqual(before);
      expect((await documents(c.node, 'octane-cancel-big')).size).toBe(6000);
    });

    it('check: a copy location outside path.repo fails with the node and its elasticsearch.yml line; a rehearsal name already taken fails and is not touched', async () => {
      const b = await backUp(c, 'chk', [{ name: 'octane-chk-audit', docs: 20 }]);
      const outside = join(c.dir, 'not-in-path-repo');
      const look = await lookContext(b.profile, b.setRoot, { kind: 'scratch', setId: b.setId });
      const checks = await restore.check(look, { source: 'set', copyLocation: outside, copyFrom: outside });
      const pr = checks.find((x) => x.id === 'es.restore.path-repo');
      expect(pr?.status).toBe('failed');
      expect(pr?.fix).toContain(
        `node-1: path.repo: [${JSON.stringify(c.node.pathRepo)}, ${JSON.stringify(outside)}]`,
      );
      await createIndex(c.node, { name: `rehearsal-${b.setId}-octane-chk-audit`, docs: 3 });
      const again = await restore.check(look, {});
      expect(again.find((x) => x.id === 'es.restore.indices')?.status).toBe('failed');
      const { ctx } = await restoreContext(b.profile, b.setRoot, { kind: 'scratch', setId: b.setId });
      await restore.run(ctx, {}).catch(() => undefined);
      expect((await documents(c.node, `rehearsal-${b.setId}-octane-chk-audit`)).size).toBe(3);
      const v = again.find((x) => x.id === 'es.restore.version');
      expect(v?.status).toBe('ok');
      expect(again.find((x) => x.id === 'es.restore.rights')?.status).toBe('ok');
    });
  });
}
