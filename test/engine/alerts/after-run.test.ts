import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { afterRun, notStartedOutcome } from '../../../src-main/engine/alerts/after-run.js';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { registry, type Behaviour } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';
import { hoursAgo, writeSet } from '../retention/set-tree.js';
import { startSmtp, subjectOf, type TestSmtp } from './smtp-test-server.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp({});
});
afterAll(async () => smtp.close());
beforeEach(async () => {
  dir = await tempDir('obm-after-');
});
afterEach(async () => dir.cleanup());

function profile(extra: Partial<Profile> = {}): Profile {
  return {
    profile: 'nightly',
    destination: join(dir.path, 'dest'),
    database: {
      engine: 'sqlserver',
      server: 'db1',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\Backups',
    },
    elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
    repository: { path: join(dir.path, 'repo') },
    schedule: { targetIntervalHours: 12 },
    ...extra,
  };
}

const run = (p: Profile, repo: Behaviour) =>
  runBackup(p, {
    kind: 'scheduled',
    steps: registry({ database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: repo }, []),
  });

function recorder(code = 0): {
  runner: CommandRunner;
  events: { id: number; type: string; message: string }[];
} {
  const events: { id: number; type: string; message: string }[] = [];
  return {
    events,
    runner: (_file, args) => {
      const script = Buffer.from(args[args.indexOf('-EncodedCommand') + 1] as string, 'base64').toString(
        'utf16le',
      );
      const m = /-EventId (\d+) -EntryType (\w+)/.exec(script);
      if (m)
        events.push({
          id: Number(m[1]),
          type: m[2] as string,
          message: /\$message = '([\s\S]*?)'\r\n/.exec(script)?.[1] ?? '',
        });
      return Promise.resolve({ code, stdout: '', stderr: code ? 'boom' : '' });
    },
  };
}

describe('afterRun', () => {
  it('after a failed scheduled run with an old newest good set: event 1002 and 1010, and an e-mail', async () => {
    const p = profile({
      alerts: {
        email: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          from: 'b@corp',
          to: ['ops@corp'],
          when: 'failure',
        },
      },
    });
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(new Date(), 20) });
    const result = await run(p, { kind: 'fail', code: 'REPO_GONE' });
    const rec = recorder();
    const before = smtp.received.length;
    const report = await afterRun(p, result, { kind: 'scheduled', platform: 'win32', runner: rec.runner });
    expect(report.age?.ok).toBe(false);
    expect(rec.events.map((e) => [e.id, e.type])).toEqual([
      [1002, 'Error'],
      [1010, 'Error'],
    ]);
    expect(rec.events[0]?.message).toMatch(/Octane backup "nightly" \(scheduled\) FAILED/);
    expect(rec.events[0]?.message).toMatch(/\[REPO_GONE\] fake repository failure/);
    expect(rec.events[1]?.message).toMatch(/^No good backup for 20\.\d h/);
    expect(report.eventLog.written).toEqual([1002, 1010]);
    expect(report.email.sent).toBe(true);
    const mail = smtp.received.slice(before);
    expect(mail).toHaveLength(1);
    expect(subjectOf(mail[0]?.raw ?? '')).toMatch(
      /^\[Octane Backup\] NO GOOD BACKUP - Octane backup "nightly" \(scheduled\) FAILED on /,
    );
    expect(report.problems).toEqual([]);
  });

  it('after a good run: event 1000 only, no e-mail when alerts are for failures', async () => {
    const p = profile({
      alerts: {
        email: { host: '127.0.0.1', port: smtp.port, from: 'b@corp', to: ['ops@corp'], when: 'failure' },
      },
    });
    const result = await run(p, { kind: 'ok' });
    const rec = recorder();
    const sent: string[] = [];
    const report = await afterRun(p, result, {
      kind: 'scheduled',
      platform: 'win32',
      runner: rec.runner,
      sendMail: (m) => Promise.resolve(sent.push(m.subject)),
    });
    expect(rec.events.map((e) => e.id)).toEqual([1000]);
    expect(sent).toEqual([]);
    expect(report.age).toBeUndefined();
  });

  it('warnings give event 1001 and an e-mail when asked for warnings', async () => {
    const p = profile({
      alerts: { email: { host: 'x', from: 'b@corp', to: ['ops@corp'], when: 'warnings' } },
    });
    const result = await run(p, { kind: 'ok', warn: 'two files changed during the archive' });
    const rec = recorder();
    const sent: string[] = [];
    await afterRun(p, result, {
      kind: 'manual',
      platform: 'win32',
      runner: rec.runner,
      sendMail: (m) => Promise.resolve(sent.push(m.text)),
    });
    expect(rec.events.map((e) => e.id)).toEqual([1001]);
    expect(sent[0]).toMatch(/FAKE_WARNING: two files changed during the archive/);
  });

  it('writes nothing to an Event Log off Windows or when turned off, and never throws on alert failures', async () => {
    const result = await run(profile(), { kind: 'fail', code: 'X' });
    const rec = recorder();
    await afterRun(profile(), result, { kind: 'scheduled', platform: 'linux', runner: rec.runner });
    await afterRun(profile({ alerts: { eventLog: false } }), result, {
      kind: 'scheduled',
      platform: 'win32',
      runner: rec.runner,
    });
    expect(rec.events).toEqual([]);
    const failing = recorder(3);
    const p = profile({
      alerts: { email: { host: '127.0.0.1', port: 1, from: 'b@corp', to: ['ops@corp'], when: 'always' } },
    });
    const report = await afterRun(p, result, {
      kind: 'scheduled',
      platform: 'win32',
      runner: failing.runner,
    });
    expect(report.eventLog.written).toEqual([]);
    expect(report.email.sent).toBe(false);
    expect(report.problems.join('\n')).toMatch(/Could not write to the Windows Event Log: boom/);
    expect(report.problems.join('\n')).toMatch(/EMAIL_FAILED|Sending the alert e-mail/);
  });

  it('prunes after a good run when the profile asks for it', async () => {
    const p = profile({ retention: { keepLast: 1, pruneAfterRun: true } });
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(new Date(), 72) });
    const result = await run(p, { kind: 'ok' });
    const lines: string[] = [];
    const report = await afterRun(p, result, {
      kind: 'scheduled',
      platform: 'linux',
      log: (l) => lines.push(l),
    });
    expect(report.prune?.outcome?.deleted).toEqual(old.paths);
    await expect(access(old.paths[0] as string)).rejects.toThrow();
    expect(lines).toContain('Retention: deleted 1 set folder(s).');
  });

  it('a scheduled run that could not even start (drive unplugged) still writes event 1002 and mails', async () => {
    const p = profile({
      alerts: {
        email: { host: '127.0.0.1', port: smtp.port, from: 'b@corp', to: ['ops@corp'], when: 'failure' },
      },
    });
    const rec = recorder();
    const sent: { subject: string; text: string }[] = [];
    const outcome = notStartedOutcome(p, 'scheduled', {
      code: 'DESTINATION_GONE',
      message: 'The destination is no longer reachable (ENOENT) at E:\\OctaneBackups.',
    });
    const report = await afterRun(p, outcome, {
      kind: 'scheduled',
      platform: 'win32',
      runner: rec.runner,
      prune: false,
      sendMail: (m) => Promise.resolve(sent.push(m)),
    });
    expect(rec.events[0]).toMatchObject({ id: 1002, type: 'Error' });
    expect(rec.events[0]?.message).toMatch(/DESTINATION_GONE/);
    expect(sent[0]?.subject).toMatch(/FAILED/);
    expect(sent[0]?.text).toMatch(/No backup was taken: The destination is no longer reachable/);
    expect(report.problems).toEqual([]);
  });
});
