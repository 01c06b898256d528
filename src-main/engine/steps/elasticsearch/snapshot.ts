// Takes one snapshot: started without waiting (the step goes on with the next store's capture
// meanwhile), then polled for byte-level progress, and judged by its final state. Cancelling deletes the snapshot, which is how Elasticsearch aborts a
// running one, so a cancelled backup leaves nothing half-made in the repository.
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepCounters } from '../../../contract/events.js';
import type { Logger } from '../../logger.js';
import { abortError, ExpectedError } from '../../errors.js';
import type { EsApi, EsSnapshotInfo, EsSnapshotStatus } from './api.js';
import { esError, type EsErrorContext } from './errors.js';
import { EsConnectionError, EsResponseError } from './http.js';

const step = 'elasticsearch' as const;
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'PARTIAL', 'INCOMPATIBLE']);

export interface SnapshotPlan {
  repository: string;
  name: string;
  indices: string[];
  metadata: Record<string, unknown>;
}

export interface PollTiming {
  /** Between two status polls, ms. */
  pollMs: number;
  /** How long Elasticsearch may stay unreachable during a snapshot before the step gives up, ms. */
  unreachableGraceMs: number;
}

export interface SnapshotHooks {
  signal: AbortSignal;
  log: Logger;
  /** fraction 0..1 of the snapshot phase. */
  progress: (fraction: number, counters: StepCounters) => void;
}

export async function takeSnapshot(
  api: EsApi,
  ec: EsErrorContext,
  plan: SnapshotPlan,
  hooks: SnapshotHooks,
  timing: PollTiming,
): Promise<EsSnapshotInfo> {
  await startSnapshot(api, ec, plan, hooks);
  return awaitSnapshot(api, ec, plan, hooks, timing);
}

/**
 * Starts the snapshot without waiting for it (wait_for_completion=false): Elasticsearch answers
 * once the snapshot is under way, each shard copied as of the moment its own snapshot starts.
 */
export async function startSnapshot(
  api: EsApi,
  ec: EsErrorContext,
  plan: SnapshotPlan,
  hooks: Pick<SnapshotHooks, 'signal' | 'log'>,
): Promise<void> {
  try {
    await api
      .createSnapshot(plan.repository, plan.name, {
        indices: plan.indices,
        include_global_state: false,
        ignore_unavailable: false,
        // Always let Elasticsearch finish what it can: the outcome (PARTIAL) is judged afterwards
        // against the profile, which also lets us name the failed shards and why.
        partial: true,
        metadata: plan.metadata,
      })
      .catch((err: unknown) => {
        throw esError(err, ec);
      });
    hooks.log.info(
      `Snapshot ${plan.name} of ${plan.indices.length} index(es) started in repository "${plan.repository}".`,
    );
  } catch (err) {
    // Cancelled while the create call was under way, the snapshot may exist already: delete it too.
    if (hooks.signal.aborted || (err as Error).name === 'AbortError')
      await abortSnapshot(api, plan, hooks.log);
    throw err;
  }
}

/** Waits for a started snapshot to end; a Cancel (or the runner's stop) deletes it. */
export async function awaitSnapshot(
  api: EsApi,
  ec: EsErrorContext,
  plan: SnapshotPlan,
  hooks: SnapshotHooks,
  timing: PollTiming,
): Promise<EsSnapshotInfo> {
  try {
    return await poll(api, ec, plan, hooks, timing);
  } catch (err) {
    if (hooks.signal.aborted || (err as Error).name === 'AbortError')
      await abortSnapshot(api, plan, hooks.log);
    throw err;
  }
}

// _status gives bytes and shard counts; it turns SUCCESS when the shards are done, which on 7.x
// is before the snapshot is finalized. The final word is GET _snapshot/<repo>/<snap>'s state.
async function poll(
  api: EsApi,
  ec: EsErrorContext,
  plan: SnapshotPlan,
  hooks: SnapshotHooks,
  timing: PollTiming,
): Promise<EsSnapshotInfo> {
  let unreachableSince: number | undefined;
  for (;;) {
    if (hooks.signal.aborted) throw abortError();
    let status: EsSnapshotStatus | undefined;
    let info: EsSnapshotInfo | undefined;
    try {
      status = await api.snapshotStatus(plan.repository, plan.name, hooks.signal);
      if (!status || TERMINAL.has(status.state))
        info = await api.getSnapshot(plan.repository, plan.name, hooks.signal);
      unreachableSince = undefined;
    } catch (err) {
      if (!isTransient(err)) throw esError(err, ec);
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince >= timing.unreachableGraceMs)
        throw new ExpectedError(
          'ES_LOST_DURING_SNAPSHOT',
          `Elasticsearch stopped answering while snapshot ${plan.name} was running (${transientWhat(err)} at ${ec.node}, ` +
            `for ${Math.round((Date.now() - unreachableSince) / 1000)} s). The snapshot did not finish, so this backup has no Elasticsearch data.`,
          {
            step,
            cause: err,
            details: { snapshot: plan.name, repository: plan.repository, last: transientWhat(err) },
            fix: 'Check that the Elasticsearch nodes are running (and their logs for a crash, restart or out-of-memory), then run the backup again. A snapshot left unfinished is cleaned up by Elasticsearch or can be deleted with DELETE _snapshot/<repository>/<snapshot>.',
          },
        );
      hooks.log.warn(`Elasticsearch did not answer the status poll (${transientWhat(err)}); retrying.`);
    }
    if (status) hooks.progress(...progressOf(status));
    if (info && TERMINAL.has(info.state ?? '')) return info;
    await sleep(timing.pollMs, undefined, { signal: hooks.signal });
  }
}

// A node shutting down answers 503 or drops connections before it refuses them: all of these
// mean "not now", and only their lasting beyond the grace period fails the step.
function isTransient(err: unknown): err is EsConnectionError | EsResponseError {
  return (
    err instanceof EsConnectionError ||
    (err instanceof EsResponseError &&
      (err.status >= 500 || err.status === 429) &&
      err.type !== 'snapshot_missing_exception')
  );
}

function transientWhat(err: EsConnectionError | EsResponseError): string {
  return err instanceof EsConnectionError ? err.code : `HTTP ${err.status}${err.type ? ` ${err.type}` : ''}`;
}

/** fraction and counters from a _status answer: bytes written of the bytes this snapshot must write. */
export function progressOf(s: EsSnapshotStatus): [number, StepCounters] {
  const total = s.stats?.incremental?.size_in_bytes ?? 0;
  const finished = TERMINAL.has(s.state);
  const done = finished ? total : Math.min(total, s.stats?.processed?.size_in_bytes ?? 0);
  const shardsTotal = s.shards_stats?.total ?? 0;
  const shardsDone = (s.shards_stats?.done ?? 0) + (s.shards_stats?.failed ?? 0);
  const fraction = finished ? 1 : total > 0 ? done / total : shardsTotal > 0 ? shardsDone / shardsTotal : 0;
  const counters: StepCounters = {
    bytesDone: done,
    bytesTotal: total,
    itemsDone: shardsDone,
    itemsTotal: shardsTotal,
    message: `Snapshot ${s.state.toLowerCase()}: ${shardsDone}/${shardsTotal} shards, ${mb(done)} of ${mb(total)} MB to write`,
    activity: `GET /_snapshot/${s.repository ?? ''}/${s.snapshot}/_status`,
  };
  return [fraction, counters];
}

async function abortSnapshot(api: EsApi, plan: SnapshotPlan, log: Logger): Promise<void> {
  try {
    await api.deleteSnapshot(plan.repository, plan.name, AbortSignal.timeout(300_000));
    log.warn(`Cancelled: snapshot ${plan.name} was aborted and deleted.`);
  } catch (err) {
    if (err instanceof EsResponseError && err.status === 404) return;
    log.error(
      `Cancelled, but snapshot ${plan.name} could not be deleted (${(err as Error).message}); ` +
        `delete it with DELETE _snapshot/${plan.repository}/${plan.name}.`,
    );
  }
}

export interface Outcome {
  warning?: { code: string; message: string };
}

export function describeFailures(info: EsSnapshotInfo): string {
  const f = info.failures ?? [];
  if (f.length === 0) return '';
  const shown = f
    .slice(0, 10)
    .map((x) => `${x.index ?? '?'}[${x.shard_id ?? '?'}]: ${x.reason ?? x.status ?? 'no reason given'}`);
  return shown.join('; ') + (f.length > 10 ? `; and ${f.length - 10} more` : '');
}

export function failedIndices(info: EsSnapshotInfo): string[] {
  return [...new Set((info.failures ?? []).map((x) => x.index ?? '?'))].sort();
}

/** SUCCESS is done; PARTIAL fails unless the profile allows it (then a warning); FAILED fails. */
export function judgeOutcome(info: EsSnapshotInfo, allowPartial: boolean): Outcome {
  const state = info.state ?? 'UNKNOWN';
  const shards = info.shards ?? {};
  if (state === 'SUCCESS') return {};
  if (state === 'PARTIAL') {
    const which = failedIndices(info);
    const msg =
      `Snapshot ${info.snapshot} is PARTIAL: ${shards.failed ?? '?'} of ${shards.total ?? '?'} shards failed, ` +
      `so these indices are missing or incomplete: ${which.join(', ')}. ${describeFailures(info)}`;
    if (allowPartial) return { warning: { code: 'ES_SNAPSHOT_PARTIAL', message: msg } };
    throw new ExpectedError('ES_SNAPSHOT_PARTIAL', msg, {
      step,
      details: { snapshot: info.snapshot, failedIndices: which, failures: info.failures ?? [] },
      fix:
        'Make those indices healthy — GET _cluster/allocation/explain tells why a shard is unassigned (a lost node, a full disk, an allocation filter) — ' +
        'and run the backup again; or, if a partial Elasticsearch backup is acceptable, allow partial snapshots in the profile (allowPartial).',
    });
  }
  throw new ExpectedError(
    'ES_SNAPSHOT_FAILED',
    `Snapshot ${info.snapshot} ended ${state}: ${info.reason ?? 'Elasticsearch gave no reason'}${describeFailures(info) ? `. ${describeFailures(info)}` : ''}`,
    {
      step,
      details: { snapshot: info.snapshot, state, reason: info.reason, failures: info.failures ?? [] },
      fix: 'Read the reason above and the Elasticsearch log of the master node; correct the cause (often disk space or permissions in the repository folder) and run the backup again.',
    },
  );
}

function mb(bytes: number): string {
  return (bytes / 1_048_576).toFixed(1);
}
