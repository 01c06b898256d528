// Runs started from the app: one AbortController per run (Cancel), the engine's events
// streamed to the renderer, a notification when a run ends. One run per profile at a time.
import { randomUUID } from 'node:crypto';
import type { EmitEvent } from '../contract/ipc.js';
import { BACKUP_KINDS } from '../contract/profile.js';
import type { RunJob, RunOutcome, RunRequest } from '../contract/ui.js';
import type { ErrorInfo } from '../contract/errors.js';
import { STATUS_WORDS } from '../contract/words.js';
import type { RunResult } from '../engine/run-backup.js';
import type { BackUpOutcome, BackUpRequest } from '../engine/use-cases/back-up.js';
import { ExpectedError, type ExpectedErrorOptions } from '../engine/errors.js';
import { errorInfoOf } from './envelope.js';

export interface Notifier {
  notify(title: string, body: string): void;
}

export interface RunManagerDeps {
  /** The backup use-case for a stored profile (drives located, secrets decrypted inside it). */
  backUp(name: string, req: Omit<BackUpRequest, 'profile' | 'locate' | 'secrets'>): Promise<BackUpOutcome>;
  /** Throws when there is no such profile (before any job exists). */
  exists(name: string): void;
  emit: EmitEvent;
  notifier: Notifier;
  newId?: () => string;
}

interface Active {
  job: RunJob;
  controller: AbortController;
  done: Promise<void>;
}

export class RunManager {
  private readonly active = new Map<string, Active>();

  constructor(private readonly deps: RunManagerDeps) {}

  list(): RunJob[] {
    return [...this.active.values()].map((a) => a.job);
  }

  jobOf(profile: string): RunJob | undefined {
    return this.list().find((j) => j.profile === profile);
  }

  /**
   * Starts a run; resolves with its job once the set exists. A run that cannot start (drive not
   * connected, profile busy) rejects with the reason, after the use-case raised its alerts.
   */
  async start(req: RunRequest): Promise<RunJob> {
    if (!BACKUP_KINDS.includes(req.kind))
      throw new ExpectedError('BAD_REQUEST', `Unknown backup kind "${String(req.kind)}".`, { step: 'app' });
    if (req.kind === 'pre-upgrade' && !req.label?.trim())
      throw new ExpectedError('LABEL_REQUIRED', 'A pre-upgrade dump needs a label.', {
        fix: 'Name the upgrade or migration, e.g. "before 25.1 upgrade".',
        step: 'app',
      });
    if (this.jobOf(req.profile))
      throw new ExpectedError('RUN_IN_PROGRESS', `A backup of "${req.profile}" is already running.`, {
        fix: 'Wait for it to finish or cancel it first.',
        step: 'app',
      });
    this.deps.exists(req.profile);
    const job: RunJob = {
      jobId: (this.deps.newId ?? randomUUID)(),
      profile: req.profile,
      kind: req.kind,
      startedAt: new Date().toISOString(),
    };
    const label = req.label?.trim();
    if (label) job.label = label;
    const controller = new AbortController();
    let runId = '';
    let announce: (started: boolean, error?: ErrorInfo) => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      announce = (ok, error) =>
        ok
          ? resolve()
          : reject(
              new ExpectedError(
                error?.code ?? 'NOT_STARTED',
                error?.message ?? 'The backup did not start.',
                infoOptions(error),
              ),
            );
    });
    const request: Omit<BackUpRequest, 'profile' | 'locate' | 'secrets'> = {
      kind: req.kind,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'run-started') {
          runId = event.runId;
          announce(true);
        }
        this.deps.emit('run:event', { jobId: job.jobId, event });
      },
      // Retention and alert notes after the run go to the same log the run screen shows.
      onNote: (message) =>
        this.deps.emit('run:event', {
          jobId: job.jobId,
          event: { type: 'log', runId, at: new Date().toISOString(), level: 'info', message },
        }),
    };
    if (label) request.label = label;
    const done = this.deps.backUp(req.profile, request).then(
      (outcome) => {
        if (!outcome.started) {
          this.active.delete(job.jobId);
          announce(false, outcome.error);
          this.notify(`Backup of ${job.profile} did not start`, outcome.error.message);
          return;
        }
        announce(true);
        this.finish(job, { ok: true, value: outcomeOf(outcome.result) });
      },
      (err: unknown) => {
        announce(true);
        this.finish(job, { ok: false, error: errorInfoOf(err) });
      },
    );
    this.active.set(job.jobId, { job, controller, done });
    await started;
    return job;
  }

  private finish(
    job: RunJob,
    result: { ok: true; value: RunOutcome } | { ok: false; error: ReturnType<typeof errorInfoOf> },
  ): void {
    this.active.delete(job.jobId);
    this.deps.emit('run:done', { jobId: job.jobId, profile: job.profile, result });
    if (result.ok) {
      const m = result.value.manifest;
      const skew =
        m.skew.windowSeconds !== undefined
          ? ` Consistency window ${m.skew.windowSeconds.toFixed(m.skew.windowSeconds < 10 ? 1 : 0)} s.`
          : '';
      this.notify(
        `Backup of ${job.profile} ${STATUS_WORDS[result.value.status]}`,
        `${m.completenessNote ?? `Set ${result.value.setName}.`}${skew}${m.error ? ` ${m.error.message}` : ''}`,
      );
    } else this.notify(`Backup of ${job.profile} did not start`, result.error.message);
  }

  private notify(title: string, body: string): void {
    try {
      this.deps.notifier.notify(title, body);
    } catch {
      // A notification problem must never hide a finished run.
    }
  }

  cancel(jobId: string): boolean {
    const a = this.active.get(jobId);
    if (!a) return false;
    a.controller.abort();
    return true;
  }

  /** Cancels everything (app quitting): the run and the prune after it stop, then this resolves. */
  async cancelAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.controller.abort();
    await Promise.all(all.map((a) => a.done));
  }

  async idle(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.done));
  }
}

function infoOptions(error: ErrorInfo | undefined): ExpectedErrorOptions {
  const o: ExpectedErrorOptions = {};
  if (error?.fix !== undefined) o.fix = error.fix;
  if (error?.step !== undefined) o.step = error.step;
  if (error?.details !== undefined) o.details = error.details;
  return o;
}

function outcomeOf(r: RunResult): RunOutcome {
  return { status: r.status, setName: r.setName, setPaths: r.setPaths, manifest: r.manifest };
}
