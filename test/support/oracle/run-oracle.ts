// Runs a real backup (the real runner, set writer and manifest) whose Oracle step talks to
// the driver stand-in instead of a database.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../../../src-main/contract/events.js';
import type { ComponentRecord } from '../../../src-main/contract/manifest.js';
import type { OracleConfig, Profile } from '../../../src-main/contract/profile.js';
import { runBackup, type RunResult } from '../../../src-main/engine/run-backup.js';
import { createOracleStep } from '../../../src-main/engine/steps/oracle/index.js';
import { defaultSteps } from '../../../src-main/engine/steps/registry.js';
import type { FakeOracleServer } from './healthy-server.js';

export const TEST_PASSWORD = 'S3cr3t-Pa55w0rd';

export function oracleProfile(destination: string, cfg: Partial<OracleConfig> = {}): Profile {
  return {
    profile: 'oracle-test',
    destination,
    database: {
      engine: 'oracle',
      connectString: 'dbhost.example:1521/OCTANEPDB',
      user: 'backup',
      passwordEnv: 'OCTANE_TEST_ORACLE_PASSWORD',
      // Lower case on purpose: Oracle stores unquoted names in upper case.
      schemas: ['octane_site', 'SPACE_1001'],
      ...cfg,
    },
  };
}

export interface OracleRun {
  result: RunResult;
  events: RunEvent[];
  db: ComponentRecord;
  setRoot: string;
  runLog: string;
}

export async function runOracleBackup(
  server: FakeOracleServer,
  destination: string,
  opts: { cfg?: Partial<OracleConfig>; signal?: AbortSignal; pollIntervalMs?: number } = {},
): Promise<OracleRun> {
  const events: RunEvent[] = [];
  const defaults = defaultSteps();
  const runOpts: Parameters<typeof runBackup>[1] = {
    env: { OCTANE_TEST_ORACLE_PASSWORD: TEST_PASSWORD },
    onEvent: (e) => events.push(e),
    steps: {
      ...defaults,
      database: (p) =>
        p.database?.engine === 'oracle'
          ? createOracleStep({
              connect: server.db.connect,
              pollIntervalMs: opts.pollIntervalMs ?? 0,
              chunkBytes: 64 * 1024,
            })
          : defaults.database(p),
    },
  };
  if (opts.signal) runOpts.signal = opts.signal;
  const result = await runBackup(oracleProfile(destination, opts.cfg), runOpts);
  const db = result.manifest.components.find((c) => c.id === 'database');
  if (!db) throw new Error('manifest has no database component');
  const setRoot = result.setPaths[0] ?? '';
  const runLog = await readFile(join(setRoot, 'run.log'), 'utf8').catch(() => '');
  return { result, events, db, setRoot, runLog };
}
