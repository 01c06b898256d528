// Every external command (schtasks, powershell) goes through this seam so that tests on
// Linux can record what would run and play back recorded output.
import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when the process was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs `file` with `args` (no shell: arguments are never re-parsed by cmd.exe or sh). */
export type CommandRunner = (
  file: string,
  args: readonly string[],
  opts?: RunCommandOptions,
) => Promise<CommandResult>;

export const execRunner: CommandRunner = (file, args, opts = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        windowsHide: true,
        maxBuffer: 16 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 120_000,
        signal: opts.signal,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const e = err as Error & { code?: unknown };
        if (e.code === 'ENOENT') reject(new Error(`${file} was not found on this machine.`));
        else if (e.name === 'AbortError') reject(e);
        else resolve({ code: typeof e.code === 'number' ? e.code : null, stdout, stderr });
      },
    );
  });
