import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import {
  listWindowsDrives,
  parseWindowsVolumes,
  WINDOWS_DRIVES_SCRIPT,
} from '../../../src-main/engine/drives/windows-drives.js';

const fixture = (name: string): Promise<string> =>
  readFile(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('Windows drive listing from PowerShell JSON', () => {
  it('marks a USB hard disk that Windows calls "Fixed" as removable, with its disk serial', async () => {
    const drives = parseWindowsVolumes(await fixture('windows-drives-ps51.json'));
    const e = drives.find((d) => d.root === 'E:\\');
    expect(e).toEqual({
      root: 'E:\\',
      label: 'BACKUP1',
      fileSystem: 'exFAT',
      sizeBytes: 1000202240000,
      freeBytes: 812345344000,
      removable: true,
      serial: '575836314134395A',
    });
  });

  it('keeps internal disks as fixed, keeps removable sticks, and drops CD-ROMs and volumes without a letter', async () => {
    const drives = parseWindowsVolumes(await fixture('windows-drives-ps51.json'));
    expect(drives.map((d) => [d.root, d.removable, d.fileSystem])).toEqual([
      ['C:\\', false, 'NTFS'],
      ['E:\\', true, 'exFAT'],
      ['F:\\', true, 'FAT32'],
    ]);
  });

  it('reads the older shapes: a bare object for a one-element list, a BOM, numbers for letters and drive types', async () => {
    const drives = parseWindowsVolumes(await fixture('windows-drives-single.json'));
    expect(drives.map((d) => [d.root, d.removable, d.label, d.serial])).toEqual([
      ['C:\\', false, undefined, undefined],
      ['E:\\', true, 'OCTANE-BK', 'WD-WX11A1234567'],
    ]);
  });

  it('runs the script through powershell.exe -EncodedCommand and parses what it prints', async () => {
    const json = await fixture('windows-drives-ps51.json');
    const seen: { file: string; args: readonly string[] }[] = [];
    const run: CommandRunner = (file, args) => {
      seen.push({ file, args });
      return Promise.resolve({ stdout: json, stderr: '', code: 0 });
    };
    const drives = await listWindowsDrives(run);
    expect(drives).toHaveLength(3);
    expect(seen[0]?.file).toMatch(/System32\\WindowsPowerShell\\v1\.0\\powershell\.exe$/);
    const encoded = seen[0]?.args.at(-1) ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toBe(WINDOWS_DRIVES_SCRIPT);
    expect(WINDOWS_DRIVES_SCRIPT).toContain("Get-Disk | Where-Object BusType -eq 'USB'");
    expect(WINDOWS_DRIVES_SCRIPT).toContain('ConvertTo-Json -Compress -Depth 4 -InputObject');
  });

  it('reports a PowerShell failure with its message', async () => {
    const run: CommandRunner = () =>
      Promise.resolve({ stdout: '', stderr: 'Get-Volume : Access denied', code: 1 });
    await expect(listWindowsDrives(run)).rejects.toThrow(/exit 1.*Access denied/);
  });
});
