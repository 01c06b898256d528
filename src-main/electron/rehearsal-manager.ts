// Rehearsals started from the window: one at a time, each with its AbortController (Cancel; the
// app quitting also cancels, and the scratch objects are still removed), the engine's stage
// events streamed to the renderer, the record (or why nothing ran) sent when it ends.
import { randomUUID } from 'node:crypto';
import type { EmitEvent } from '../contract/ipc.js';
import type { RehearsalDoneMessage, RehearsalJob, RehearsalStartRequest } from '../contract/rehearsal.js';
import { ExpectedError } from '../engine/errors.js';
import type { RehearseOutcome, RehearseRequest } from '../engine/use-cases/rehearse-set.js';
import { errorInfoOf } from './envelope.js';

export interface RehearsalManagerDeps {
  /** The rehearsal use-case for a stored profile (drives located, secrets decrypted inside it). */
  rehearse(name: string, req: Omit<RehearseRequest, 'profile' | 'secrets'>): Promise<RehearseOutcome>;
  emit: EmitEvent;
  newId?: () => string;
}

export class RehearsalManager {
  private active: { job: RehearsalJob; controller: AbortController; done: Promise<void> } | undefined;

  constructor(private readonly deps: RehearsalManagerDeps) {}

  start(req: RehearsalStartRequest): RehearsalJob {
    if (typeof req?.profile !== 'string' || typeof req.setPath !== 'string')
      throw new ExpectedError('BAD_REQUEST', 'A rehearsal needs a profile name and a set folder.', {
        step: 'app',
      });
    if (this.active)
      throw new ExpectedError(
        'REHEARSAL_IN_PROGRESS',
        `A rehearsal of "${this.active.job.profile}" is running.`,
        {
          fix: 'Wait for it to finish or cancel it first.',
          step: 'app',
        },
      );
    const job: RehearsalJob = {
      jobId: (this.deps.newId ?? randomUUID)(),
      profile: req.profile,
      setPath: req.setPath,
      startedAt: new Date().toISOString(),
    };
    const controller = new AbortController();
    const done = this.deps
      .rehearse(req.profile, {
        setPath: req.setPath,
        signal: controller.signal,
        onEvent: (event) => this.deps.emit('rehearsal:event', { jobId: job.jobId, event }),
      })
      .then(
        (o) => this.finish(job, { ok: true, value: o.record }),
        (err: unknown) => this.finish(job, { ok: false, error: errorInfoOf(err) }),
      );
    this.active = { job, controller, done };
    return job;
  }

  private finish(job: RehearsalJob, result: RehearsalDoneMessage['result']): void {
    this.active = undefined;
    this.deps.emit('rehearsal:done', {
      jobId: job.jobId,
      profile: job.profile,
      setPath: job.setPath,
      result,
    });
  }

  cancel(jobId: string): boolean {
    if (this.active?.job.jobId !== jobId) return false;
    this.active.controller.abort();
    return true;
  }

  /** On quit: cancels and waits, so the scratch objects are removed before the app exits. */
  async cancelAll(): Promise<void> {
    const a = this.active;
    if (!a) return;
    a.controller.abort();
    await a.done;
  }
}
