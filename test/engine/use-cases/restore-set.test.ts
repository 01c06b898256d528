// The whole-set restore use-case, against the TDS stand-in (SQL Server) and a real repository
// folder: a set taken by the backup use-case, the installation changed afterwards, then restored —
// in order, verified first, refused when it must be, with a report next to the set.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RestoreEvent, RestoreReport } from '../../../src-main/contract/restore-run.js';
import { readManifest, writeManifestAtomic } from '../../../src-main/engine/backup-set/manifest-io.js';
import { sealManifest } from '../../../src-main/engine/backup-set/seal.js';
import { planRestore, restoreSet } from '../../../src-main/engine/use-cases/restore-set.js';
import { changeEverything, installation } from '../../support/restore/installation.js';
import { snapshotTree } from '../../support/trees/snapshot.js';

const signal = (): AbortSignal => new AbortController().signal;
const BOTH = ['database', 'repository'] as const;

describe('restoreSet (SQL Server: TDS stand-in; repository: real folder)', () => {
  it('TDS stand-in: verifies the set, then restores the databases before the repository folder; the installation is back to the set, the previous folder kept, a report written next to the set', async () => {
    const i = await installation();
    await changeEverything(i);
    const serverFiles = await readdir(i.r.serverDir);
    const events: RestoreEvent[] = [];
    const out = await restoreSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      only: BOTH,
      octaneStopped: true,
      onEvent: (e) => events.push(e),
    });
    expect(out.started).toBe(true);
    if (!out.started) return;
    const report = out.report;
    expect(report.status, JSON.stringify(report.stages.map((s) => [s.id, s.status, s.state]))).toBe(
      'succeeded',
    );
    expect(i.r.fake.databases.map((d) => [d.name, d.content])).toEqual([
      ['octane_site', 'site at the backup'],
      ['octane_sp_1001', 'space at the backup'],
    ]);
    const restored = await snapshotTree(i.repo);
    const noTimes = (s: typeof restored): unknown =>
      Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { ...v, mtimeSec: undefined }]));
    expect(noTimes(restored)).toEqual(noTimes(i.source));
    // The folder as it was before the restore is kept, with the changes made after the set.
    const repoStage = report.stages.find((s) => s.id === 'repository');
    const aside = (repoStage?.details as { movedAside?: string }).movedAside ?? '';
    expect(await readFile(join(aside, 'attachments/new-after-set.txt'), 'utf8')).toBe(
      'added after the set\n',
    );
    // Order: the set verified first (nothing changed before), then database → repository.
    const order = events
      .filter((e) => e.type === 'stage-started' || e.type === 'stage-finished')
      .map((e) => `${e.type === 'stage-started' ? 'start' : 'end'}:${(e as { stage: string }).stage}`);
    expect(order).toEqual(['start:database', 'end:database', 'start:repository', 'end:repository']);
    expect(report.stages.map((s) => [s.id, s.status])).toEqual([
      ['database', 'succeeded'],
      ['elasticsearch', 'skipped'],
      ['config', 'skipped'],
      ['repository', 'succeeded'],
    ]);
    for (const s of report.stages.filter((x) => x.status === 'succeeded'))
      expect(s.durationMs).toBeGreaterThan(0);
    expect(report.stages[0]?.statements.some((t) => t.startsWith('RESTORE DATABASE [octane_site]'))).toBe(
      true,
    );
    // The report lies next to the set, in JSON and Markdown, and says what to do next.
    const reports = await readdir(join(i.setPath, 'restore-reports'));
    expect(reports.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(reports.filter((f) => f.endsWith('.md'))).toHaveLength(1);
    expect(reports.some((f) => f.endsWith('.journal.jsonl'))).toBe(false);
    const written = JSON.parse(await readFile(report.reportPath ?? '', 'utf8')) as RestoreReport;
    expect(written.status).toBe('succeeded');
    expect(report.nextSteps.join(' ')).toMatch(/Server is ready! \(Boot time/);
    expect(report.nextSteps.join(' ')).toContain(aside);
    // Nothing staged for the restore is left in the server's backup folder.
    expect(await readdir(i.r.serverDir)).toEqual(serverFiles);
    expect(JSON.stringify(report)).not.toContain('Very$ecret-42');
  });

  it('TDS stand-in: every set carries a RESTORE.md runbook with the statements a restore runs and the manual steps', async () => {
    const i = await installation();
    const md = await readFile(join(i.setPath, 'RESTORE.md'), 'utf8');
    expect(md).toContain(`# Restoring set ${i.setPath.split('/').at(-1)}`);
    expect(md).toMatch(
      /RESTORE DATABASE \[octane_site\] FROM DISK = N'.*' WITH FILE = 1, REPLACE, CHECKSUM, RECOVERY, STATS = 1;/,
    );
    expect(md).toContain('## By hand');
    expect(md).toContain(`octane-backup restore "${i.setPath}" --config <profile.json> --plan`);
    expect(md).toMatch(/Move .* aside to .*before-restore-/);
    expect(md).toContain('Server is ready! (Boot time');
  });

  it('TDS stand-in: a damaged repository archive makes the set restorable only by naming its good parts; then only the database comes back and the repository folder is left as it is', async () => {
    const i = await installation();
    await changeEverything(i);
    const archive = join(i.setPath, 'repository', 'repository.tar.gz');
    const bytes = await readFile(archive);
    const mid = bytes.length >> 1;
    bytes[mid] = (bytes[mid] ?? 0) ^ 0xff;
    await writeFile(archive, bytes);
    const whole = await restoreSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      octaneStopped: true,
    });
    expect(whole.started).toBe(false);
    if (whole.started) return;
    expect(whole.readiness?.problems.join(' ')).toMatch(/cannot be restored as a whole.*--only database/);
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');

    const plan = await planRestore({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      only: ['database'],
    });
    expect(plan.readiness.ready).toBe(true);
    expect(plan.readiness.notes.join(' ')).toMatch(/PARTIAL restore: only the database/);
    const repoChoice = plan.preparation.stages.find((s) => s.id === 'repository');
    expect(repoChoice?.available).toBe(false);
    expect(repoChoice?.reason).toMatch(/repository\/repository\.tar\.gz, altered/);

    const only = await restoreSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      only: ['database'],
      octaneStopped: true,
    });
    expect(only.started).toBe(true);
    if (!only.started) return;
    expect(only.report.status).toBe('succeeded');
    expect(i.r.fake.databases[0]?.content).toBe('site at the backup');
    expect(await readFile(join(i.repo, 'attachments/new-after-set.txt'), 'utf8')).toBe(
      'added after the set\n',
    );
    expect(only.report.notRestored.join(' ')).toMatch(/Repository folder.*Not restorable from this set/);
    expect(only.report.notes.join(' ')).toMatch(/PARTIAL restore/);
  });

  it('TDS stand-in: a sealed set whose manifest was altered since the backup is refused where the seal key is (the profile names it), with nothing changed', async () => {
    const i = await installation();
    await changeEverything(i);
    const key = 'restore-test-seal-key-0123456789abcdef';
    const env = { PATH: process.env.PATH, OCTANE_TEST_SEAL: key };
    const profile = { ...i.profile, sealKeyEnv: 'OCTANE_TEST_SEAL' };
    const manifest = await readManifest(i.setPath);
    await writeManifestAtomic(i.setPath, sealManifest(manifest, key));
    const sealed = await planRestore({ setPath: i.setPath, profile, env, signal: signal(), only: BOTH });
    expect(sealed.readiness.ready, sealed.readiness.problems.join(' ')).toBe(true);

    // Someone edits the manifest after it was sealed (a forged label here; an artifact and its
    // SHA-256 edited together alike): the files still match the manifest, the seal does not.
    const forged = JSON.parse(await readFile(join(i.setPath, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(join(i.setPath, 'manifest.json'), JSON.stringify({ ...forged, label: 'forged' }));
    const plan = await planRestore({ setPath: i.setPath, profile, env, signal: signal(), only: BOTH });
    expect(plan.preparation.verify.verdict).toBe('damaged');
    expect(plan.readiness.ready).toBe(false);
    expect(plan.readiness.problems.join(' ')).toMatch(/TAMPERED: the seal does not match/);
    const out = await restoreSet({
      setPath: i.setPath,
      profile,
      env,
      signal: signal(),
      only: BOTH,
      octaneStopped: true,
    });
    expect(out.started).toBe(false);
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');
    expect(await readFile(join(i.repo, 'attachments/new-after-set.txt'), 'utf8')).toBe(
      'added after the set\n',
    );
  });

  it('TDS stand-in: a database that fails to restore (3101, in use) stops the restore before the repository folder, which is left untouched', async () => {
    const i = await installation({
      restoreScripts: {
        octane_sp_1001: {
          fail: [
            {
              number: 3101,
              message: 'Exclusive access could not be obtained because the database is in use.',
              severity: 16,
            },
            { number: 3013, message: 'RESTORE DATABASE is terminating abnormally.', severity: 16 },
          ],
        },
      },
    });
    await changeEverything(i);
    const out = await restoreSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      only: BOTH,
      octaneStopped: true,
    });
    if (!out.started) throw new Error(JSON.stringify(out));
    expect(out.report.status).toBe('failed');
    const [db, , , repo] = out.report.stages;
    expect(db?.status).toBe('failed');
    expect(db?.state).toMatch(/Restored: octane_site\..*Failed: octane_sp_1001/);
    expect(db?.error?.fix).toBeTruthy();
    expect(repo?.status).toBe('not-run');
    expect(repo?.state).toMatch(/stopped at the database.*repository folder stays as it is now/);
    expect(await readFile(join(i.repo, 'attachments/new-after-set.txt'), 'utf8')).toBe(
      'added after the set\n',
    );
    expect(existsSync(`${i.repo}.before-restore`)).toBe(false);
    expect((await readdir(join(i.repo, '..'))).filter((n) => n.includes('before-restore'))).toEqual([]);
    expect(out.report.nextSteps[0]).toMatch(/^Keep Octane stopped/);
  });

  it('TDS stand-in: a declined confirmation changes nothing', async () => {
    const i = await installation();
    await changeEverything(i);
    let asked = 0;
    const out = await restoreSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      only: BOTH,
      confirm: () => {
        asked++;
        return Promise.resolve(false);
      },
    });
    expect(asked).toBe(1);
    expect(out).toMatchObject({ started: false, declined: true });
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');
    expect(existsSync(join(i.setPath, 'restore-reports'))).toBe(false);
  });

  it('TDS stand-in: cancelled during the repository folder: the database stays restored, the folder holds a partial restore, the previous folder is intact and the way back is said', async () => {
    const i = await installation({ large: true });
    await changeEverything(i);
    const before = await snapshotTree(i.repo);
    const ac = new AbortController();
    const leaves: string[] = [];
    const out = await restoreSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: ac.signal,
      only: BOTH,
      octaneStopped: true,
      onEvent: (e) => {
        if (e.type === 'stage-progress' && e.stage === 'repository' && e.leaves) {
          leaves.push(e.leaves);
          if (e.leaves.includes('PARTIAL')) ac.abort();
        }
      },
    });
    if (!out.started) throw new Error(JSON.stringify(out));
    expect(out.report.status).toBe('cancelled');
    expect(out.report.stages.map((s) => [s.id, s.status])).toEqual([
      ['database', 'succeeded'],
      ['elasticsearch', 'skipped'],
      ['config', 'skipped'],
      ['repository', 'cancelled'],
    ]);
    expect(i.r.fake.databases[1]?.content).toBe('space at the backup');
    const aside = (out.report.stages[3]?.details as { movedAside?: string }).movedAside ?? '';
    expect(aside).toMatch(/before-restore-/);
    expect(await snapshotTree(aside)).toEqual(before);
    expect(out.report.stages[3]?.state).toContain(aside);
    expect(leaves.find((l) => l.includes('PARTIAL'))).toContain(aside);
    expect(out.report.nextSteps[0]).toMatch(/^Keep Octane stopped/);
  });
});

describe('Octane must be stopped', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('TDS stand-in: a URL that answers refuses the restore with the fix; a closed port passes the check', async () => {
    const i = await installation();
    server = createServer((_q, res) => res.end('Octane'));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const running = await planRestore({
      setPath: i.setPath,
      profile: { ...i.profile, octaneUrl: `http://127.0.0.1:${port}/ui` },
      signal: signal(),
      only: BOTH,
    });
    const url = running.preparation.checks.find((c) => c.id === 'octane.url');
    expect(url?.status).toBe('failed');
    expect(url?.message).toMatch(/answers \(HTTP 200\)/);
    expect(running.readiness.ready).toBe(false);
    expect(running.preparation.confirmStopped).toBe(false);
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const stopped = await planRestore({
      setPath: i.setPath,
      profile: { ...i.profile, octaneUrl: `http://127.0.0.1:${port}/ui` },
      signal: signal(),
      only: BOTH,
    });
    expect(stopped.preparation.checks.find((c) => c.id === 'octane.url')?.status).toBe('ok');
    expect(stopped.readiness.ready).toBe(true);
  });

  it('TDS stand-in: without service or URL the admin must confirm; a restore without the confirmation does not start', async () => {
    const i = await installation();
    const out = await restoreSet({ setPath: i.setPath, profile: i.profile, signal: signal(), only: BOTH });
    expect(out.started).toBe(false);
    if (out.started) return;
    expect(out.readiness?.problems.join(' ')).toMatch(/Octane must be stopped on every node/);
  });
});
