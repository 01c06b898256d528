// Runs one step: gives it its context (progress, log, writer, recorder, clock), turns what it
// throws into the component's status, and reports step-started / step-progress / step-finished.
import { mkdir } from 'node:fs/promises';
import type { ErrorInfo } from '../../contract/errors.js';
import type { ComponentStatus, RunEvent } from '../../contract/events.js';
import type { ComponentRecord, Warning } from '../../contract/manifest.js';
import type { ComponentId, Profile, RunSecrets } from '../../contract/profile.js';
import { ComponentWriter } from '../backup-set/component-writer.js';
import { destinationError } from '../backup-set/fs-errors.js';
import { PRIVATE_DIR_MODE } from '../backup-set/private-modes.js';
import { redact, redactValue } from '../config/redact.js';
import type { createDbClock } from '../db-clock.js';
import { abortError, isAbortError, toErrorInfo } from '../errors.js';
import type { Logger } from '../logger.js';
import { ProgressTracker } from '../progress.js';
import type { BackupStep, ComponentRecorder, StepContext } from '../step.js';

/** What every step of one run shares. */
export interface StepRunEnv {
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  clock: ReturnType<typeof createDbClock>;
  log: Logger;
  runId: string;
  emit: (e: RunEvent) => void;
  /** This step's fraction (0..1) as a fraction of the whole run. */
  overall: (fraction: number) => number;
}

const at = (): string => new Date().toISOString();

export async function runStep(
  step: BackupStep,
  rec: ComponentRecord,
  root: string,
  r: StepRunEnv,
): Promise<ComponentStatus> {
  const id = step.id;
  const out = new ComponentWriter(id, root);
  const log = r.log.child(id);
  const startedAt = new Date();
  rec.status = 'running';
  rec.startedAt = startedAt.toISOString();
  r.emit({ type: 'step-started', runId: r.runId, at: at(), step: id, title: step.title });
  log.info(`${step.title}: started.`);
  const tracker = new ProgressTracker((fraction, counters) =>
    r.emit({
      type: 'step-progress',
      runId: r.runId,
      at: at(),
      step: id,
      fraction,
      overall: r.overall(fraction),
      counters,
    }),
  );
  const ctx: StepContext = {
    signal: r.signal,
    progress: { report: (f, c) => tracker.report(f, c) },
    log,
    out,
    clock: r.clock,
    profile: r.profile,
    secrets: r.secrets,
    env: r.env,
    record: recorderFor(rec, id, r, log),
  };
  let status: ComponentStatus;
  let error: ErrorInfo | undefined;
  try {
    // Only the component's own folder: a set folder that vanished is never recreated (it would
    // land on whatever disk now answers at that path).
    await mkdir(out.dir, { mode: PRIVATE_DIR_MODE }).catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'EEXIST') throw destinationError(err, out.dir, id);
    });
    await step.run(ctx);
    if (r.signal.aborted) throw abortError();
    tracker.report(1);
    status = rec.warnings.length > 0 ? 'succeeded-with-warnings' : 'succeeded';
  } catch (err) {
    await out.discardPartials();
    if (r.signal.aborted || isAbortError(err)) {
      status = 'cancelled';
      log.warn(`${step.title}: cancelled.`);
    } else {
      status = 'failed';
      error = toErrorInfo(err, { where: id, secrets: r.secrets });
      rec.error = error;
      log.error(
        `${step.title} failed: [${error.code}] ${error.message}${error.fix ? ` Fix: ${error.fix}` : ''}`,
      );
    }
  }
  tracker.flush();
  finishRecord(rec, status, startedAt, out, r);
  const bytes = rec.artifacts.reduce((a, x) => a + x.bytes, 0);
  const ev: RunEvent = {
    type: 'step-finished',
    runId: r.runId,
    at: at(),
    step: id,
    status,
    artifacts: rec.artifacts.length,
    bytes,
  };
  if (error) ev.error = error;
  r.emit(ev);
  if (status !== 'failed' && status !== 'cancelled')
    log.info(`${step.title}: ${status}, ${rec.artifacts.length} artifact(s), ${bytes} bytes.`);
  return status;
}

function finishRecord(
  rec: ComponentRecord,
  status: ComponentStatus,
  startedAt: Date,
  out: ComponentWriter,
  r: StepRunEnv,
): void {
  const finished = new Date();
  rec.status = status;
  rec.finishedAt = finished.toISOString();
  const s = r.clock.toDb(startedAt);
  const f = r.clock.toDb(finished);
  if (s) rec.startedAtDb = s;
  if (f) rec.finishedAtDb = f;
  rec.artifacts = out.artifacts();
}

/** What a step records goes into its component's record, secrets removed. */
function recorderFor(rec: ComponentRecord, id: ComponentId, r: StepRunEnv, log: Logger): ComponentRecorder {
  return {
    server: (info) => (rec.server = info),
    consistencyPoint: (p) => (rec.consistencyPoint = p),
    statement: (text) => rec.statements.push(redact(text, r.secrets)),
    detail: (key, value) => ((rec.details ??= {})[key] = redactValue(value, r.secrets)),
    warn: (code, message, subject) => {
      const w: Warning = { code, message: redact(message, r.secrets), step: id };
      if (subject !== undefined) w.subject = subject;
      rec.warnings.push(w);
      log.warn(`${code}: ${w.message}`);
      r.emit({ type: 'step-warning', runId: r.runId, at: at(), step: id, code, message: w.message });
    },
  };
}
