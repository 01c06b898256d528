// A healthy Oracle server scripted on the driver stand-in: it answers the step's queries,
// "runs" the Data Pump job by creating the dump pieces and the log in a simulated DIRECTORY
// (optionally mirrored to a real folder, the DIRECTORY as this machine would see it through
// a share), serves them back as BFILEs in chunks, and removes them on UTL_FILE.FREMOVE.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bindText,
  FakeLob,
  OracleStandIn,
  oraError,
  type RecordedCall,
  type Reply,
} from './oracle-stand-in.js';

/** Patterns that tell the step's statements apart. */
export const SQL = {
  identity: /SYS_CONTEXT\('USERENV', 'SESSION_USER'\) AS SESSION_USER/,
  versionInstance: /FROM V\$INSTANCE/,
  scn: /GET_SYSTEM_CHANGE_NUMBER/,
  scnVDatabase: /CURRENT_SCN/,
  setup: /DBMS_DATAPUMP\.OPEN\(/,
  status: /DBMS_DATAPUMP\.GET_STATUS\(:handle/,
  stop: /DBMS_DATAPUMP\.STOP_JOB\(handle => :handle/,
  detach: /DBMS_DATAPUMP\.DETACH/,
  list: /DBMS_LOB\.FILEEXISTS/,
  bfile: /BFILENAME\(:dir, :file_name\) AS BF/,
  remove: /^BEGIN UTL_FILE\.FREMOVE/,
  undo: /undo_retention/,
  schemasDba: /FROM DBA_USERS/,
  schemasAll: /FROM ALL_USERS u JOIN ALL_OBJECTS/,
  roles: /FROM SESSION_ROLES$/,
  privs: /FROM SESSION_PRIVS/,
  usersIn: /SELECT USERNAME FROM ALL_USERS WHERE USERNAME IN/,
  directory: /FROM ALL_DIRECTORIES/,
  grants: /FROM ALL_TAB_PRIVS/,
  probe: /UTL_FILE\.FOPEN/,
  quota: /USER_TS_QUOTAS/,
  segments: /_SEGMENTS/,
} as const;

export function jobStatus(
  state: string,
  percent: number,
  extra: { errors?: string[]; wip?: string[]; bytesDone?: number; bytesTotal?: number } = {},
): Reply {
  return {
    outBinds: {
      state,
      percent_done: percent,
      bytes_done: extra.bytesDone ?? null,
      bytes_total: extra.bytesTotal ?? null,
      error_count: extra.errors?.length ?? 0,
      errors: extra.errors ? extra.errors.join('\n') + '\n' : null,
      wip: extra.wip ? extra.wip.join('\n') + '\n' : null,
    },
  };
}

export interface ServerOptions {
  /** Bytes of the whole dump; split into pieces of pieceBytes when the step asks for %U. */
  payload?: Buffer;
  pieceBytes?: number;
  /** A real folder that mirrors the DIRECTORY (for copyFrom). */
  mirrorDir?: string;
  scn?: string;
  dbTime?: string;
  directory?: string;
  sessionUser?: string;
  /** Users that exist (for the preflight's schema check). */
  users?: string[];
  maxChunk?: number;
}

export const DEFAULT_SCN = '98765432101234567'; // above 2^53: survives only as text
export const DEFAULT_DB_TIME = '2024-05-06T10:11:12.345+02:00';

export class FakeOracleServer {
  readonly db = new OracleStandIn();
  readonly files = new Map<string, Buffer>();
  readonly lobs: FakeLob[] = [];
  readonly payload: Buffer;
  readonly directory: string;
  readonly logText =
    'Export: Release 19.0.0.0.0 - Production\nJob "BACKUP"."OCTBKP" successfully completed\n';

  constructor(private readonly o: ServerOptions = {}) {
    this.payload = o.payload ?? randomBytes(250_000);
    this.directory = o.directory ?? 'DATA_PUMP_DIR';
    const db = this.db;
    const user = o.sessionUser ?? 'BACKUP';
    db.on(SQL.identity, {
      rows: [{ SESSION_USER: user, DB_NAME: 'OCTANEDB', DB_TIME: o.dbTime ?? DEFAULT_DB_TIME }],
    })
      .on(SQL.versionInstance, { rows: [{ VERSION: '19.21.0.0.0', EDITION: 'EE', INSTANCE_NAME: 'orcl' }] })
      .on(SQL.scn, { rows: [{ SCN: o.scn ?? DEFAULT_SCN, DB_TIME: o.dbTime ?? DEFAULT_DB_TIME }] })
      .on(SQL.setup, (c) => this.startJob(c))
      .on(
        SQL.status,
        jobStatus('EXECUTING', 0),
        jobStatus('EXECUTING', 37, { bytesDone: 37_000, bytesTotal: 100_000 }),
        jobStatus('COMPLETED', 100),
      )
      .on(SQL.detach, {})
      .on(SQL.stop, {})
      .on(SQL.list, (c) => this.list(c))
      .on(SQL.bfile, (c) => this.bfile(c))
      .on(SQL.remove, (c) => this.remove(c))
      .on(SQL.undo, { rows: [{ VALUE: '900' }] })
      .on(SQL.schemasDba, {
        rows: [
          { NAME: 'OCTANE_SITE', OBJECTS: 812 },
          { NAME: 'SPACE_1001', OBJECTS: 1630 },
        ],
      })
      .on(SQL.roles, { rows: [{ ROLE: 'DATAPUMP_EXP_FULL_DATABASE' }, { ROLE: 'EXP_FULL_DATABASE' }] })
      .on(SQL.privs, { rows: [{ PRIVILEGE: 'CREATE SESSION' }, { PRIVILEGE: 'CREATE TABLE' }] })
      .on(SQL.usersIn, (c) => ({
        rows: Object.values(c.binds)
          .filter((v) => typeof v === 'string' && (o.users ?? ['OCTANE_SITE', 'SPACE_1001']).includes(v))
          .map((v) => ({ USERNAME: v })),
      }))
      .on(SQL.directory, (c) =>
        c.binds.dir === this.directory
          ? { rows: [{ DIRECTORY_PATH: '/u01/app/oracle/dpdump' }] }
          : { rows: [] },
      )
      .on(SQL.grants, { rows: [{ PRIVILEGE: 'READ' }, { PRIVILEGE: 'WRITE' }] })
      .on(SQL.probe, (c) => {
        const data = Buffer.from('octane-backup-manager write test\n');
        this.put(bindText(c, 'file_name'), data);
        return { outBinds: { bytes: data.length } };
      })
      .on(SQL.quota, { rows: [{ TS: 'USERS', MAX_BYTES: -1, USED: 0 }] })
      .on(SQL.segments, { rows: [{ BYTES: 5 * 1024 ** 3 }] });
  }

  sha256(data: Buffer): string {
    return createHash('sha256').update(data).digest('hex');
  }

  /** The dump pieces the job wrote, in order. */
  dumpPieces(): [string, Buffer][] {
    return [...this.files.entries()]
      .filter(([n]) => n.endsWith('.dmp'))
      .sort(([a], [b]) => a.localeCompare(b));
  }

  put(name: string, data: Buffer): void {
    this.files.set(name, data);
    if (this.o.mirrorDir) writeFileSync(join(this.o.mirrorDir, name), data);
  }

  private startJob(c: RecordedCall): Reply {
    const dump = bindText(c, 'dump_file');
    if (dump.includes('%U')) {
      const size = this.o.pieceBytes ?? 100_000;
      for (let i = 0, n = 1; i < this.payload.length; i += size, n++)
        this.put(dump.replace('%U', String(n).padStart(2, '0')), this.payload.subarray(i, i + size));
    } else this.put(dump, this.payload);
    this.put(bindText(c, 'log_file'), Buffer.from(this.logText));
    return { outBinds: { handle: 4242 } };
  }

  protected list(c: RecordedCall): Reply {
    if (c.binds.dir !== this.directory)
      return { error: oraError('ORA-22285: non-existent directory or file for FILEEXISTS operation') };
    const pattern = bindText(c, 'pattern');
    let acc = '';
    for (let n = 1; n <= 99; n++) {
      const f = pattern.replace('%U', String(n).padStart(2, '0'));
      const data = this.files.get(f);
      if (!data) break;
      acc += `${f}|${data.length}\n`;
      if (!pattern.includes('%U')) break;
    }
    return { outBinds: { files: acc === '' ? null : acc } };
  }

  protected bfile(c: RecordedCall): Reply {
    const data = this.files.get(bindText(c, 'file_name'));
    if (!data)
      return {
        error: oraError('ORA-22288: file or LOB operation FILEOPEN failed\nNo such file or directory'),
      };
    const lob = new FakeLob(data, this.o.maxChunk ?? 50_000);
    this.lobs.push(lob);
    return { rows: [{ BF: lob, LEN: data.length }] };
  }

  private remove(c: RecordedCall): Reply {
    const name = bindText(c, 'file_name');
    if (!this.files.delete(name))
      return { error: oraError('ORA-29283: invalid file operation: nonexistent file or path') };
    if (this.o.mirrorDir) rmSync(join(this.o.mirrorDir, name), { force: true });
    return {};
  }
}
