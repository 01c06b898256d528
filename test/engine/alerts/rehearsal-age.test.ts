// alerts.rehearsalMaxAgeDays: after every run, Event Log 1011 and an e-mail when no good set of the
// profile was proven restorable by a passed rehearsal within the limit (sets written by the real
// runner with fake steps; rehearsal records appended to the set as a rehearsal does).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import type { RehearsalRecord } from '../../../src-main/contract/sets.js';
import { afterRun } from '../../../src-main/engine/alerts/after-run.js';
import { appendRehearsal } from '../../../src-main/engine/backup-set/rehearsal-record.js';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-rehearsal-age-');
});
afterEach(async () => dir.cleanup());

const profile = (): Profile => ({
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
  alerts: { rehearsalMaxAgeDays: 7 },
});

const goodRun = (p: Profile) =>
  runBackup(p, {
    kind: 'manual',
    steps: registry(
      { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      [],
    ),
  });

function events(): { runner: CommandRunner; ids: number[]; messages: string[] } {
  const ids: number[] = [];
  const messages: string[] = [];
  return {
    ids,
    messages,
    runner: (_file, args) => {
      const script = Buffer.from(args[args.indexOf('-EncodedCommand') + 1] as string, 'base64').toString(
        'utf16le',
      );
      const m = /-EventId (\d+) -EntryType (\w+)/.exec(script);
      if (m) ids.push(Number(m[1]));
      messages.push(/\$message = '([\s\S]*?)'\r\n/.exec(script)?.[1] ?? '');
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    },
  };
}

const record = (at: Date, result: RehearsalRecord['result']): RehearsalRecord => ({
  at: at.toISOString(),
  startedAt: at.toISOString(),
  rehearsalId: 'abcd1234',
  host: 'h',
  toolVersion: 't',
  result,
  durationMs: 42 * 60_000,
  stores: [{ id: 'repository', status: result === 'passed' ? 'passed' : 'failed', checked: [] }],
  problems: [],
  leftovers: [],
});
const daysAgo = (d: number): Date => new Date(Date.now() - d * 86_400_000);

async function check(p: Profile, result: Awaited<ReturnType<typeof goodRun>>) {
  const ev = events();
  const subjects: string[] = [];
  const withMail: Profile = {
    ...p,
    alerts: { ...p.alerts, email: { host: 'x', from: 'b@corp', to: ['ops@corp'], when: 'failure' } },
  };
  const report = await afterRun(withMail, result, {
    kind: 'manual',
    platform: 'win32',
    runner: ev.runner,
    sendMail: (m) => Promise.resolve(subjects.push(m.subject)),
  });
  return { report, ids: ev.ids, messages: ev.messages, subjects };
}

describe('the "not rehearsed" alert (alerts.rehearsalMaxAgeDays)', () => {
  it('a profile whose sets were never rehearsed: event 1011 and an e-mail naming the newest good set to rehearse', async () => {
    const p = profile();
    const result = await goodRun(p);
    const c = await check(p, result);
    expect(c.ids).toEqual([1000, 1011]);
    expect(c.messages[1]).toMatch(/^No set of this profile has ever been proven restorable by a rehearsal/);
    expect(c.messages[1]).toContain(`octane-backup rehearse "${result.setPaths[0] ?? '?'}"`);
    expect(c.subjects).toEqual([expect.stringMatching(/^\[Octane Backup\] NOT REHEARSED - /)]);
    expect(c.report.rehearsal?.ok).toBe(false);
  });

  it('a passed rehearsal 2 days ago keeps it quiet; 10 days ago raises it again; a recent FAILED rehearsal does not count', async () => {
    const p = profile();
    const result = await goodRun(p);
    const set = result.setPaths[0] as string;
    await appendRehearsal(set, record(daysAgo(2), 'passed'));
    let c = await check(p, result);
    expect(c.ids).toEqual([1000]);
    expect(c.subjects).toEqual([]);
    expect(c.report.rehearsal?.message).toMatch(
      /^Newest set proven restorable: .+ \(Restore rehearsed on .+: OK, 42 min\)\.$/,
    );

    await appendRehearsal(set, record(daysAgo(10), 'passed'));
    c = await check(p, result);
    // The newest record of the set is what counts: 10 days ago, older than 7.
    expect(c.ids).toEqual([1000, 1011]);
    expect(c.messages[1]).toMatch(/^No set proven restorable for 10\.\d days \(limit 7\)/);

    await appendRehearsal(set, record(daysAgo(1), 'failed'));
    c = await check(p, result);
    expect(c.ids).toEqual([1000, 1011]);
    expect(c.messages[1]).toMatch(/^No set of this profile has ever been proven restorable/);
  });

  it('without the key nothing is checked', async () => {
    const p: Profile = { ...profile(), alerts: {} };
    const c = await check(p, await goodRun(p));
    expect(c.ids).toEqual([1000]);
    expect(c.report.rehearsal).toBeUndefined();
  });
});
