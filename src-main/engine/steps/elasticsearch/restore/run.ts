// The Elasticsearch restore: the snapshot from the live repository (same UUID) or from the set's
// copy registered read-only under a temporary name; in place only the snapshot's own indices are
// closed or deleted; a rehearsal restores them renamed with no replica. Done when every restored
// index is green or yellow and its document count lies within what the backup recorded.
import { rm } from 'node:fs/promises';
import { ExpectedError, isAbortError, throwIfAborted } from '../../../errors.js';
import { cancelledLeaving, type RestoreContext } from '../../restore/primitive.js';
import { countDocuments } from '../doc-counts.js';
import { esError } from '../errors.js';
import type { EsSession } from '../session.js';
import { esChecks } from './check.js';
import { copyIn } from './copy-in.js';
import { followRestore, type FollowTiming } from './follow.js';
import { restorable, restoreBody, sourceRepository } from './plan.js';
import { EsRestoreApi } from './restore-api.js';
import {
  emptyEsSurvey,
  openEsSession,
  surveyEs,
  type EsRestoreOptions,
  type EsSurvey,
  type IndexTarget,
} from './survey.js';

export interface IndexOutcome {
  index: string;
  target: string;
  docs?: number;
  /** What the backup counted just before and just after the snapshot. */
  expected?: { before?: number; after?: number };
  check: 'ok' | 'not-recorded';
}

export interface EsRestoreResult {
  source: 'live' | 'set';
  repository: string;
  snapshot: string;
  indices: IndexOutcome[];
  /** Indices of a PARTIAL snapshot that were not restored. */
  skipped: string[];
}

interface Env {
  ctx: RestoreContext;
  s: EsSurvey;
  r: EsRestoreApi;
  session: EsSession;
  timing: FollowTiming;
  scratch: boolean;
  copied?: string;
  registered?: string;
  closed: string[];
  deleted: string[];
  /** Restore accepted by Elasticsearch: these indices are being (or were) restored. */
  restoring: string[];
}

const step = 'elasticsearch' as const;
const COPY = 0.3;

function refuse(checks: Awaited<ReturnType<typeof esChecks>>): void {
  const failed = checks.filter((c) => c.status === 'failed');
  const first = failed[0];
  if (!first) return;
  throw new ExpectedError(
    'ES_RESTORE_PRECONDITION',
    `${first.message}${failed.length > 1 ? ` (and ${failed.length - 1} more failed check(s))` : ''} Nothing was restored.`,
    {
      step,
      ...(first.fix ? { fix: first.fix } : {}),
      details: { failed: failed.map((c) => ({ id: c.id, message: c.message, fix: c.fix })) },
    },
  );
}

export async function runEsRestore(
  ctx: RestoreContext,
  opts: EsRestoreOptions,
  timing: FollowTiming,
): Promise<EsRestoreResult> {
  const s = emptyEsSurvey(ctx, opts);
  const session = openEsSession(s.c, ctx, (x) => ctx.statement(x));
  const env: Env = {
    ctx,
    s,
    r: new EsRestoreApi(session.api, ctx.signal),
    session,
    timing,
    scratch: ctx.target.kind === 'scratch',
    closed: [],
    deleted: [],
    restoring: [],
  };
  try {
    ctx.progress.report(0, { message: `Connecting to ${session.http.node}` });
    await surveyEs(s, session, ctx, opts);
    refuse(await esChecks(s, ctx.target));
    if (!s.live) await bringCopy(env);
    const targets = restorable(s);
    await checkSnapshot(env);
    await startRestore(env, targets);
    await followRestore(env.r, env.restoring, {
      ...timing,
      signal: ctx.signal,
      progress: (f, c) => ctx.progress.report((s.live ? 0 : COPY) + (s.live ? 0.95 : 0.65) * f, c),
    });
    const indices = await compareCounts(env, targets);
    ctx.progress.report(1, {
      message: `${indices.length} index(es) ${env.scratch ? 'rehearsed' : 'restored'}`,
    });
    return {
      source: s.live ? 'live' : 'set',
      repository: sourceRepository(s),
      snapshot: s.view.snapshot,
      indices,
      skipped: s.view.failedIndices,
    };
  } catch (err) {
    throw await failure(env, err);
  } finally {
    await cleanup(env);
    session.http.close();
  }
}

async function bringCopy(env: Env): Promise<void> {
  const { ctx, s } = env;
  const copy = s.copy;
  if (!copy)
    throw new ExpectedError(
      'ES_RESTORE_NO_SOURCE',
      'The snapshot is gone from the live repository and the set holds no copy that can be used.',
      { step },
    );
  await copyIn(
    ctx,
    s.view,
    copy.localDir,
    (f, c) => ctx.progress.report(COPY * f, c),
    () => (env.copied = copy.localDir),
  );
  throwIfAborted(ctx.signal);
  await ctx.journal({
    component: 'elasticsearch',
    kind: 'es-repository',
    name: copy.repository,
    where: `cluster ${s.facts?.clusterName ?? ''}`.trim(),
  });
  await env.r
    .registerReadOnly(copy.repository, copy.location)
    .catch((err: unknown) => Promise.reject(esError(err, env.session.ec)));
  env.registered = copy.repository;
  try {
    await env.r.verify(copy.repository);
  } catch (err) {
    const e = esError(err, { ...env.session.ec, location: copy.location });
    throw new ExpectedError(
      'ES_RESTORE_COPY_UNREADABLE',
      `Not every node can read the copy at ${copy.location}: ${e.message}`,
      {
        step,
        cause: err,
        fix: `The folder must be the same shared storage on every master and data node, mounted at ${copy.location} and readable by the account Elasticsearch runs as; the node named above cannot read it.`,
      },
    );
  }
}

/** The snapshot must be there (in the copy too) with the set's UUID, SUCCESS or PARTIAL. */
async function checkSnapshot(env: Env): Promise<void> {
  const { s } = env;
  const repo = sourceRepository(s);
  const info = await env.r
    .snapshot(repo, s.view.snapshot)
    .catch((err: unknown) => Promise.reject(esError(err, env.session.ec)));
  const bad = (what: string): ExpectedError =>
    new ExpectedError('ES_RESTORE_WRONG_SNAPSHOT', `Repository "${repo}" ${what}. Nothing was restored.`, {
      step,
      fix: "The set's repository copy or the live repository does not hold this set's snapshot: restore from another set, or from an untouched copy of this one.",
    });
  if (!info) throw bad(`holds no snapshot ${s.view.snapshot}`);
  if (s.view.uuid && info.uuid !== s.view.uuid)
    throw bad(
      `holds snapshot ${s.view.snapshot} with UUID ${info.uuid ?? '?'}, not the set's ${s.view.uuid}`,
    );
  if (info.state !== 'SUCCESS' && info.state !== 'PARTIAL')
    throw bad(`holds snapshot ${s.view.snapshot} in state ${info.state ?? '?'}`);
}

async function startRestore(env: Env, targets: IndexTarget[]): Promise<void> {
  const { ctx, s, r } = env;
  throwIfAborted(ctx.signal);
  if (env.scratch)
    for (const t of targets)
      await ctx.journal({
        component: 'elasticsearch',
        kind: 'es-index',
        name: t.target,
        where: `cluster ${s.facts?.clusterName ?? ''}`.trim(),
      });
  else {
    const close = targets.filter((t) => t.action === 'close').map((t) => t.target);
    const del = targets.filter((t) => t.action === 'delete').map((t) => t.target);
    if (close.length) await r.close(close);
    env.closed = close;
    if (del.length) await r.delete(del);
    env.deleted = del;
  }
  try {
    await r.restore(sourceRepository(s), s.view.snapshot, restoreBody(s, env.scratch));
  } catch (err) {
    throw esError(err, env.session.ec);
  }
  env.restoring = targets.map((t) => t.target);
  ctx.log.info(
    `Restore of ${targets.length} index(es) from ${sourceRepository(s)}/${s.view.snapshot} accepted.`,
  );
}

async function compareCounts(env: Env, targets: IndexTarget[]): Promise<IndexOutcome[]> {
  const counts = await countDocuments(
    env.r.api,
    targets.map((t) => t.target),
    { refresh: true, signal: env.ctx.signal, record: (x) => env.ctx.statement(x) },
  );
  const out: IndexOutcome[] = [];
  const wrong: string[] = [];
  for (const t of targets) {
    const { before, after } = t.index;
    const o: IndexOutcome = { index: t.index.name, target: t.target, check: 'not-recorded' };
    const docs = counts[t.target];
    if (docs !== undefined) o.docs = docs;
    if (before !== undefined || after !== undefined)
      o.expected = { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
    if (before !== undefined && after !== undefined) {
      const lo = Math.min(before, after);
      const hi = Math.max(before, after);
      if (docs === undefined || docs < lo || docs > hi)
        wrong.push(
          `${t.target} has ${docs ?? 'no countable'} documents; the backup counted ${before} just before and ${after} just after the snapshot`,
        );
      else o.check = 'ok';
    }
    out.push(o);
  }
  const unchecked = out.filter((o) => o.check === 'not-recorded').map((o) => o.target);
  if (unchecked.length > 0)
    env.ctx.warn(
      'ES_RESTORE_COUNTS_NOT_CHECKED',
      `The set recorded no document counts for ${unchecked.join(', ')} (taken before this check existed): their restored counts are reported, not checked.`,
    );
  if (wrong.length > 0)
    throw new ExpectedError(
      'ES_RESTORE_COUNT_MISMATCH',
      `The restored documents do not match the backup: ${wrong.join('; ')}.`,
      {
        step,
        details: { indices: out },
        fix: 'The snapshot does not hold what the backup counted: restore (or rehearse) another set, and check the Elasticsearch log of the backup night.',
      },
    );
  return out;
}

const CLEANUP_MS = 300_000;

async function failure(env: Env, err: unknown): Promise<unknown> {
  const { ctx } = env;
  const signal = AbortSignal.timeout(CLEANUP_MS);
  let state = '';
  if (!env.scratch && env.restoring.length === 0 && env.closed.length > 0) {
    // The restore never started: the closed live indices are opened again, as they were.
    await env.r.open(env.closed, signal).then(
      () => (state = ` The closed indices were opened again: ${env.closed.join(', ')}.`),
      () =>
        (state = ` These indices were closed and could not be opened again: ${env.closed.join(', ')} (POST /<index>/_open).`),
    );
  }
  if (env.deleted.length > 0 && env.restoring.length === 0)
    state += ` Deleted before the failure: ${env.deleted.join(', ')}.`;
  const cancelled = isAbortError(err) || ctx.signal.aborted;
  if (cancelled && !env.scratch && env.restoring.length > 0) {
    // Elasticsearch stops a restore when its indices are deleted (the documented way to cancel).
    await env.r.delete(env.restoring, signal).catch(() => undefined);
    state += ` The restore of ${env.restoring.join(', ')} was stopped by deleting them: they are missing until a restore of them finishes.`;
  } else if (!env.scratch && env.restoring.length > 0)
    state += ` Restored or partly restored: ${env.restoring.join(', ')}.`;
  if (!env.scratch && env.restoring.length === 0 && env.closed.length === 0 && env.deleted.length === 0)
    state += ' No index was changed.';
  if (cancelled)
    return cancelledLeaving(state.trim(), {
      closed: env.closed,
      deleted: env.deleted,
      restoring: env.restoring,
    });
  const e = esError(err, env.session.ec);
  if (!(e instanceof ExpectedError)) return e;
  return new ExpectedError(e.code, `${e.message}${state}`, {
    step,
    cause: err,
    ...(e.fix ? { fix: e.fix } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}

/** Never throws: scratch indices deleted, the temporary registration and the copied folder removed. */
async function cleanup(env: Env): Promise<void> {
  const { ctx } = env;
  const signal = AbortSignal.timeout(CLEANUP_MS);
  if (env.scratch && env.restoring.length > 0)
    await env.r
      .delete(env.restoring, signal)
      .catch((err: unknown) =>
        ctx.warn(
          'ES_SCRATCH_NOT_DELETED',
          `The rehearsal indices could not be deleted (${(err as Error).message}); the journal still lists them, so the next cleanup removes them.`,
        ),
      );
  if (env.registered)
    await env.r
      .unregister(env.registered, signal)
      .catch((err: unknown) =>
        ctx.warn(
          'ES_TEMP_REPOSITORY_LEFT',
          `The temporary repository "${env.registered ?? ''}" could not be unregistered (${(err as Error).message}); the journal still lists it.`,
        ),
      );
  if (env.copied)
    await rm(env.copied, { recursive: true, force: true }).catch(() =>
      ctx.warn(
        'ES_COPY_LEFT',
        `The copied repository folder ${env.copied ?? ''} could not be removed; delete it by hand.`,
      ),
    );
}
