// Runs started from the app: one AbortController per run (Cancel), the engine's events
// streamed to the renderer, a notification when a run ends. One run per profile at a time.
import { randomUUID } from 'node:crypto';
import type { EmitEvent } from '../contract/ipc.js';
import type { RunStatus } from '../contract/events.js';
import type { Profile, RunSecrets } from '../contract/profile.js';
import { BACKUP_KINDS } from '../contract/profile.js';
import type { RunJob, RunOutcome, RunRequest } from '../contract/ui.js';
import type { RunOptions, RunResult } from '../engine/run-backup.js';
import { ExpectedError } from '../engine/errors.js';
import { errorInfoOf } from './envelope.js';

export interface Notifier {
  notify(title: string, body: string): void;
}

export interface RunManagerDeps {
  /** The stored profile as it must run now (bound drives resolved) and its decrypted secrets. */
  prepare(profileName: string): Promise<{ profile: Profile; secrets: RunSecrets }>;
  runBackup(profile: Profile, opts: RunOptions): Promise<RunResult>;
  emit: EmitEvent;
  notifier: Notifier;
  newId?: () => string;
}

interface Active {
  job: RunJob;
  controller: AbortController;
  done: Promise<void>;
}

export const STATUS_WORDS: Record<RunStatus, string> = {
  succeeded: 'succeeded',
  'succeeded-with-warnings': 'succeeded with warnings',
  failed: 'FAILED',
  cancelled: 'was cancelled',
};

export class RunManager {
  private readonly active = new Map<string, Active>();

  constructor(private readonly deps: RunManagerDeps) {}

  list(): RunJob[] {
    return [...this.active.values()].map((a) => a.job);
  }

  jobOf(profile: string): RunJob | undefined {
    return this.list().find((j) => j.profile === profile);
  }

  async start(req: RunRequest): Promise<RunJob> {
    if (!BACKUP_KINDS.includes(req.kind))
      throw new ExpectedError('BAD_REQUEST', `Unknown backup kind "${String(req.kind)}".`, { step: 'app' });
    if (req.kind === 'pre-upgrade' && !req.label?.trim())
      throw new ExpectedError('LABEL_REQUIRED', 'A pre-upgrade dump needs a label.', {
        fix: 'Name the upgrade or migration, e.g. "before 25.1 upgrade".',
        step: 'app',
      });
    const running = this.jobOf(req.profile);
    if (running)
      throw new ExpectedError('RUN_IN_PROGRESS', `A backup of "${req.profile}" is already running.`, {
        fix: 'Wait for it to finish or cancel it first.',
        step: 'app',
      });
    // Errors here (drive not connected, secrets unreadable) reach the button that started the run.
    const { profile, secrets } = await this.deps.prepare(req.profile);
    const job: RunJob = {
      jobId: (this.deps.newId ?? randomUUID)(),
      profile: req.profile,
      kind: req.kind,
      startedAt: new Date().toISOString(),
    };
    const label = req.label?.trim();
    if (label) job.label = label;
    const controller = new AbortController();
    const opts: RunOptions = {
      kind: req.kind,
      signal: controller.signal,
      secrets,
      onEvent: (event) => this.deps.emit('run:event', { jobId: job.jobId, event }),
    };
    if (label) opts.label = label;
    const done = this.deps.runBackup(profile, opts).then(
      (r) => this.finish(job, { ok: true, value: outcomeOf(r) }),
      (err: unknown) => this.finish(job, { ok: false, error: errorInfoOf(err) }),
    );
    this.active.set(job.jobId, { job, controller, done });
    return job;
  }

  private finish(
    job: RunJob,
    result: { ok: true; value: RunOutcome } | { ok: false; error: ReturnType<typeof errorInfoOf> },
  ): void {
    this.active.delete(job.jobId);
    this.deps.emit('run:done', { jobId: job.jobId, profile: job.profile, result });
    try {
      if (result.ok) {
        const m = result.value.manifest;
        const skew =
          m.skew.windowSeconds !== undefined ? ` Skew window ${m.skew.windowSeconds.toFixed(0)} s.` : '';
        this.deps.notifier.notify(
          `Backup of ${job.profile} ${STATUS_WORDS[result.value.status]}`,
          `${m.completenessNote ?? `Set ${result.value.setName}.`}${skew}${m.error ? ` ${m.error.message}` : ''}`,
        );
      } else this.deps.notifier.notify(`Backup of ${job.profile} did not start`, result.error.message);
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

  /** Cancels everything (app quitting) and resolves when every run has cleaned up. */
  async cancelAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.controller.abort();
    await Promise.all(all.map((a) => a.done));
  }

  async idle(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.done));
  }
}

function outcomeOf(r: RunResult): RunOutcome {
  return { status: r.status, setName: r.setName, setPaths: r.setPaths, manifest: r.manifest };
}
