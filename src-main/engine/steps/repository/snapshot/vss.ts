// Windows: a Volume Shadow Copy made with Win32_ShadowCopy.Create through PowerShell's CIM
// cmdlets (wmic is being removed from Windows; `vssadmin create shadow` exists only on Server),
// context "ClientAccessible" (persistent, no writers: crash-consistent, and SQL Server's writer is
// never involved). Its ID goes into the journal the moment Windows returns it, before the shadow is
// used; it is read through a folder link to its device path and deleted at the end. Needs an
// elevated process. A share (SMB/NFS) cannot be shadowed from this machine.
import { mkdir, rmdir, symlink, unlink } from 'node:fs/promises';
import { win32 } from 'node:path';
import { ExpectedError } from '../../../errors.js';
import { powershellCommand } from '../../../os/powershell.js';
import type { FrozenView, ProviderInput, SnapshotEnv, SnapshotProvider } from './provider.js';
import { VSS_CODES } from './vss-codes.js';

const step = 'repository' as const;
/** Attempts of Create for the codes worth retrying (9, 12), and the waits between them, ms. */
export const VSS_RETRY_WAITS_MS = [5_000, 10_000, 10_000];
const GUID = /^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$/;

const psString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function vssFactsScript(path: string): string {
  return `$ErrorActionPreference = 'Stop'
$path = ${psString(path)}
$me = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
$elevated = $me.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
$vols = @(Get-CimInstance Win32_Volume | Where-Object { $_.Name } | ForEach-Object {
  [pscustomobject]@{ Name = [string]$_.Name; FileSystem = [string]$_.FileSystem; DriveType = [int]$_.DriveType } })
$drive = $null
if ($path -match '^[A-Za-z]:') {
  $ld = Get-CimInstance Win32_LogicalDisk -Filter ("DeviceID='" + $path.Substring(0, 2) + "'")
  if ($ld) { $drive = [pscustomobject]@{ DeviceID = [string]$ld.DeviceID; DriveType = [int]$ld.DriveType; ProviderName = [string]$ld.ProviderName } }
}
ConvertTo-Json -Compress -Depth 4 -InputObject @{ elevated = [bool]$elevated; volumes = $vols; drive = $drive }`;
}

/** Two JSON lines: the ID as soon as Windows returns it, then the device (so a failure after Create never loses the ID). */
export function vssCreateScript(volume: string): string {
  return `$ErrorActionPreference = 'Stop'
$r = Invoke-CimMethod -ClassName Win32_ShadowCopy -MethodName Create -Arguments @{ Volume = ${psString(volume)}; Context = 'ClientAccessible' }
ConvertTo-Json -Compress -InputObject @{ returnValue = [int]$r.ReturnValue; id = [string]$r.ShadowID }
if ($r.ReturnValue -eq 0) {
  $s = Get-CimInstance Win32_ShadowCopy -Filter ("ID='" + $r.ShadowID + "'")
  ConvertTo-Json -Compress -InputObject @{ device = [string]$s.DeviceObject; installDate = $s.InstallDate.ToUniversalTime().ToString('o') }
}`;
}

export function vssDeleteScript(id: string): string {
  if (!GUID.test(id)) throw new Error(`not a shadow copy ID: ${id}`);
  return `$ErrorActionPreference = 'Stop'
$s = Get-CimInstance Win32_ShadowCopy -Filter "ID='${id}'"
if ($s) { $s | Remove-CimInstance; 'deleted' } else { 'absent' }`;
}

interface Facts {
  elevated: boolean;
  volumes: { Name: string; FileSystem?: string; DriveType?: number }[];
  drive?: { DeviceID?: string; DriveType?: number; ProviderName?: string } | null;
}

async function powershell(env: SnapshotEnv, script: string, signal: AbortSignal): Promise<string> {
  const cmd = powershellCommand(script, env.env);
  const r = await env.run(cmd.file, cmd.args, { signal, timeoutMs: 180_000 });
  if (r.code !== 0)
    throw new ExpectedError(
      'VSS_POWERSHELL_FAILED',
      `PowerShell failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 500)}`,
      {
        step,
        fix: 'Run the same backup from an elevated PowerShell to see the error, check that the "Volume Shadow Copy" service can start, or use repository.capture "bracketed".',
      },
    );
  return r.stdout.replace(/^\uFEFF/, '');
}

/** JSON objects, one a line, merged (PowerShell may print a BOM and blank lines). */
export function parseJsonLines(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t.startsWith('{')) Object.assign(out, JSON.parse(t) as Record<string, unknown>);
  }
  return out;
}

/** The volume holding `path` (the longest volume mount path that contains it) and the path inside it. */
export function volumeOf(
  path: string,
  volumes: Facts['volumes'],
): { volume: string; rel: string } | undefined {
  const lower = path.toLowerCase();
  let best: string | undefined;
  for (const v of volumes) {
    const name = v.Name.endsWith('\\') ? v.Name : `${v.Name}\\`;
    if ((lower + '\\').startsWith(name.toLowerCase()) && (!best || name.length > best.length)) best = name;
  }
  if (!best) return undefined;
  return { volume: best, rel: path.slice(best.length).replace(/^\\+/, '') };
}

/** The folder of the links through which shadow copies are read. */
function linkDirOf(env: SnapshotEnv): string {
  return env.linkDir ?? win32.join(env.env.ProgramData ?? 'C:\\ProgramData', 'Octane Backup Manager', 'vss');
}

/** The link through which the shadow copy `id` is read. */
export function vssLinkOf(env: SnapshotEnv, id: string): string {
  return win32.join(linkDirOf(env), id.replace(/[{}]/g, ''));
}

export function vssProvider(p: ProviderInput): SnapshotProvider {
  let where: { volume: string; rel: string } | undefined;
  const linkDir = linkDirOf(p.env);
  return {
    method: 'vss',
    async prepare(signal) {
      const facts = JSON.parse(await powershell(p.env, vssFactsScript(p.root), signal)) as Facts;
      where = checkFacts(p, facts);
    },
    async freeze(signal): Promise<FrozenView> {
      const at = where as { volume: string; rel: string };
      const created = await createShadow(p, at.volume, signal);
      const link = vssLinkOf(p.env, created.id);
      await p.journal.add({
        method: 'vss',
        id: created.id,
        device: created.device,
        volume: at.volume,
        link,
        setName: p.setName,
        createdAt: new Date().toISOString(),
      });
      const release = async (): Promise<void> => {
        await removeLink(p.env, link);
        await powershell(p.env, vssDeleteScript(created.id), AbortSignal.timeout(180_000));
        await p.journal.remove(created.id);
      };
      try {
        await mkdir(linkDir, { recursive: true });
        // The trailing backslash is required for a link to a shadow copy's device path.
        await (p.env.link?.create ?? symlink)(`${created.device}\\`, link, 'dir');
      } catch (err) {
        await release().catch(() => undefined);
        throw new ExpectedError(
          'VSS_LINK_FAILED',
          `The shadow copy ${created.id} could not be opened through ${link} (${(err as Error).message}).`,
          {
            step,
            cause: err,
            fix: 'Check that the account may create folder links in %ProgramData% (an elevated process can), then run again.',
          },
        );
      }
      return {
        root: at.rel === '' ? link : win32.join(link, at.rel),
        description: `Volume Shadow Copy ${created.id} of ${at.volume}`,
        facts: {
          method: 'vss',
          id: created.id,
          device: created.device,
          volume: at.volume,
          installDate: created.installDate,
        },
        release,
      };
    },
  };
}

function checkFacts(p: ProviderInput, facts: Facts): { volume: string; rel: string } {
  const share = /^\\\\/.test(p.root) || facts.drive?.DriveType === 4;
  if (share)
    throw new ExpectedError(
      'SNAPSHOT_ON_SHARE',
      `The repository folder ${p.configured} is on a network share${facts.drive?.ProviderName ? ` (${facts.drive.ProviderName})` : ''}: a shadow copy can only be made of a volume of this machine.`,
      {
        step,
        fix: 'Use repository.capture "bracketed" (the default), which works on shares, or snapshot the share on the file server.',
      },
    );
  if (!facts.elevated)
    throw new ExpectedError(
      'VSS_NOT_ELEVATED',
      'This process is not elevated, and only an elevated process may make a shadow copy.',
      {
        step,
        fix: VSS_CODES[1]?.fix ?? '',
      },
    );
  const where = volumeOf(p.root, facts.volumes ?? []);
  if (!where)
    throw new ExpectedError('VSS_VOLUME_NOT_FOUND', `No local volume of this machine holds ${p.root}.`, {
      step,
      fix: VSS_CODES[3]?.fix ?? '',
    });
  return where;
}

/** Create, retried on 9 and 12 after a wait; any other code is an error naming its fix. */
async function createShadow(
  p: ProviderInput,
  volume: string,
  signal: AbortSignal,
): Promise<{ id: string; device: string; installDate?: string }> {
  for (let attempt = 0; ; attempt++) {
    const r = parseJsonLines(await powershell(p.env, vssCreateScript(volume), signal));
    const rv = typeof r.returnValue === 'number' ? r.returnValue : 13;
    const id = typeof r.id === 'string' ? r.id : '';
    if (rv === 0 && GUID.test(id)) {
      if (typeof r.device !== 'string' || r.device === '') {
        // Made, but its device could not be read: journal it so the next run deletes it, and stop.
        await p.journal.add({
          method: 'vss',
          id,
          volume,
          setName: p.setName,
          createdAt: new Date().toISOString(),
        });
        throw new ExpectedError(
          'VSS_DEVICE_UNKNOWN',
          `The shadow copy ${id} was made but its device path could not be read.`,
          {
            step,
            fix: 'Run again; the shadow copy is deleted at the start of the next run.',
          },
        );
      }
      return {
        id,
        device: r.device,
        ...(typeof r.installDate === 'string' && { installDate: r.installDate }),
      };
    }
    const known = VSS_CODES[rv] ?? VSS_CODES[13];
    const wait = VSS_RETRY_WAITS_MS[attempt];
    if (known?.retry && wait !== undefined) {
      await p.env.sleep(wait, signal);
      continue;
    }
    throw new ExpectedError(
      known?.code ?? 'VSS_UNKNOWN_ERROR',
      `Windows could not make a shadow copy of ${volume}: ${known?.what ?? 'unknown'} (Win32_ShadowCopy.Create returned ${rv}${attempt > 0 ? `, ${attempt + 1} attempts` : ''}).`,
      { step, details: { returnValue: rv, volume, attempts: attempt + 1 }, fix: known?.fix ?? '' },
    );
  }
}

async function removeLink(env: SnapshotEnv, link: string): Promise<void> {
  if (env.link) return env.link.remove(link);
  // A folder link is removed with rmdir on Windows (never recursively: that would follow it).
  await (env.platform === 'win32' ? rmdir(link) : unlink(link)).catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  });
}

/** Deletes a shadow copy a crashed run left (journaled, so it is ours); true when it is gone. */
export async function removeVssLeftover(
  entry: { id: string; link?: string },
  env: SnapshotEnv,
): Promise<boolean> {
  if (entry.link) await removeLink(env, entry.link).catch(() => undefined);
  const out = await powershell(env, vssDeleteScript(entry.id), AbortSignal.timeout(180_000));
  return /deleted|absent/.test(out);
}
