// What the Elasticsearch step does before its turn comes (while the database is backed up):
// connect, learn the cluster, check path.repo, register and verify the snapshot repository, choose
// the indices and check the space for the copy. Its snapshot can then start the moment the
// database has its point.
import type { ElasticsearchConfig } from '../../../contract/profile.js';
import { ExpectedError } from '../../errors.js';
import type { StepContext } from '../../step.js';
import type { EsApi } from './api.js';
import {
  checkCopyFrom,
  checkPathRepo,
  connect,
  health,
  inspectRepository,
  registerRepository,
  verifyRepository,
} from './checks.js';
import { esError, type EsErrorContext } from './errors.js';
import { selectIndices, type IndexRecord } from './indices.js';

const step = 'elasticsearch' as const;

export async function prepareSnapshot(
  ctx: StepContext,
  c: ElasticsearchConfig,
  api: EsApi,
  ec: EsErrorContext,
): Promise<{ facts: Awaited<ReturnType<typeof connect>>; indices: IndexRecord[] }> {
  ctx.progress.report(0, { message: `Connecting to ${ec.node}` });
  const facts = await connect(api, ec);
  ctx.record.server({
    engine: 'Elasticsearch',
    version: facts.version,
    ...(facts.clusterName ? { name: facts.clusterName } : {}),
  });
  ctx.record.detail('cluster', {
    name: facts.clusterName,
    uuid: facts.clusterUuid,
    node: facts.nodeName,
    version: facts.version,
  });
  if (facts.versionNote) ctx.record.warn('ES_VERSION_NOT_VERIFIED', facts.versionNote);
  const h = await health(api, ec);
  ctx.record.detail('clusterHealth', {
    status: h.status,
    nodes: h.number_of_nodes,
    unassignedShards: h.unassigned_shards,
  });
  if (h.status === 'red')
    ctx.log.warn('The cluster is red: some primary shards are unassigned, so the snapshot may be partial.');
  ec.pathRepo = await checkPathRepo(api, ec, c.location);
  const repo = await inspectRepository(api, ec, c.repository, c.location);
  if (!repo.registered) {
    await registerRepository(api, ec, c.repository, c.location);
    ctx.log.info(`Registered the snapshot repository "${c.repository}" (fs, ${c.location}).`);
  }
  const verifiedNodes = await verifyRepository(api, ec, c.repository);
  ctx.record.detail('repository', {
    name: c.repository,
    type: 'fs',
    location: c.location,
    registeredByThisRun: !repo.registered,
    verifiedOnNodes: verifiedNodes,
  });
  const indices = await chooseIndices(ctx, c, api, ec);
  if (c.copyFrom) await checkSpace(ctx, c.copyFrom, c.location, indices);
  return { facts, indices };
}

async function chooseIndices(
  ctx: StepContext,
  c: ElasticsearchConfig,
  api: EsApi,
  ec: EsErrorContext,
): Promise<IndexRecord[]> {
  const all = await api.catIndices().catch((err: unknown) => {
    throw esError(err, ec);
  });
  const sel = selectIndices(all, c.indices);
  if (sel.systemPatterns.length > 0)
    ctx.record.warn(
      'ES_SYSTEM_INDEX_PATTERN',
      `The patterns ${sel.systemPatterns.join(', ')} name system indices (starting with "."), which a backup never takes.`,
    );
  if (sel.unmatched.length > 0)
    throw new ExpectedError(
      'ES_INDEX_PATTERN_UNMATCHED',
      `These index patterns of the profile match no index: ${sel.unmatched.join(', ')}.`,
      {
        step,
        details: { unmatched: sel.unmatched },
        fix: 'Correct the patterns (GET _cat/indices lists the indices) or leave "indices" empty to back up every non-system index.',
      },
    );
  if (sel.selected.length === 0)
    throw new ExpectedError(
      'ES_NO_INDICES',
      'There is no index to back up: the cluster has no non-system index, or the patterns exclude them all.',
      {
        step,
        fix: 'Check that this is the Elasticsearch cluster Octane uses, and the index patterns in the profile.',
      },
    );
  const red = sel.selected.filter((i) => i.health === 'red').map((i) => i.name);
  if (red.length > 0) ctx.log.warn(`Red indices (primary shards unassigned): ${red.join(', ')}.`);
  ctx.record.detail('indices', sel.selected);
  return sel.selected;
}

async function checkSpace(
  ctx: StepContext,
  copyFrom: string,
  location: string,
  indices: IndexRecord[],
): Promise<void> {
  const f = await checkCopyFrom(copyFrom, location);
  const need = indices.reduce((a, i) => a + (i.primaryStoreBytes ?? 0), 0);
  ctx.record.detail('repositorySpace', { freeBytes: f.freeBytes, primaryStoreBytes: need });
  if (f.freeBytes !== undefined && f.freeBytes < need)
    ctx.record.warn(
      'ES_REPOSITORY_SPACE_LOW',
      `The repository folder has ${f.freeBytes} bytes free, less than the ${need} bytes of the selected indices' primary shards; a first (full) snapshot may not fit.`,
      copyFrom,
    );
}
