// One backup under the Octane-like workload: the SQL Server stand-in (TDS) as the database, the
// workload changing the repository during the whole run, the real runner, then the checker on
// what an extraction of the set's archive leaves. Shared by the tests and `npm run bench:skew`.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComponentRecord } from '../../../src-main/contract/manifest.js';
import type { CaptureMode, Profile } from '../../../src-main/contract/profile.js';
import { runBackup, type RunOptions, type RunResult } from '../../../src-main/engine/run-backup.js';
import { startFakeSqlServer, type FakeDatabase } from '../tds/fake-sql-server.js';
import { check, extractedSet, type CheckReport } from './checker.js';
import { startWorkload, type JournalEntry, type WorkloadConfig } from './workload.js';

export interface ScenarioInput {
  mode: CaptureMode;
  /** The repository folder (made with makeTree) and its workload state file. */
  repo: string;
  state: string;
  destination: string;
  databases: FakeDatabase[];
  /** The stand-in's clock against this machine's (it reports its point on its own clock). */
  dbClock?: { offsetMs: number; tzMinutes: number };
  workload: Omit<WorkloadConfig, 'root' | 'state' | 'journal'>;
  /** More of the profile (elasticsearch, format, snapshot keys ...). */
  profile?: (p: Profile) => Profile;
  run?: Pick<RunOptions, 'steps' | 'env'>;
}

export interface ScenarioResult {
  result: RunResult;
  repo: ComponentRecord;
  /** The stand-in's own consistency point (the end of its last backup) on this machine's clock. */
  dbPointMs: number;
  /** The same, on the stand-in's clock (what it reported as backup_finish). */
  dbPointServerTime: string;
  journal: JournalEntry[];
  report: CheckReport;
  /** Wall time of the run, ms. */
  elapsedMs: number;
}

export async function runScenario(input: ScenarioInput): Promise<ScenarioResult> {
  const work = await mkdtemp(join(tmpdir(), 'obm-scenario-'));
  const serverDir = join(work, 'server-backups');
  await mkdir(serverDir, { recursive: true });
  const fake = await startFakeSqlServer({
    databases: input.databases,
    serverDir,
    localDir: serverDir,
    clock: input.dbClock ?? { offsetMs: 0, tzMinutes: 0 },
  });
  try {
    let profile: Profile = {
      profile: `workload-${input.mode}`,
      destination: input.destination,
      database: {
        engine: 'sqlserver',
        server: '127.0.0.1',
        port: fake.port,
        user: 'octane_backup',
        password: 'Stand-in$42',
        encrypt: false,
        databases: input.databases.map((d) => d.name),
        serverBackupDir: serverDir,
        copyFrom: serverDir,
      },
      repository: { path: input.repo, capture: input.mode },
    };
    if (input.profile) profile = input.profile(profile);
    const workload = await startWorkload({
      ...input.workload,
      root: input.repo,
      state: input.state,
      journal: join(work, 'journal.jsonl'),
    });
    const t0 = Date.now();
    let result: RunResult;
    let journal: JournalEntry[] = [];
    try {
      result = await runBackup(profile, { env: {}, ...input.run });
    } finally {
      journal = await workload.stop();
    }
    const elapsedMs = Date.now() - t0;
    const last = fake.backups.filter((b) => b.completed).at(-1)?.point;
    if (!last) throw new Error('the stand-in completed no backup');
    const repo = result.manifest.components.find((c) => c.id === 'repository') as ComponentRecord;
    const archive = repo.artifacts.find((a) => /repository\.(tar|tar\.gz|zip)$/.test(a.path));
    if (!archive)
      throw new Error(`no repository archive in the set: ${repo.status} ${JSON.stringify(repo.error)}`);
    const bracket = repo.details?.bracket as
      { firstPass: { startedAt: string }; secondPass: { finishedAt: string } } | undefined;
    const report = check({
      initial: workload.initial,
      journal,
      dbPointMs: last.localMs,
      set: extractedSet(join(result.setPaths[0] as string, ...archive.path.split('/'))),
      ...(!bracket && { repositoryPointMs: Date.parse(repo.consistencyPoint?.localTime ?? '') }),
      ...(bracket && {
        bracket: {
          firstPassStartMs: Date.parse(bracket.firstPass.startedAt),
          secondPassEndMs: Date.parse(bracket.secondPass.finishedAt),
        },
      }),
    });
    return {
      result,
      repo,
      dbPointMs: last.localMs,
      dbPointServerTime: last.serverWallTime,
      journal,
      report,
      elapsedMs,
    };
  } finally {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  }
}
