// The runner's overlap, with phased test steps that log what they do: the points come in the order
// database → Elasticsearch → repository whatever the work around them does; bracketed starts the
// database after the repository's first pass; a failed database stops what runs beside it or waits
// for its turn ("not-run", with the reason); sequential mode keeps one store after the other.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src-main/contract/events.js';
import type { CaptureMode, ComponentId, Profile } from '../../../src-main/contract/profile.js';
import { ExpectedError, throwIfAborted } from '../../../src-main/engine/errors.js';
import { readManifest } from '../../../src-main/engine/backup-set/manifest-io.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import type { BackupStep, StepContext } from '../../../src-main/engine/step.js';
import type { StepRegistry } from '../../../src-main/engine/steps/registry.js';
import { tempDir } from '../../support/temp.js';

const tick = (ms = 15): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for an abort (the runner's stop or Cancel), then throws it. */
async function untilStopped(ctx: StepContext): Promise<never> {
  await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
  throwIfAborted(ctx.signal);
  throw new Error('unreachable');
}

interface Script {
  dbFails?: 'before-point' | 'after-point';
  esHangs?: boolean;
}

function phasedSteps(log: string[], s: Script): StepRegistry {
  const step = (id: ComponentId, run: (ctx: StepContext) => Promise<void>): BackupStep => ({
    id,
    title: id,
    phased: true,
    run,
  });
  const artifact = async (ctx: StepContext, id: string): Promise<void> => {
    const a = await ctx.out.createArtifact(`${id}.bin`);
    a.stream.write(Buffer.from(id));
    await a.commit(id);
  };
  return {
    database: () =>
      step('database', async (ctx) => {
        log.push('db:start');
        // The DB clock, measured as the real database steps do (here: this machine's, in +01:00).
        const now = new Date();
        ctx.clock.measure(new Date(now.getTime() + 3_600_000).toISOString().replace('Z', '+01:00'), now, now);
        await tick();
        if (s.dbFails === 'before-point') throw new ExpectedError('DB_DOWN', 'down', { step: 'database' });
        ctx.record.consistencyPoint({ time: ctx.clock.toDb(new Date()) as string, description: 'db point' });
        log.push('db:point');
        await tick(60); // verify and copy
        if (s.dbFails === 'after-point')
          throw new ExpectedError('DB_COPY_FAILED', 'copy failed', { step: 'database' });
        await artifact(ctx, 'db');
        log.push('db:end');
      }),
    elasticsearch: () =>
      step('elasticsearch', async (ctx) => {
        log.push('es:prepare');
        await ctx.capture.turn();
        ctx.capture.taken({ at: new Date(), description: 'es start' });
        log.push('es:point');
        if (s.esHangs) await untilStopped(ctx);
        await tick(120); // the snapshot runs
        await artifact(ctx, 'es');
        log.push('es:end');
      }),
    repository: () =>
      step('repository', async (ctx) => {
        if (ctx.capture.mode === 'bracketed') {
          log.push('repo:first-pass');
          await tick(30);
        }
        ctx.capture.ready();
        await ctx.capture.turn();
        log.push('repo:turn');
        await tick();
        ctx.capture.taken({ at: new Date(), description: 'repo point' });
        log.push('repo:point');
        await artifact(ctx, 'repo');
        log.push('repo:end');
      }),
  };
}

describe('stores side by side around their points', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir('obm-stores-');
  });
  afterEach(async () => dir.cleanup());

  const profile = (capture: CaptureMode): Profile => ({
    profile: 'p',
    destination: join(dir.path, 'dest'),
    database: {
      engine: 'sqlserver',
      server: 'db',
      port: 1433,
      user: 'u',
      password: 'x',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\b',
    },
    elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
    repository: { path: join(dir.path, 'repo'), capture },
  });

  const run = async (capture: CaptureMode, s: Script = {}, sealKey?: string) => {
    const log: string[] = [];
    const events: RunEvent[] = [];
    const r = await runBackup(profile(capture), {
      steps: phasedSteps(log, s),
      onEvent: (e) => events.push(e),
      ...(sealKey !== undefined && { secrets: { sealKey } }),
    });
    const at = (x: string): number => log.indexOf(x);
    return { r, log, events, at };
  };

  it("bracketed: first pass, then the database; ES at the DB point, the repository at ES's; the work after the points overlaps", async () => {
    const { r, log, at } = await run('bracketed');
    expect(r.status).toBe('succeeded');
    expect(at('repo:first-pass')).toBeLessThan(at('db:start'));
    expect(at('es:prepare')).toBeLessThan(at('db:point'));
    expect(at('db:point')).toBeLessThan(at('es:point'));
    expect(at('es:point')).toBeLessThan(at('repo:turn'));
    // The repository took its point and finished while the database and ES were still at work.
    expect(at('repo:end')).toBeLessThan(at('db:end'));
    expect(at('repo:end')).toBeLessThan(at('es:end'));
    const m = r.manifest;
    const p = (id: ComponentId): number => Date.parse(m.skew.points?.[id] ?? '');
    expect(p('database')).toBeLessThanOrEqual(p('elasticsearch'));
    expect(p('elasticsearch')).toBeLessThanOrEqual(p('repository'));
    expect(m.skew.captureMode).toBe('bracketed');
    expect(log).toHaveLength(10);
  });

  it('the sealed manifest of stores run side by side reads back validated with every point and the capture mode, and its seal holds', async () => {
    const key = 'consistency-seal-key-for-tests-0123456789';
    const { r } = await run('bracketed', {}, key);
    expect(r.status).toBe('succeeded');
    const root = r.setPaths[0] as string;
    // What History, list and verify read: the manifest through its schema, not the run's copy.
    const read = await readManifest(root);
    expect(read.skew.captureMode).toBe('bracketed');
    expect(Object.keys(read.skew.points ?? {})).toEqual(['database', 'elasticsearch', 'repository']);
    expect(read.skew.points).toEqual(r.manifest.skew.points);
    expect(read.skew.windowSeconds).toBe(r.manifest.skew.windowSeconds);
    for (const id of ['elasticsearch', 'repository'] as const) {
      const point = read.components.find((c) => c.id === id)?.consistencyPoint;
      expect(point?.localTime).toBeDefined();
      expect(point).toEqual(r.manifest.components.find((c) => c.id === id)?.consistencyPoint);
    }
    const verified = await verifyBackupSet(root, { env: { OCTANE_BACKUP_SEAL_KEY: key } });
    expect(verified.seal).toBe('valid');
    expect(verified.verdict).toBe('intact');
  });

  it('sequential: one store after the other, each starting when the one before has ended', async () => {
    const { r, log } = await run('sequential');
    expect(r.status).toBe('succeeded');
    expect(log).toEqual([
      'db:start',
      'db:point',
      'db:end',
      'es:prepare',
      'es:point',
      'es:end',
      'repo:turn',
      'repo:point',
      'repo:end',
    ]);
  });

  it('a database that fails after its point stops Elasticsearch and the repository: "not-run" with the reason, their artifacts gone', async () => {
    const { r, log, events } = await run('bracketed', { dbFails: 'after-point', esHangs: true });
    expect(r.status).toBe('failed');
    const c = (id: ComponentId) => r.manifest.components.find((x) => x.id === id);
    expect(c('database')?.status).toBe('failed');
    expect(c('elasticsearch')?.status).toBe('not-run');
    expect(c('elasticsearch')?.skippedReason).toContain('the database backup failed');
    expect(c('elasticsearch')?.artifacts).toEqual([]);
    expect(log).toContain('es:point');
    expect(log).not.toContain('es:end');
    expect(r.manifest.complete).toBe(false);
    const finished = events.flatMap((e) => (e.type === 'step-finished' ? [[e.step, e.status]] : []));
    expect(finished).toContainEqual(['elasticsearch', 'not-run']);
  });

  it('a database that fails before its point: Elasticsearch and the repository never take theirs', async () => {
    const { r, log } = await run('snapshot', { dbFails: 'before-point' });
    expect(r.status).toBe('failed');
    expect(log).not.toContain('es:point');
    expect(log).not.toContain('repo:point');
    for (const id of ['elasticsearch', 'repository'] as const) {
      const c = r.manifest.components.find((x) => x.id === id);
      expect(c?.status).toBe('not-run');
      expect(c?.skippedReason).toContain('the database backup failed');
    }
  });

  it('Cancel while the snapshot runs: the run and Elasticsearch are cancelled (not "not-run"), nothing is complete', async () => {
    const ac = new AbortController();
    const log: string[] = [];
    const pending = runBackup(profile('bracketed'), {
      steps: phasedSteps(log, { esHangs: true }),
      signal: ac.signal,
    });
    while (!log.includes('es:point')) await tick(5);
    ac.abort();
    const r = await pending;
    expect(r.status).toBe('cancelled');
    expect(r.manifest.components.find((c) => c.id === 'elasticsearch')?.status).toBe('cancelled');
    expect(r.manifest.complete).toBe(false);
  });
});
