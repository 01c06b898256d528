// "Eject when done": the drive is detached by the system and the admin is told it can be unplugged,
// or why not. Linux: unmount (umount), then power the disk off with udisks where it is present;
// Windows: the Shell's Eject verb on the drive (what Explorer's "Eject" does), then a check that the
// volume is gone. A drive something still holds (an open file, a window showing it) is said, with
// what holds it when the system tells.
import { readFile } from 'node:fs/promises';
import { platform as osPlatform } from 'node:os';
import { posix } from 'node:path';
import type { EjectResult } from '../../contract/removable.js';
import { powershellCommand } from '../os/powershell.js';
import { runCommand, type CommandRunner } from '../os/run-command.js';
import { isAbortError } from '../errors.js';
import { PSEUDO_FILE_SYSTEMS } from './marked-drives.js';
import { mountOf, readMountInfo, type MountInfoEntry } from './mount-table.js';

export interface EjectOptions {
  platform?: NodeJS.Platform;
  run?: CommandRunner;
  mountInfo?: () => Promise<MountInfoEntry[]>;
  signal?: AbortSignal;
}

export async function ejectDrive(root: string, opts: EjectOptions = {}): Promise<EjectResult> {
  const platform = opts.platform ?? osPlatform();
  const run = opts.run ?? runCommand;
  try {
    if (platform === 'win32') return await ejectWindows(root, run, opts.signal);
    if (platform === 'linux')
      return await ejectLinux(root, run, opts.mountInfo ?? readMountInfo, opts.signal);
  } catch (err) {
    if (isAbortError(err)) throw err;
    return {
      root,
      ejected: false,
      reason: 'failed',
      message: `${root} could not be ejected: ${(err as Error).message}`,
      fix: 'Eject it from the system tray or file manager before unplugging it.',
    };
  }
  return {
    root,
    ejected: false,
    reason: 'not-supported',
    message: `Ejecting a drive is not supported on ${platform}.`,
    fix: 'Eject it with the system before unplugging it.',
  };
}

const BUSY_FIX =
  'Close the files and windows that use the drive (a file manager showing it, a shell whose working folder is on it), then eject it again.';

async function ejectLinux(
  root: string,
  run: CommandRunner,
  mountInfo: () => Promise<MountInfoEntry[]>,
  signal: AbortSignal | undefined,
): Promise<EjectResult> {
  // Any folder on the drive names it: the mount that holds it. The system disk is never unmounted.
  const mount = mountOf(posix.resolve(root), await mountInfo());
  if (!mount || mount.mountPoint === '/' || PSEUDO_FILE_SYSTEMS.has(mount.fsType))
    return {
      root,
      ejected: false,
      reason: 'not-found',
      message: `${root} is not on a drive that can be ejected (it is on the system disk or a ${mount?.fsType ?? 'system'} file system).`,
    };
  root = mount.mountPoint;
  const o = signal ? { signal, timeoutMs: 60_000 } : { timeoutMs: 60_000 };
  const um = await run('umount', [mount.mountPoint], o);
  if (um.code !== 0) {
    const busy = /busy/i.test(um.stderr);
    const r: EjectResult = {
      root,
      ejected: false,
      reason: busy ? 'busy' : 'failed',
      message: busy
        ? `${root} is still in use and was not ejected: do not unplug it.`
        : `${root} could not be unmounted: ${um.stderr.trim().slice(0, 300)}`,
      fix: busy ? BUSY_FIX : 'Unmount it with the file manager or "udisksctl unmount" before unplugging it.',
    };
    if (busy) {
      const holders = await holdersOf(mount.mountPoint, run, o);
      if (holders.length > 0) r.holders = holders;
    }
    return r;
  }
  // Unmounted: safe to unplug. Powering the disk off (udisks) is a courtesy to the drive.
  if (mount.source.startsWith('/dev/') && !mount.source.startsWith('/dev/loop')) {
    const off = await run('udisksctl', ['power-off', '-b', mount.source], o).catch(() => undefined);
    if (off?.code === 0)
      return {
        root,
        ejected: true,
        message: `${root} was unmounted and powered off: it can be unplugged now.`,
      };
  }
  return {
    root,
    ejected: true,
    unmountedOnly: true,
    message: `${root} was unmounted: it can be unplugged now.`,
  };
}

/** `fuser -m` prints the PIDs using a mount on stdout ("12345c"); their names come from /proc. */
async function holdersOf(
  mountPoint: string,
  run: CommandRunner,
  o: { signal?: AbortSignal; timeoutMs: number },
): Promise<string[]> {
  const r = await run('fuser', ['-m', mountPoint], o).catch(() => undefined);
  const pids = (r?.stdout ?? '').split(/\s+/).flatMap((t) => /^(\d+)[a-zA-Z]*$/.exec(t)?.[1] ?? []);
  const out: string[] = [];
  for (const pid of pids.slice(0, 20)) {
    const name = await readFile(`/proc/${pid}/comm`, 'utf8').then(
      (n) => n.trim(),
      () => '?',
    );
    out.push(`${name} (pid ${pid})`);
  }
  return out;
}

/** The PowerShell script: Eject verb, then up to 10 s for the volume to go; one JSON line. */
export function windowsEjectScript(letter: string): string {
  return `
$ErrorActionPreference = 'Stop'
$drive = '${letter}:'
$item = (New-Object -ComObject Shell.Application).Namespace(17).ParseName($drive)
if ($null -eq $item) { ConvertTo-Json -Compress -InputObject @{ state = 'not-found' }; exit 0 }
$item.InvokeVerb('Eject')
$gone = $false
for ($i = 0; $i -lt 20; $i++) {
  Start-Sleep -Milliseconds 500
  if (-not (Test-Path -LiteralPath ($drive + '\\'))) { $gone = $true; break }
}
$holders = @()
if (-not $gone) {
  $holders = @(Get-Process | Where-Object { $_.Path -and $_.Path.StartsWith($drive, 'OrdinalIgnoreCase') } | ForEach-Object { [string]$_.ProcessName + ' (pid ' + $_.Id + ')' })
}
ConvertTo-Json -Compress -InputObject @{ state = $(if ($gone) { 'gone' } else { 'present' }); holders = $holders }
`;
}

async function ejectWindows(root: string, run: CommandRunner, signal?: AbortSignal): Promise<EjectResult> {
  const letter = /^([A-Za-z]):/.exec(root)?.[1]?.toUpperCase();
  if (!letter)
    return {
      root,
      ejected: false,
      reason: 'not-found',
      message: `${root} is not a drive letter: only a whole drive (E:\\) can be ejected.`,
    };
  const ps = powershellCommand(windowsEjectScript(letter));
  const r = await run(ps.file, ps.args, signal ? { signal, timeoutMs: 60_000 } : { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`PowerShell failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`);
  const out = JSON.parse(r.stdout.replace(/^\uFEFF/, '').trim()) as { state?: string; holders?: unknown };
  if (out.state === 'gone')
    return { root, ejected: true, message: `${letter}: was ejected: it can be unplugged now.` };
  if (out.state === 'not-found')
    return { root, ejected: false, reason: 'not-found', message: `There is no drive ${letter}: to eject.` };
  const holders = Array.isArray(out.holders)
    ? out.holders.filter((h): h is string => typeof h === 'string')
    : [];
  const res: EjectResult = {
    root,
    ejected: false,
    reason: 'busy',
    message: `${letter}: is still in use and was not ejected: do not unplug it.`,
    fix: BUSY_FIX.replace('a file manager', 'an Explorer window').replace(
      ', a shell whose working folder is on it',
      '',
    ),
  };
  if (holders.length > 0) res.holders = holders;
  return res;
}
