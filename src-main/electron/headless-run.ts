// One backup without a window, for scheduled tasks: run, write the log, return the exit code.
// The set's own run.log is written by the engine; this adds one line per run to a log file in
// the app's data folder so "did last night's backup run?" has an answer even when no set exists.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunEvent } from '../contract/events.js';
import type { AppCore } from './app-core.js';
import { errorInfoOf } from './envelope.js';
import { exitCodeForStartError, exitCodeForStatus, type LaunchMode } from './launch-args.js';
import { STATUS_WORDS } from './run-manager.js';

export interface HeadlessDeps {
  core: AppCore;
  logFile: string;
  signal: AbortSignal;
  /** Progress lines (stdout when there is one). */
  print?: (line: string) => void;
}

export function headlessLogLine(
  at: Date,
  mode: Extract<LaunchMode, { mode: 'headless' }>,
  outcome: { status: string; exitCode: number; setPath?: string; error?: { code: string; message: string } },
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
  let exitCode: number;
  let line: string;
  try {
    const { profile, secrets } = await core.prepare(mode.profile);
    const opts: Parameters<typeof core.run>[1] = {
      kind: mode.kind,
      signal: deps.signal,
      secrets,
      onEvent: (e: RunEvent) => {
        if (
          e.type === 'step-finished' ||
          e.type === 'run-started' ||
          (e.type === 'log' && e.level !== 'info')
        )
          print(describe(e));
      },
    };
    if (mode.label) opts.label = mode.label;
    const result = await core.run(profile, opts);
    exitCode = exitCodeForStatus(result.status);
    const outcome: Parameters<typeof headlessLogLine>[2] = { status: result.status, exitCode };
    if (result.setPaths[0]) outcome.setPath = result.setPaths[0];
    if (result.manifest.error) outcome.error = result.manifest.error;
    line = headlessLogLine(core.now(), mode, outcome);
    notify(
      core,
      `Backup of ${mode.profile} ${STATUS_WORDS[result.status]}`,
      result.manifest.completenessNote ?? `Set ${result.setName}.`,
    );
  } catch (err) {
    const info = errorInfoOf(err);
    exitCode = exitCodeForStartError(info.code);
    line = headlessLogLine(core.now(), mode, { status: 'not-started', exitCode, error: info });
    print(`Backup not started: ${info.message}${info.fix ? ` Fix: ${info.fix}` : ''}`);
    notify(core, `Backup of ${mode.profile} did not start`, info.message);
  }
  await mkdir(dirname(deps.logFile), { recursive: true });
  await appendFile(deps.logFile, line, 'utf8');
  print(line.trimEnd());
  return exitCode;
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
