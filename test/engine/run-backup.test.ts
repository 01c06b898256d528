import { createHash } from 'node:crypto';
import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/contract/events.js';
import { IN_PROGRESS_MARKER, RUN_LOG_FILE, type Manifest } from '../../src-main/contract/manifest.js';
import type { Profile } from '../../src-main/contract/profile.js';
import { runBackup } from '../../src-main/engine/run-backup.js';
import { registry, type Behaviour } from '../support/fake-steps.js';
import { tempDir } from '../support/temp.js';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
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
      password: 'S3cr3t!pw',
    },
    elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
    repository: { path: join(dir.path, 'repo') },
    ...extra,
  };
}

async function run(
  b: Partial<Record<'database' | 'elasticsearch' | 'repository', Behaviour>>,
  p = profile(),
  signal?: AbortSignal,
) {
  const calls: string[] = [];
  const events: RunEvent[] = [];
  const opts: Parameters<typeof runBackup>[1] = { steps: registry(b, calls), onEvent: (e) => events.push(e) };
  if (signal) opts.signal = signal;
  const result = await runBackup(p, opts);
  return { result, calls, events };
}

describe('runBackup ordering and statuses', () => {
  it('runs database, then Elasticsearch, then the repository folder, and writes a complete set', async () => {
    const { result, calls, events } = await run({
      database: { kind: 'ok' },
      elasticsearch: { kind: 'ok' },
      repository: { kind: 'ok' },
    });
    expect(calls).toEqual(['database', 'elasticsearch', 'repository']);
    expect(result.status).toBe('succeeded');
    const m = result.manifest;
    expect(m.complete).toBe(true);
    expect(m.components.map((c) => [c.id, c.status])).toEqual([
      ['database', 'succeeded'],
      ['elasticsearch', 'succeeded'],
      ['repository', 'succeeded'],
    ]);
    const started = events.filter((e) => e.type === 'step-started').map((e) => (e as { step: string }).step);
    expect(started).toEqual(['database', 'elasticsearch', 'repository']);
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)?.type).toBe('run-finished');
    const setRoot = result.setPaths[0] as string;
    expect(await exists(join(setRoot, IN_PROGRESS_MARKER))).toBe(false);
    expect(setRoot).toMatch(/nightly[\\/]\d{8}T\d{6}Z-manual-[0-9a-f]{8}$/);
    const onDisk = JSON.parse(await readFile(join(setRoot, 'manifest.json'), 'utf8')) as Manifest;
    expect(onDisk.status).toBe('succeeded');
    expect(onDisk.formatVersion).toBe(1);
    // Every artifact hash in the manifest is the file's real hash.
    for (const c of onDisk.components)
      for (const a of c.artifacts) {
        const data = await readFile(join(setRoot, a.path));
        expect(createHash('sha256').update(data).digest('hex')).toBe(a.sha256);
        expect(data.length).toBe(a.bytes);
      }
    expect(await readdir(join(setRoot, 'repository'))).toEqual(['repository.bin']);
  });

  it('puts every time on the DB clock and measures the skew window from the DB consistency point', async () => {
    const { result } = await run({
      database: { kind: 'ok' },
      elasticsearch: { kind: 'ok' },
      repository: { kind: 'ok' },
    });
    const m = result.manifest;
    expect(m.dbClock?.serverUtcOffset).toBe('+02:00');
    expect(m.dbClock?.offsetMs).toBeGreaterThan(7_000_000);
    expect(m.skew.clock).toBe('database');
    expect(m.skew.consistencyPoint).toMatch(/\+02:00$/);
    expect(m.skew.repositoryCaptureEnd).toMatch(/\+02:00$/);
    expect(m.skew.windowSeconds).toBeGreaterThanOrEqual(0);
    expect(m.skew.windowSeconds).toBeLessThan(60);
    expect(m.skew.withinTolerance).toBe(true);
    const repo = m.components.find((c) => c.id === 'repository');
    expect(repo?.finishedAtDb).toMatch(/\+02:00$/);
  });

  it('flags a skew window over the tolerance as a warning', async () => {
    const { result } = await run(
      { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      profile({ skewToleranceSeconds: 0 }),
    );
    // A window of exactly 0 s is within a 0 s tolerance; make sure the field is computed either way.
    const m = result.manifest;
    expect(m.skew.toleranceSeconds).toBe(0);
    if ((m.skew.windowSeconds ?? 0) > 0) {
      expect(m.skew.withinTolerance).toBe(false);
      expect(m.warnings.map((w) => w.code)).toContain('SKEW_EXCEEDED');
      expect(result.status).toBe('succeeded-with-warnings');
    } else expect(m.skew.withinTolerance).toBe(true);
  });

  it('stops after a failed database step: nothing after it is worth taking', async () => {
    const { result, calls } = await run({
      database: { kind: 'fail', code: 'DB_DOWN' },
      elasticsearch: { kind: 'ok' },
      repository: { kind: 'ok' },
    });
    expect(calls).toEqual(['database']);
    expect(result.status).toBe('failed');
    expect(result.manifest.complete).toBe(false);
    expect(result.manifest.error?.code).toBe('DB_DOWN');
    expect(result.manifest.components.map((c) => c.status)).toEqual(['failed', 'not-run', 'not-run']);
    expect(await exists(join(result.setPaths[0] as string, IN_PROGRESS_MARKER))).toBe(false);
  });

  it('still takes the repository folder after a failed Elasticsearch step (DB + repository stay a consistent pair)', async () => {
    const { result, calls } = await run({
      database: { kind: 'ok' },
      elasticsearch: { kind: 'fail', code: 'ES_DOWN' },
      repository: { kind: 'ok' },
    });
    expect(calls).toEqual(['database', 'elasticsearch', 'repository']);
    expect(result.status).toBe('failed');
    expect(result.manifest.complete).toBe(false);
    expect(result.manifest.components.map((c) => c.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(result.manifest.components[1]?.error).toMatchObject({
      code: 'ES_DOWN',
      fix: 'do the fake fix',
      step: 'elasticsearch',
    });
  });

  it('records a component the profile leaves out as skipped and says the set is not a full Octane backup', async () => {
    const p = profile();
    delete p.elasticsearch;
    const { result, calls } = await run({ database: { kind: 'ok' }, repository: { kind: 'ok' } }, p);
    expect(calls).toEqual(['database', 'repository']);
    expect(result.status).toBe('succeeded-with-warnings');
    expect(result.manifest.complete).toBe(false);
    expect(result.manifest.components[1]).toMatchObject({ id: 'elasticsearch', status: 'skipped' });
    expect(result.manifest.completenessNote).toMatch(/NOT a full Octane backup: elasticsearch/);
    expect(result.manifest.warnings.map((w) => w.code)).toContain('NOT_FULL_BACKUP');
  });

  it('reports succeeded-with-warnings when a step warns, and keeps the named warning', async () => {
    const { result } = await run({
      database: { kind: 'ok' },
      elasticsearch: { kind: 'ok' },
      repository: { kind: 'ok', warn: 'file vanished' },
    });
    expect(result.status).toBe('succeeded-with-warnings');
    expect(result.manifest.complete).toBe(true);
    expect(result.manifest.warnings).toContainEqual({
      code: 'FAKE_WARNING',
      message: 'file vanished',
      step: 'repository',
      subject: 'repository/x',
    });
  });

  it('reports a cancelled run as cancelled (not failed), removes partial files and takes nothing after', async () => {
    const ac = new AbortController();
    const calls: string[] = [];
    const events: RunEvent[] = [];
    const result = await runBackup(profile(), {
      steps: registry(
        { database: { kind: 'ok' }, elasticsearch: { kind: 'wait-for-abort' }, repository: { kind: 'ok' } },
        calls,
      ),
      signal: ac.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step-progress' && e.step === 'elasticsearch') ac.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(calls).toEqual(['database', 'elasticsearch']);
    expect(result.manifest.components.map((c) => c.status)).toEqual(['succeeded', 'cancelled', 'not-run']);
    expect(result.manifest.complete).toBe(false);
    const esDir = join(result.setPaths[0] as string, 'elasticsearch');
    expect((await readdir(esDir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const fin = events.at(-1);
    expect(fin).toMatchObject({ type: 'run-finished', status: 'cancelled' });
  });

  it('maps an unexpected exception to a failed step with code UNEXPECTED instead of crashing', async () => {
    const { result } = await run({
      database: { kind: 'ok' },
      elasticsearch: { kind: 'throw-unexpected' },
      repository: { kind: 'ok' },
    });
    expect(result.manifest.components[1]?.error?.code).toBe('UNEXPECTED');
    expect(result.manifest.components[2]?.status).toBe('succeeded');
  });

  it('never writes a secret into the manifest or the run log', async () => {
    const { result } = await run({
      database: { kind: 'ok' },
      elasticsearch: { kind: 'ok' },
      repository: { kind: 'ok' },
    });
    const root = result.setPaths[0] as string;
    const manifestText = await readFile(join(root, 'manifest.json'), 'utf8');
    const logText = await readFile(join(root, RUN_LOG_FILE), 'utf8');
    expect(manifestText).toContain('FAKE CAPTURE database password=***');
    expect(manifestText).not.toContain('S3cr3t!pw');
    expect(logText).not.toContain('S3cr3t!pw');
    expect(logText).toMatch(/Backup .* finished: succeeded/);
  });

  it("keeps a secret echoed in a failing step's error details out of the manifest", async () => {
    const { result } = await run({ database: { kind: 'fail', code: 'LOGIN' } });
    const text = await readFile(join(result.setPaths[0] as string, 'manifest.json'), 'utf8');
    expect(result.manifest.error?.details).toEqual({ serverSaid: 'login with password *** refused' });
    expect(text).not.toContain('S3cr3t!pw');
  });

  it('puts each component on its own destination with a manifest copy in each place', async () => {
    const p = profile({
      destinations: { database: join(dir.path, 'F'), elasticsearch: join(dir.path, 'G') },
    });
    const { result } = await run(
      { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      p,
    );
    expect(result.setPaths).toHaveLength(3);
    const [main, f, g] = [join(dir.path, 'dest'), join(dir.path, 'F'), join(dir.path, 'G')].map((d) =>
      join(d, 'nightly', result.setName),
    ) as [string, string, string];
    expect(await exists(join(f, 'database', 'database.bin'))).toBe(true);
    expect(await exists(join(g, 'elasticsearch', 'elasticsearch.bin'))).toBe(true);
    expect(await exists(join(main, 'repository', 'repository.bin'))).toBe(true);
    for (const root of [main, f, g]) {
      const m = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as Manifest;
      expect(m.setId).toBe(result.manifest.setId);
      expect(m.status).toBe('succeeded');
      expect(await exists(join(root, IN_PROGRESS_MARKER))).toBe(false);
    }
  });

  it('emits overall progress that only grows and ends at 1, throttled', async () => {
    const { events } = await run({
      database: { kind: 'ok', bytes: 100_000 },
      elasticsearch: { kind: 'ok' },
      repository: { kind: 'ok' },
    });
    const overall = events
      .filter((e) => e.type === 'step-progress')
      .map((e) => (e as { overall: number }).overall);
    expect(overall.length).toBeGreaterThan(0);
    // 1000 reports from the database step must have been thinned out.
    expect(overall.length).toBeLessThan(200);
    for (let i = 1; i < overall.length; i++)
      expect(overall[i]).toBeGreaterThanOrEqual((overall[i - 1] as number) - 1e-9);
    expect(overall.at(-1)).toBeCloseTo(1, 5);
  });

  it('refuses a second run of the same profile while one is running', async () => {
    const ac = new AbortController();
    let secondError: unknown;
    let second: Promise<void> | undefined;
    const first = runBackup(profile(), {
      steps: registry({ database: { kind: 'wait-for-abort' } }, []),
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'step-progress' && !second) {
          second = runBackup(profile(), { steps: registry({ database: { kind: 'ok' } }, []) }).then(
            () => undefined,
            (err: unknown) => {
              secondError = err;
            },
          );
          void second.finally(() => ac.abort());
        }
      },
    });
    const result = await first;
    await second;
    expect(secondError).toMatchObject({ code: 'PROFILE_BUSY' });
    expect(result.status).toBe('cancelled');
  });

  it('tells the next run about a set left incomplete by a crash', async () => {
    const first = await run({ repository: { kind: 'ok' } }, profile());
    const root = first.result.setPaths[0] as string;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(root, IN_PROGRESS_MARKER), 'x');
    await new Promise((r) => setTimeout(r, 1100));
    const { events } = await run({ repository: { kind: 'ok' } }, profile());
    const warnings = events
      .filter((e) => e.type === 'log' && e.level === 'warn')
      .map((e) => (e as { message: string }).message);
    expect(warnings).toContain(
      `An earlier run was interrupted: ${root} is incomplete and must not be restored from.`,
    );
  });
});
