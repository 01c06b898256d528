// "Restore this set", as every front end takes it: the CLI (`restore`), the window (History →
// Restore…) call this and only parse input, confirm and show events. The steps:
//   validate → read and VERIFY the set → Octane stopped? → each stage's target checks and plan →
//   readiness (refused when anything fails) → the admin's confirmation → profile lock →
//   database → Elasticsearch → config files → repository folder → report next to the set.
// Nothing is touched before the confirmation. One AbortSignal reaches every stage; a Cancel or a
// failure leaves each store in a state the report names, with the way back.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ErrorInfo } from '../../contract/errors.js';
import type { Profile, RunSecrets } from '../../contract/profile.js';
import {
  readinessOf,
  type Readiness,
  type RestoreEvent,
  type RestorePreparation,
  type RestoreReport,
  type RestoreStageId,
} from '../../contract/restore-run.js';
import { profileFolder } from '../backup-set/set-layout.js';
import { resolveSecrets } from '../config/resolve-secrets.js';
import { validateProfile } from '../config/validate-profile.js';
import { ExpectedError, isAbortError, toErrorInfo } from '../errors.js';
import { acquireProfileLock, profileLockPath, type ProfileLock } from '../lock.js';
import { createLogger, type Logger } from '../logger.js';
import { runCommand } from '../os/run-command.js';
import { utcStamp } from '../restore/repository/target-folder.js';
import { RestoreJournal } from '../restore-set/journal.js';
import type { OctaneProbeDeps } from '../restore-set/octane-state.js';
import { prepareRestore, type PrepareInput, type Prepared } from '../restore-set/prepare.js';
import { reportsFolder, RUNBOOK_FILE, writeReportFiles, writeWhole } from '../restore-set/report-files.js';
import { runbookMarkdown } from '../restore-set/markdown.js';
import { nextSteps } from '../restore-set/next-steps.js';
import { TOOL_NAME } from '../../contract/manifest.js';
import { TOOL_VERSION } from '../version.js';
import { runStages } from '../restore-set/run-restore.js';
import type { PrimitiveFactories } from '../restore-set/stage.js';
import { defaultFactories } from '../restore-set/stages.js';
import { verifyBackupSet } from './verify-set.js';

export interface RestorePlanRequest {
  setPath: string;
  /** The profile describing the target installation; validated here. */
  profile: Profile;
  signal: AbortSignal;
  /** The app decrypts its stored secrets here; the CLI leaves it out (passwordEnv). */
  secrets?: RunSecrets | (() => Promise<RunSecrets>);
  env?: NodeJS.ProcessEnv;
  onVerifyProgress?: (bytesDone: number, bytesTotal: number, current: string) => void;
  log?: Logger;
}

export interface RestoreSetRequest extends RestorePlanRequest {
  /** The components to restore; absent: everything the set holds (refused when that is not all of Octane). */
  only?: readonly RestoreStageId[];
  onEvent?: (e: RestoreEvent) => void;
  /** The admin confirmed that Octane is stopped on every node (needed when nothing can check it). */
  octaneStopped?: boolean;
  /**
   * Asked once every check passed, before anything changes (the CLI's typed profile name); false:
   * not started. A confirmation also confirms Octane stopped, so its question must say so.
   */
  confirm?: (p: RestorePreparation, r: Readiness) => Promise<boolean>;
}

/** Replaceable parts (stand-in drivers, recorded commands); production uses the real ones. */
export interface RestoreDeps {
  factories?: Partial<PrimitiveFactories>;
  octane?: Partial<OctaneProbeDeps>;
  verify?: typeof verifyBackupSet;
  now?: () => Date;
}

export type RestoreSetOutcome =
  | {
      started: false;
      /** Why not: a precondition (readiness), the admin declined, or the set/profile is unusable. */
      preparation?: RestorePreparation;
      readiness?: Readiness;
      declined?: boolean;
      error?: ErrorInfo;
    }
  | { started: true; preparation: RestorePreparation; report: RestoreReport };

/** What a restore would do, and whether it could start now. Changes nothing. */
export async function planRestore(
  req: RestorePlanRequest & { only?: readonly RestoreStageId[]; octaneStopped?: boolean },
  deps: RestoreDeps = {},
): Promise<{ preparation: RestorePreparation; readiness: Readiness }> {
  const { preparation } = await prepare(req, deps, 'live');
  const selected = req.only ?? availableOf(preparation);
  return {
    preparation,
    readiness: readinessOf(preparation, selected, req.octaneStopped ?? true, req.only !== undefined),
  };
}

export async function restoreSet(req: RestoreSetRequest, deps: RestoreDeps = {}): Promise<RestoreSetOutcome> {
  let prepared: Prepared;
  try {
    prepared = await prepare(req, deps, 'live');
  } catch (err) {
    if (isAbortError(err) || !(err instanceof ExpectedError)) throw err;
    return { started: false, error: toErrorInfo(err, { where: 'restore' }) };
  }
  const preparation = prepared.preparation;
  const selected = req.only ?? availableOf(preparation);
  const stopped = req.octaneStopped ?? req.confirm !== undefined;
  const readiness = readinessOf(preparation, selected, stopped, req.only !== undefined);
  if (!readiness.ready) return { started: false, preparation, readiness };
  if (req.confirm && !(await req.confirm(preparation, readiness)))
    return { started: false, preparation, readiness, declined: true };
  let lock: ProfileLock | undefined;
  const restoreId = randomBytes(4).toString('hex');
  try {
    lock = await lockProfile(prepared, restoreId, readiness);
  } catch (err) {
    if (!(err instanceof ExpectedError)) throw err;
    return { started: false, preparation, readiness, error: toErrorInfo(err, { where: 'restore' }) };
  }
  try {
    const report = await run(prepared, selected, restoreId, req, readiness, stopped);
    return { started: true, preparation, report };
  } finally {
    await lock?.release();
  }
}

async function run(
  prepared: Prepared,
  selected: readonly RestoreStageId[],
  restoreId: string,
  req: RestoreSetRequest,
  readiness: Readiness,
  stopped: boolean,
): Promise<RestoreReport> {
  const emit = (e: RestoreEvent): void => {
    try {
      req.onEvent?.(e);
    } catch {
      // A broken listener must never break a restore half-way.
    }
  };
  const p = prepared.preparation;
  const folder = await reportsFolder(p.setPath);
  const base = `${utcStamp(prepared.env.now)}-restore-${restoreId}`;
  const journal = new RestoreJournal(join(folder.dir, `${base}.journal.jsonl`));
  prepared.env.log = createLogger((level, message) =>
    emit({ type: 'log', restoreId, at: new Date().toISOString(), level, message }),
  );
  const octane = p.checks.filter((c) => c.scope === 'octane' && c.status === 'ok').map((c) => c.message);
  if (p.confirmStopped && stopped)
    octane.push('confirmed stopped on every node by the admin (nothing could check it)');
  const notes = [...readiness.notes];
  if (!folder.inSet) notes.push(`The set folder is read-only: this report was written to ${folder.dir}.`);
  const report = await runStages({ prepared, selected, restoreId, journal, emit, octane, notes });
  if (await journal.close())
    report.notes.push(`Some temporary objects could not be removed; they are listed in ${journal.file}.`);
  try {
    await writeReportFiles(folder.dir, base, report);
  } catch (err) {
    report.notes.push(`The report could not be written to ${folder.dir} (${(err as Error).message}).`);
  }
  emit({ type: 'restore-finished', restoreId, at: new Date().toISOString(), status: report.status, report });
  return report;
}

/** No backup of the profile may run meanwhile; a destination that cannot hold the lock only warns. */
async function lockProfile(
  prepared: Prepared,
  restoreId: string,
  readiness: Readiness,
): Promise<ProfileLock | undefined> {
  const profile = prepared.env.profile;
  try {
    return await acquireProfileLock(
      profileLockPath(profileFolder(profile.destination, profile.profile)),
      restoreId,
      profile.profile,
    );
  } catch (err) {
    if (err instanceof ExpectedError && err.code === 'PROFILE_BUSY')
      throw new ExpectedError(
        'RESTORE_BACKUP_RUNNING',
        `A backup of "${profile.profile}" is running: nothing was restored.`,
        {
          step: 'restore',
          fix: 'Wait for the backup to finish (or cancel it), then start the restore again.',
        },
      );
    readiness.notes.push(
      `No backup of "${profile.profile}" was locked out during the restore: its destination cannot hold the lock (${(err as Error).message}).`,
    );
    return undefined;
  }
}

function availableOf(p: RestorePreparation): RestoreStageId[] {
  return p.stages.filter((s) => s.available).map((s) => s.id);
}

async function prepare(
  req: RestorePlanRequest,
  deps: RestoreDeps,
  mode: 'live' | 'offline',
): Promise<Prepared> {
  const profile = validateProfile(req.profile);
  const env = req.env ?? process.env;
  const given = typeof req.secrets === 'function' ? await req.secrets() : req.secrets;
  const input: PrepareInput = {
    setPath: req.setPath,
    profile,
    // Offline nothing connects: no password is needed (nor asked for).
    secrets: mode === 'live' ? resolveSecrets(profile, env, given) : {},
    env,
    signal: req.signal,
    log: req.log ?? createLogger(() => undefined),
    now: deps.now?.() ?? new Date(),
    factories: { ...defaultFactories(), ...deps.factories },
    octane: { runCommand, platform: process.platform, env, ...deps.octane },
    verify: deps.verify ?? verifyBackupSet,
    mode,
    ...(req.onVerifyProgress && { onVerifyProgress: req.onVerifyProgress }),
  };
  return prepareRestore(input);
}

/**
 * The runbook (RESTORE.md) of a set: how to restore it into the installation `profile` describes,
 * with the tool and by hand, from the very plans a restore runs. live: the servers are asked now;
 * offline: from the set alone (at backup time).
 */
export async function runbookFor(
  req: RestorePlanRequest,
  deps: RestoreDeps = {},
  mode: 'live' | 'offline' = 'live',
): Promise<string> {
  const { preparation, env } = await prepare(req, deps, mode);
  const all = preparation.stages
    .filter((s) => s.available)
    .map((s) => ({ id: s.id, status: 'succeeded' as const }));
  return runbookMarkdown(preparation, {
    nextSteps: nextSteps(env.profile, all),
    tool: TOOL_NAME,
    generatedBy: TOOL_VERSION,
  });
}

/**
 * RESTORE.md into every folder of a set just written (offline: no server asked). Never fails a
 * backup: a problem comes back as a sentence.
 */
export async function writeRunbooks(setPaths: readonly string[], profile: Profile): Promise<string[]> {
  const problems: string[] = [];
  for (const path of setPaths) {
    try {
      const text = await runbookFor(
        { setPath: path, profile, signal: new AbortController().signal },
        {},
        'offline',
      );
      await writeWhole(join(path, RUNBOOK_FILE), text);
    } catch (err) {
      problems.push(
        `The restore runbook (${RUNBOOK_FILE}) could not be written into ${path}: ${(err as Error).message}`,
      );
    }
  }
  return problems;
}
