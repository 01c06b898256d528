// The ordered backup runner, in four phases: open the set, plan the steps, run them, close the set.
//
// ORDER IS THE CONTRACT: database, then Elasticsearch, then the repository folder.
// Octane's database references attachments in the repository folder. Taking the database
// first means the later repository capture is a superset of what the database references:
// files added in between are harmless orphans Octane cleans up. The reverse order gives
// a database that references files the backup lacks. Elasticsearch sits in between so the
// database/repository pair — the part that must agree — is as close together as possible
// when ES is slow, and a failed ES step does not spoil that pair.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorInfo } from '../contract/errors.js';
import type { RunEvent, RunStatus, StepPlan } from '../contract/events.js';
import { IN_PROGRESS_MARKER, type Manifest } from '../contract/manifest.js';
import {
  COMPONENT_IDS,
  DEFAULT_SKEW_TOLERANCE_SECONDS,
  type BackupKind,
  type ComponentId,
  type Profile,
  type RunSecrets,
} from '../contract/profile.js';
import { COMPONENT_NOUNS, COMPONENT_TITLES } from '../contract/words.js';
import { decideOutcome } from './backup-run/outcome.js';
import { ManifestRecorder, type SetIdentity } from './backup-run/manifest-recorder.js';
import { runStep, type StepRunEnv } from './backup-run/step-runner.js';
import { destinationError } from './backup-set/fs-errors.js';
import { parseSealKeys } from './backup-set/seal-keys.js';
import {
  checkSetFolders,
  createSetFolders,
  removeSetFolders,
  type FolderIdentity,
} from './backup-run/set-folders.js';
import { listSets } from './backup-set/list-sets.js';
import { RunLog } from './backup-set/run-log.js';
import { newSetId, profileFolder, setNameFor, setRoots } from './backup-set/set-layout.js';
import { redact } from './config/redact.js';
import { resolveSecrets } from './config/resolve-secrets.js';
import { validateProfile } from './config/validate-profile.js';
import { createDbClock } from './db-clock.js';
import { acquireProfileLock, profileLockPath } from './lock.js';
import { toErrorInfo } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { computeSkew } from './skew.js';
import type { BackupStep } from './step.js';
import { defaultSteps, type StepRegistry } from './steps/registry.js';

export interface RunOptions {
  kind?: BackupKind;
  label?: string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  secrets?: RunSecrets;
  env?: NodeJS.ProcessEnv;
  /** Replace the step implementations (tests, stand-ins). */
  steps?: StepRegistry;
  /** Copies of Octane's config files into the set, after the stores (pre-upgrade runs). */
  configCopies?: (ctx: ConfigCopyContext) => Promise<void>;
}

export interface ConfigCopyContext {
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

/** One run's facts, fixed when it starts. */
interface Run {
  profile: Profile;
  opts: RunOptions;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  set: SetIdentity;
  emit: (e: RunEvent) => void;
}

const at = (): string => new Date().toISOString();

export async function runBackup(profileInput: Profile, opts: RunOptions = {}): Promise<RunResult> {
  const run = prepare(profileInput, opts);
  const lock = await acquireProfileLock(
    profileLockPath(profileFolder(run.profile.destination, run.profile.profile)),
    run.set.setId,
    run.profile.profile,
  );
  const runLog = new RunLog();
  try {
    // Until the first manifest is down, a failure is "the run could not start": nothing is left.
    const folders = await openSet(run, runLog);
    const steps = planSteps(run);
    const recorder = new ManifestRecorder(run.profile, run.set, sealKeyOf(run));
    await recorder.write().catch(async (err: unknown) => {
      await runLog.close();
      await removeSetFolders(folders);
      throw destinationError(err, run.set.roots.join(', '));
    });
    const log = runLogger(run, runLog);
    announce(run, steps, log);
    // From here on the run always ends in closeSet, which always sends run-finished.
    const clock = createDbClock();
    let blocked: Awaited<ReturnType<typeof runSteps>> | undefined;
    try {
      await warnAboutInterruptedSets(run, log);
      blocked = await runSteps(run, steps, recorder, clock, log);
      await copyConfigFiles(run, recorder, log);
    } catch (err) {
      // A bug, not an operating condition: the set fails, named, and the run still finishes.
      recorder.manifest.error = toErrorInfo(err, { where: 'run', secrets: run.secrets });
      log.error(`The run stopped: ${recorder.manifest.error.message}`);
    }
    return await closeSet(run, { recorder, clock, log, folders }, blocked === 'cancelled');
  } finally {
    await runLog.close();
    await lock.release();
  }
}

function sealKeyOf(run: Run): string | undefined {
  return parseSealKeys(run.secrets.sealKey, 'the seal key')[0];
}

function prepare(profileInput: Profile, opts: RunOptions): Run {
  const profile = validateProfile(profileInput);
  const env = opts.env ?? process.env;
  const kind: BackupKind = opts.kind ?? 'manual';
  const setId = newSetId();
  const startedAt = new Date();
  const setName = setNameFor(startedAt, kind, setId);
  const { byComponent, roots } = setRoots(profile, setName);
  const set: SetIdentity = { setName, setId, kind, startedAt, byComponent, roots };
  if (opts.label !== undefined) set.label = opts.label;
  return {
    profile,
    opts,
    secrets: resolveSecrets(profile, env, opts.secrets),
    env,
    signal: opts.signal ?? new AbortController().signal,
    set,
    emit: (e) => {
      try {
        opts.onEvent?.(e);
      } catch {
        // A broken listener must not break a backup.
      }
    },
  };
}

/** Phase 1: every set folder exists, new, and says "in progress" before anything is written. */
async function openSet(run: Run, runLog: RunLog): Promise<FolderIdentity[]> {
  const folders = await createSetFolders(run.set.roots, run.set.setId, run.set.startedAt);
  for (const root of run.set.roots) runLog.addFile(root);
  return folders;
}

interface PlannedSteps {
  steps: Map<ComponentId, BackupStep>;
  plan: StepPlan[];
}

/** Phase 2: which stores this profile takes. Each taken store is an equal share of the progress. */
function planSteps(run: Run): PlannedSteps {
  const registry: StepRegistry = run.opts.steps ?? defaultSteps();
  const steps = new Map<ComponentId, BackupStep>();
  for (const id of COMPONENT_IDS) {
    const s = registry[id](run.profile);
    if (s) steps.set(id, s);
  }
  const plan = COMPONENT_IDS.map((id) => {
    const s = steps.get(id);
    return { id, title: s?.title ?? COMPONENT_TITLES[id], weight: s ? 1 : 0, enabled: !!s };
  });
  return { steps, plan };
}

function runLogger(run: Run, runLog: RunLog): Logger {
  return createLogger((level, message, step) => {
    const clean = redact(message, run.secrets);
    runLog.line(level, clean, step);
    const ev: RunEvent = { type: 'log', runId: run.set.setId, at: at(), level, message: clean };
    if (step) ev.step = step;
    run.emit(ev);
  });
}

function announce(run: Run, planned: PlannedSteps, log: Logger): void {
  const { setName, setId, kind, roots } = run.set;
  run.emit({
    type: 'run-started',
    runId: setId,
    at: at(),
    profile: run.profile.profile,
    kind,
    setName,
    setPaths: roots,
    steps: planned.plan,
  });
  log.info(
    `Backup ${setName} of profile "${run.profile.profile}" (${kind}) started; writing to ${roots.join(', ')}.`,
  );
}

/** After a crash the next run says so; the interrupted set stays marked incomplete. */
async function warnAboutInterruptedSets(run: Run, log: Logger): Promise<void> {
  const sets = await listSets(profileFolder(run.profile.destination, run.profile.profile)).catch(() => []);
  for (const s of sets)
    if (s.status === 'incomplete' && s.setName !== run.set.setName)
      log.warn(`An earlier run was interrupted: ${s.path} is incomplete and must not be restored from.`);
}

/** Phase 3: the stores in order. A failed database or a Cancel leaves the rest "not run". */
async function runSteps(
  run: Run,
  planned: PlannedSteps,
  recorder: ManifestRecorder,
  clock: ReturnType<typeof createDbClock>,
  log: Logger,
): Promise<'database-failed' | 'cancelled' | undefined> {
  const shares = planned.plan.filter((p) => p.enabled).length || 1;
  let done = 0;
  let blockedBy: 'database-failed' | 'cancelled' | undefined;
  const env: StepRunEnv = {
    profile: run.profile,
    secrets: run.secrets,
    env: run.env,
    signal: run.signal,
    clock,
    log,
    runId: run.set.setId,
    emit: run.emit,
    overall: (f) => (done + f) / shares,
  };
  for (const id of COMPONENT_IDS) {
    const rec = recorder.component(id);
    const step = planned.steps.get(id);
    if (!step || blockedBy || run.signal.aborted) {
      rec.status = step ? 'not-run' : 'skipped';
      rec.skippedReason = !step
        ? `The profile does not configure ${COMPONENT_NOUNS[id]}.`
        : blockedBy === 'database-failed'
          ? 'Not taken: the database backup failed, and without it nothing else is worth taking.'
          : 'Not taken: the run was cancelled.';
      run.emit({
        type: 'step-finished',
        runId: run.set.setId,
        at: at(),
        step: id,
        status: rec.status,
        artifacts: 0,
        bytes: 0,
      });
      continue;
    }
    const status = await runStep(step, rec, run.set.byComponent[id], env);
    done++;
    if (status === 'cancelled') blockedBy = 'cancelled';
    else if (status === 'failed' && id === 'database') blockedBy = 'database-failed';
    await recorder
      .write()
      .catch((err: unknown) => log.error(`Could not update the manifest: ${(err as Error).message}`));
  }
  return blockedBy;
}

/** Pre-upgrade runs also keep Octane's config files; a failure there is a warning, not a lost set. */
async function copyConfigFiles(run: Run, recorder: ManifestRecorder, log: Logger): Promise<void> {
  if (!run.opts.configCopies || run.signal.aborted) return;
  try {
    await run.opts.configCopies({
      profile: run.profile,
      kind: run.set.kind,
      setRoot: run.set.roots[0] as string,
      manifest: recorder.manifest,
      signal: run.signal,
      log: (m) => log.info(m),
    });
  } catch (err) {
    recorder.warn({ code: 'CONFIG_COPIES_FAILED', message: (err as Error).message });
  }
}

interface Closing {
  recorder: ManifestRecorder;
  clock: ReturnType<typeof createDbClock>;
  log: Logger;
  folders: FolderIdentity[];
}

/** A set that must not claim anything: failed, not complete, with the named error. */
function failSet(m: Manifest, error: ErrorInfo): void {
  m.status = 'failed';
  m.complete = false;
  m.error = error;
  m.completenessNote = `NOT a usable backup: ${error.message}`;
}

/** Phase 4: skew, outcome, the final manifest everywhere, then (last) the marker goes. */
async function closeSet(run: Run, c: Closing, cancelled: boolean): Promise<RunResult> {
  const m = c.recorder.manifest;
  const runError = m.error;
  const dbInfo = c.clock.info();
  if (dbInfo) m.dbClock = dbInfo;
  m.skew = computeSkew(m, c.clock, run.profile.skewToleranceSeconds ?? DEFAULT_SKEW_TOLERANCE_SECONDS);
  decideOutcome(m, run.signal.aborted || cancelled);
  if (runError && m.status !== 'cancelled') failSet(m, runError);
  // The folders must still be the ones this run created (a drive pulled or remounted is not).
  const gone = await checkSetFolders(c.folders);
  if (gone) failSet(m, toErrorInfo(gone, { secrets: run.secrets }));
  m.finishedAt = at();
  c.log.info(
    `Backup ${m.setName} finished: ${m.status}` +
      (m.skew.windowSeconds !== undefined ? `, skew window ${m.skew.windowSeconds.toFixed(1)} s` : '') +
      (m.completenessNote ? `. ${m.completenessNote}` : '.'),
  );
  for (const w of m.warnings) c.log.warn(`${w.code}: ${w.message}`);
  const manifestPaths = await finalWrite(run, c.recorder);
  const { setName, roots } = run.set;
  const finished: RunEvent = {
    type: 'run-finished',
    runId: run.set.setId,
    at: at(),
    status: m.status as RunStatus,
    setName,
    setPaths: roots,
    manifestPaths,
    skew: m.skew,
    warnings: m.warnings.length,
  };
  if (m.error) finished.error = m.error;
  run.emit(finished);
  return { status: m.status as RunStatus, setName, setPaths: roots, manifestPaths, manifest: m };
}

/**
 * The final manifest in every place, then the markers. When any of it fails, the set fails: the
 * markers go back where they were removed and the failed manifest is written wherever it can be,
 * so no copy claims to be complete.
 */
async function finalWrite(run: Run, recorder: ManifestRecorder): Promise<string[]> {
  const m = recorder.manifest;
  try {
    const paths = await recorder.write();
    // Marker last: a crash between the two leaves a set that still says "in progress".
    for (const r of run.set.roots) await rm(join(r, IN_PROGRESS_MARKER), { force: true });
    return paths;
  } catch (err) {
    failSet(m, destinationError(err, run.set.roots.join(', ')).toInfo());
    for (const r of run.set.roots)
      await writeFile(
        join(r, IN_PROGRESS_MARKER),
        'The run failed while finishing this set: NOT a usable backup.\r\n',
        {
          flag: 'wx',
        },
      ).catch(() => undefined);
    await recorder.write().catch(() => undefined);
    return [];
  }
}
