// Restores started from the window: one at a time, each with its AbortController (Cancel), the
// engine's events streamed to the renderer, a notification when it ends. A restore starts only
// when the admin typed the profile's name, no backup of that profile runs, and the engine's own
// checks (run again here, never taken from the renderer) pass.
import { randomUUID } from 'node:crypto';
import type { ErrorInfo } from '../contract/errors.js';
import type { EmitEvent } from '../contract/ipc.js';
import {
  RESTORE_STAGES,
  type RestoreJob,
  type RestoreReport,
  type RestoreStartRequest,
} from '../contract/restore-run.js';
import type { Result } from '../contract/result.js';
import { STATUS_WORDS } from '../contract/words.js';
import { ExpectedError } from '../engine/errors.js';
import type { RestoreSetOutcome, RestoreSetRequest } from '../engine/use-cases/restore-set.js';
import { errorInfoOf } from './envelope.js';
import type { Notifier } from './run-manager.js';

export interface RestoreManagerDeps {
  /** The restore use-case for a stored profile (drives located, secrets decrypted inside it). */
  restore(name: string, req: Omit<RestoreSetRequest, 'profile' | 'secrets'>): Promise<RestoreSetOutcome>;
  /** Throws when there is no such profile, or a backup of it runs. */
  ready(name: string): void;
  emit: EmitEvent;
  notifier: Notifier;
  newId?: () => string;
}

interface Active {
  job: RestoreJob;
  controller: AbortController;
  done: Promise<void>;
}

export class RestoreManager {
  private active: Active | undefined;

  constructor(private readonly deps: RestoreManagerDeps) {}

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** The profile a restore is running for, if any (a backup of it must not start meanwhile). */
  runningFor(profile: string): boolean {
    return this.active?.job.profile === profile;
  }

  async start(req: RestoreStartRequest): Promise<RestoreJob> {
    check(req);
    if (this.active)
      throw new ExpectedError(
        'RESTORE_IN_PROGRESS',
        `A restore of "${this.active.job.profile}" is running.`,
        {
          fix: 'Wait for it to finish or cancel it first.',
          step: 'app',
        },
      );
    this.deps.ready(req.profile);
    const job: RestoreJob = {
      jobId: (this.deps.newId ?? randomUUID)(),
      profile: req.profile,
      setPath: req.setPath,
      startedAt: new Date().toISOString(),
    };
    const controller = new AbortController();
    let announce: (error?: ErrorInfo) => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      announce = (error) => (error ? reject(asError(error)) : resolve());
    });
    const done = this.deps
      .restore(req.profile, {
        setPath: req.setPath,
        only: req.only,
        octaneStopped: req.octaneStopped,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'restore-started') announce();
          this.deps.emit('restore:event', { jobId: job.jobId, event });
        },
      })
      .then(
        (outcome) => {
          if (outcome.started) return this.finish(job, { ok: true, value: outcome.report });
          const error = notStarted(outcome);
          announce(error);
          this.finish(job, { ok: false, error });
        },
        (err: unknown) => {
          const error = errorInfoOf(err);
          announce(error);
          this.finish(job, { ok: false, error });
        },
      );
    this.active = { job, controller, done };
    await started;
    return job;
  }

  private finish(job: RestoreJob, result: Result<RestoreReport>): void {
    this.active = undefined;
    this.deps.emit('restore:done', { jobId: job.jobId, profile: job.profile, result });
    try {
      this.deps.notifier.notify(
        result.ok
          ? `Restore of ${job.profile} ${STATUS_WORDS[result.value.status]}`
          : `Restore of ${job.profile} did not start`,
        result.ok ? (result.value.nextSteps[0] ?? '') : result.error.message,
      );
    } catch {
      // A notification problem must never hide a finished restore.
    }
  }

  cancel(jobId: string): boolean {
    if (this.active?.job.jobId !== jobId) return false;
    this.active.controller.abort();
    return true;
  }

  /** App quitting: the restore stops where the engine can stop it, then this resolves. */
  async cancelAll(): Promise<void> {
    const a = this.active;
    if (!a) return;
    a.controller.abort();
    await a.done;
  }
}

function check(req: RestoreStartRequest): void {
  if (typeof req?.profile !== 'string' || typeof req.setPath !== 'string' || !Array.isArray(req.only))
    throw new ExpectedError('BAD_REQUEST', 'The restore request is incomplete.', { step: 'app' });
  if (req.only.some((id) => !(RESTORE_STAGES as readonly string[]).includes(id)))
    throw new ExpectedError('BAD_REQUEST', `Unknown component in ${req.only.join(', ')}.`, { step: 'app' });
  if (req.confirmName !== req.profile)
    throw new ExpectedError(
      'RESTORE_NOT_CONFIRMED',
      'The name typed is not the profile’s name: nothing was restored.',
      { fix: `Type ${req.profile} exactly to confirm the restore.`, step: 'app' },
    );
}

function notStarted(o: Extract<RestoreSetOutcome, { started: false }>): ErrorInfo {
  if (o.error) return o.error;
  const problems = o.readiness?.problems ?? [];
  return {
    code: 'RESTORE_NOT_READY',
    message: `Nothing was restored: ${problems.length ? problems.join(' ') : 'the restore was not confirmed.'}`,
    fix: 'Check again from the preconditions page, fix what it names, then start the restore again.',
    step: 'restore',
    details: { problems },
  };
}

function asError(e: ErrorInfo): ExpectedError {
  return new ExpectedError(e.code, e.message, {
    ...(e.fix !== undefined && { fix: e.fix }),
    ...(e.step !== undefined && { step: e.step }),
    ...(e.details !== undefined && { details: e.details }),
  });
}
