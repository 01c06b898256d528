// Drive listing on Windows through PowerShell's Storage module. USB hard disks report as
// "Fixed" volumes, so the USB ones are found through their disk's BusType, not DriveType.
import type { DriveInfo } from '../../contract/ui.js';
import type { CommandRunner } from '../os/run-command.js';
import { powershellCommand } from '../os/powershell.js';

// ConvertTo-Json -InputObject keeps one-element arrays as arrays (a pipeline would unroll them);
// every field is cast so PowerShell 5.1 and 7 print the same shapes.
export const WINDOWS_DRIVES_SCRIPT = `
$ErrorActionPreference = 'Stop'
function Row($v, $bus, $serial) {
  [pscustomobject]@{
    DriveLetter = [string]$v.DriveLetter; FileSystemLabel = [string]$v.FileSystemLabel; FileSystem = [string]$v.FileSystem
    DriveType = [string]$v.DriveType; Size = [uint64]$v.Size; SizeRemaining = [uint64]$v.SizeRemaining
    UniqueId = [string]$v.UniqueId; BusType = $bus; SerialNumber = $serial
  }
}
$usb = @()
try {
  $usb = @(Get-Disk | Where-Object BusType -eq 'USB' | ForEach-Object {
    $d = $_
    $d | Get-Partition -ErrorAction SilentlyContinue | Get-Volume -ErrorAction SilentlyContinue | ForEach-Object { Row $_ 'USB' ([string]$d.SerialNumber).Trim() }
  })
} catch { $usb = @() }
$all = @(Get-Volume | ForEach-Object { Row $_ $null $null })
ConvertTo-Json -Compress -Depth 4 -InputObject @{ usb = $usb; all = $all }
`;

type Row = Record<string, unknown>;

const asArray = (v: unknown): Row[] =>
  Array.isArray(v)
    ? (v.filter((x) => typeof x === 'object' && x !== null) as Row[])
    : typeof v === 'object' && v !== null
      ? [v as Row]
      : [];

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

// Older PowerShell prints enums as numbers (Win32 DriveType values).
const DRIVE_TYPES: Record<number, string> = {
  0: 'Unknown',
  1: 'NoRootDirectory',
  2: 'Removable',
  3: 'Fixed',
  4: 'Network',
  5: 'CD-ROM',
  6: 'RAM',
};
function driveType(v: unknown): string {
  if (typeof v === 'number') return DRIVE_TYPES[v] ?? 'Unknown';
  return str(v) ?? 'Unknown';
}

function letterOf(v: unknown): string | undefined {
  // A [char] printed as a number by some PowerShell versions.
  const s = typeof v === 'number' ? String.fromCharCode(v) : str(v);
  return s && /^[A-Za-z]$/.test(s) ? s.toUpperCase() : undefined;
}

/** Parses the script's JSON: every lettered volume on a fixed or removable drive. */
export function parseWindowsVolumes(json: string): DriveInfo[] {
  const parsed = JSON.parse(json.replace(/^\uFEFF/, '')) as { usb?: unknown; all?: unknown };
  const usb = asArray(parsed.usb);
  const usbIds = new Set(usb.map((r) => str(r.UniqueId)).filter((x): x is string => x !== undefined));
  const usbByLetter = new Map(usb.map((r) => [letterOf(r.DriveLetter), r] as const));
  const byRoot = new Map<string, DriveInfo>();
  for (const row of [...asArray(parsed.all), ...usb]) {
    const letter = letterOf(row.DriveLetter);
    if (!letter) continue; // volumes without a letter (recovery partitions, folder mounts)
    const type = driveType(row.DriveType);
    if (type !== 'Fixed' && type !== 'Removable') continue;
    const root = `${letter}:\\`;
    if (byRoot.has(root)) continue;
    const id = str(row.UniqueId);
    const usbRow = usbByLetter.get(letter) ?? (id !== undefined && usbIds.has(id) ? row : undefined);
    const drive: DriveInfo = { root, removable: type === 'Removable' || usbRow !== undefined };
    const label = str(row.FileSystemLabel);
    if (label) drive.label = label;
    const fs = str(row.FileSystem);
    if (fs) drive.fileSystem = fs;
    const size = num(row.Size);
    if (size !== undefined && size > 0) drive.sizeBytes = size;
    const free = num(row.SizeRemaining);
    if (free !== undefined) drive.freeBytes = free;
    const serial = str(usbRow?.SerialNumber);
    if (serial) drive.serial = serial;
    byRoot.set(root, drive);
  }
  return [...byRoot.values()].sort((a, b) => a.root.localeCompare(b.root));
}

export async function listWindowsDrives(run: CommandRunner, signal?: AbortSignal): Promise<DriveInfo[]> {
  const opts: { signal?: AbortSignal; timeoutMs: number } = { timeoutMs: 30_000 };
  if (signal) opts.signal = signal;
  const ps = powershellCommand(WINDOWS_DRIVES_SCRIPT);
  const r = await run(ps.file, ps.args, opts);
  if (r.code !== 0)
    throw new Error(
      `PowerShell could not list the drives (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`,
    );
  return parseWindowsVolumes(r.stdout);
}
