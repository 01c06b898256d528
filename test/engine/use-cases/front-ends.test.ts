// The same scenarios through every front end: the CLI's `run`, the window (runs:start over the
// IPC handlers) and the headless --run mode all call the backup use-case, so they must behave
// alike. Test steps stand in for the stores; retention, the Event Log runner and e-mail are real
// code (the e-mail goes to a real SMTP listener on loopback; Event Log commands are recorded).
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { runCommand } from '../../../src-main/cli/commands/run.js';
import { afterRun } from '../../../src-main/engine/alerts/after-run.js';
import { verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import { planRetention } from '../../../src-main/engine/use-cases/retention.js';
import { profileDestinations } from '../../../src-main/engine/backup-set/set-layout.js';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import { runHeadless } from '../../../src-main/electron/headless-run.js';
import { captureIo } from '../../support/cli-io.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';
import { makeCore, waitForDone } from '../../electron/core-fixture.js';
import { hoursAgo, writeSet } from '../retention/set-tree.js';
import { startSmtp, subjectOf, type TestSmtp } from '../alerts/smtp-test-server.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp({});
});
afterAll(async () => smtp.close());
beforeEach(async () => {
  dir = await tempDir('obm-front-ends-');
});
afterEach(async () => dir.cleanup());

const okSteps = { repository: { kind: 'ok' as const } };

/** Event Log writes are recorded: the PowerShell each front end would start on Windows. */
function eventLogRecorder(): { runner: CommandRunner; scripts: string[] } {
  const scripts: string[] = [];
  return {
    scripts,
    runner: (_file, args) => {
      scripts.push(Buffer.from(args.at(-1) ?? '', 'base64').toString('utf16le'));
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    },
  };
}

async function setsIn(folder: string): Promise<string[]> {
  return readdir(folder).catch(() => []);
}

describe('cancel during the prune that follows a run (every front end)', () => {
  // A full profile (the test steps take each store), so the run's set is complete and prunes.
  const profile = (): Profile => ({
    profile: 'nightly',
    destination: join(dir.path, 'dest'),
    database: {
      engine: 'sqlserver',
      server: 'sql01',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\bak',
    },
    elasticsearch: { node: 'http://127.0.0.1:9', repository: 'octane_backup', location: '/es/repo' },
    repository: { path: join(dir.path, 'repo') },
    retention: { keepLast: 1, pruneAfterRun: true },
  });
  const fullSteps = {
    database: { kind: 'ok' as const },
    elasticsearch: { kind: 'ok' as const },
    repository: { kind: 'ok' as const },
  };
  async function oldSets(): Promise<void> {
    for (const h of [72, 48, 30])
      await writeSet(join(dir.path, 'dest'), 'nightly', {
        startedAt: hoursAgo(new Date(), h),
        kind: 'manual',
      });
  }

  it('CLI: Ctrl-C while the after-run work starts stops the prune: no older set is deleted', async () => {
    await oldSets();
    const ac = new AbortController();
    const cfg = join(dir.path, 'nightly.json');
    await writeFile(cfg, JSON.stringify(profile()));
    const code = await runCommand(['--config', cfg], captureIo(ac.signal), {
      steps: registry(fullSteps, []),
      // Cancel arrives once the set is finished, while the after-run work begins.
      afterRun: (p, r, d) => (ac.abort(), afterRun(p, r, d)),
    });
    expect(code).toBe(0);
    expect(await setsIn(join(dir.path, 'dest', 'nightly'))).toHaveLength(4);
  });

  it('app: Cancel while the after-run work starts stops the prune: no older set is deleted', async () => {
    await oldSets();
    const jobs: string[] = [];
    const { core, handlers, emitted } = makeCore({
      dir: dir.path,
      steps: fullSteps,
      deps: {
        engine: {
          afterRun: (p, r, d) => {
            for (const j of jobs) core.runs.cancel(j);
            return afterRun(p, r, d);
          },
        },
      },
    });
    await handlers['profiles:save']({ profile: profile() });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    jobs.push(job.jobId);
    const done = await waitForDone(emitted, job.jobId);
    expect(done.result.ok && done.result.value.status).toBe('succeeded');
    expect(await setsIn(join(dir.path, 'dest', 'nightly'))).toHaveLength(4);
  });

  it('headless: stopping the scheduled task while the after-run work starts stops the prune', async () => {
    await oldSets();
    const ac = new AbortController();
    const { core, handlers } = makeCore({
      dir: dir.path,
      steps: fullSteps,
      deps: { engine: { afterRun: (p, r, d) => (ac.abort(), afterRun(p, r, d)) } },
    });
    await handlers['profiles:save']({ profile: profile() });
    const code = await runHeadless(
      { mode: 'headless', profile: 'nightly', kind: 'scheduled' },
      { core, logFile: join(dir.path, 'headless.log'), signal: ac.signal },
    );
    expect(code).toBe(0);
    expect(await setsIn(join(dir.path, 'dest', 'nightly'))).toHaveLength(4);
  });

  it('without a cancel the same prune does delete (the scenario can fail)', async () => {
    await oldSets();
    const cfg = join(dir.path, 'nightly.json');
    await writeFile(cfg, JSON.stringify(profile()));
    expect(await runCommand(['--config', cfg], captureIo(), { steps: registry(fullSteps, []) })).toBe(0);
    expect(await setsIn(join(dir.path, 'dest', 'nightly'))).toHaveLength(1);
  });
});

describe('a run that cannot start raises the same alerts from every front end', () => {
  const alerts = {
    eventLog: true,
    email: { host: '127.0.0.1', port: 0, from: 'backup@corp', to: ['ops@corp'], when: 'failure' as const },
  };

  it('CLI (destination unusable) and headless (backup drive not connected): Event Log 1002 and an e-mail', async () => {
    const file = join(dir.path, 'not-a-folder');
    await writeFile(file, 'x');
    const cli = eventLogRecorder();
    const cfg = join(dir.path, 'nightly.json');
    const mail = { ...alerts, email: { ...alerts.email, port: smtp.port } };
    await writeFile(
      cfg,
      JSON.stringify({
        profile: 'nightly',
        destination: join(file, 'sub'),
        repository: { path: join(dir.path, 'repo') },
        alerts: mail,
      }),
    );
    const before = smtp.received.length;
    const io = captureIo();
    const code = await runCommand(['--config', cfg, '--kind', 'scheduled'], io, {
      steps: registry(okSteps, []),
      alerts: { platform: 'win32', runner: cli.runner },
    });
    expect(code).toBe(1);
    expect(io.errors.join('\n')).toMatch(/Backup not started/);

    const app = eventLogRecorder();
    const { core, handlers } = makeCore({
      dir: dir.path,
      steps: okSteps,
      drives: () => Promise.resolve([]),
      deps: {
        engine: { afterRun: (p, r, d) => afterRun(p, r, { ...d, platform: 'win32', runner: app.runner }) },
      },
    });
    await handlers['profiles:save']({
      profile: {
        profile: 'nightly',
        destination: 'E:\\OctaneBackups',
        repository: { path: join(dir.path, 'repo') },
        alerts: mail,
      },
      volumes: {
        default: { volumeId: 'vol-1', label: 'BACKUP1', relativePath: 'OctaneBackups', lastRoot: 'E:\\' },
      },
    });
    const exit = await runHeadless(
      { mode: 'headless', profile: 'nightly', kind: 'scheduled' },
      { core, logFile: join(dir.path, 'headless.log'), signal: new AbortController().signal },
    );
    expect(exit).toBe(1);

    for (const rec of [cli, app]) {
      expect(rec.scripts).toHaveLength(1);
      expect(rec.scripts[0]).toMatch(/-EventId 1002/);
      expect(rec.scripts[0]).toMatch(/No backup was taken/);
    }
    const subjects = smtp.received.slice(before).map((m) => subjectOf(m.raw));
    expect(subjects).toHaveLength(2);
    for (const s of subjects) expect(s).toMatch(/nightly.*FAILED/);
  });
});

describe('a destination for a component the profile does not take', () => {
  it('is seen identically by the run, History, verify and retention: nothing there, nothing read there', async () => {
    const profile: Profile = {
      profile: 'nightly',
      destination: join(dir.path, 'A'),
      destinations: { elasticsearch: join(dir.path, 'B') },
      repository: { path: join(dir.path, 'repo') },
    };
    expect(profileDestinations(profile)).toEqual([join(dir.path, 'A')]);
    const { handlers, emitted } = makeCore({ dir: dir.path, steps: okSteps });
    await handlers['profiles:save']({ profile });
    const job = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    const done = await waitForDone(emitted, job.jobId);
    if (!done.result.ok) throw new Error('the run did not finish');
    expect(done.result.value.setPaths).toHaveLength(1);
    expect(done.result.value.setPaths[0]?.startsWith(join(dir.path, 'A', 'nightly'))).toBe(true);
    expect(await setsIn(join(dir.path, 'B'))).toEqual([]);

    const history = await handlers['sets:list']('nightly');
    expect(history.map((s) => s.path)).toEqual(done.result.value.setPaths);
    const report = await verifyBackupSet(done.result.value.setPaths[0] as string);
    expect(report.verdict).toBe('intact-partial');
    expect(report.checks.every((c) => !c.artifact.path.startsWith('elasticsearch'))).toBe(true);
    const plan = await planRetention(profile);
    expect(plan.problems).toEqual([]);
    expect(plan.entries.flatMap((e) => e.copies.map((c) => c.path))).toEqual(done.result.value.setPaths);
  });
});
