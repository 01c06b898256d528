import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import {
  EVENT_IDS,
  EVENT_SOURCE,
  eventForStatus,
  eventLogCommand,
  psQuote,
  registerEventSource,
  writeEventLog,
} from '../../../src-main/engine/alerts/event-log.js';

const QUOTES = "'\u2018\u2019\u201A\u201B";

/** Reads a PowerShell single-quoted literal starting at `at` (an independent reader for the test). */
function readPsLiteral(text: string, at: number): { value: string; end: number } {
  if (!QUOTES.includes(text[at] ?? '')) throw new Error('not a literal');
  let value = '';
  let i = at + 1;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (QUOTES.includes(c)) {
      if (QUOTES.includes(text[i + 1] ?? '')) {
        value += c;
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
  }
  throw new Error('unterminated literal');
}

function decode(args: readonly string[]): string {
  const i = args.indexOf('-EncodedCommand');
  return Buffer.from(args[i + 1] as string, 'base64').toString('utf16le');
}

describe('Windows Event Log command lines', () => {
  it('maps run outcomes to stable event ids', () => {
    expect(eventForStatus('succeeded')).toEqual({ id: 1000, level: 'Information' });
    expect(eventForStatus('succeeded-with-warnings')).toEqual({ id: 1001, level: 'Warning' });
    expect(eventForStatus('failed')).toEqual({ id: 1002, level: 'Error' });
    expect(eventForStatus('cancelled')).toEqual({ id: 1003, level: 'Warning' });
    expect(EVENT_IDS.noGoodBackup).toBe(1010);
  });

  it('runs Windows PowerShell with an encoded script: no shell re-parses anything', () => {
    const cmd = eventLogCommand({ id: 1002, level: 'Error', message: 'Backup failed' });
    expect(cmd.file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(cmd.args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    expect(cmd.args[5]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const script = decode(cmd.args);
    expect(script).toBe(cmd.script);
    expect(script).toContain("$source = 'Octane Backup Manager'");
    expect(script).toContain(
      'Write-EventLog -LogName Application -Source $source -EventId 1002 -EntryType Error -Category 0 -Message $message',
    );
  });

  it('keeps hostile profile names and messages inside one literal', () => {
    const hostile = [
      "nightly'); Remove-Item C:\\ -Recurse; ('",
      'x $(Stop-Computer) `n ${env:PATH} "double" & | ; < >',
      'smart \u2019); Stop-Computer; (\u2018 quotes \u201A\u201B',
      "line one\r\nline two\n''",
      'nul\u0000byte',
    ];
    for (const message of hostile) {
      const script = eventLogCommand({ id: 1000, level: 'Information', message }).script;
      const at = script.indexOf('$message = ') + '$message = '.length;
      const lit = readPsLiteral(script, at);
      expect(lit.value).toBe(message.split('\u0000').join(''));
      // Nothing follows the literal on its line: the message cannot add a statement.
      expect(script.slice(lit.end, lit.end + 2)).toBe('\r\n');
    }
    expect(psQuote("it's")).toBe("'it''s'");
  });

  it('reports written, written under the fallback source, or not written', async () => {
    const calls: string[][] = [];
    const answer =
      (code: number, stderr = ''): CommandRunner =>
      (file, args) => {
        calls.push([file, ...args]);
        return Promise.resolve({ code, stdout: '', stderr });
      };
    expect(await writeEventLog({ id: 1000, level: 'Information', message: 'ok' }, answer(0))).toEqual({
      written: true,
      fallbackSource: false,
    });
    const fb = await writeEventLog(
      { id: 1002, level: 'Error', message: 'x' },
      answer(4, "The source name 'Octane Backup Manager' does not exist"),
    );
    expect(fb.written).toBe(true);
    expect(fb.fallbackSource).toBe(true);
    expect(fb.error).toMatch(/not registered/);
    const no = await writeEventLog({ id: 1002, level: 'Error', message: 'x' }, answer(3, 'Access denied'));
    expect(no).toEqual({
      written: false,
      fallbackSource: false,
      error: 'Could not write to the Windows Event Log: Access denied',
    });
    const reg = await registerEventSource(answer(0));
    expect(reg.ok).toBe(true);
    expect(decode(calls.at(-1) as string[])).toContain(`New-EventLog -LogName Application -Source $source`);
    expect(decode(calls.at(-1) as string[])).toContain(`$source = '${EVENT_SOURCE}'`);
  });
});
