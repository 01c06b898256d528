// "Back up now" and "the scheduled backup", as every front end takes it: the CLI, the window and
// the headless --run mode call this and only parse input and show events. The steps:
//   validate → locate bound drives → run (lock, ordered stores, manifest) → the set's restore
//   runbook (RESTORE.md) → verify the new set (verifyAfterRun) → after the run: retention, Event Log,
//   e-mail, the "no good backup" check.
// A run that cannot even start (drive unplugged, profile busy) raises the same alerts as a failed
// one, so a scheduled backup that did not happen is never silent. One AbortSignal reaches the
// run and the prune that follows it.
import type { ErrorInfo } from '../../contract/errors.js';
import type { RunEvent } from '../../contract/events.js';
import type { BackupKind, Profile, RunSecrets } from '../../contract/profile.js';
import { afterRun, notStartedOutcome, type AfterRunDeps, type AfterRunReport } from '../alerts/after-run.js';
import { ConfigError, validateProfile } from '../config/validate-profile.js';
import { ExpectedError, toErrorInfo } from '../errors.js';
import { copyOctaneConfig } from '../octane-config/config-copies.js';
import { runBackup, type RunOptions, type RunResult } from '../run-backup.js';
import type { VerifyReport } from '../../contract/sets.js';
import { verifyBackupSet, type VerifyRequest } from './verify-set.js';
import { writeRunbooks } from './restore-set.js';

export interface BackUpRequest {
  /** The profile as stored or read from the config file; validated here. */
  profile: Profile;
  kind: BackupKind;
  label?: string;
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** After-run messages in plain words (retention, alerts). */
  onNote?: (message: string) => void;
  /** The app decrypts its stored secrets here (a failure is a run that could not start). */
  secrets?: RunSecrets | (() => Promise<RunSecrets>);
  env?: NodeJS.ProcessEnv;
  /** The profile with removable drives resolved to where they are now (the app); may throw. */
  locate?: (profile: Profile) => Promise<Profile>;
  /** The platform whose paths the profile must use (default this computer's). */
  platform?: NodeJS.Platform;
}

/** Replaceable parts (tests, stand-ins); production uses the real ones. */
export interface BackUpDeps {
  runBackup?: typeof runBackup;
  afterRun?: typeof afterRun;
  /** Extra settings for the after-run work (platform, command runner, mail transport, clock). */
  alerts?: Partial<Omit<AfterRunDeps, 'kind' | 'secrets' | 'env' | 'log' | 'signal'>>;
  steps?: RunOptions['steps'];
  /** Write RESTORE.md into each set (default true). */
  runbooks?: boolean;
}

export type BackUpOutcome =
  | {
      started: true;
      result: RunResult;
      after: AfterRunReport;
      /** Verify's report on the new set, with verifyAfterRun. */
      verification?: VerifyReport;
    }
  | { started: false; error: ErrorInfo; after: AfterRunReport };

export async function backUp(req: BackUpRequest, deps: BackUpDeps = {}): Promise<BackUpOutcome> {
  // A profile that is not valid is bad input, not a missed backup: it throws ConfigError. Its paths
  // are judged once its drives are located (runBackup validates the located profile).
  const profile = validateProfile(req.profile, {
    platform: req.locate ? 'any' : (req.platform ?? process.platform),
  });
  const note = req.onNote ?? ((): void => undefined);
  let secrets: RunSecrets | undefined;
  const after = (prune: boolean): AfterRunDeps => {
    const d: AfterRunDeps = { ...deps.alerts, kind: req.kind, log: note, signal: req.signal, prune };
    if (secrets) d.secrets = secrets;
    if (req.env) d.env = req.env;
    return d;
  };
  let located = profile;
  let result: RunResult;
  try {
    secrets = typeof req.secrets === 'function' ? await req.secrets() : req.secrets;
    if (req.locate) located = await req.locate(profile);
    result = await (deps.runBackup ?? runBackup)(located, runOptions(req, deps, secrets));
  } catch (err) {
    if (err instanceof ConfigError || !(err instanceof ExpectedError)) throw err;
    const error = toErrorInfo(err, { where: 'run', secrets: secrets ?? {} });
    const report = await safeAfterRun(
      deps,
      profile,
      notStartedOutcome(profile, req.kind, error),
      after(false),
      note,
    );
    return { started: false, error, after: report };
  }
  // Every set carries its own restore runbook, made from the plans a restore of it would run.
  if (deps.runbooks !== false)
    for (const problem of await writeRunbooks(result.setPaths, located)) note(problem);
  // Verified before retention runs, so that a damaged new set never lets older ones go.
  const verification = await verifyAfterRun(located, result, secrets, req, note);
  const afterDeps = after(true);
  if (verification) afterDeps.verification = verification;
  const report = await safeAfterRun(deps, located, result, afterDeps, note);
  return verification
    ? { started: true, result, after: report, verification }
    : { started: true, result, after: report };
}

/** With verifyAfterRun, the set the run just wrote is verified (and the record left in it). */
async function verifyAfterRun(
  profile: Profile,
  result: RunResult,
  secrets: RunSecrets | undefined,
  req: BackUpRequest,
  note: (m: string) => void,
): Promise<VerifyReport | undefined> {
  const main = result.setPaths[0];
  if (profile.verifyAfterRun !== true || main === undefined) return undefined;
  if (result.status !== 'succeeded' && result.status !== 'succeeded-with-warnings') return undefined;
  try {
    const v: VerifyRequest = { profile, signal: req.signal };
    if (secrets?.sealKey !== undefined) v.sealKey = secrets.sealKey;
    if (req.env) v.env = req.env;
    const report = await verifyBackupSet(main, v);
    note(
      report.verdict === 'damaged'
        ? `Verify after the run: the new set is DAMAGED. ${report.problems.join(' ')}`
        : `Verify after the run: ${report.checks.length} file(s) intact${report.verdict === 'intact-partial' ? ' (not a full Octane backup)' : ''}.`,
    );
    return report;
  } catch (err) {
    if (req.signal.aborted) return undefined;
    note(`Verify after the run could not run: ${(err as Error).message}`);
    return undefined;
  }
}

function runOptions(req: BackUpRequest, deps: BackUpDeps, secrets: RunSecrets | undefined): RunOptions {
  const o: RunOptions = { kind: req.kind, signal: req.signal };
  if (req.label !== undefined) o.label = req.label;
  if (req.onEvent) o.onEvent = req.onEvent;
  if (secrets) o.secrets = secrets;
  if (req.env) o.env = req.env;
  if (deps.steps) o.steps = deps.steps;
  // Pre-upgrade sets also keep Octane's config files and version (docs/operations.md).
  if (req.kind === 'pre-upgrade') o.configCopies = copyOctaneConfig;
  return o;
}

/** The after-run work never changes the run's outcome: a failure in it is a note, not a throw. */
async function safeAfterRun(
  deps: BackUpDeps,
  profile: Profile,
  outcome: Parameters<typeof afterRun>[1],
  afterDeps: AfterRunDeps,
  note: (m: string) => void,
): Promise<AfterRunReport> {
  try {
    return await (deps.afterRun ?? afterRun)(profile, outcome, afterDeps);
  } catch (err) {
    const text = `After-run checks failed: ${(err as Error).message}`;
    note(text);
    return {
      eventLog: { attempted: false, written: [] },
      email: { attempted: false, sent: false },
      problems: [text],
    };
  }
}
