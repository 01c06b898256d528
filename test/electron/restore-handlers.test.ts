// The window's restore channels, bound as Electron binds them, with the real engine against the
// TDS stand-in and a real repository folder: only sets under a profile's destinations, only with
// the profile name typed, only when the engine's own checks pass again, never beside a backup.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-main/contract/ipc.js';
import type { RestoreDoneMessage } from '../../src-main/contract/restore-run.js';
import { ExpectedError } from '../../src-main/engine/errors.js';
import { changeEverything, installation, type Installation } from '../support/restore/installation.js';
import { makeCore, type Emitted } from './core-fixture.js';

async function setup(i: Installation) {
  const c = makeCore({ dir: join(i.repo, '..') });
  await c.handlers['profiles:save']({ profile: i.profile });
  return c;
}

async function doneOf(emitted: Emitted[], jobId: string): Promise<RestoreDoneMessage> {
  for (let n = 0; n < 3000; n++) {
    const d = emitted.find(
      (e) => e.channel === 'restore:done' && (e.payload as RestoreDoneMessage).jobId === jobId,
    );
    if (d) return d.payload as RestoreDoneMessage;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no restore:done');
}

const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof ExpectedError ? e.code : String(e)),
  );

describe('restore channels (TDS stand-in, real repository folder, real engine)', () => {
  it('TDS stand-in: prepare verifies the set (with progress) and answers the checks and plans; a folder outside the destinations is refused', async () => {
    const i = await installation();
    const c = await setup(i);
    const p = await c.handlers['restore:prepare']({ profile: 'octane-prod', setPath: i.setPath });
    expect(p.verify.verdict).toBe('intact-partial');
    expect(p.plans.map((x) => x.component)).toEqual(['database', 'repository']);
    expect(p.checks.find((x) => x.id === 'sqlserver.restore.connection')?.status).toBe('ok');
    expect(c.emitted.some((e) => e.channel === 'verify:progress')).toBe(true);
    expect(await codeOf(c.handlers['restore:prepare']({ profile: 'octane-prod', setPath: i.repo }))).toBe(
      'PATH_NOT_ALLOWED',
    );
  });

  it('TDS stand-in: start refuses a wrong name, and a restore whose checks fail (Octane not confirmed stopped), with nothing changed', async () => {
    const i = await installation();
    await changeEverything(i);
    const c = await setup(i);
    const base = {
      profile: 'octane-prod',
      setPath: i.setPath,
      only: ['database', 'repository'] as ('database' | 'repository')[],
    };
    expect(
      await codeOf(c.handlers['restore:start']({ ...base, confirmName: 'octane', octaneStopped: true })),
    ).toBe('RESTORE_NOT_CONFIRMED');
    expect(
      await codeOf(
        c.handlers['restore:start']({ ...base, confirmName: 'octane-prod', octaneStopped: false }),
      ),
    ).toBe('RESTORE_NOT_READY');
    const done = c.emitted.find((e) => e.channel === 'restore:done')?.payload as RestoreDoneMessage;
    expect(done.result.ok).toBe(false);
    if (!done.result.ok) expect(done.result.error.message).toMatch(/Octane must be stopped on every node/);
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');
  });

  it('TDS stand-in: a confirmed restore streams its events, ends with the report and a notification; no backup of the profile may start meanwhile', async () => {
    const i = await installation();
    await changeEverything(i);
    const c = await setup(i);
    const job = await c.handlers['restore:start']({
      profile: 'octane-prod',
      setPath: i.setPath,
      only: ['database', 'repository'],
      confirmName: 'octane-prod',
      octaneStopped: true,
    });
    expect(await codeOf(c.handlers['runs:start']({ profile: 'octane-prod', kind: 'manual' }))).toBe(
      'RESTORE_IN_PROGRESS',
    );
    const done = await doneOf(c.emitted, job.jobId);
    expect(done.result.ok).toBe(true);
    if (!done.result.ok) return;
    expect(done.result.value.status).toBe('succeeded');
    const types = c.emitted
      .filter((e) => e.channel === 'restore:event')
      .map((e) => (e.payload as EventMap['restore:event']).event.type);
    expect(types[0]).toBe('restore-started');
    expect(types.at(-1)).toBe('restore-finished');
    expect(i.r.fake.databases[0]?.content).toBe('site at the backup');
    expect(c.notes.at(-1)?.title).toBe('Restore of octane-prod succeeded');
    expect(await c.handlers['restore:cancel'](job.jobId)).toBe(false);
  });
});
