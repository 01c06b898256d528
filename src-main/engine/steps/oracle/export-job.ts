// Runs one schema-mode Data Pump export as of a given SCN and watches it to the end (see
// datapump-watch.ts for how a job is followed, stopped and detached).
import type { Logger } from '../../logger.js';
import type { Binds, OracleConnection } from './driver.js';
import { DataPumpJobError, watchJob, type JobStatus } from './datapump-watch.js';
import type { ExportNames } from './names.js';
import { num } from './session.js';
import { bindList, describeStatement, exportJobBlock } from './sql.js';

export { DataPumpJobError, sleep, type JobStatus } from './datapump-watch.js';

export interface ExportJobOptions {
  conn: OracleConnection;
  directory: string;
  schemas: readonly string[];
  scn: string;
  names: ExportNames;
  /** FILESIZE for each piece, or null for one dump file. */
  fileSize: string | null;
  signal: AbortSignal;
  pollIntervalMs: number;
  onStatus: (s: JobStatus) => void;
  onStatement: (text: string) => void;
  log: Logger;
}

export interface ExportJobResult {
  seconds: number;
  lastStatus: JobStatus;
}

export async function runExportJob(o: ExportJobOptions): Promise<ExportJobResult> {
  const list = bindList(o.schemas);
  const binds: Binds = {
    job_name: o.names.job,
    dump_file: o.names.dumpPattern,
    log_file: o.names.log,
    dir: o.directory,
    file_size: o.fileSize,
    scn: o.scn,
    ...list.binds,
  };
  const sql = exportJobBlock(Object.keys(list.binds));
  o.onStatement(describeStatement(sql, binds));
  const started = Date.now();
  const setup = await o.conn.execute(sql, { ...binds, handle: { out: 'number' } });
  const handle = num(setup.outBinds?.handle);
  if (handle === undefined) throw new Error('DBMS_DATAPUMP.OPEN returned no job handle.');
  o.log.info(
    `Data Pump job ${o.names.job} started (schemas ${o.schemas.join(', ')}, FLASHBACK_SCN ${o.scn}).`,
  );
  const r = await watchJob(
    {
      conn: o.conn,
      handle,
      job: o.names.job,
      signal: o.signal,
      pollIntervalMs: o.pollIntervalMs,
      onStatus: o.onStatus,
      onStatement: o.onStatement,
      log: o.log,
    },
    started,
  );
  // A job that "completed" with errors skipped objects (ORA-01555 skips whole tables): not a backup.
  if (r.errors.length > 0) throw new DataPumpJobError(r.errors, r.lastStatus.state, r.seconds);
  o.log.info(`Data Pump job ${o.names.job} completed in ${r.seconds.toFixed(1)} s.`);
  return { seconds: r.seconds, lastStatus: r.lastStatus };
}
