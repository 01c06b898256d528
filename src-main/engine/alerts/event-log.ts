// Windows Application Event Log entries for every run, so monitoring tools (SCOM, Zabbix,
// plain Event Viewer filters) see backups without anyone watching the app.
//
// Written with Windows PowerShell's Write-EventLog, not eventcreate: eventcreate only takes
// event ids 1-1000, and our ids (1000 success ... 1010 "no good backup") need more. The script
// travels as -EncodedCommand (base64 of UTF-16 LE), so no shell or cmd.exe ever re-parses it,
// and every text is a single-quoted PowerShell literal, where nothing but the quote is special.
import type { RunStatus } from '../../contract/events.js';
import type { CommandRunner } from '../os/run-command.js';
import { powershellCommand, type PreparedCommand } from '../os/powershell.js';

export const EVENT_SOURCE = 'Octane Backup Manager';
export const EVENT_LOG = 'Application';
export const EVENT_IDS = {
  success: 1000,
  warning: 1001,
  failure: 1002,
  cancelled: 1003,
  noGoodBackup: 1010,
  notRehearsed: 1011,
} as const;

export type EventLevel = 'Information' | 'Warning' | 'Error';

export interface EventLogEntry {
  id: number;
  level: EventLevel;
  message: string;
}

/** Windows PowerShell 5.1: present on every supported Windows; pwsh 7 lacks Write-EventLog. */
/** Exit code of the script when our source is not registered and the WSH fallback was used. */
export const EXIT_FALLBACK_SOURCE = 4;
const MAX_MESSAGE = 6000;

export function eventForStatus(status: RunStatus): { id: number; level: EventLevel } {
  switch (status) {
    case 'succeeded':
      return { id: EVENT_IDS.success, level: 'Information' };
    case 'succeeded-with-warnings':
      return { id: EVENT_IDS.warning, level: 'Warning' };
    case 'failed':
      return { id: EVENT_IDS.failure, level: 'Error' };
    case 'cancelled':
      return { id: EVENT_IDS.cancelled, level: 'Warning' };
  }
}

/**
 * A single-quoted PowerShell string literal. PowerShell also treats the typographic quotes
 * U+2018..U+201B as single quotes, so they are doubled too; NULs are dropped.
 */
export function psQuote(text: string): string {
  return `'${text
    .split('\u0000')
    .join('')
    .replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

function clip(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 20)}\n[... shortened]`;
}

export function writeEventScript(entry: EventLogEntry, source: string = EVENT_SOURCE): string {
  if (!Number.isInteger(entry.id) || entry.id < 0 || entry.id > 65535)
    throw new RangeError('Event ids are 0..65535.');
  const wshType = entry.level === 'Error' ? 1 : entry.level === 'Warning' ? 2 : 4;
  return [
    "$ErrorActionPreference = 'Stop'",
    `$source = ${psQuote(source)}`,
    `$message = ${psQuote(clip(entry.message))}`,
    'try {',
    `  Write-EventLog -LogName ${EVENT_LOG} -Source $source -EventId ${entry.id} -EntryType ${entry.level} -Category 0 -Message $message`,
    '  exit 0',
    '} catch {',
    // Our source is registered by an administrator once; until then keep the entry visible
    // through WSH, a source every Windows has (its ids cannot be chosen).
    '  $reason = $_.Exception.Message',
    '  try {',
    `    (New-Object -ComObject WScript.Shell).LogEvent(${wshType}, ('[' + $source + ' event ${entry.id}] ' + $message)) | Out-Null`,
    '    [Console]::Error.WriteLine($reason)',
    `    exit ${EXIT_FALLBACK_SOURCE}`,
    '  } catch {',
    '    [Console]::Error.WriteLine($reason)',
    '    exit 3',
    '  }',
    '}',
  ].join('\r\n');
}

/** Registers the event source; needs an elevated (administrator) prompt, once per machine. */
export function registerSourceScript(source: string = EVENT_SOURCE): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$source = ${psQuote(source)}`,
    'try {',
    `  if (-not [System.Diagnostics.EventLog]::SourceExists($source)) { New-EventLog -LogName ${EVENT_LOG} -Source $source }`,
    '  exit 0',
    '} catch {',
    '  [Console]::Error.WriteLine($_.Exception.Message)',
    '  exit 3',
    '}',
  ].join('\r\n');
}

export function eventLogCommand(entry: EventLogEntry, source?: string): PreparedCommand {
  return powershellCommand(writeEventScript(entry, source));
}

export interface EventWriteResult {
  written: boolean;
  /** True when our source was missing and the entry went in under the "WSH" source. */
  fallbackSource: boolean;
  error?: string;
}

export async function writeEventLog(entry: EventLogEntry, runner: CommandRunner): Promise<EventWriteResult> {
  const cmd = eventLogCommand(entry);
  const r = await runner(cmd.file, cmd.args, { timeoutMs: 60_000 });
  if (r.code === 0) return { written: true, fallbackSource: false };
  const reason = r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`;
  if (r.code === EXIT_FALLBACK_SOURCE)
    return {
      written: true,
      fallbackSource: true,
      error: `The event source "${EVENT_SOURCE}" is not registered (${reason}); the entry was written with source WSH. Register it once as administrator: octane-backup schedule install does it, or run New-EventLog -LogName Application -Source '${EVENT_SOURCE}'.`,
    };
  return {
    written: false,
    fallbackSource: false,
    error: `Could not write to the Windows Event Log: ${reason}`,
  };
}

export async function registerEventSource(runner: CommandRunner): Promise<{ ok: boolean; message: string }> {
  const cmd = powershellCommand(registerSourceScript());
  const r = await runner(cmd.file, cmd.args, { timeoutMs: 60_000 });
  if (r.code === 0) return { ok: true, message: `The Event Log source "${EVENT_SOURCE}" is registered.` };
  return {
    ok: false,
    message: `Could not register the Event Log source "${EVENT_SOURCE}" (${r.stderr.trim() || `exit code ${r.code}`}): run the same command once from an elevated prompt.`,
  };
}
