import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-main/contract/ipc.js';
import type { DatabaseConfig, ElasticsearchConfig, Profile } from '../../src-main/contract/profile.js';
import type { DriveInfo, VolumeBinding } from '../../src-main/contract/ui.js';
import { appendRehearsal } from '../../src-main/engine/backup-set/rehearsal-record.js';
import { ensureVolumeMarker, readVolumeMarker } from '../../src-main/engine/drives/volume-marker.js';
import { toResult } from '../../src-main/electron/envelope.js';
import { formatDateTime } from '../../src-main/contract/format.js';
import { tempDir } from '../support/temp.js';
import { makeCore, waitForDone, waitForEvent } from './core-fixture.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-core-');
});
afterEach(async () => {
  await tmp.cleanup();
});

const profile = (over: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination: join(tmp.path, 'dest'),
  repository: { path: join(tmp.path, 'repo') },
  ...over,
});
/** All three components configured (the test steps stand in for their capture). */
const full = (over: Partial<Profile> = {}): Profile =>
  profile({
    database: {
      engine: 'sqlserver',
      server: 'sql01',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\bak',
    },
    elasticsearch: { node: 'http://127.0.0.1:9', repository: 'octane_backup', location: '/es/repo' },
    ...over,
  });

describe('profiles kept by the app', () => {
  it('moves a typed password into the encrypted store: never stored in clear, never sent back', async () => {
    const { handlers, store } = makeCore({ dir: tmp.path });
    const rec = await handlers['profiles:save']({
      profile: profile({
        database: {
          engine: 'sqlserver',
          server: 'sql01',
          user: 'backup',
          password: 'Typed-In-Form!',
          databases: ['octane_site'],
          serverBackupDir: 'D:\\bak',
        },
      }),
      secrets: { elasticsearchApiKey: 'api-key-123' },
    });
    expect(rec.profile.database).not.toHaveProperty('password');
    expect(rec.secrets).toMatchObject({
      databasePassword: true,
      elasticsearchApiKey: true,
      elasticsearchPassword: false,
    });
    expect(store.dump()).not.toContain('Typed-In-Form!');
    expect(store.dump()).not.toContain('api-key-123');
    const listed = JSON.stringify(await handlers['profiles:list']());
    expect(listed).not.toContain('Typed-In-Form!');
    expect(listed).not.toContain('api-key-123');
  });

  it('refuses an invalid profile with each problem by key, the CLI rules', async () => {
    const { handlers } = makeCore({ dir: tmp.path });
    const r = await toResult(() =>
      handlers['profiles:save']({
        profile: {
          profile: 'bad/name',
          destination: '',
          repository: { path: 'x', format: 'rar' },
        } as unknown as Profile,
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CONFIG_INVALID');
    const keys = (r.error.details?.problems as { key: string }[]).map((p) => p.key).sort();
    // "x" is a relative path: the app refuses it (a scheduled run would start in System32).
    expect(keys).toEqual(['destination', 'profile', 'repository.format', 'repository.path']);
    expect(
      await handlers['profiles:validate']({ profile: 'ok', destination: '/x', repository: { path: '/r' } }),
    ).toEqual([]);
    expect(
      (await handlers['profiles:validate']({ profile: 'ok', destination: '/x' })).map((p) => p.key),
    ).toEqual(['(root)']);
  });

  it('does not let a new profile take an existing name, and a rename carries its passwords', async () => {
    const { handlers, core } = makeCore({ dir: tmp.path });
    await handlers['profiles:save']({ profile: full(), secrets: { databasePassword: 'pw1' } });
    const dup = await toResult(() => handlers['profiles:save']({ profile: full() }));
    expect(dup).toMatchObject({ ok: false, error: { code: 'PROFILE_EXISTS' } });
    await handlers['profiles:save']({ profile: full({ profile: 'site-a' }), previousName: 'nightly' });
    expect((await handlers['profiles:list']()).map((r) => r.profile.profile)).toEqual(['site-a']);
    expect(await core.vault.resolve('site-a')).toEqual({ databasePassword: 'pw1' });
    expect(await core.vault.resolve('nightly')).toEqual({});
    await handlers['profiles:delete']('site-a');
    expect(await handlers['profiles:list']()).toEqual([]);
    expect(core.vault.state('site-a').databasePassword).toBe(false);
  });

  it('keeps a drive binding only while the destination is the folder it was made for', async () => {
    const { handlers } = makeCore({ dir: tmp.path });
    const binding: VolumeBinding = {
      volumeId: 'v1',
      label: 'B',
      relativePath: 'OctaneBackups',
      lastRoot: join(tmp.path, 'usb'),
    };
    const kept = await handlers['profiles:save']({
      profile: profile({ destination: join(tmp.path, 'usb', 'OctaneBackups') }),
      volumes: { default: binding },
    });
    expect(kept.volumes.default).toEqual(binding);
    const dropped = await handlers['profiles:save']({
      profile: profile({ destination: join(tmp.path, 'elsewhere') }),
      previousName: 'nightly',
    });
    expect(dropped.volumes).toEqual({});
  });
});

describe('runs started from the app', () => {
  it('streams the engine events with the job id, then the outcome, and notifies', async () => {
    const { handlers, emitted, notes } = makeCore({
      dir: tmp.path,
      steps: { repository: { kind: 'ok', bytes: 5000 } },
    });
    await handlers['profiles:save']({ profile: profile() });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    expect(await handlers['runs:active']()).toEqual([job]);
    const done = await waitForDone(emitted, job.jobId);
    expect(done.result.ok && done.result.value.status).toBe('succeeded-with-warnings');
    const types = emitted
      .filter((e) => e.channel === 'run:event')
      .map((e) => (e.payload as EventMap['run:event']).event.type);
    expect(types[0]).toBe('run-started');
    expect(types).toContain('step-finished');
    expect(types.at(-1)).toBe('run-finished');
    expect(
      emitted.every(
        (e) => e.channel !== 'run:event' || (e.payload as EventMap['run:event']).jobId === job.jobId,
      ),
    ).toBe(true);
    expect(notes).toEqual([
      {
        title: 'Backup of nightly succeeded with warnings',
        body: expect.stringContaining('NOT a full Octane backup') as unknown,
      },
    ]);
    expect(await handlers['runs:active']()).toEqual([]);
    expect(await handlers['runs:cancel'](job.jobId)).toBe(false);
  });

  it('cancels a run in progress: the outcome is cancelled, not failed', async () => {
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { repository: { kind: 'wait-for-abort' } },
    });
    await handlers['profiles:save']({ profile: profile() });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForEvent(emitted, job.jobId, 'step-progress');
    const again = await toResult(() => handlers['runs:start']({ profile: 'nightly', kind: 'manual' }));
    expect(again).toMatchObject({ ok: false, error: { code: 'RUN_IN_PROGRESS' } });
    expect(await handlers['runs:cancel'](job.jobId)).toBe(true);
    const done = await waitForDone(emitted, job.jobId);
    expect(done.result.ok && done.result.value.status).toBe('cancelled');
    expect(done.result.ok && done.result.value.manifest.complete).toBe(false);
  });

  it('asks for a label before a pre-upgrade dump and records it', async () => {
    const { handlers, emitted } = makeCore({ dir: tmp.path, steps: { repository: { kind: 'ok' } } });
    await handlers['profiles:save']({ profile: profile() });
    expect(
      await toResult(() => handlers['runs:start']({ profile: 'nightly', kind: 'pre-upgrade' })),
    ).toMatchObject({ ok: false, error: { code: 'LABEL_REQUIRED' } });
    const job = await handlers['runs:start']({
      profile: 'nightly',
      kind: 'pre-upgrade',
      label: ' before 25.1 ',
    });
    const done = await waitForDone(emitted, job.jobId);
    expect(done.result.ok && done.result.value.manifest).toMatchObject({
      kind: 'pre-upgrade',
      label: 'before 25.1',
      pinned: true,
    });
  });

  it('passes the decrypted passwords to the engine as RunOptions.secrets', async () => {
    let seen: unknown;
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { repository: { kind: 'ok' } },
      deps: {
        engine: { runBackup: (_p, o) => ((seen = o?.secrets), Promise.reject(new Error('stop here'))) },
      },
    });
    await handlers['profiles:save']({
      profile: profile(),
      secrets: { databasePassword: 'decrypt-me', elasticsearchPassword: 'es-pw' },
    });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    expect(seen).toEqual({ databasePassword: 'decrypt-me', elasticsearchPassword: 'es-pw' });
  });

  it('writes to the backup drive wherever it is mounted now, and refuses to start when it is missing', async () => {
    const usb = join(tmp.path, 'E');
    await mkdir(usb);
    const marker = await ensureVolumeMarker({ root: usb, label: 'BACKUP1', removable: true });
    let drives: DriveInfo[] = [{ root: usb, removable: true, marker }];
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { repository: { kind: 'ok' } },
      drives: () => Promise.resolve(drives),
    });
    const binding = await handlers['drives:bind'](join(usb, 'OctaneBackups'));
    expect(binding).toEqual({
      volumeId: marker.id,
      label: 'BACKUP1',
      relativePath: 'OctaneBackups',
      lastRoot: usb,
    });
    await handlers['profiles:save']({
      profile: profile({ destination: join(usb, 'OctaneBackups') }),
      volumes: { default: binding },
    });

    const other = join(tmp.path, 'F');
    await mkdir(other);
    await writeFile(join(other, '.octane-backup-volume.json'), JSON.stringify(marker));
    drives = [{ root: other, removable: true, marker: await readVolumeMarker(other) }];
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    const done = await waitForDone(emitted, job.jobId);
    expect(
      done.result.ok && done.result.value.setPaths[0]?.startsWith(join(other, 'OctaneBackups', 'nightly')),
    ).toBe(true);

    drives = [];
    const missing = await toResult(() => handlers['runs:start']({ profile: 'nightly', kind: 'manual' }));
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'VOLUME_NOT_CONNECTED', fix: expect.stringMatching(/Connect "BACKUP1"/) as unknown },
    });
  });
});

describe('History, verify and open folder', () => {
  it('lists the sets, verifies one, and refuses paths outside the profiles destinations', async () => {
    const { handlers, emitted, opened } = makeCore({
      dir: tmp.path,
      steps: { repository: { kind: 'ok', bytes: 3000 } },
    });
    await handlers['profiles:save']({ profile: profile() });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    const done = await waitForDone(emitted, job.jobId);
    const sets = await handlers['sets:list']('nightly');
    expect(sets.map((s) => s.setName)).toEqual([done.result.ok ? done.result.value.setName : '']);
    const set = sets[0] as (typeof sets)[number];
    const report = await handlers['sets:verify'](set.path);
    expect(report.checks.map((c) => c.status)).toEqual(['ok']);
    expect(emitted.some((e) => e.channel === 'verify:progress')).toBe(true);
    await handlers['shell:open-path'](set.path);
    expect(opened).toEqual([set.path]);
    for (const outside of [tmp.path, join(tmp.path, 'repo'), '/etc'])
      expect(await toResult(() => handlers['sets:verify'](outside))).toMatchObject({
        ok: false,
        error: { code: 'PATH_NOT_ALLOWED' },
      });
    expect(await toResult(() => handlers['shell:open-path']('/etc'))).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED' },
    });
    expect(opened).toHaveLength(1);
  });
});

describe('trust in the window (issue 11): the same verify as the CLI, damage shown', () => {
  it('verifies with the stored profile (its other destination, its seal key), records it, and History and the Overview show the damage', async () => {
    const key = 'app-secret-store-seal-key-0123456789';
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { database: { kind: 'ok' }, repository: { kind: 'ok', bytes: 3000 } },
    });
    const p = profile({
      database: { engine: 'sqlserver', server: 's', databases: ['d'], serverBackupDir: 'D:\\b' },
      destinations: { database: join(tmp.path, 'db-drive') },
    });
    await handlers['profiles:save']({ profile: p, secrets: { sealKey: key } });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    const [set] = await handlers['sets:list']('nightly');
    if (!set) throw new Error('no set');
    const intact = await handlers['sets:verify'](set.path);
    expect(intact.verdict).toBe('intact-partial');
    expect(intact.seal).toBe('valid');
    const dbCopy = join(tmp.path, 'db-drive', 'nightly', set.setName);
    expect(intact.readFrom).toContainEqual({
      component: 'database',
      path: dbCopy,
      configuredElsewhere: true,
    });
    await writeFile(join(dbCopy, 'database', 'database.bin'), 'damaged');
    const damaged = await handlers['sets:verify'](set.path);
    expect(damaged.verdict).toBe('damaged');
    const [listed] = await handlers['sets:list']('nightly');
    expect(listed).toMatchObject({
      damaged: true,
      verification: { verdict: 'damaged', checkedPath: set.path },
    });
    const [overview] = await handlers['overview:get']();
    expect(overview?.lastSet?.damaged).toBe(true);
    expect(overview?.lastGoodSet).toBeUndefined();
    expect(overview?.damaged).toMatch(/^One set is DAMAGED or unreadable and never counted as a good backup/);
    // Times in words use the app's one date format, never a raw ISO string.
    expect(overview?.damaged).toContain(`, verified ${formatDateTime(listed?.verification?.at)})`);
    expect(overview?.damaged).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(overview?.overdue).toBe(true);
  });

  it('refuses a profile whose name differs from another only in case (one folder on Windows drives)', async () => {
    const { handlers } = makeCore({ dir: tmp.path });
    await handlers['profiles:save']({ profile: profile() });
    const twin = await toResult(() =>
      handlers['profiles:save']({ profile: profile({ profile: 'Nightly' }) }),
    );
    expect(twin).toMatchObject({
      ok: false,
      error: {
        code: 'PROFILE_EXISTS',
        message: expect.stringMatching(
          /^The profile "nightly" differs from "Nightly" only in case/,
        ) as unknown,
      },
    });
    // Renaming a profile to another case of its own name is allowed.
    await handlers['profiles:save']({ profile: profile({ profile: 'NIGHTLY' }), previousName: 'nightly' });
    expect((await handlers['profiles:list']()).map((r) => r.profile.profile)).toEqual(['NIGHTLY']);
  });
});

describe('Overview', () => {
  it('alerts when nothing was backed up, and when the newest complete backup is older than the target', async () => {
    let now = new Date();
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      deps: { now: () => now },
    });
    await handlers['profiles:save']({ profile: full({ schedule: { targetIntervalHours: 12 } }) });
    // A destination that does not exist (a drive not connected) is said, never taken for "no sets".
    const [missing] = await handlers['overview:get']();
    expect(missing?.overdue).toBe(true);
    expect(missing?.alert).toMatch(/^Cannot check the backups: The destination .*dest does not exist/);
    await mkdir(join(tmp.path, 'dest'));
    const [empty] = await handlers['overview:get']();
    expect(empty).toMatchObject({
      profile: 'nightly',
      overdue: true,
      targetIntervalHours: 12,
      schedule: { note: 'not scheduled' },
    });
    expect(empty?.alert).toMatch(/^There is no complete backup at all/);
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    const [fresh] = await handlers['overview:get']();
    expect(fresh?.overdue).toBe(false);
    expect(fresh?.alert).toBeUndefined();
    expect(fresh?.lastGoodSet?.setName).toBe(fresh?.lastSet?.setName);
    // The fake database clock runs 2 h ahead: age counts from its consistency point.
    now = new Date(Date.now() + 16 * 3_600_000);
    const [late] = await handlers['overview:get']();
    expect(late?.overdue).toBe(true);
    expect(late?.alert).toMatch(
      /^No good backup for 1[34]\.\d h: longer than the 12\.0 h of data loss you accept\./,
    );
  });

  it('with the backup drive unplugged names the drive and shows the good backup as last seen, judged against the schedule', async () => {
    let now = new Date();
    const usb = join(tmp.path, 'E');
    await mkdir(usb);
    const marker = await ensureVolumeMarker({ root: usb, label: 'BACKUP1', removable: true });
    let drives: DriveInfo[] = [{ root: usb, removable: true, marker }];
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      drives: () => Promise.resolve(drives),
      deps: { now: () => now },
    });
    const binding = await handlers['drives:bind'](join(usb, 'OctaneBackups'));
    await handlers['profiles:save']({
      profile: full({ destination: join(usb, 'OctaneBackups'), schedule: { targetIntervalHours: 12 } }),
      volumes: { default: binding },
    });
    // Unplugged before any look: unknown, said as such (not "no backup").
    drives = [];
    const [before] = await handlers['overview:get']();
    expect(before).toMatchObject({
      driveMissing: 'BACKUP1',
      alertTitle: 'Drive BACKUP1 not connected',
      overdue: true,
    });
    expect(before?.lastSet).toBeUndefined();
    drives = [{ root: usb, removable: true, marker }];
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    const [plugged] = await handlers['overview:get']();
    const setName = plugged?.lastGoodSet?.setName;
    expect(setName).toMatch(/-manual-/);
    expect(plugged).toMatchObject({ overdue: false, scheduled: true });
    expect(plugged?.driveMissing).toBeUndefined();
    expect(plugged?.setsSeenAt).toBeUndefined();

    drives = [];
    const [away] = await handlers['overview:get']();
    expect(away).toMatchObject({
      driveMissing: 'BACKUP1',
      alertTitle: 'Drive BACKUP1 not connected',
      overdue: false,
      setsSeenAt: plugged?.checkedAt,
      lastSet: { setName },
      lastGoodSet: { setName },
    });
    expect(away?.alert).toMatch(
      /^"BACKUP1" \(drive id [0-9a-f]{8}\) is not connected .*as last seen there\.$/,
    );
    // Still away 16 h later: now the schedule's 12 h are exceeded, and both are said.
    now = new Date(Date.now() + 16 * 3_600_000);
    const [late] = await handlers['overview:get']();
    expect(late).toMatchObject({
      overdue: true,
      alertTitle: 'Drive BACKUP1 not connected',
      lastGoodSet: { setName },
    });
    expect(late?.alert).toMatch(/^No good backup for 1[34]\.\d h: .* "BACKUP1" \(drive id/);
    // A new destination is another place: the old look is not shown for it.
    await handlers['profiles:save']({
      profile: full({ destination: join(tmp.path, 'elsewhere'), schedule: { targetIntervalHours: 12 } }),
      previousName: 'nightly',
    });
    const [moved] = await handlers['overview:get']();
    expect(moved?.lastGoodSet).toBeUndefined();
    expect(moved?.setsSeenAt).toBeUndefined();
  });

  it('judges freshness only against a schedule: an old good backup of an unscheduled profile is not overdue', async () => {
    let now = new Date();
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      deps: { now: () => now },
    });
    await handlers['profiles:save']({ profile: full() });
    await mkdir(join(tmp.path, 'dest'));
    const [none] = await handlers['overview:get']();
    // No complete backup at all is a problem with or without a schedule (and names no target it lacks).
    expect(none).toMatchObject({ scheduled: false, overdue: true });
    expect(none?.alert).toBe(
      'There is no complete backup at all: everything since Octane was set up is at risk.',
    );
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    now = new Date(Date.now() + 72 * 3_600_000);
    const [old] = await handlers['overview:get']();
    expect(old).toMatchObject({ scheduled: false, overdue: false });
    expect(old?.lastGoodAgeHours).toBeGreaterThan(48);
    expect(old?.alert).toBeUndefined();
    // Deleted and made again under the same name: the old profile's look is not shown for the new one.
    await handlers['profiles:delete']('nightly');
    await rename(join(tmp.path, 'dest'), join(tmp.path, 'dest-away'));
    await handlers['profiles:save']({ profile: full() });
    const [again] = await handlers['overview:get']();
    expect(again?.lastGoodSet).toBeUndefined();
    expect(again?.setsSeenAt).toBeUndefined();
    expect(again?.alert).toMatch(
      /^Cannot check the backups: The destination .*dest does not exist.* can be shown\.$/,
    );
  });

  it('shows the newest set a passed rehearsal proved restorable, and the "not rehearsed" alert the profile asks for', async () => {
    const { handlers, emitted } = makeCore({
      dir: tmp.path,
      steps: { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
    });
    await handlers['profiles:save']({ profile: full({ alerts: { rehearsalMaxAgeDays: 7 } }) });
    await mkdir(join(tmp.path, 'dest'));
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    const [never] = await handlers['overview:get']();
    expect(never?.proven).toBeUndefined();
    expect(never?.rehearsalAlert).toMatch(/^No set of this profile has ever been proven restorable/);
    const set = never?.lastGoodSet?.path ?? '';
    const at = new Date().toISOString();
    const rehearsal = {
      at,
      startedAt: at,
      rehearsalId: 'abcd1234',
      host: 'pc',
      toolVersion: '0.1.0',
      result: 'passed' as const,
      durationMs: 1000,
      stores: [],
      problems: [],
      leftovers: [],
    };
    await appendRehearsal(set, rehearsal);
    const [proven] = await handlers['overview:get']();
    expect(proven?.proven).toEqual({ setName: never?.lastGoodSet?.setName, rehearsal });
    expect(proven?.rehearsalAlert).toBeUndefined();
  });

  it('does not count a set that is not a full Octane backup as good', async () => {
    const { handlers, emitted } = makeCore({ dir: tmp.path, steps: { repository: { kind: 'ok' } } });
    await handlers['profiles:save']({ profile: profile() });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, job.jobId);
    const [e] = await handlers['overview:get']();
    expect(e?.lastSet?.status).toBe('succeeded-with-warnings');
    expect(e?.lastGoodSet).toBeUndefined();
    expect(e?.overdue).toBe(true);
  });

  it('says so when the backup drive is not connected instead of showing nothing', async () => {
    const { handlers } = makeCore({ dir: tmp.path });
    await handlers['profiles:save']({
      profile: profile({ destination: join(tmp.path, 'usb') }),
      volumes: {
        default: {
          volumeId: 'gone-1234',
          label: 'BACKUP1',
          relativePath: '',
          lastRoot: join(tmp.path, 'usb'),
        },
      },
    });
    const [e] = await handlers['overview:get']();
    expect(e?.overdue).toBe(true);
    expect(e?.alert).toMatch(/^Cannot check the backups: "BACKUP1" \(drive id gone-123\) is not connected/);
  });

  it('uses the scheduler when one is given', async () => {
    const { handlers } = makeCore({
      dir: tmp.path,
      deps: {
        schedule: () => Promise.resolve({ nextRun: '2030-01-01T01:00:00.000Z', note: 'every 24 h at 01:00' }),
      },
    });
    await handlers['profiles:save']({ profile: profile() });
    expect((await handlers['overview:get']())[0]?.schedule).toEqual({
      nextRun: '2030-01-01T01:00:00.000Z',
      note: 'every 24 h at 01:00',
    });
  });
});

describe('connection tests and preflight use the stored secrets unless new ones are typed', () => {
  it('passes stored or typed passwords to discovery and preflight', async () => {
    const seen: unknown[] = [];
    const { handlers } = makeCore({
      dir: tmp.path,
      deps: {
        discovery: {
          testDatabase: (_c, s) => (seen.push(s), Promise.resolve({ ok: true, message: 'ok' })),
          listDatabases: (_c, s) => (
            seen.push(s),
            Promise.resolve({ candidates: [{ name: 'octane_site' }] })
          ),
          testElasticsearch: (_c, s) => (
            seen.push(s),
            Promise.resolve({ ok: false, message: 'down', fix: 'start it' })
          ),
        },
        engine: {
          runPreflight: (_p, o) => (seen.push(o?.secrets), Promise.resolve({ ok: true, checks: [] })),
        },
      },
    });
    const saved = full({
      elasticsearch: {
        node: 'http://127.0.0.1:9',
        username: 'elastic',
        repository: 'octane_backup',
        location: '/es/repo',
      },
    });
    await handlers['profiles:save']({
      profile: saved,
      secrets: { databasePassword: 'stored-db', elasticsearchPassword: 'stored-es' },
    });
    // The saved connection settings: stored secrets go there and nowhere else.
    const db = saved.database as DatabaseConfig;
    const es = saved.elasticsearch as ElasticsearchConfig;
    await handlers['discovery:test-database']({ config: db, profileName: 'nightly' });
    await handlers['discovery:list-databases']({ config: db, profileName: 'nightly', password: 'typed-db' });
    expect(
      await handlers['discovery:test-elasticsearch']({
        config: { repository: 'r', location: 'l', node: 'http://x' },
        apiKey: 'typed-key',
      }),
    ).toEqual({ ok: false, message: 'down', fix: 'start it' });
    await handlers['profiles:preflight']({
      profile: saved,
      storedName: 'nightly',
      secrets: { elasticsearchPassword: null },
    });
    expect(seen).toEqual([
      { databasePassword: 'stored-db' },
      { databasePassword: 'typed-db' },
      { elasticsearchApiKey: 'typed-key' },
      { databasePassword: 'stored-db' },
    ]);
    expect(await handlers['discovery:test-elasticsearch']({ config: es, profileName: 'nightly' })).toEqual({
      ok: false,
      message: 'down',
      fix: 'start it',
    });
    expect(seen.at(-1)).toEqual({ elasticsearchPassword: 'stored-es' });
  });

  it('estimates a set from the repository folder before the first backup', async () => {
    const { handlers } = makeCore({ dir: tmp.path });
    await mkdir(join(tmp.path, 'repo', 'a'), { recursive: true });
    await writeFile(join(tmp.path, 'repo', 'a', 'f.bin'), Buffer.alloc(4096));
    await writeFile(join(tmp.path, 'repo', 'g.txt'), 'hello');
    await handlers['profiles:save']({ profile: profile() });
    expect(await handlers['profiles:estimate']('nightly')).toEqual({
      bytes: 4101,
      basis: 'the repository folder alone (database and Elasticsearch not counted yet)',
    });
    expect(await handlers['repository:scan'](join(tmp.path, 'repo'))).toEqual({
      path: join(tmp.path, 'repo'),
      files: 2,
      folders: 1,
      bytes: 4101,
      complete: true,
    });
  });
});
