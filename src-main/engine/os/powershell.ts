// The one way the tool starts Windows PowerShell. By full path under %SystemRoot% (a program
// named powershell.exe earlier on PATH, or in the working folder, never runs instead), without
// the user's profile, and with the script as -EncodedCommand (base64 of UTF-16 LE) so that no
// shell or cmd.exe ever re-parses it.
import { win32 } from 'node:path';

export interface PreparedCommand {
  file: string;
  args: string[];
  /** The script the encoded argument carries (for display and tests). */
  script: string;
}

/** %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe, from the environment given. */
export function powershellPath(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
  return win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

/** Full path of a program in %SystemRoot%\System32 (schtasks.exe, cmd.exe ...). */
export function system32Path(program: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
  return win32.join(root, 'System32', program);
}

export function powershellCommand(script: string, env: NodeJS.ProcessEnv = process.env): PreparedCommand {
  return {
    file: powershellPath(env),
    args: [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      Buffer.from(script, 'utf16le').toString('base64'),
    ],
    script,
  };
}
