import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOracleServer, jobStatus, SQL } from '../../../support/oracle/healthy-server.js';
import { bindText } from '../../../support/oracle/oracle-stand-in.js';
import { runOracleBackup } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-');
});
afterEach(async () => tmp.cleanup());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('Oracle step cancel (Oracle driver stand-in)', () => {
  it('Oracle driver stand-in: cancel mid-export stops the job on the server and removes its files', async () => {
    const server = new FakeOracleServer();
    const ac = new AbortController();
    server.db.on(SQL.status, jobStatus('EXECUTING', 0), () => {
      ac.abort(); // the Cancel button, pressed while the job is at 37 %
      return jobStatus('EXECUTING', 37);
    });
    const { result, db, setRoot } = await runOracleBackup(server, join(tmp.path, 'dest'), {
      signal: ac.signal,
    });

    expect(result.status).toBe('cancelled');
    expect(db.status).toBe('cancelled');
    expect(result.manifest.complete).toBe(false);
    const stops = server.db.callsTo(SQL.stop);
    expect(stops).toHaveLength(1);
    expect(stops[0]?.binds).toEqual({ handle: 4242 });
    expect(stops[0]?.sql).toBe(
      'BEGIN DBMS_DATAPUMP.STOP_JOB(handle => :handle, immediate => 1, keep_master => 0); END;',
    );
    // Nothing is polled after the stop, and the job is not detached as if it had finished.
    expect(server.db.indexOf(SQL.stop)).toBeGreaterThan(
      server.db.calls.map((c) => SQL.status.test(c.sql)).lastIndexOf(true),
    );
    expect(server.db.callsTo(SQL.detach)).toHaveLength(0);
    // The half-written dump and its log are removed from the DIRECTORY.
    expect(server.db.callsTo(SQL.remove)).toHaveLength(2);
    expect(server.files.size).toBe(0);
    expect(db.statements.some((s) => s.includes('STOP_JOB'))).toBe(true);
    expect(db.artifacts).toEqual([]);
    expect(
      (await filesUnder(join(setRoot, 'database'))).filter(
        (n) => n.endsWith('.dmp') || n.endsWith('.partial'),
      ),
    ).toEqual([]);
    expect(server.db.closed).toBe(1);
  });

  it('Oracle driver stand-in: cancel during the copy leaves no partial file in the set and keeps the finished server dump', async () => {
    const server = new FakeOracleServer({ maxChunk: 10_000 });
    const ac = new AbortController();
    let reads = 0;
    server.db.on(SQL.bfile, (call) => {
      const file = server.files.get(bindText(call, 'file_name')) ?? Buffer.alloc(0);
      return {
        rows: [
          {
            LEN: file.length,
            BF: {
              getData: (offset: number, amount: number) => {
                if (++reads === 3) ac.abort();
                return Promise.resolve(file.subarray(offset - 1, offset - 1 + Math.min(amount, 10_000)));
              },
              destroy: () => undefined,
            },
          },
        ],
      };
    });
    const { result, db, setRoot } = await runOracleBackup(server, join(tmp.path, 'dest'), {
      signal: ac.signal,
    });
    expect(result.status).toBe('cancelled');
    expect(db.status).toBe('cancelled');
    expect(reads).toBe(3);
    expect(server.db.callsTo(SQL.stop)).toHaveLength(0);
    expect(server.dumpPieces()).toHaveLength(1); // a complete dump stays where Data Pump wrote it
    expect(await filesUnder(join(setRoot, 'database'))).toEqual([]);
    expect(db.artifacts).toEqual([]);
  });
});
