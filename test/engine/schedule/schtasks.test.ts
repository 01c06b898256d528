import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import {
  describeLastResult,
  installWindowsTask,
  parseCsv,
  parseSchtasksCsv,
  queryWindowsTask,
  removeWindowsTask,
} from '../../../src-main/engine/schedule/schtasks.js';
import { decodeTaskXml } from '../../../src-main/engine/schedule/task-xml.js';
import { tempDir } from '../../support/temp.js';

// Output in the layout of `schtasks /Query /TN <name> /V /FO CSV` on English Windows: one header,
// one row per trigger, quotes doubled inside fields.
const HEADER =
  '"HostName","TaskName","Next Run Time","Status","Logon Mode","Last Run Time","Last Result","Author","Task To Run","Start In","Comment","Scheduled Task State","Idle Time","Power Management","Run As User","Delete Task If Not Rescheduled","Stop Task If Runs X Hours and X Mins","Schedule","Schedule Type","Start Time","Start Date","End Date","Days","Months","Repeat: Every","Repeat: Until: Time","Repeat: Until: Duration","Repeat: Stop If Still Running"';
const TASK_TO_RUN =
  '"""C:\\Program Files\\nodejs\\node.exe"" ""C:\\Tools\\octane-backup.mjs"" run --config ""C:\\Octane Backups\\nightly.json"" --kind scheduled"';
const row = (result: string, status: string, start: string, state = 'Enabled'): string =>
  `"OCTSRV01","\\Octane Backup Manager\\nightly","3/11/2025 10:00:00 AM","${status}","Background only","3/10/2025 10:00:01 PM","${result}","CORP\\backupadmin",${TASK_TO_RUN},"C:\\Tools","Octane Backup Manager: scheduled backup (22:00, 10:00).","${state}","Disabled","","CORP\\backupadmin","Disabled","12:00:00","Scheduling data is not available in this format.","Daily ","${start}","3/10/2025","N/A","Every 1 day(s)","N/A","Disabled","Disabled","Disabled","Disabled"`;
const SAMPLE = ['', HEADER, row('0', 'Ready', '10:00:00 PM'), row('0', 'Ready', '10:00:00 AM'), ''].join(
  '\r\n',
);

const NAME = '\\Octane Backup Manager\\nightly';

function recorder(
  answers: ((args: readonly string[]) => { code: number; stdout?: string; stderr?: string })[],
): {
  runner: CommandRunner;
  calls: { file: string; args: string[] }[];
} {
  const calls: { file: string; args: string[] }[] = [];
  let n = 0;
  return {
    calls,
    runner: (file, args) => {
      calls.push({ file, args: [...args] });
      const a = answers[Math.min(n++, answers.length - 1)];
      const r = a ? a(args) : { code: 0 };
      return Promise.resolve({ code: r.code, stdout: r.stdout ?? '', stderr: r.stderr ?? '' });
    },
  };
}

describe('schtasks output parsing', () => {
  it('reads state, last run, last result and every trigger', () => {
    const s = parseSchtasksCsv(SAMPLE, NAME);
    expect(s.exists).toBe(true);
    expect(s.state).toBe('ready');
    expect(s.enabled).toBe(true);
    expect(s.nextRunTime).toBe('3/11/2025 10:00:00 AM');
    expect(s.lastRunTime).toBe('3/10/2025 10:00:01 PM');
    expect(s.lastResult).toBe(0);
    expect(s.lastResultText).toMatch(/succeeded/);
    expect(s.runAsUser).toBe('CORP\\backupadmin');
    expect(s.taskToRun).toBe(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\Tools\\octane-backup.mjs" run --config "C:\\Octane Backups\\nightly.json" --kind scheduled',
    );
    expect(s.schedules).toEqual(['Daily 10:00:00 PM', 'Daily 10:00:00 AM']);
  });

  it('reads translated output by column position (German Windows)', () => {
    const de = [
      '"Hostname","Aufgabenname","Nächste Laufzeit","Status","Anmeldemodus","Letzte Laufzeit","Letztes Ergebnis","Autor","Auszuführende Aufgabe","Starten in","Kommentar","Status der geplanten Aufgabe","Leerlaufzeit","Energieverwaltung","Als Benutzer ausführen","Aufgabe löschen, falls nicht neu geplant","Aufgabe beenden, falls sie X Stunden und X Minuten läuft","Zeitplan","Zeitplantyp","Startzeit","Startdatum","Enddatum","Tage","Monate","Wiederholen: Jede","Wiederholen: Bis: Zeit","Wiederholen: Bis: Dauer","Wiederholen: Beenden, falls noch aktiv"',
      '"OCTSRV01","\\Octane Backup Manager\\nightly","11.03.2025 22:00:00","Bereit","Nur Hintergrund","10.03.2025 22:00:01","1","CORP\\admin","x","N/V","","Aktiviert","Deaktiviert","","CORP\\admin","Deaktiviert","12:00:00","","Täglich ","22:00:00","10.03.2025","N/V","Jeden Tag","N/V","Deaktiviert","Deaktiviert","Deaktiviert","Deaktiviert"',
    ].join('\r\n');
    const s = parseSchtasksCsv(de, NAME);
    expect(s.status).toBe('Bereit');
    expect(s.state).toBe('unknown');
    expect(s.lastResult).toBe(1);
    expect(s.lastResultText).toMatch(/failed \(exit code 1\)/);
    expect(s.nextRunTime).toBe('11.03.2025 22:00:00');
  });

  it('turns Task Scheduler result codes into plain words', () => {
    expect(describeLastResult(267011)).toMatch(/has not run yet/);
    expect(describeLastResult(-2147216609)).toMatch(/previous one was still going/);
    expect(describeLastResult(130)).toMatch(/cancelled/);
    expect(describeLastResult(0x41306)).toMatch(/time limit/);
    expect(describeLastResult(12345)).toBe('The last run ended with code 12345 (0x3039).');
  });

  it('parses quoted CSV fields with commas, doubled quotes and CRLF', () => {
    expect(parseCsv('"a,b","c ""d""",e\r\n"x"\n')).toEqual([['a,b', 'c "d"', 'e'], ['x']]);
  });
});

describe('schtasks through an injected runner (recorded answers)', () => {
  it('queries the task and reports a missing task as not installed', async () => {
    const ok = recorder([() => ({ code: 0, stdout: SAMPLE })]);
    expect((await queryWindowsTask(NAME, ok.runner)).state).toBe('ready');
    expect(ok.calls[0]).toEqual({
      file: 'C:\\Windows\\System32\\schtasks.exe',
      args: ['/Query', '/TN', NAME, '/V', '/FO', 'CSV'],
    });
    const missing = recorder([
      () => ({ code: 1, stderr: 'ERROR: The system cannot find the file specified.\r\n' }),
    ]);
    const s = await queryWindowsTask(NAME, missing.runner);
    expect(s.exists).toBe(false);
    expect(s.error).toMatch(/cannot find/);
  });

  it('writes the definition as UTF-16 with BOM, registers it, and removes the temp file', async () => {
    const tmp = await tempDir();
    try {
      let seen: Buffer | undefined;
      let file = '';
      const r = recorder([
        (args) => {
          file = args[args.indexOf('/XML') + 1] as string;
          return { code: 0, stdout: 'SUCCESS: The scheduled task "nightly" has successfully been created.' };
        },
      ]);
      const runner: CommandRunner = async (f, args, o) => {
        const res = await r.runner(f, args, o);
        seen = await readFile(file);
        return res;
      };
      await installWindowsTask({
        taskName: NAME,
        xml: '<?xml version="1.0" encoding="UTF-16"?>\r\n<Task/>',
        runner,
        tempDir: tmp.path,
      });
      expect(r.calls[0]?.args).toEqual(['/Create', '/XML', file, '/TN', NAME, '/F']);
      expect(seen && [...seen.subarray(0, 2)]).toEqual([0xff, 0xfe]);
      expect(seen && decodeTaskXml(seen)).toBe('<?xml version="1.0" encoding="UTF-16"?>\r\n<Task/>');
      await expect(readFile(file)).rejects.toThrow();
    } finally {
      await tmp.cleanup();
    }
  });

  it('reports a refused registration with a fix and never shows the password', async () => {
    const r = recorder([() => ({ code: 1, stderr: 'ERROR: Access is denied. (pw Hunter2!)' })]);
    const err = await installWindowsTask({
      taskName: NAME,
      xml: '<Task/>',
      runner: r.runner,
      logonType: 'Password',
      user: 'CORP\\svc',
      password: 'Hunter2!',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCHEDULE_INSTALL_FAILED' });
    expect((err as Error).message).not.toContain('Hunter2!');
    expect((err as { fix?: string }).fix).toMatch(/elevated prompt/);
    // Registered through PowerShell with the password on standard input, never on a command line.
    expect(r.calls[0]?.file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(JSON.stringify(r.calls[0]?.args)).not.toContain('Hunter2!');
  });

  it('removes the task, and says so when there was none', async () => {
    const ok = recorder([() => ({ code: 0 })]);
    expect(await removeWindowsTask(NAME, ok.runner)).toEqual({
      removed: true,
      message: `Removed the scheduled task ${NAME}.`,
    });
    expect(ok.calls[0]?.args).toEqual(['/Delete', '/TN', NAME, '/F']);
    const none = recorder([() => ({ code: 1, stderr: 'ERROR: The system cannot find the file specified.' })]);
    expect((await removeWindowsTask(NAME, none.runner)).removed).toBe(false);
  });
});
