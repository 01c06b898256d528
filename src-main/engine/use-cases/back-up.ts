// "Back up now" and "the scheduled backup", as every front end takes it: the CLI, the window and
// the headless --run mode call this and only parse input and show events. The steps:
//   validate → locate bound drives → run (lock, ordered stores, manifest) → the set's restore
//   runbook (RESTORE.md) → after the run: retention, Event Log, e-mail, the "no good backup" check.
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
  | { started: true; result: RunResult; after: AfterRunReport }
  | { started: false; error: ErrorInfo; after: AfterRunReport };

export async function backUp(req: BackUpRequest, deps: BackUpDeps = {}): Promise<BackUpOutcome> {
  // A profile that is not valid is bad input, not a missed backup: it throws ConfigError.
  const profile = validateProfile(req.profile);
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
  const report = await safeAfterRun(deps, located, result, after(true), note);
  return { started: true, result, after: report };
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
