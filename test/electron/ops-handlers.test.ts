// The operations channels, bound exactly as Electron binds them (ipcMain mocked): sender check,
// envelope, the real engine underneath (schedule proposal, retention on real sets, SMTP to a real
// listener, Octane config from real files), and secrets that never come back to the renderer.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as electron from 'electron';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Profile } from '../../src-main/contract/profile.js';
import type { Result } from '../../src-main/contract/result.js';
import type { RetentionPlanView } from '../../src-main/contract/ui.js';
import { createApiHandlers } from '../../src-main/electron/api-handlers.js';
import { bindIpcHandlers } from '../../src-main/electron/ipc-main.js';
import type { OpsDeps } from '../../src-main/electron/ops-handlers.js';
import type { CommandRunner } from '../../src-main/engine/os/run-command.js';
import { decodeTaskXml } from '../../src-main/engine/schedule/task-xml.js';
import { makeCert, startSmtp, type TestSmtp } from '../engine/alerts/smtp-test-server.js';
import { tempDir } from '../support/temp.js';
import { makeCore, waitForDone } from './core-fixture.js';
import type { ElectronMock } from './electron-mock.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());
const mock = electron as unknown as ElectronMock;

const TRUSTED = 'file:///app/out/renderer/index.html';
const event = (url: string | null) => ({ senderFrame: url === null ? null : { url } });
const SMTP_PASSWORD = 'Mail!Pass9-ops';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let cert: Awaited<ReturnType<typeof makeCert>>;
let smtp: TestSmtp;

beforeAll(async () => {
  tmp = await tempDir('obm-ops-');
  cert = await makeCert(tmp.path);
  smtp = await startSmtp({ tls: { key: cert.key, cert: cert.cert }, users: { alerts: SMTP_PASSWORD } });
});
afterAll(async () => {
  await smtp.close();
  await tmp.cleanup();
});
beforeEach(() => mock.__test.handlers.clear());

/** Records each command; answers schtasks from `answer`. */
function recorder(answer: (args: readonly string[]) => { code: number; stdout?: string; stderr?: string }) {
  const calls: { file: string; args: string[]; xml?: string }[] = [];
  const runner: CommandRunner = async (file, args) => {
    const call: (typeof calls)[number] = { file, args: [...args] };
    const xmlAt = args.indexOf('/XML');
    // The definition file exists only during the call: read it as schtasks would.
    if (xmlAt >= 0) call.xml = decodeTaskXml(await readFile(args[xmlAt + 1] as string));
    calls.push(call);
    const a = answer(args);
    return { code: a.code, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
  };
  return { runner, calls };
}

function setup(name: string, ops: Partial<OpsDeps> = {}) {
  const dir = join(tmp.path, name);
  const fixture = makeCore({
    dir,
    steps: { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
  });
  const handlers = createApiHandlers(fixture.core, {
    platform: 'linux',
    runner: () => Promise.reject(new Error('no command expected')),
    exePath: '/opt/Octane Backup Manager/octane-backup-manager',
    timeZone: 'Europe/Berlin',
    ...ops,
  });
  bindIpcHandlers(handlers, (url) => url === TRUSTED);
  const invoke = (channel: string, ...args: unknown[]) =>
    mock.__test.handlers.get(channel)?.(event(TRUSTED), ...args) as Promise<Result<unknown>>;
  return { ...fixture, handlers, invoke, dir };
}

const profileIn = (dir: string, extra: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination: join(dir, 'dest'),
  database: {
    engine: 'sqlserver',
    server: 'sql01',
    databases: ['octane_site'],
    serverBackupDir: 'D:\\bak',
  },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/es' },
  repository: { path: join(dir, 'repo') },
  ...extra,
});

describe('operations channels over the real IPC binding', () => {
  it('answers only our renderer, and wraps the proposal and refusals in the envelope', async () => {
    const t = setup('propose', { now: () => new Date('2026-03-02T08:00:00Z') });
    const bad = await mock.__test.handlers.get('schedule:propose')?.(event('https://evil.example/'), {
      targetIntervalHours: 12,
    });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This window may not talk to the backup manager.' },
    });
    const r = (await t.invoke('schedule:propose', {
      targetIntervalHours: 12,
      quietWindow: { start: '22:00', end: '05:00' },
    })) as Result<{ startTimes: string[]; nextRuns: { local: string; inQuietWindow: boolean }[] }>;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.startTimes).toEqual(['22:00', '10:00']);
    expect(r.value.nextRuns.map((x) => x.local)).toEqual([
      '2026-03-02 10:00',
      '2026-03-02 22:00',
      '2026-03-03 10:00',
      '2026-03-03 22:00',
      '2026-03-04 10:00',
    ]);
    expect(r.value.nextRuns.filter((x) => x.inQuietWindow).length).toBe(2);
    const invalid = await t.invoke('schedule:propose', {
      targetIntervalHours: 12,
      quietWindow: { start: '25:00', end: '05:00' },
    });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.error.code).toBe('CONFIG_INVALID');
      expect(invalid.error.details?.problems).toEqual([
        {
          key: 'schedule.quietWindow.start',
          message: expect.stringContaining('HH:MM') as string,
          label: 'Window starts',
        },
      ]);
    }
  });

  it('shows the systemd timer and cron line on Linux, running the app headless with --kind scheduled', async () => {
    const t = setup('linux');
    await t.handlers['profiles:save']({
      profile: profileIn(t.dir, { schedule: { targetIntervalHours: 24 } }),
    });
    const info = await t.handlers['schedule:status']('nightly');
    expect(info.platform).toBe('linux');
    expect(info.command).toBe(
      "'/opt/Octane Backup Manager/octane-backup-manager' --run nightly --kind scheduled",
    );
    expect(info.linux?.timer).toContain('OnCalendar=*-*-* 01:00:00');
    expect(info.linux?.service).toContain(
      'ExecStart="/opt/Octane Backup Manager/octane-backup-manager" --run nightly --kind scheduled',
    );
    expect(info.linux?.cronLine).toMatch(/^0 1 \* \* \* .*--run nightly --kind scheduled$/);
    await expect(t.handlers['schedule:install']('nightly')).rejects.toMatchObject({ code: 'NOT_WINDOWS' });
  });

  it('installs the Windows task from the saved schedule (S4U, the app exe) and reads its state back', async () => {
    let installed = false;
    const rec = recorder((args) => {
      if (args[0] === '/Create') {
        installed = true;
        return { code: 0, stdout: 'SUCCESS' };
      }
      if (args[0] === '/Query')
        return installed
          ? {
              code: 0,
              stdout:
                '"HostName","TaskName","Next Run Time","Status","Logon Mode","Last Run Time","Last Result","Author","Task To Run","Start In","Comment","Scheduled Task State","Idle Time","Power Management","Run As User","Delete Task If Not Rescheduled","Stop Task If Runs X Hours and X Mins","Schedule","Schedule Type","Start Time"\r\n' +
                '"PC1","\\Octane Backup Manager\\nightly","3/3/2026 10:00:00 PM","Ready","Background only","N/A","267011","CORP\\admin","x","C:\\App","","Enabled","Disabled","","CORP\\admin","Disabled","12:00:00","","Daily ","10:00:00 PM"\r\n',
            }
          : { code: 1, stderr: 'ERROR: The system cannot find the file specified.' };
      if (args[0] === '/Delete') {
        installed = false;
        return { code: 0 };
      }
      return { code: 0 };
    });
    const t = setup('windows', {
      platform: 'win32',
      runner: rec.runner,
      exePath: 'C:\\Program Files\\Octane Backup Manager\\Octane Backup Manager.exe',
      userId: 'CORP\\admin',
    });
    await t.handlers['profiles:save']({
      profile: profileIn(t.dir, {
        schedule: { targetIntervalHours: 24, quietWindow: { start: '22:00', end: '05:00' } },
      }),
    });
    const before = await t.handlers['schedule:status']('nightly');
    expect(before.windows?.exists).toBe(false);
    const after = await t.handlers['schedule:install']('nightly');
    const create = rec.calls.find((c) => c.args[0] === '/Create');
    expect(create?.args).toEqual([
      '/Create',
      '/XML',
      expect.any(String),
      '/TN',
      '\\Octane Backup Manager\\nightly',
      '/F',
    ]);
    expect(create?.xml).toContain(
      '<Command>C:\\Program Files\\Octane Backup Manager\\Octane Backup Manager.exe</Command>',
    );
    expect(create?.xml).toContain('<Arguments>--run nightly --kind scheduled</Arguments>');
    expect(create?.xml).toContain('<LogonType>S4U</LogonType>');
    expect(create?.xml).toContain('<UserId>CORP\\admin</UserId>');
    expect(create?.xml).toContain('T22:00:00</StartBoundary>');
    // The Event Log source is registered (powershell) after the task.
    expect(
      rec.calls.some((c) => c.file === 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'),
    ).toBe(true);
    expect(after.windows).toMatchObject({ exists: true, nextRunTime: '3/3/2026 10:00:00 PM' });
    expect(after.windows?.lastResultText).toMatch(/not run yet/);
    expect(after.message).toMatch(/Installed the scheduled task/);
    const removed = await t.handlers['schedule:remove']('nightly');
    expect(removed.windows?.exists).toBe(false);
    expect(removed.message).toMatch(/Removed/);
  });

  it('refuses to install without a saved schedule or without the app path', async () => {
    const t = setup('no-schedule', { platform: 'win32', runner: recorder(() => ({ code: 1 })).runner });
    await t.handlers['profiles:save']({ profile: profileIn(t.dir) });
    await expect(t.handlers['schedule:install']('nightly')).rejects.toMatchObject({ code: 'NO_SCHEDULE' });
    const u = setup('no-exe', {
      platform: 'win32',
      runner: recorder(() => ({ code: 1 })).runner,
      exePath: undefined,
    });
    await u.handlers['profiles:save']({
      profile: profileIn(u.dir, { schedule: { targetIntervalHours: 4 } }),
    });
    await expect(u.handlers['schedule:install']('nightly')).rejects.toMatchObject({
      code: 'APP_PATH_UNKNOWN',
    });
  });

  it('plans retention on real sets with reasons, and prunes only the confirmed sets a fresh plan still deletes', async () => {
    let clock = new Date();
    const t = setup('retention', { now: () => clock });
    await mkdir(join(t.dir, 'repo'), { recursive: true });
    await t.handlers['profiles:save']({ profile: profileIn(t.dir, { retention: { keepLast: 1 } }) });
    const sets: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = await t.handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
      const done = await waitForDone(t.emitted, job.jobId);
      if (!done.result.ok) throw new Error(done.result.error.message);
      sets.push(done.result.value.setName);
      await new Promise((r) => setTimeout(r, 1100));
    }
    clock = new Date(Date.now() + 3600_000);
    const r = (await t.invoke('retention:plan', 'nightly')) as Result<RetentionPlanView>;
    if (!r.ok) throw new Error(r.error.message);
    const byName = new Map(r.value.entries.map((e) => [e.setName, e]));
    expect(byName.get(sets[2] as string)).toMatchObject({ action: 'keep', code: 'newest-usable' });
    expect(byName.get(sets[1] as string)).toMatchObject({ action: 'delete' });
    expect(byName.get(sets[0] as string)?.reason).toMatch(/newest 1 usable/);
    expect([...r.value.toDelete].sort()).toEqual([sets[0], sets[1]].sort());
    expect(byName.get(sets[0] as string)?.paths[0]).toContain(join(t.dir, 'dest'));

    // The admin confirms only one of the two; the other stays.
    const out = await t.handlers['retention:prune']({
      profile: 'nightly',
      setNames: [sets[0] as string, sets[2] as string],
    });
    expect(out.deleted).toHaveLength(1);
    expect(existsSync(out.deleted[0] as string)).toBe(false);
    expect(out.notDeleted).toEqual([sets[2]]);
    const left = await t.handlers['sets:list']('nightly');
    expect(left.map((s) => s.setName).sort()).toEqual([sets[1], sets[2]].sort());
  });

  it('sends the test e-mail over STARTTLS with the stored password, and never returns the password', async () => {
    const t = setup('mail');
    const email = {
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      user: 'alerts',
      from: 'backup@corp.local',
      to: ['ops@corp.local'],
      when: 'failure' as const,
      caFile: cert.certFile,
    };
    await t.handlers['profiles:save']({
      profile: profileIn(t.dir, { alerts: { eventLog: true, email } }),
      secrets: { smtpPassword: SMTP_PASSWORD },
    });
    const listed = await t.invoke('profiles:list');
    expect(JSON.stringify(listed)).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(listed)).toContain('"smtpPassword":true');
    expect(JSON.stringify(t.store.get('secrets'))).not.toContain(SMTP_PASSWORD);

    const sent = await t.invoke('alerts:test-email', { email, profileName: 'nightly' });
    expect(sent).toMatchObject({ ok: true, value: { accepted: ['ops@corp.local'], rejected: [] } });
    expect(JSON.stringify(sent)).not.toContain(SMTP_PASSWORD);
    expect(smtp.auths.at(-1)).toEqual({ user: 'alerts', password: SMTP_PASSWORD, secure: true });
    expect(smtp.received.at(-1)?.raw).toContain('Test message');

    // A wrong typed password: refused by the server, and the error does not echo it.
    const wrong = await t.invoke('alerts:test-email', { email, password: 'Wrong!Pass77' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error.code).toBe('EMAIL_FAILED');
      expect(JSON.stringify(wrong)).not.toContain('Wrong!Pass77');
    }
    const invalid = await t.invoke('alerts:test-email', { email: { ...email, to: [], host: '' } });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok)
      expect((invalid.error.details?.problems as { key: string }[]).map((p) => p.key)).toEqual(
        expect.arrayContaining(['alerts.email.host', 'alerts.email.to']),
      );
  });

  it('imports values from a real setup.xml with their sources, and never the password', async () => {
    const t = setup('import');
    const conf = join(t.dir, 'conf');
    await mkdir(conf, { recursive: true });
    await writeFile(
      join(conf, 'setup.xml'),
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<properties>',
        '<entry key="DBType">MSSQL</entry>',
        '<entry key="ConnectionString">jdbc:sqlserver://sqlprod01.corp.local:1433;databaseName=octane_site</entry>',
        '<entry key="DBAdminUser">octane_admin</entry>',
        '<entry key="DBAdminPassword">ENC(q9Zr1vT0bXk=)</entry>',
        '<entry key="SchemaName">octane_site</entry>',
        '<entry key="RepositoryFolder">C:\\octane\\repo</entry>',
        '<entry key="ElasticHost">es01.corp.local</entry>',
        '<entry key="ElasticPort">9200</entry>',
        '</properties>',
      ].join('\n'),
    );
    const r = await t.invoke('octane:import', conf);
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as {
      draft: Record<string, unknown>;
      found: { key: string; source: { file: string; key: string } }[];
      secretsNotImported: { key: string }[];
    };
    expect(v.draft).toMatchObject({
      'database.engine': 'sqlserver',
      'database.server': 'sqlprod01.corp.local',
      'database.user': 'octane_admin',
      'database.databases': ['octane_site'],
      'elasticsearch.node': 'http://es01.corp.local:9200',
      'repository.path': 'C:\\octane\\repo',
      octaneConfigDir: conf,
    });
    expect(v.draft).not.toHaveProperty('profile');
    expect(v.found.find((f) => f.key === 'database.adminUser')?.source).toMatchObject({ key: 'DBAdminUser' });
    expect(v.secretsNotImported.map((s) => s.key)).toContain('DBAdminPassword');
    expect(JSON.stringify(v)).not.toContain('q9Zr1vT0bXk');
    expect(await t.handlers['octane:default-dir']()).toBe('/opt/octane/conf');
  });
});
