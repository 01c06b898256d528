// "Rehearse a restore of this set", as every front end takes it (the CLI's `rehearse`, History's
// "Rehearse restore…", a scheduled job). The steps:
//   leftovers of an earlier crashed rehearsal removed (from its journal) → read and VERIFY the set →
//   scratch targets refused when they are the live ones → each store's preflight → database,
//   Elasticsearch, repository folder restored onto scratch targets, checked, removed →
//   the rehearsal record written into the set (REHEARSAL_FILE).
// Every scratch object is journaled before it is created; a crash leaves the journal and
// `cleanupRehearsals` (or the next rehearsal) removes exactly what it lists, nothing else.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile, RunSecrets } from '../../contract/profile.js';
import type { RestoreEvent, RestoreStageReport } from '../../contract/restore-run.js';
import type { RehearsalRecord } from '../../contract/sets.js';
import { appendRehearsal } from '../backup-set/rehearsal-record.js';
import { resolveSecrets } from '../config/resolve-secrets.js';
import { validateProfile } from '../config/validate-profile.js';
import { ExpectedError } from '../errors.js';
import { acquireProfileLock, type ProfileLock } from '../lock.js';
import { createLogger, type Logger } from '../logger.js';
import { cleanupJournals, type RehearsalCleanup } from '../rehearsal/cleanup.js';
import { prepareRehearsal, type PreparedRehearsal } from '../rehearsal/prepare-rehearsal.js';
import { rehearsalRecord } from '../rehearsal/record.js';
import { refuseLiveDatabaseFolder, refuseLiveFolder } from '../rehearsal/scratch-guard.js';
import { utcStamp } from '../restore/repository/target-folder.js';
import { RestoreJournal } from '../restore-set/journal.js';
import { reportsFolder } from '../restore-set/report-files.js';
import { runStages } from '../restore-set/run-restore.js';
import type { PrimitiveFactories } from '../restore-set/stage.js';
import { defaultFactories } from '../restore-set/stages.js';
import { verifyBackupSet } from './verify-set.js';

export interface RehearseRequest {
  setPath: string;
  /** The profile describing the servers the scratch targets live on; validated here. */
  profile: Profile;
  signal: AbortSignal;
  secrets?: RunSecrets | (() => Promise<RunSecrets>);
  env?: NodeJS.ProcessEnv;
  /** Where the repository is extracted (a new folder inside it); default: the system's temp folder. */
  scratchDir?: string;
  onEvent?: (e: RestoreEvent) => void;
  log?: Logger;
}

/** Replaceable parts (stand-in drivers); production uses the real ones. */
export interface RehearseDeps {
  factories?: Partial<PrimitiveFactories>;
  verify?: typeof verifyBackupSet;
  now?: () => Date;
}

export interface RehearseOutcome {
  record: RehearsalRecord;
  /** Where the record was written (absent: it could not be, see notes). */
  recordPath?: string;
  stages: RestoreStageReport[];
  /** What an earlier, crashed rehearsal had left and this one removed first. */
  earlier: RehearsalCleanup;
  /** The journal kept because something could not be removed (rehearse --cleanup retries it). */
  journalKept?: string;
  notes: string[];
}

interface Setup {
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  log: Logger;
  factories: PrimitiveFactories;
}

async function setup(req: RehearseRequest, deps: RehearseDeps): Promise<Setup> {
  const profile = validateProfile(req.profile);
  const env = req.env ?? process.env;
  const given = typeof req.secrets === 'function' ? await req.secrets() : req.secrets;
  return {
    profile,
    secrets: resolveSecrets(profile, env, given),
    env,
    log: req.log ?? createLogger(() => undefined),
    factories: { ...defaultFactories(), ...deps.factories },
  };
}

/**
 * Rehearses a restore of the set. Throws ExpectedError only when nothing could be rehearsed for a
 * reason that is not the set's fault (not a set folder, a scratch target that is the live one or
 * fails its preflight); every other outcome — a damaged set included — is a record in the set.
 */
export async function rehearseSet(req: RehearseRequest, deps: RehearseDeps = {}): Promise<RehearseOutcome> {
  const s = await setup(req, deps);
  const scratchDir = req.scratchDir ?? tmpdir();
  refuseLiveFolder(s.profile, scratchDir, req.setPath);
  refuseLiveDatabaseFolder(s.profile);
  const folder = await reportsFolder(req.setPath);
  const rehearsalId = randomBytes(4).toString('hex');
  const lock = await lockSet(folder.dir, rehearsalId, s.profile.profile);
  try {
    return await rehearseLocked(req, deps, s, folder.dir, rehearsalId, scratchDir);
  } finally {
    await lock.release();
  }
}

async function rehearseLocked(
  req: RehearseRequest,
  deps: RehearseDeps,
  s: Setup,
  dir: string,
  rehearsalId: string,
  scratchDir: string,
): Promise<RehearseOutcome> {
  const earlier = await cleanupJournals(req.setPath, dir, { ...s, signal: req.signal });
  const now = deps.now?.() ?? new Date();
  const startedAt = now.toISOString();
  const t0 = performance.now();
  const prepared = await prepareRehearsal({
    ...s,
    setPath: req.setPath,
    signal: req.signal,
    now,
    rehearsalId,
    scratchDir,
    verify: deps.verify ?? verifyBackupSet,
  });
  // A scratch target that is not ready is the setup's problem, not the set's: said, not recorded.
  if (prepared.problems.length === 0 && prepared.notReady.length > 0)
    throw new ExpectedError(
      'REHEARSAL_NOT_READY',
      `Nothing was rehearsed: ${prepared.notReady.length} check(s) of the scratch targets failed. ${prepared.notReady.join(' ')}`,
      {
        step: 'rehearsal',
        fix: 'Fix what the checks name (the profile or the servers), then rehearse again.',
        details: { problems: prepared.notReady },
      },
    );
  const notes: string[] = [];
  const journal = new RestoreJournal(join(dir, `${utcStamp(now)}-rehearsal-${rehearsalId}.journal.jsonl`));
  const stages = await runIfReady(prepared, rehearsalId, journal, req);
  const kept = await journal.close();
  const leftovers = stages.flatMap((st) =>
    st.warnings.filter((w) => w.code === 'RESTORE_TEMPORARY_LEFT').map((w) => w.message),
  );
  if (kept)
    notes.push(
      `Some scratch objects could not be removed; they are listed in ${journal.file} (octane-backup rehearse --cleanup retries).`,
    );
  const record = rehearsalRecord({
    rehearsalId,
    startedAt,
    durationMs: performance.now() - t0,
    stages,
    problems: prepared.problems,
    leftovers,
    cancelled: req.signal.aborted,
  });
  let recordPath: string | undefined;
  try {
    recordPath = await appendRehearsal(req.setPath, record);
  } catch (err) {
    notes.push(`The rehearsal record could not be written into ${req.setPath}: ${(err as Error).message}`);
  }
  return {
    record,
    ...(recordPath !== undefined && { recordPath }),
    stages,
    earlier,
    ...(kept && { journalKept: journal.file }),
    notes,
  };
}

/** The stores run only when the set verified and every preflight passed. */
async function runIfReady(
  prepared: PreparedRehearsal,
  rehearsalId: string,
  journal: RestoreJournal,
  req: RehearseRequest,
): Promise<RestoreStageReport[]> {
  if (prepared.problems.length > 0 || prepared.selected.length === 0) return [];
  const emit = (e: RestoreEvent): void => {
    try {
      req.onEvent?.(e);
    } catch {
      // A broken listener never breaks a rehearsal half-way (its cleanup must run).
    }
  };
  prepared.env.log = createLogger((level, message) =>
    emit({ type: 'log', restoreId: rehearsalId, at: new Date().toISOString(), level, message }),
  );
  const report = await runStages({
    prepared,
    selected: prepared.selected,
    restoreId: rehearsalId,
    journal,
    emit,
    octane: [],
    notes: [],
  });
  return report.stages;
}

export interface CleanupRequest {
  setPath: string;
  profile: Profile;
  signal: AbortSignal;
  secrets?: RunSecrets | (() => Promise<RunSecrets>);
  env?: NodeJS.ProcessEnv;
}

/** `rehearse --cleanup`: removes what crashed rehearsals of the set journaled, and nothing else. */
export async function cleanupRehearsals(
  req: CleanupRequest,
  deps: RehearseDeps = {},
): Promise<RehearsalCleanup> {
  const s = await setup(req, deps);
  const folder = await reportsFolder(req.setPath);
  const lock = await lockSet(folder.dir, randomBytes(4).toString('hex'), s.profile.profile);
  try {
    return await cleanupJournals(req.setPath, folder.dir, { ...s, signal: req.signal });
  } finally {
    await lock.release();
  }
}

const REHEARSAL_LOCK = '.rehearsal.lock';

/**
 * One rehearsal (or cleanup) of a set at a time: a second one would take the first one's live
 * journal for a crashed rehearsal's and remove its scratch objects under it. A lock left by a
 * killed process is taken over (the lock module checks its owner is gone).
 */
async function lockSet(dir: string, id: string, profile: string): Promise<ProfileLock> {
  try {
    return await acquireProfileLock(join(dir, REHEARSAL_LOCK), id, profile);
  } catch (err) {
    if (err instanceof ExpectedError && err.code === 'PROFILE_BUSY')
      throw new ExpectedError(
        'REHEARSAL_RUNNING',
        'A rehearsal of this set is running: nothing was started.',
        {
          step: 'rehearsal',
          fix: 'Wait for it to finish (or cancel it), then start again.',
        },
      );
    throw err;
  }
}
