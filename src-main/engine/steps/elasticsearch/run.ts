// The Elasticsearch step: checks, snapshot, outcome, retention in the repository, and the copy
// of the repository folder into the set.
import { basename } from 'node:path';
import type { ElasticsearchConfig } from '../../../contract/profile.js';
import { type StepContext } from '../../step.js';
import { ExpectedError, throwIfAborted } from '../../errors.js';
import { TOOL_VERSION } from '../../version.js';
import type { EsApi, EsSnapshotInfo } from './api.js';
import {
  checkCopyFrom,
  checkPathRepo,
  connect,
  health,
  inspectRepository,
  registerRepository,
  verifyRepository,
} from './checks.js';
import { copyRepository, REPOSITORY_DIR, waitUntilIdle } from './copy-repository.js';
import { countDocuments, DOC_COUNT_METHOD, type DocCountRecord } from './doc-counts.js';
import { esError, type EsErrorContext } from './errors.js';
import { selectIndices, type IndexRecord } from './indices.js';
import { applyRetention, snapshotMetadata } from './retention.js';
import { openSession, snapshotNameFor } from './session.js';
import { judgeOutcome, takeSnapshot, type PollTiming } from './snapshot.js';

const step = 'elasticsearch' as const;

export interface EsStepTiming extends PollTiming {
  /** Longest wait for other snapshots in the repository to end before the copy, ms. */
  idleWaitMs: number;
}

export const DEFAULT_TIMING: EsStepTiming = {
  pollMs: 1000,
  unreachableGraceMs: 60_000,
  idleWaitMs: 15 * 60_000,
};

export async function runElasticsearch(ctx: StepContext, timing: EsStepTiming): Promise<void> {
  const c = ctx.profile.elasticsearch;
  if (!c) throw new ExpectedError('ES_NOT_CONFIGURED', 'The profile has no Elasticsearch section.', { step });
  // The set folder's name is the set name; the snapshot carries it so the two can be matched.
  const setName = basename(ctx.out.setRoot);
  const snapshot = snapshotNameFor(setName);
  const { http, api, ec } = openSession(c, ctx.secrets, (s) => ctx.record.statement(s), ctx.signal);
  ec.snapshot = snapshot;
  const copyShare = c.copyFrom ? 0.6 : 0;
  const snapPart = 1 - copyShare - 0.02;
  try {
    ctx.progress.report(0, { message: `Connecting to ${http.node}` });
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
    throwIfAborted(ctx.signal);
    const info = await snapshotWithCounts(ctx, api, ec, timing, {
      repository: c.repository,
      name: snapshot,
      indices,
      metadata: snapshotMetadata(ctx.profile.profile, setName, TOOL_VERSION),
      fractionOf: (f) => f * snapPart,
    });
    const outcome = judgeOutcome(info, c.allowPartial === true);
    if (outcome.warning) ctx.record.warn(outcome.warning.code, outcome.warning.message, info.snapshot);
    ctx.log.info(
      `Snapshot ${info.snapshot} ended ${info.state} (${info.shards?.successful ?? '?'}/${info.shards?.total ?? '?'} shards).`,
    );

    if (c.keepSnapshots !== undefined) await retention(ctx, c, api, snapshot);

    await copyIntoSet(ctx, c, { api, ec, timing, info, from: snapPart, share: copyShare });
    await ctx.out.writeFile(
      'snapshot.json',
      JSON.stringify(snapshotRecord(c, facts.version, info, indices), null, 2) + '\n',
      'Snapshot facts and restore hints',
    );
  } catch (err) {
    throw esError(err, ec);
  } finally {
    http.close();
  }
}

/** The whole repository folder into the set (copyFrom), or the warning that the set holds no copy. */
async function copyIntoSet(
  ctx: StepContext,
  c: ElasticsearchConfig,
  o: {
    api: EsApi;
    ec: EsErrorContext;
    timing: EsStepTiming;
    info: EsSnapshotInfo;
    from: number;
    share: number;
  },
): Promise<void> {
  const { info } = o;
  if (!c.copyFrom) {
    ctx.record.warn(
      'ES_NOT_COPIED',
      `The snapshot ${info.snapshot} stays only in the Elasticsearch repository ${c.location}; this set holds no copy of it. Set "copyFrom" to that folder as this machine sees it to copy it into the set.`,
    );
    return;
  }
  ctx.progress.report(o.from, { message: 'Waiting until no snapshot runs in the repository' });
  await waitUntilIdle(o.api, o.ec, c.repository, ctx.signal, ctx.log, o.timing.idleWaitMs, o.timing.pollMs);
  const copy = await copyRepository(
    ctx.out,
    c.copyFrom,
    c.location,
    {
      signal: ctx.signal,
      log: ctx.log,
      progress: (f, counters) => ctx.progress.report(o.from + f * o.share, counters),
    },
    // The copy must hold the snapshot just taken (name and UUID), or copyFrom is another repository.
    info.uuid !== undefined ? { name: info.snapshot, uuid: info.uuid } : { name: info.snapshot },
  );
  ctx.record.detail('copy', {
    from: c.copyFrom,
    to: `${step}/${REPOSITORY_DIR}`,
    files: copy.files,
    bytes: copy.bytes,
    repositoryGeneration: copy.generation,
  });
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

async function retention(
  ctx: StepContext,
  c: ElasticsearchConfig,
  api: EsApi,
  current: string,
): Promise<void> {
  try {
    const r = await applyRetention(
      api,
      c.repository,
      ctx.profile.profile,
      c.keepSnapshots ?? 0,
      current,
      ctx.signal,
    );
    ctx.record.detail('retention', { keep: c.keepSnapshots, deleted: r.deleted, kept: r.kept });
    if (r.deleted.length > 0)
      ctx.log.info(`Deleted ${r.deleted.length} older snapshot(s) of this profile: ${r.deleted.join(', ')}.`);
    for (const f of r.failed)
      ctx.record.warn(
        'ES_RETENTION_DELETE_FAILED',
        `Could not delete old snapshot ${f.snapshot}: ${f.message}`,
        f.snapshot,
      );
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.record.warn('ES_RETENTION_FAILED', `Old snapshots were not pruned: ${(err as Error).message}`);
  }
}

/**
 * The snapshot, bracketed by document counts of its open indices: just before it, and (after a
 * refresh) just after it. A rehearsal of the set requires each restored count to lie between them.
 */
async function snapshotWithCounts(
  ctx: StepContext,
  api: EsApi,
  ec: EsErrorContext,
  timing: EsStepTiming,
  p: {
    repository: string;
    name: string;
    indices: IndexRecord[];
    metadata: Record<string, unknown>;
    fractionOf: (f: number) => number;
  },
): Promise<EsSnapshotInfo> {
  const counted = p.indices.filter((i) => i.status !== 'close').map((i) => i.name);
  const before = await docCounts(ctx, api, counted, false);
  const info = await takeSnapshot(
    api,
    ec,
    { repository: p.repository, name: p.name, indices: p.indices.map((i) => i.name), metadata: p.metadata },
    {
      signal: ctx.signal,
      log: ctx.log,
      progress: (f, counters) => ctx.progress.report(p.fractionOf(f), counters),
    },
    timing,
  );
  recordSnapshot(ctx, info);
  if (before)
    ctx.record.detail('docCounts', bracket(counted, before, await docCounts(ctx, api, counted, true)));
  return info;
}

/** Counts for the rehearsal's check; a count that fails is a warning, never a failed backup. */
async function docCounts(
  ctx: StepContext,
  api: EsApi,
  names: string[],
  afterSnapshot: boolean,
): Promise<Record<string, number> | undefined> {
  try {
    return await countDocuments(api, names, {
      refresh: afterSnapshot,
      signal: ctx.signal,
      record: (s) => ctx.record.statement(s),
    });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.record.warn(
      'ES_DOC_COUNT_FAILED',
      `The documents of the indices could not be counted ${afterSnapshot ? 'after' : 'before'} the snapshot (${(err as Error).message}); a rehearsal of this set can report restored counts but not check them.`,
    );
    return undefined;
  }
}

function bracket(
  names: string[],
  before: Record<string, number>,
  after: Record<string, number> | undefined,
): DocCountRecord {
  const indices: DocCountRecord['indices'] = {};
  for (const n of names) {
    const e: { before?: number; after?: number } = {};
    if (before[n] !== undefined) e.before = before[n];
    if (after?.[n] !== undefined) e.after = after[n];
    // An index counted neither time (red, closed) gets no entry rather than an empty one.
    if (e.before !== undefined || e.after !== undefined) indices[n] = e;
  }
  return { method: DOC_COUNT_METHOD, indices };
}

function recordSnapshot(ctx: StepContext, info: EsSnapshotInfo): void {
  ctx.record.detail('snapshot', {
    name: info.snapshot,
    uuid: info.uuid,
    version: info.version,
    repository: info.repository,
    state: info.state,
    startTime: info.start_time,
    endTime: info.end_time,
    durationMs: info.duration_in_millis,
    shards: info.shards,
    indices: info.indices,
    failures: info.failures,
  });
}

function snapshotRecord(
  c: ElasticsearchConfig,
  version: string,
  info: EsSnapshotInfo,
  indices: IndexRecord[],
): Record<string, unknown> {
  return {
    elasticsearchVersion: version,
    repository: {
      name: c.repository,
      type: 'fs',
      location: c.location,
      copiedTo: c.copyFrom ? REPOSITORY_DIR : null,
    },
    snapshot: info,
    indices,
    restore:
      'Copy the "repository" folder to a folder listed in path.repo, register it read-only ' +
      '(PUT _snapshot/restored {"type":"fs","settings":{"location":"<folder>","readonly":true}}), then ' +
      `POST _snapshot/restored/${info.snapshot}/_restore. See docs/elasticsearch.md.`,
  };
}
