import { describe, expect, it } from 'vitest';
import { powershellCommand, powershellPath, system32Path } from '../../../src-main/engine/os/powershell.js';

describe('PowerShell and System32 programs', () => {
  it('encodes the script so that no quoting of it is needed', () => {
    const { args, script } = powershellCommand('Write-Output \'a "b" c\'');
    expect(args.slice(0, -1)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    expect(Buffer.from(args.at(-1) ?? '', 'base64').toString('utf16le')).toBe(script);
  });

  it('starts PowerShell and schtasks by their full path under %SystemRoot%, never from PATH', () => {
    const env = { SystemRoot: 'D:\\WINDOWS' };
    expect(powershellPath(env)).toBe('D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(powershellCommand('x', env).file).toBe(powershellPath(env));
    expect(system32Path('schtasks.exe', env)).toBe('D:\\WINDOWS\\System32\\schtasks.exe');
    expect(system32Path('schtasks.exe', {})).toBe('C:\\Windows\\System32\\schtasks.exe');
  });
});
