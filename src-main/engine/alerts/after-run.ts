// What happens after every run, from the CLI (scheduled tasks) and from the app alike:
//  1. prune, when the profile asks for it and the run produced a complete set;
//  2. for a scheduled run that did not produce a good set: is the newest good backup now
//     older than the tolerated data loss? (event 1010 + e-mail);
//  3. one Windows Event Log entry for the run (ids 1000-1003);
//  4. with alerts.rehearsalMaxAgeDays: has a set been proven restorable by a rehearsal lately?
//     (event 1011 + e-mail);
//  5. the e-mail, per alerts.email.when (or always when the age or rehearsal check failed).
// Nothing here may change the run's outcome: every failure is reported, never thrown.
import { hostname } from 'node:os';
import type { ErrorInfo } from '../../contract/errors.js';
import { MANIFEST_FORMAT_VERSION, TOOL_NAME } from '../../contract/manifest.js';
import {
  DEFAULT_SKEW_TOLERANCE_SECONDS,
  type BackupKind,
  type Profile,
  type RunSecrets,
} from '../../contract/profile.js';
import { TOOL_VERSION } from '../version.js';
import { ExpectedError } from '../errors.js';
import type { SetSummary, VerifyReport } from '../../contract/sets.js';
import { listProfileSets } from '../backup-set/list-sets.js';
import { pruneAfterRun, type PruneAfterRunResult } from '../retention/prune.js';
import { runCommand, type CommandRunner } from '../os/run-command.js';
import { checkBackupAge, type BackupAgeCheck } from './backup-age.js';
import { checkRehearsalAge, type RehearsalAgeCheck } from './rehearsal-age.js';
import { sendEmail, shouldEmail, type EmailMessage } from './email.js';
import { EVENT_IDS, eventForStatus, writeEventLog, type EventLogEntry } from './event-log.js';
import type { RunOutcome } from '../../contract/ui.js';
import { runHeadline, runSummaryText } from './run-summary.js';

export interface AfterRunDeps {
  kind: BackupKind;
  platform?: NodeJS.Platform;
  runner?: CommandRunner;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  /** From the app's secret store; otherwise alerts.email.passwordEnv is read from env. */
  secrets?: RunSecrets;
  log?: (message: string) => void;
  /** Ctrl-C / Cancel: stops a prune between sets. */
  signal?: AbortSignal;
  /** Prune after a good run when retention.pruneAfterRun; default true. */
  prune?: boolean;
  /** Verify's report on the new set (verifyAfterRun): a damaged set stops the prune. */
  verification?: VerifyReport;
  /** Replaceable for tests. */
  sendMail?: (message: EmailMessage, password: string | undefined) => Promise<unknown>;
  listSets?: (profile: Profile) => Promise<SetSummary[]>;
}

export interface AfterRunReport {
  prune?: PruneAfterRunResult;
  age?: BackupAgeCheck;
  /** With alerts.rehearsalMaxAgeDays: the newest set proven restorable, and whether that is recent enough. */
  rehearsal?: RehearsalAgeCheck;
  eventLog: { attempted: boolean; written: number[]; error?: string };
  email: { attempted: boolean; sent: boolean; error?: string };
  problems: string[];
}

const good = (r: RunOutcome, v: VerifyReport | undefined): boolean =>
  r.manifest.complete &&
  (r.status === 'succeeded' || r.status === 'succeeded-with-warnings') &&
  v?.verdict !== 'damaged';

export async function afterRun(
  profile: Profile,
  result: RunOutcome,
  deps: AfterRunDeps,
): Promise<AfterRunReport> {
  const log = deps.log ?? (() => undefined);
  const now = deps.now ?? (() => new Date());
  const platform = deps.platform ?? process.platform;
  const runner = deps.runner ?? runCommand;
  const report: AfterRunReport = {
    eventLog: { attempted: false, written: [] },
    email: { attempted: false, sent: false },
    problems: [],
  };
  const problem = (text: string): void => {
    report.problems.push(text);
    log(text);
  };

  const prune = await retentionAfterRun(profile, result, deps, now(), log, problem);
  if (prune) report.prune = prune;

  if (deps.verification?.verdict === 'damaged')
    problem(
      `Verify after the run found the new set DAMAGED: ${deps.verification.problems.slice(0, 3).join(' ')}`,
    );
  if (deps.kind === 'scheduled' && !good(result, deps.verification) && profile.schedule) {
    const age = await ageAfterRun(profile, profile.schedule.targetIntervalHours, deps, now(), problem);
    if (age) {
      report.age = age;
      if (!age.ok) log(`ALERT: ${age.message}`);
    }
  }
  const ageAlert = report.age !== undefined && !report.age.ok;
  const rehearsal = await rehearsalAfterRun(profile, deps, now(), problem, log);
  if (rehearsal) report.rehearsal = rehearsal;
  const rehearsalAlert = rehearsal !== undefined && !rehearsal.ok;
  const summary = runSummaryText(profile.profile, deps.kind, result, report.age);
  const text = rehearsalAlert ? `${summary}\n\n${rehearsal.message}` : summary;

  if (platform === 'win32' && profile.alerts?.eventLog !== false) {
    report.eventLog.attempted = true;
    const entries: EventLogEntry[] = [{ ...eventForStatus(result.status), message: text }];
    if (ageAlert && report.age)
      entries.push({
        id: EVENT_IDS.noGoodBackup,
        level: 'Error',
        message: `${report.age.message}\n\n${text}`,
      });
    if (rehearsalAlert) entries.push(notRehearsedEntry(rehearsal, summary));
    for (const entry of entries) {
      try {
        const r = await writeEventLog(entry, runner);
        if (r.written) report.eventLog.written.push(entry.id);
        if (r.error) {
          report.eventLog.error = r.error;
          problem(r.error);
        }
      } catch (err) {
        report.eventLog.error = (err as Error).message;
        problem(`Could not write to the Windows Event Log: ${(err as Error).message}`);
      }
    }
  }

  const email = profile.alerts?.email;
  if (email && (shouldEmail(email.when, result.status) || ageAlert || rehearsalAlert)) {
    report.email.attempted = true;
    const env = deps.env ?? process.env;
    const password = deps.secrets?.smtpPassword ?? (email.passwordEnv ? env[email.passwordEnv] : undefined);
    const subject = `[Octane Backup] ${ageAlert ? 'NO GOOD BACKUP - ' : ''}${rehearsalAlert ? 'NOT REHEARSED - ' : ''}${runHeadline(profile.profile, deps.kind, result.status)}`;
    try {
      const send = deps.sendMail ?? ((m: EmailMessage, pw: string | undefined) => sendEmail(email, pw, m));
      await send({ subject, text }, password);
      report.email.sent = true;
      log(`Alert e-mail sent to ${email.to.join(', ')}.`);
    } catch (err) {
      report.email.error = (err as Error).message;
      problem(
        `${(err as Error).message}${(err as { fix?: string }).fix ? ` Fix: ${(err as { fix?: string }).fix}` : ''}`,
      );
    }
  }
  return report;
}

/** Retention after the run (pruneAfterRun): what it deleted and what it could not, in the log. */
async function retentionAfterRun(
  profile: Profile,
  result: RunOutcome,
  deps: AfterRunDeps,
  now: Date,
  log: (text: string) => void,
  problem: (text: string) => void,
): Promise<AfterRunReport['prune']> {
  if (deps.prune === false || !profile.retention?.pruneAfterRun) return undefined;
  try {
    const pruneOpts: { now: Date; signal?: AbortSignal; damaged?: boolean } = { now };
    if (deps.signal) pruneOpts.signal = deps.signal;
    if (deps.verification) pruneOpts.damaged = deps.verification.verdict === 'damaged';
    const prune = await pruneAfterRun(profile, result, pruneOpts);
    const o = prune.outcome;
    if (o) {
      log(
        `Retention: deleted ${o.deleted.length} set folder(s)${o.failed.length ? `, ${o.failed.length} could not be deleted` : ''}.`,
      );
      for (const f of o.failed) problem(`Retention could not delete ${f.path}: ${f.error}`);
      // Name clashes and sets dated in the future: said after every run until someone looks.
      for (const p of o.plan.problems) log(`Retention: ${p}`);
    } else if (prune.reason) log(`Retention: nothing pruned. ${prune.reason}`);
    return prune;
  } catch (err) {
    problem(`Retention failed: ${(err as Error).message}`);
    return undefined;
  }
}

/** Is the newest good backup now older than the tolerated data loss? */
async function ageAfterRun(
  profile: Profile,
  targetIntervalHours: number,
  deps: AfterRunDeps,
  now: Date,
  problem: (text: string) => void,
): Promise<BackupAgeCheck | undefined> {
  try {
    const sets = await (deps.listSets ?? listProfileSets)(profile);
    return checkBackupAge(
      sets.filter((s) => s.profile === profile.profile),
      targetIntervalHours,
      now,
    );
  } catch (err) {
    if (!(err instanceof ExpectedError)) {
      problem(`Could not check the age of the newest good backup: ${(err as Error).message}`);
      return undefined;
    }
    // The destination cannot be read (unplugged, unmounted): no good backup can be shown to exist.
    return {
      ok: false,
      targetIntervalHours,
      message: `No good backup can be found: ${err.message}${err.fix ? ` ${err.fix}` : ''}`,
    };
  }
}

/**
 * A run that failed before it could create its set (destination unplugged, profile busy):
 * described like a failed run so that the Event Log and e-mail report it — never a silent miss.
 */
export function notStartedOutcome(
  profile: Profile,
  kind: BackupKind,
  error: ErrorInfo,
  now = new Date(),
): RunOutcome {
  const at = now.toISOString();
  const setName = '(no set was created)';
  return {
    status: 'failed',
    setName,
    setPaths: [],
    manifest: {
      formatVersion: MANIFEST_FORMAT_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      setName,
      setId: '',
      profile: profile.profile,
      kind,
      pinned: false,
      host: hostname(),
      status: 'failed',
      complete: false,
      completenessNote: `No backup was taken: ${error.message}`,
      startedAt: at,
      finishedAt: at,
      components: [],
      skew: {
        toleranceSeconds: profile.skewToleranceSeconds ?? DEFAULT_SKEW_TOLERANCE_SECONDS,
        clock: 'local',
      },
      warnings: [],
      error,
    },
  };
}

/** With alerts.rehearsalMaxAgeDays: was a good set proven restorable by a passed rehearsal lately? */
async function rehearsalAfterRun(
  profile: Profile,
  deps: AfterRunDeps,
  now: Date,
  problem: (text: string) => void,
  log: (text: string) => void,
): Promise<RehearsalAgeCheck | undefined> {
  const maxAgeDays = profile.alerts?.rehearsalMaxAgeDays;
  if (maxAgeDays === undefined) return undefined;
  try {
    const sets = await (deps.listSets ?? listProfileSets)(profile);
    const check = checkRehearsalAge(
      sets.filter((s) => s.profile === profile.profile),
      maxAgeDays,
      now,
    );
    if (!check.ok) log(`ALERT: ${check.message}`);
    return check;
  } catch (err) {
    problem(`Could not check when a set was last rehearsed: ${(err as Error).message}`);
    return undefined;
  }
}

function notRehearsedEntry(r: RehearsalAgeCheck | undefined, summary: string): EventLogEntry {
  return { id: EVENT_IDS.notRehearsed, level: 'Warning', message: `${r?.message ?? ''}\n\n${summary}` };
}
