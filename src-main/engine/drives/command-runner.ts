// Runs an external command and collects its output. Injected everywhere so that tests feed
// recorded output (e.g. PowerShell JSON captured on Windows) instead of running the real thing.
import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Process exit code (null when killed by a signal). */
  code: number | null;
}

export type CommandRunner = (
  file: string,
  args: string[],
  opts?: { signal?: AbortSignal; timeoutMs?: number },
) => Promise<CommandResult>;

export const execCommand: CommandRunner = (file, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const execOpts: Parameters<typeof execFile>[2] = {
      windowsHide: true,
      maxBuffer: 16 * 1024 * 1024,
      timeout: opts.timeoutMs ?? 30_000,
      encoding: 'utf8',
    };
    if (opts.signal) execOpts.signal = opts.signal;
    execFile(file, args, execOpts, (err, stdout, stderr) => {
      const out = String(stdout);
      const errText = String(stderr);
      if (err && typeof (err as { code?: unknown }).code !== 'number') {
        // Not an exit code: the command could not start, timed out or was aborted.
        reject(Object.assign(new Error(err.message, { cause: err }), { name: err.name, code: err.code }));
        return;
      }
      resolve({ stdout: out, stderr: errText, code: err ? ((err as { code?: number }).code ?? 1) : 0 });
    });
  });
