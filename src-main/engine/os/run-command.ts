// The one way the tool runs another program (schtasks, PowerShell, mount tools). Injected wherever
// it is used, so that tests on Linux feed recorded output (PowerShell JSON captured on Windows)
// instead of running the real thing. No shell: arguments are never re-parsed by cmd.exe or sh.
import { execFile } from 'node:child_process';
import { ExpectedError, abortError } from '../errors.js';

export interface CommandResult {
  /** The program's exit code; null when it was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  signal?: AbortSignal;
  /** Default 120 s: a hung PowerShell or schtasks must not hold a scheduled run forever. */
  timeoutMs?: number;
  /**
   * Written to the program's standard input, which is then closed. The way to hand a program a
   * secret: a command line is visible to every process-auditing tool (event 4688, ps).
   */
  stdin?: string;
}

/**
 * Runs `file` with `args` and collects its output. A non-zero exit is a result (the caller knows
 * what it means); a program that cannot start or does not finish in time is an ExpectedError,
 * and Cancel rejects with an AbortError.
 */
export type CommandRunner = (
  file: string,
  args: readonly string[],
  opts?: RunCommandOptions,
) => Promise<CommandResult>;

export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

export const runCommand: CommandRunner = (file, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const child = execFile(
      file,
      [...args],
      {
        windowsHide: true,
        maxBuffer: 16 * 1024 * 1024,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        signal: opts.signal,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const e = err as Error & { code?: unknown; killed?: boolean; signal?: string | null };
        if (opts.signal?.aborted || e.name === 'AbortError') reject(abortError());
        else if (e.code === 'ENOENT')
          reject(
            new ExpectedError('COMMAND_NOT_FOUND', `${file} was not found on this machine.`, {
              fix: `Check that ${file} is installed and that this account may run it.`,
              cause: err,
            }),
          );
        else if (e.killed && typeof e.code !== 'number')
          reject(
            new ExpectedError(
              'COMMAND_TIMED_OUT',
              `${file} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
              { fix: 'Run it again; if it keeps hanging, look for a stuck process of it.', cause: err },
            ),
          );
        else if (typeof e.code === 'number') resolve({ code: e.code, stdout, stderr });
        else if (typeof e.code === 'string')
          reject(
            new ExpectedError('COMMAND_FAILED', `${file} could not be started (${e.code}).`, {
              fix: `Check that ${file} may be run by this account.`,
              cause: err,
            }),
          );
        else resolve({ code: null, stdout, stderr });
      },
    );
    if (opts.stdin !== undefined) {
      // A program that exits without reading its input must not crash us with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.stdin, 'utf8');
    }
  });
