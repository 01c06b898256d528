// Exports started from the app ("Copy to drive…"): one AbortController per export (Cancel), the
// engine's events streamed to the renderer, a notification when one ends. One export per set at a time.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { EmitEvent } from '../contract/ipc.js';
import type { ExportEvent, ExportOutcome } from '../contract/removable.js';
import type { ExportJob, ExportRequest } from '../contract/ui.js';
import { ExpectedError, toErrorInfo } from '../engine/errors.js';
import type { Notifier } from './run-manager.js';

/** What an export needs from the app: the set's profile and the folder the copy goes to, checked. */
export interface PreparedExport {
  profile: string;
  target: string;
  run(signal: AbortSignal, onEvent: (e: ExportEvent) => void): Promise<ExportOutcome>;
}

export interface ExportManagerDeps {
  /** Throws (before any job exists) when the set or the target cannot be used. */
  prepare(req: ExportRequest): Promise<PreparedExport>;
  emit: EmitEvent;
  notifier: Notifier;
  newId?: () => string;
}

export class ExportManager {
  private readonly active = new Map<string, { job: ExportJob; controller: AbortController }>();

  constructor(private readonly deps: ExportManagerDeps) {}

  list(): ExportJob[] {
    return [...this.active.values()].map((a) => a.job);
  }

  cancel(jobId: string): boolean {
    const a = this.active.get(jobId);
    if (!a) return false;
    a.controller.abort();
    return true;
  }

  async start(req: ExportRequest): Promise<ExportJob> {
    if (this.list().some((j) => j.setPath === req.setPath))
      throw new ExpectedError('EXPORT_IN_PROGRESS', `${basename(req.setPath)} is already being copied.`, {
        fix: 'Wait for that copy to finish or cancel it first.',
        step: 'app',
      });
    const prepared = await this.deps.prepare(req);
    const job: ExportJob = {
      jobId: (this.deps.newId ?? randomUUID)(),
      profile: prepared.profile,
      setName: basename(req.setPath),
      setPath: req.setPath,
      target: prepared.target,
      startedAt: new Date().toISOString(),
    };
    const controller = new AbortController();
    this.active.set(job.jobId, { job, controller });
    void this.follow(job, prepared, controller);
    return job;
  }

  private async follow(job: ExportJob, prepared: PreparedExport, controller: AbortController): Promise<void> {
    const { emit, notifier } = this.deps;
    try {
      const outcome = await prepared.run(controller.signal, (event) =>
        emit('export:event', { jobId: job.jobId, event }),
      );
      emit('export:done', { jobId: job.jobId, profile: job.profile, result: { ok: true, value: outcome } });
      notifier.notify(
        outcome.status === 'succeeded' ? 'Copy verified' : `Copy ${outcome.status}`,
        outcome.status === 'succeeded'
          ? `${job.setName} is on ${outcome.copyPath ?? job.target}${outcome.eject?.ejected ? ': the drive can be unplugged' : ''}.`
          : `${job.setName} to ${job.target}: ${outcome.error?.message ?? outcome.status}`,
      );
    } catch (err) {
      emit('export:done', {
        jobId: job.jobId,
        profile: job.profile,
        result: { ok: false, error: toErrorInfo(err, { where: 'export' }) },
      });
    } finally {
      this.active.delete(job.jobId);
    }
  }
}
