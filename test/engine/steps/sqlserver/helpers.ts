// Shared set-up for the SQL Server step tests that run against the TDS stand-in.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsistencyPoint, ServerInfo, Warning } from '../../../../src-main/contract/manifest.js';
import type { Profile, SqlServerConfig } from '../../../../src-main/contract/profile.js';
import { ComponentWriter } from '../../../../src-main/engine/backup-set/component-writer.js';
import { createDbClock } from '../../../../src-main/engine/db-clock.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import type { StepContext } from '../../../../src-main/engine/step.js';
import {
  startFakeSqlServer,
  type FakeSqlServer,
  type FakeSqlServerOptions,
} from '../../../support/tds/fake-sql-server.js';

export const PASSWORD = 'Very$ecret-42';

export interface Rig {
  fake: FakeSqlServer;
  /** Temp folder standing in for the server's backup folder (also what copyFrom points to). */
  serverDir: string;
  dest: string;
  db(overrides?: Partial<SqlServerConfig>): SqlServerConfig;
  profile(overrides?: Partial<SqlServerConfig>): Profile;
  close(): Promise<void>;
}

export async function rig(
  opts: Omit<FakeSqlServerOptions, 'serverDir' | 'localDir'> & { serverDir?: string; dirName?: string },
): Promise<Rig> {
  const root = await mkdtemp(join(tmpdir(), 'obm-sqlserver-'));
  const local = join(root, opts.dirName ?? 'server-backups');
  const dest = join(root, 'dest');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(local, { recursive: true });
  const serverDir = opts.serverDir ?? local;
  const fake = await startFakeSqlServer({ ...opts, serverDir, localDir: local });
  const db = (o: Partial<SqlServerConfig> = {}): SqlServerConfig => ({
    engine: 'sqlserver',
    server: '127.0.0.1',
    port: fake.port,
    user: 'octane_backup',
    password: PASSWORD,
    encrypt: false,
    databases: opts.databases.map((d) => d.name),
    serverBackupDir: serverDir,
    copyFrom: local,
    ...o,
  });
  return {
    fake,
    serverDir: local,
    dest,
    db,
    profile: (o = {}) => ({ profile: 'sql-test', destination: dest, database: db(o) }),
    close: async () => {
      await fake.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface Recorded {
  progress: { fraction: number; message?: string; bytesDone?: number; bytesTotal?: number }[];
  statements: string[];
  warnings: Warning[];
  details: Record<string, unknown>;
  server?: ServerInfo;
  point?: ConsistencyPoint;
}

/** A StepContext with a real ComponentWriter and DbClock that records what the step reports. */
export function stepContext(
  profile: Profile,
  setRoot: string,
  signal = new AbortController().signal,
): { ctx: StepContext; rec: Recorded } {
  const rec: Recorded = { progress: [], statements: [], warnings: [], details: {} };
  // The runner creates the set folder before any step writes into it.
  mkdirSync(setRoot, { recursive: true });
  const ctx: StepContext = {
    signal,
    progress: {
      report: (fraction, c = {}) => {
        const p: Recorded['progress'][number] = { fraction };
        if (c.message !== undefined) p.message = c.message;
        if (c.bytesDone !== undefined) p.bytesDone = c.bytesDone;
        if (c.bytesTotal !== undefined) p.bytesTotal = c.bytesTotal;
        rec.progress.push(p);
      },
    },
    log: silentLogger,
    out: new ComponentWriter('database', setRoot),
    record: {
      server: (s) => (rec.server = s),
      consistencyPoint: (p) => (rec.point = p),
      statement: (s) => rec.statements.push(s),
      detail: (k, v) => (rec.details[k] = v),
      warn: (code, message, subject) => rec.warnings.push({ code, message, ...(subject ? { subject } : {}) }),
    },
    clock: createDbClock(),
    profile,
    secrets: {},
    env: {},
  };
  return { ctx, rec };
}
