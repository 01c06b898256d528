// The Oracle database step (Data Pump export AS OF one SCN) and the calls the UI uses to set it up.
import { STEP_TITLES } from '../../../contract/words.js';
import type { BackupStep } from '../../step.js';
import { thinConnect, type ConnectFactory } from './driver.js';
import { runOracleStep } from './oracle-step.js';
import { oraclePreflight } from './preflight.js';

export { listOracleSchemas, testOracleConnection } from './discover.js';
export type {
  DiscoverOptions,
  OracleConnectionTest,
  OracleLogin,
  OracleSchemaCandidate,
  OracleSchemaList,
} from './discover.js';
export type { ConnectFactory, ConnectParams, OracleConnection, OracleLob } from './driver.js';

export interface OracleStepOptions {
  /** The driver connection factory; default: oracledb.getConnection in Thin mode. */
  connect?: ConnectFactory;
  /** Pause between two Data Pump GET_STATUS calls, ms (default 2000). */
  pollIntervalMs?: number;
  /** Bytes per BFILE read round trip (default 4 MiB). */
  chunkBytes?: number;
}

export function createOracleStep(opts: OracleStepOptions = {}): BackupStep {
  const connect = opts.connect ?? thinConnect;
  return {
    id: 'database',
    title: STEP_TITLES.oracle,
    phased: true,
    preflight: (ctx) => oraclePreflight(ctx, connect),
    run: (ctx) => {
      const o: Parameters<typeof runOracleStep>[1] = { connect, pollIntervalMs: opts.pollIntervalMs ?? 2000 };
      if (opts.chunkBytes !== undefined) o.chunkBytes = opts.chunkBytes;
      return runOracleStep(ctx, o);
    },
  };
}
