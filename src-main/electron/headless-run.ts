// One backup without a window, for scheduled tasks: the backup use-case (the same the CLI and the
// window call, alerts included), one line in the app's log file, the exit code. The set's own
// run.log is written by the engine; the app log answers "did last night's backup run?" even when
// no set exists.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exitCodeForStatus } from '../contract/errors.js';
import type { RunEvent } from '../contract/events.js';
import { STATUS_WORDS } from '../contract/words.js';
import type { AppCore } from './app-core.js';
import { errorInfoOf } from './envelope.js';
import { exitCodeForStartError, type LaunchMode } from './launch-args.js';

export interface HeadlessDeps {
  core: AppCore;
  logFile: string;
  signal: AbortSignal;
  /** Progress lines (stdout when there is one). */
  print?: (line: string) => void;
}

type Outcome = {
  status: string;
  exitCode: number;
  setPath?: string;
  error?: { code: string; message: string };
};

export function headlessLogLine(
  at: Date,
  mode: Extract<LaunchMode, { mode: 'headless' }>,
  outcome: Outcome,
): string {
  const parts = [
    at.toISOString(),
    `profile="${mode.profile}"`,
    `kind=${mode.kind}`,
    `status=${outcome.status}`,
    `exit=${outcome.exitCode}`,
  ];
  if (mode.label) parts.push(`label="${mode.label}"`);
  if (outcome.setPath) parts.push(`set="${outcome.setPath}"`);
  if (outcome.error) parts.push(`error=${outcome.error.code}: ${outcome.error.message.replace(/\s+/g, ' ')}`);
  return parts.join(' ') + '\n';
}

export async function runHeadless(
  mode: Extract<LaunchMode, { mode: 'headless' }>,
  deps: HeadlessDeps,
): Promise<number> {
  const { core } = deps;
  const print = deps.print ?? ((): void => undefined);
  let outcome: Outcome;
  try {
    const r = await core.backUp(mode.profile, {
      kind: mode.kind,
      signal: deps.signal,
      ...(mode.label ? { label: mode.label } : {}),
      onEvent: (e: RunEvent) => {
        if (
          e.type === 'step-finished' ||
          e.type === 'run-started' ||
          (e.type === 'log' && e.level !== 'info')
        )
          print(describe(e));
      },
      onNote: print,
    });
    if (r.started) {
      outcome = { status: r.result.status, exitCode: exitCodeForStatus(r.result.status) };
      if (r.result.setPaths[0]) outcome.setPath = r.result.setPaths[0];
      if (r.result.manifest.error) outcome.error = r.result.manifest.error;
      const m = r.result.manifest;
      notify(
        core,
        `Backup of ${mode.profile} ${STATUS_WORDS[r.result.status]}`,
        m.completenessNote ?? `Set ${m.setName}.`,
      );
    } else outcome = notStarted(core, mode, r.error, print);
  } catch (err) {
    outcome = notStarted(core, mode, errorInfoOf(err), print);
  }
  const line = headlessLogLine(core.now(), mode, outcome);
  await mkdir(dirname(deps.logFile), { recursive: true });
  await appendFile(deps.logFile, line, 'utf8');
  print(line.trimEnd());
  return outcome.exitCode;
}

function notStarted(
  core: AppCore,
  mode: Extract<LaunchMode, { mode: 'headless' }>,
  info: { code: string; message: string; fix?: string },
  print: (line: string) => void,
): Outcome {
  print(`Backup not started: ${info.message}${info.fix ? ` Fix: ${info.fix}` : ''}`);
  notify(core, `Backup of ${mode.profile} did not start`, info.message);
  return { status: 'not-started', exitCode: exitCodeForStartError(info.code), error: info };
}

function notify(core: AppCore, title: string, body: string): void {
  try {
    core.deps.notifier.notify(title, body);
  } catch {
    // no desktop session (scheduled task without a logged-on user): the log line is enough
  }
}

function describe(e: RunEvent): string {
  switch (e.type) {
    case 'run-started':
      return `Backup ${e.setName} started, writing to ${e.setPaths.join(', ')}.`;
    case 'step-finished':
      return `${e.step}: ${e.status}${e.error ? ` - ${e.error.message}` : ''}`;
    case 'log':
      return `${e.level}: ${e.message}`;
    default:
      return e.type;
  }
}
