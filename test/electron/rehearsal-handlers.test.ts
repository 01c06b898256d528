// The window's rehearsal channels, bound as Electron binds them, with the real engine against the
// TDS stand-in and a real repository folder: a set under the profile's destination is rehearsed,
// its stage events stream, the record comes back and History lists it; other folders are refused.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RehearsalDoneMessage, RehearsalEventMessage } from '../../src-main/contract/rehearsal.js';
import { ExpectedError } from '../../src-main/engine/errors.js';
import { installation } from '../support/restore/installation.js';
import { makeCore, type Emitted } from './core-fixture.js';

async function doneOf(emitted: Emitted[], jobId: string): Promise<RehearsalDoneMessage> {
  for (let n = 0; n < 3000; n++) {
    const d = emitted.find(
      (e) => e.channel === 'rehearsal:done' && (e.payload as RehearsalDoneMessage).jobId === jobId,
    );
    if (d) return d.payload as RehearsalDoneMessage;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no rehearsal:done');
}

describe('rehearsal channels (TDS stand-in, real repository folder, real engine)', () => {
  it('TDS stand-in: rehearses a set of the profile, streams its stages, sends the record, and History shows it; one at a time; other folders refused', async () => {
    const i = await installation();
    const c = makeCore({ dir: join(i.repo, '..') });
    const db = i.profile.database;
    if (db?.engine !== 'sqlserver') throw new Error('the installation is SQL Server');
    await c.handlers['profiles:save']({
      profile: { ...i.profile, database: { ...db, rehearsalDir: 'S:\\Rehearsal' } },
    });
    const job = await c.handlers['rehearsal:start']({ profile: 'octane-prod', setPath: i.setPath });
    await expect(
      c.handlers['rehearsal:start']({ profile: 'octane-prod', setPath: i.setPath }),
    ).rejects.toMatchObject({
      code: 'REHEARSAL_IN_PROGRESS',
    });
    const done = await doneOf(c.emitted, job.jobId);
    expect(done.result.ok, JSON.stringify(done.result)).toBe(true);
    if (!done.result.ok) return;
    expect(done.result.value.result).toBe('passed');
    const stages = c.emitted
      .filter((e) => e.channel === 'rehearsal:event')
      .map((e) => (e.payload as RehearsalEventMessage).event)
      .filter((e) => e.type === 'stage-finished')
      .map((e) => [e.stage, e.status]);
    expect(stages).toEqual([
      ['database', 'succeeded'],
      ['repository', 'succeeded'],
    ]);
    const sets = await c.handlers['sets:list']('octane-prod');
    expect(sets.find((s) => s.path === i.setPath)?.rehearsal).toEqual(done.result.value);
    const refused = await c.handlers['rehearsal:start']({ profile: 'octane-prod', setPath: tmpdir() }).then(
      () => undefined,
      (e: unknown) => (e instanceof ExpectedError ? e.code : String(e)),
    );
    expect(refused).toBeDefined();
    expect(await c.handlers['rehearsal:cancel']('no-such-job')).toBe(false);
  });
});
