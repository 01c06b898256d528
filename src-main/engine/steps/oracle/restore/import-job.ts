// One schema-mode DBMS_DATAPUMP import of the set's schemas (remapped into scratch schemas for a
// rehearsal), followed to its end. As on backup, a job that completes with ORA errors fails: the
// errors come from GET_STATUS and from the job's log file, read back from the DIRECTORY. The only
// lines a rehearsal tolerates are compilation warnings (ORA-39082): REMAP_SCHEMA does not rewrite
// references inside PL/SQL, views and triggers, so those objects are reported, not failed.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../logger.js';
import { DataPumpJobError, watchJob, type JobStatus } from '../datapump-watch.js';
import type { OracleConnection } from '../driver.js';
import { num } from '../session.js';
import { describeStatement, SQL_BFILE } from '../sql.js';
import type { OracleLob } from '../driver.js';
import { importBinds } from './sql.js';

export interface ImportNames {
  job: string;
  log: string;
}

export function importNames(now: Date): ImportNames {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const rand = randomBytes(3).toString('hex');
  return { job: `OCTRST_${stamp}_${rand.toUpperCase()}`, log: `octane-restore-${stamp}-${rand}-import.log` };
}

/** Compilation warnings: expected after REMAP_SCHEMA, reported instead of failing a rehearsal. */
export const TOLERATED_WHEN_REMAPPED = ['ORA-39082'];

export interface ImportOptions {
  conn: OracleConnection;
  dir: string;
  names: ImportNames;
  dumps: string[];
  schemas: string[];
  /** Rehearsal: schema → scratch schema. */
  remap?: Map<string, string>;
  signal: AbortSignal;
  pollIntervalMs: number;
  chunkBytes: number;
  onStatus: (s: JobStatus) => void;
  onStatement: (text: string) => void;
  log: Logger;
}

export interface ImportResult {
  seconds: number;
  /** The job's log as the server wrote it (empty when it could not be read). */
  logText: string;
  /** ORA lines tolerated in a rehearsal (compilation warnings). */
  warnings: string[];
}

export function importStatement(o: Pick<ImportOptions, 'names' | 'dir' | 'dumps' | 'schemas' | 'remap'>): {
  sql: string;
  binds: ReturnType<typeof importBinds>['binds'];
} {
  const b: Parameters<typeof importBinds>[0] = {
    job: o.names.job,
    dir: o.dir,
    log: o.names.log,
    dumps: o.dumps,
    schemas: o.schemas,
  };
  if (o.remap) b.remap = o.remap;
  return importBinds(b);
}

/** The ORA- lines of a Data Pump log (the header and progress lines carry none). */
export function oraLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /\bORA-\d{5}\b/.test(l));
}

async function readLog(o: ImportOptions): Promise<string> {
  try {
    const r = await o.conn.execute(SQL_BFILE, { dir: o.dir, file_name: o.names.log });
    const lob = r.rows?.[0]?.BF as OracleLob | undefined;
    // A log is small; 16 MiB is far more than any import writes, and bounds what is kept.
    const len = Math.min(num(r.rows?.[0]?.LEN) ?? 0, 16 * 1024 * 1024);
    if (!lob) return '';
    const parts: Buffer[] = [];
    let done = 0;
    try {
      while (done < len) {
        const data = await lob.getData(done + 1, Math.min(o.chunkBytes, len - done));
        const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        if (!buf || buf.length === 0) break;
        parts.push(buf);
        done += buf.length;
      }
    } finally {
      lob.destroy();
    }
    return Buffer.concat(parts).toString('utf8');
  } catch (err) {
    o.log.warn(`The import log ${o.names.log} could not be read back: ${(err as Error).message}`);
    return '';
  }
}

export async function runImportJob(o: ImportOptions): Promise<ImportResult> {
  const { sql, binds } = importStatement(o);
  o.onStatement(describeStatement(sql, binds));
  const started = Date.now();
  const setup = await o.conn.execute(sql, { ...binds, handle: { out: 'number' } });
  const handle = num(setup.outBinds?.handle);
  if (handle === undefined) throw new Error('DBMS_DATAPUMP.OPEN returned no job handle.');
  o.log.info(`Data Pump import ${o.names.job} started (schemas ${o.schemas.join(', ')}).`);
  let watched;
  try {
    watched = await watchJob(
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
  } catch (err) {
    if (err instanceof DataPumpJobError) {
      const logText = await readLog(o);
      throw new DataPumpJobError([...new Set([...err.lines, ...oraLines(logText)])], err.state, err.seconds);
    }
    throw err;
  }
  const logText = await readLog(o);
  const all = [...new Set([...watched.errors, ...oraLines(logText)])];
  const tolerated = o.remap ? all.filter((l) => TOLERATED_WHEN_REMAPPED.some((c) => l.includes(c))) : [];
  const failing = all.filter((l) => !tolerated.includes(l));
  if (failing.length > 0) throw new DataPumpJobError(failing, watched.lastStatus.state, watched.seconds);
  o.log.info(`Data Pump import ${o.names.job} completed in ${watched.seconds.toFixed(1)} s.`);
  return { seconds: watched.seconds, logText, warnings: tolerated };
}
