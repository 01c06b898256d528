// The ordered backup runner.
//
// ORDER IS THE CONTRACT: database, then Elasticsearch, then the repository folder.
// Octane's database references attachments in the repository folder. Taking the database
// first means the later repository capture is a superset of what the database references:
// files added in between are harmless orphans Octane cleans up. The reverse order gives
// a database that references files the backup lacks. Elasticsearch sits in between so the
// database/repository pair — the part that must agree — is as close together as possible
// when ES is slow, and a failed ES step does not spoil that pair.
import { hostname } from 'node:os';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorInfo } from '../contract/errors.js';
import type { ComponentStatus, RunEvent, RunStatus, StepPlan } from '../contract/events.js';
import {
  IN_PROGRESS_MARKER,
  MANIFEST_FORMAT_VERSION,
  TOOL_NAME,
  type ComponentRecord,
  type Manifest,
  type Warning,
} from '../contract/manifest.js';
import {
  COMPONENT_IDS,
  DEFAULT_SKEW_TOLERANCE_SECONDS,
  type BackupKind,
  type ComponentId,
  type Profile,
  type RunSecrets,
} from '../contract/profile.js';
import { ComponentWriter } from './backup-set/component-writer.js';
import { destinationError } from './backup-set/fs-errors.js';
import { writeManifestAtomic } from './backup-set/manifest-io.js';
import { listSets } from './backup-set/list-sets.js';
import { RunLog } from './backup-set/run-log.js';
import { newSetId, profileFolder, setNameFor, setRoots } from './backup-set/set-layout.js';
import { redact, redactValue } from './config/redact.js';
import { resolveSecrets } from './config/resolve-secrets.js';
import { validateProfile } from './config/validate-profile.js';
import { createDbClock } from './db-clock.js';
import { acquireProfileLock, profileLockPath } from './lock.js';
import { createLogger } from './logger.js';
import { ProgressTracker } from './progress.js';
import { computeSkew } from './skew.js';
import { type BackupStep, type StepContext } from './step.js';
import { abortError, isAbortError, toErrorInfo } from './errors.js';
import { defaultSteps, type StepRegistry } from './steps/registry.js';
import { TOOL_VERSION } from './version.js';

export interface RunOptions {
  kind?: BackupKind;
  label?: string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  secrets?: RunSecrets;
  env?: NodeJS.ProcessEnv;
  /** Replace the step implementations (tests, stand-ins). */
  steps?: StepRegistry;
  /** Work to do after the components, inside the set (e.g. Octane config copies for pre-upgrade runs). */
  extras?: (ctx: ExtrasContext) => Promise<void>;
}

export interface ExtrasContext {
  profile: Profile;
  kind: BackupKind;
  setRoot: string;
  manifest: Manifest;
  signal: AbortSignal;
  log: (message: string) => void;
}

export interface RunResult {
  status: RunStatus;
  setName: string;
  setPaths: string[];
  manifestPaths: string[];
  manifest: Manifest;
}

export async function runBackup(profileInput: Profile, opts: RunOptions = {}): Promise<RunResult> {
  const profile = validateProfile(profileInput);
  const env = opts.env ?? process.env;
  const secrets = resolveSecrets(profile, env, opts.secrets);
  const kind: BackupKind = opts.kind ?? 'manual';
  const signal = opts.signal ?? new AbortController().signal;
  const registry = opts.steps ?? defaultSteps();
  const setId = newSetId();
  const started = new Date();
  const setName = setNameFor(started, kind, setId);
  const { byComponent, roots } = setRoots(profile, setName);
  const emit = (e: RunEvent): void => {
    try {
      opts.onEvent?.(e);
    } catch {
      // A broken listener must not break a backup.
    }
  };
  const at = (): string => new Date().toISOString();

  const lock = await acquireProfileLock(
    profileLockPath(profileFolder(profile.destination, profile.profile)),
    setId,
    profile.profile,
  );
  const runLog = new RunLog();
  try {
    for (const root of roots) {
      try {
        await mkdir(root, { recursive: true });
        await writeFile(
          join(root, IN_PROGRESS_MARKER),
          `This backup set is being written or was interrupted (run ${setId}, started ${started.toISOString()} on ${hostname()}).\r\n` +
            'It is NOT a complete backup while this file exists.\r\n',
        );
      } catch (err) {
        throw destinationError(err, root);
      }
      runLog.addFile(root);
    }

    const steps = new Map<ComponentId, BackupStep>();
    for (const id of COMPONENT_IDS) {
      const s = registry[id](profile);
      if (s) steps.set(id, s);
    }
    const plan: StepPlan[] = COMPONENT_IDS.map((id) => {
      const s = steps.get(id);
      return {
        id,
        title: s?.title ?? titleOf(id),
        weight: s ? Math.max(0.001, s.weight(profile)) : 0,
        enabled: !!s,
      };
    });
    const totalWeight = plan.reduce((a, p) => a + p.weight, 0) || 1;

    const manifest: Manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      setName,
      setId,
      profile: profile.profile,
      kind,
      pinned: kind === 'pre-upgrade',
      host: hostname(),
      status: 'running',
      complete: false,
      startedAt: started.toISOString(),
      components: COMPONENT_IDS.map((id) => ({
        id,
        status: 'not-run',
        location: byComponent[id],
        artifacts: [],
        warnings: [],
        statements: [],
      })),
      skew: {
        toleranceSeconds: profile.skewToleranceSeconds ?? DEFAULT_SKEW_TOLERANCE_SECONDS,
        clock: 'local',
      },
      warnings: [],
    };
    if (opts.label !== undefined) manifest.label = opts.label;
    const writeAll = async (): Promise<string[]> =>
      Promise.all(roots.map((r) => writeManifestAtomic(r, manifest)));

    const sink = (level: 'info' | 'warn' | 'error', message: string, step?: ComponentId): void => {
      const clean = redact(message, secrets);
      runLog.line(level, clean, step);
      const ev: RunEvent = { type: 'log', runId: setId, at: at(), level, message: clean };
      if (step) ev.step = step;
      emit(ev);
    };
    const log = createLogger(sink);
    await writeAll();
    emit({
      type: 'run-started',
      runId: setId,
      at: at(),
      profile: profile.profile,
      kind,
      setName,
      setPaths: roots,
      steps: plan,
    });
    log.info(
      `Backup ${setName} of profile "${profile.profile}" (${kind}) started; writing to ${roots.join(', ')}.`,
    );

    // After a crash the next run says so; the interrupted set stays marked incomplete.
    for (const s of await listSets(profileFolder(profile.destination, profile.profile)).catch(() => []))
      if (s.status === 'incomplete' && s.setName !== setName)
        log.warn(`An earlier run was interrupted: ${s.path} is incomplete and must not be restored from.`);

    const clock = createDbClock();
    let doneWeight = 0;
    let blockedBy: 'database-failed' | 'cancelled' | undefined;

    for (const id of COMPONENT_IDS) {
      const rec = manifest.components.find((c) => c.id === id) as ComponentRecord;
      const step = steps.get(id);
      const weight = plan.find((p) => p.id === id)?.weight ?? 0;
      if (!step) {
        rec.status = 'skipped';
        rec.skippedReason = `The profile does not configure the ${titleOf(id)}.`;
        emit({
          type: 'step-finished',
          runId: setId,
          at: at(),
          step: id,
          status: 'skipped',
          artifacts: 0,
          bytes: 0,
        });
        continue;
      }
      if (blockedBy || signal.aborted) {
        rec.status = 'not-run';
        rec.skippedReason =
          blockedBy === 'database-failed'
            ? 'Not taken: the database backup failed, and without it nothing else is worth taking.'
            : 'Not taken: the run was cancelled.';
        emit({
          type: 'step-finished',
          runId: setId,
          at: at(),
          step: id,
          status: 'not-run',
          artifacts: 0,
          bytes: 0,
        });
        continue;
      }
      const status = await runStep(step, rec, {
        profile,
        secrets,
        env,
        signal,
        clock,
        root: byComponent[id],
        log,
        setId,
        emit,
        at,
        onFraction: (f) => (doneWeight + weight * f) / totalWeight,
      });
      doneWeight += weight;
      if (status === 'cancelled') blockedBy = 'cancelled';
      else if (status === 'failed' && id === 'database') blockedBy = 'database-failed';
      await writeAll().catch((err: unknown) =>
        log.error(`Could not update the manifest: ${(err as Error).message}`),
      );
    }

    if (opts.extras && !signal.aborted) {
      try {
        await opts.extras({
          profile,
          kind,
          setRoot: roots[0] as string,
          manifest,
          signal,
          log: (m) => log.info(m),
        });
      } catch (err) {
        manifest.warnings.push({ code: 'EXTRAS_FAILED', message: (err as Error).message });
      }
    }

    const dbInfo = clock.info();
    if (dbInfo) manifest.dbClock = dbInfo;
    manifest.skew = computeSkew(
      manifest,
      clock,
      profile.skewToleranceSeconds ?? DEFAULT_SKEW_TOLERANCE_SECONDS,
    );
    finish(manifest, signal.aborted || blockedBy === 'cancelled');
    manifest.finishedAt = at();
    log.info(
      `Backup ${setName} finished: ${manifest.status}` +
        (manifest.skew.windowSeconds !== undefined
          ? `, skew window ${manifest.skew.windowSeconds.toFixed(1)} s`
          : '') +
        (manifest.completenessNote ? `. ${manifest.completenessNote}` : '.'),
    );
    for (const w of manifest.warnings) log.warn(`${w.code}: ${w.message}`);
    let manifestPaths: string[] = [];
    try {
      manifestPaths = await writeAll();
      // Marker last: a crash between the two leaves a set that still says "in progress".
      await Promise.all(roots.map((r) => rm(join(r, IN_PROGRESS_MARKER), { force: true })));
    } catch (err) {
      manifest.status = 'failed';
      manifest.complete = false;
      manifest.error = destinationError(err, roots.join(', ')).toInfo();
    }
    const result: RunResult = {
      status: manifest.status as RunStatus,
      setName,
      setPaths: roots,
      manifestPaths,
      manifest,
    };
    const finishedEv: RunEvent = {
      type: 'run-finished',
      runId: setId,
      at: at(),
      status: result.status,
      setName,
      setPaths: roots,
      manifestPaths,
      skew: manifest.skew,
      warnings: manifest.warnings.length,
    };
    if (manifest.error) finishedEv.error = manifest.error;
    emit(finishedEv);
    return result;
  } finally {
    await runLog.close();
    await lock.release();
  }
}

interface StepRunEnv {
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  clock: ReturnType<typeof createDbClock>;
  root: string;
  log: ReturnType<typeof createLogger>;
  setId: string;
  emit: (e: RunEvent) => void;
  at: () => string;
  onFraction: (f: number) => number;
}

async function runStep(step: BackupStep, rec: ComponentRecord, r: StepRunEnv): Promise<ComponentStatus> {
  const id = step.id;
  const out = new ComponentWriter(id, r.root);
  const log = r.log.child(id);
  const startedAt = new Date();
  rec.status = 'running';
  rec.startedAt = startedAt.toISOString();
  r.emit({ type: 'step-started', runId: r.setId, at: r.at(), step: id, title: step.title });
  log.info(`${step.title}: started.`);
  const tracker = new ProgressTracker((fraction, counters) =>
    r.emit({
      type: 'step-progress',
      runId: r.setId,
      at: r.at(),
      step: id,
      fraction,
      overall: r.onFraction(fraction),
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
    record: {
      server: (info) => (rec.server = info),
      consistencyPoint: (p) => (rec.consistencyPoint = p),
      statement: (text) => rec.statements.push(redact(text, r.secrets)),
      detail: (key, value) => ((rec.details ??= {})[key] = redactValue(value, r.secrets)),
      warn: (code, message, subject) => {
        const w: Warning = { code, message: redact(message, r.secrets), step: id };
        if (subject !== undefined) w.subject = subject;
        rec.warnings.push(w);
        log.warn(`${code}: ${w.message}`);
        r.emit({ type: 'step-warning', runId: r.setId, at: r.at(), step: id, code, message: w.message });
      },
    },
  };
  let status: ComponentStatus;
  let error: ErrorInfo | undefined;
  try {
    await mkdir(out.dir, { recursive: true }).catch((err: unknown) => {
      throw destinationError(err, out.dir, id);
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
  const finished = new Date();
  rec.status = status;
  rec.finishedAt = finished.toISOString();
  const s = r.clock.toDb(startedAt);
  const f = r.clock.toDb(finished);
  if (s) rec.startedAtDb = s;
  if (f) rec.finishedAtDb = f;
  rec.artifacts = out.artifacts();
  const bytes = rec.artifacts.reduce((a, x) => a + x.bytes, 0);
  const ev: RunEvent = {
    type: 'step-finished',
    runId: r.setId,
    at: r.at(),
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

function titleOf(id: ComponentId): string {
  return id === 'database'
    ? 'database'
    : id === 'elasticsearch'
      ? 'Elasticsearch indices'
      : 'repository folder';
}

/** Decides the run's status and whether the set may call itself complete. */
function finish(m: Manifest, cancelled: boolean): void {
  const comps = m.components;
  const failed = comps.filter((c) => c.status === 'failed');
  const skipped = comps.filter((c) => c.status === 'skipped' || c.status === 'not-run');
  for (const c of comps) m.warnings.push(...c.warnings);
  if (skipped.length > 0 && !cancelled) {
    const names = skipped.map((c) => c.id).join(', ');
    m.completenessNote = `NOT a full Octane backup: ${names} ${skipped.length === 1 ? 'was' : 'were'} not taken.`;
    if (failed.length === 0) m.warnings.push({ code: 'NOT_FULL_BACKUP', message: m.completenessNote });
  }
  if (m.skew.withinTolerance === false) {
    m.warnings.push({
      code: 'SKEW_EXCEEDED',
      message: `The components were taken ${m.skew.windowSeconds?.toFixed(0)} s apart, more than the tolerance of ${m.skew.toleranceSeconds} s.`,
    });
  }
  let status: RunStatus;
  if (cancelled) status = 'cancelled';
  else if (failed.length > 0) {
    status = 'failed';
    const first = failed[0];
    if (first?.error) m.error = first.error;
  } else status = m.warnings.length > 0 ? 'succeeded-with-warnings' : 'succeeded';
  m.status = status;
  m.complete =
    (status === 'succeeded' || status === 'succeeded-with-warnings') &&
    comps.every((c) => c.status === 'succeeded' || c.status === 'succeeded-with-warnings');
  if (!m.complete && !m.completenessNote)
    m.completenessNote =
      status === 'cancelled'
        ? 'NOT a usable backup: the run was cancelled.'
        : 'NOT a usable backup: a component failed.';
}
