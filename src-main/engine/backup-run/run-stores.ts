// Phase 3 of a run: the stores. Sequential mode takes them one after the other. The other modes
// run the phased steps side by side around their points (capture-turns.ts keeps the points in
// order):
//
//   bracketed  repository first pass ─┐
//              database ──────── point ─┬─ verify, copy ...
//              Elasticsearch   checks ──┴─ snapshot start (point) ─┬─ wait, copy ...
//              repository                second walk + delta (point) ┴─ finish archive
//   snapshot   the same without the first pass; the repository's point is its freeze, and the
//              archive is read from the frozen view afterwards.
//
// A step that is not phased starts only when the stores before it have ended, and its point is
// its end (as in sequential mode).
import type { ComponentStatus, RunEvent } from '../../contract/events.js';
import type { ComponentRecord } from '../../contract/manifest.js';
import { COMPONENT_IDS, type CaptureMode, type ComponentId } from '../../contract/profile.js';
import { COMPONENT_NOUNS } from '../../contract/words.js';
import type { Logger } from '../logger.js';
import type { BackupStep } from '../step.js';
import { CaptureTurns, untilAborted } from './capture-turns.js';
import type { ManifestRecorder } from './manifest-recorder.js';
import { runStep, type StepRunEnv } from './step-runner.js';

export interface StoresInput {
  mode: CaptureMode;
  steps: Map<ComponentId, BackupStep>;
  /** Where each component's folder lives. */
  roots: Record<ComponentId, string>;
  recorder: ManifestRecorder;
  env: Omit<StepRunEnv, 'overall'>;
  log: Logger;
}

export interface StoresOutcome {
  statuses: Partial<Record<ComponentId, ComponentStatus>>;
  cancelled: boolean;
}

const DB_FAILED = 'Not taken: the database backup failed, and without it nothing else is worth taking.';
const CANCELLED = 'Not taken: the run was cancelled.';

/** Runs every store of the profile in its mode; resolves when all have ended. */
export async function runStores(input: StoresInput): Promise<StoresOutcome> {
  const { mode, steps, env } = input;
  const turns = new CaptureTurns(mode, env.clock);
  // The database failed: stop what runs beside it or waits for its turn.
  const stop = new AbortController();
  const signal = AbortSignal.any([env.signal, stop.signal]);
  const fractions = new Map<ComponentId, number>();
  const shares = steps.size || 1;
  const runEnv: StepRunEnv = {
    ...env,
    overall: (id, f) => {
      fractions.set(id, f);
      return [...fractions.values()].reduce((a, x) => a + x, 0) / shares;
    },
  };
  const phased = (id: ComponentId): boolean => mode !== 'sequential' && steps.get(id)?.phased === true;
  if (!(mode === 'bracketed' && phased('repository'))) turns.noFirstPass();
  const started = new Map<ComponentId, Promise<void>>();
  const statuses: StoresOutcome['statuses'] = {};
  const stopped = (): string | undefined =>
    env.signal.aborted ? undefined : stop.signal.aborted ? DB_FAILED : undefined;

  /** When a store may start: phased ones early (the repository at once, ES with the database). */
  const startGate = async (id: ComponentId): Promise<void> => {
    if (id === 'database') return untilAborted(turns.databaseMayStart(), signal);
    if (!phased(id)) return turns.before(id, signal);
    if (id === 'elasticsearch') await untilAborted(started.get('database') ?? Promise.resolve(), signal);
  };

  const store = async (id: ComponentId): Promise<void> => {
    const rec = input.recorder.component(id);
    const step = steps.get(id);
    if (!step) {
      notTaken(input, rec, 'skipped', `The profile does not configure ${COMPONENT_NOUNS[id]}.`);
      turns.ended(id, false);
      return;
    }
    try {
      await startGate(id);
    } catch {
      notTaken(input, rec, 'not-run', stop.signal.aborted && !env.signal.aborted ? DB_FAILED : CANCELLED);
      turns.ended(id, true);
      return;
    }
    const status = await runStep(step, rec, input.roots[id], runEnv, {
      capture: turns.forStep(id, rec, signal, phased(id)),
      signal,
      stopped,
      onPoint: () => {
        // Only a phased database lets the next store go at its point; otherwise at its end.
        if (id === 'database' && phased(id)) turns.databasePoint();
      },
    });
    fractions.set(id, 1);
    statuses[id] = status;
    if (id === 'database' && (status === 'failed' || status === 'cancelled')) stop.abort();
    turns.ended(id, status === 'failed' || status === 'cancelled');
    await input.recorder
      .write()
      .catch((err: unknown) => input.log.error(`Could not update the manifest: ${(err as Error).message}`));
  };

  const tasks: Promise<void>[] = [];
  for (const id of COMPONENT_IDS) {
    // The database "starts" when its gate opens: Elasticsearch's checks begin with it.
    const begin = id === 'database' ? startGate(id).catch(() => undefined) : Promise.resolve();
    started.set(id, begin);
    tasks.push(store(id));
  }
  await Promise.all(tasks);
  return {
    statuses,
    cancelled: env.signal.aborted || Object.values(statuses).includes('cancelled'),
  };
}

/** A store that never started: its record and its step-finished event. */
function notTaken(
  input: StoresInput,
  rec: ComponentRecord,
  status: 'skipped' | 'not-run',
  reason: string,
): void {
  rec.status = status;
  rec.skippedReason = reason;
  const ev: RunEvent = {
    type: 'step-finished',
    runId: input.env.runId,
    at: new Date().toISOString(),
    step: rec.id,
    status,
    artifacts: 0,
    bytes: 0,
  };
  input.env.emit(ev);
}
