// Snapshot capture: the repository's volume is frozen right when its turn comes (the database has
// its point and Elasticsearch's snapshot has started), and the archive is read from the frozen
// view at leisure. The window is the time the freeze takes. When nothing can freeze the volume
// (no rights, a share, a provider failure after its retries), the repository is archived live
// after the point instead, as in sequential mode: a complete set with a wider window and a warning
// that names the cause and the fix, never a lost backup.
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ExpectedError, isAbortError, toErrorInfo } from '../../errors.js';
import type { StepContext } from '../../step.js';
import type { ArchiveCounts } from './archive-tree.js';
import type { ArchiveSession } from './archive-session.js';
import { captureLive } from './capture-live.js';
import type { RepositorySettings } from './config.js';
import type { RepositoryStepInternals } from './internals.js';
import { chooseProvider, defaultSnapshotEnv, removeLeftovers } from './snapshot/choose.js';
import { SnapshotJournal } from './snapshot/journal.js';
import type { FrozenView, SnapshotProvider } from './snapshot/provider.js';
import type { RepositorySource } from './source.js';

export async function captureFromSnapshot(
  ctx: StepContext,
  s: RepositorySettings,
  src: RepositorySource,
  session: ArchiveSession,
  internals: RepositoryStepInternals,
): Promise<ArchiveCounts> {
  const env = defaultSnapshotEnv(ctx.env, internals.snapshot);
  const journal = SnapshotJournal.inProfileFolder(s.profileFolder);
  const setName = ctx.out.setRoot.split(/[\\/]/).pop() ?? 'set';
  const provider = chooseProvider(s.snapshotMethod, {
    configured: s.path,
    root: src.root,
    name: `octane-backup-${setName}`,
    setName,
    journal,
    snapshotDir: s.snapshotDir,
    lvmSnapshotSize: s.lvmSnapshotSize,
    env,
  });
  let problem = await attempt(() => provider.prepare(ctx.signal));
  ctx.capture.ready();
  ctx.progress.report(0, {
    message: "Waiting for the database's consistency point to freeze the repository",
  });
  await ctx.capture.turn();
  let view: FrozenView | undefined;
  if (!problem) {
    const before = new Date();
    problem = await attempt(async () => {
      view = await provider.freeze(ctx.signal);
    });
    if (view)
      ctx.capture.taken({
        at: new Date(),
        notBefore: before,
        description: `Repository frozen: ${view.description}.`,
      });
  }
  if (!view) return fallBack(ctx, src, session, provider, problem);
  ctx.record.detail('snapshot', view.facts);
  ctx.record.statement(`freeze ${src.root}: ${view.description}`);
  return readFrozen(ctx, src, session, view);
}

/** The error of `f`, or undefined; a Cancel goes through. */
async function attempt(f: () => Promise<void>): Promise<ExpectedError | undefined> {
  try {
    await f();
    return undefined;
  } catch (err) {
    if (isAbortError(err)) throw err;
    return err instanceof ExpectedError
      ? err
      : new ExpectedError('SNAPSHOT_FAILED', (err as Error).message, { step: 'repository', cause: err });
  }
}

async function fallBack(
  ctx: StepContext,
  src: RepositorySource,
  session: ArchiveSession,
  provider: SnapshotProvider,
  problem: ExpectedError | undefined,
): Promise<ArchiveCounts> {
  const info = problem ? toErrorInfo(problem, { where: 'repository', secrets: ctx.secrets }) : undefined;
  ctx.record.warn(
    'REPOSITORY_SNAPSHOT_UNAVAILABLE',
    `The repository could not be frozen with ${provider.method} (${info?.code ?? 'unknown'}: ${info?.message ?? ''}), so it was archived live right after the database's point, as in sequential mode: the set is complete, but its consistency window is the whole archive. Fix: ${info?.fix ?? 'see the run log'}`,
  );
  ctx.record.detail('snapshot', { method: provider.method, failed: info });
  return captureLive(ctx, src, session);
}

async function readFrozen(
  ctx: StepContext,
  src: RepositorySource,
  session: ArchiveSession,
  view: FrozenView,
): Promise<ArchiveCounts> {
  let counts: ArchiveCounts | undefined;
  try {
    counts = await session.pass({
      root: view.root,
      rootDev: (await stat(view.root)).dev,
      // The destination, when it lies inside the repository, is left out of the frozen view too.
      exclude: new Set([...src.exclude].map((x) => join(view.root, relative(src.root, x)))),
      warn: src.warn.add,
      scan: true,
      range: [0, 0.98],
    });
  } finally {
    await view.release().catch((err: unknown) => {
      if (err instanceof ExpectedError && err.code === 'LVM_SNAPSHOT_INVALID') throw err;
      ctx.record.warn(
        'SNAPSHOT_NOT_DELETED',
        `The snapshot (${view.description}) could not be deleted: ${(err as Error).message}. It stays in the journal and the next run deletes it.`,
      );
    });
  }
  return counts;
}

/** Before any mode's capture: the snapshots a crashed run of this profile left are deleted. */
export async function cleanUpSnapshots(
  ctx: StepContext,
  s: RepositorySettings,
  internals: RepositoryStepInternals,
): Promise<void> {
  const journal = SnapshotJournal.inProfileFolder(s.profileFolder);
  if ((await journal.entries()).length === 0) return;
  await removeLeftovers(
    journal,
    defaultSnapshotEnv(ctx.env, internals.snapshot),
    ctx.log,
    (m) => ctx.record.warn('SNAPSHOT_LEFTOVER', m),
    s.snapshotDir,
  );
}
