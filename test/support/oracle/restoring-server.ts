// The Oracle driver stand-in, restore side: on top of the healthy server (which exported the set)
// it keeps users and their sessions, takes uploads (UTL_FILE.PUT_RAW from a BLOB bind, appended
// chunk by chunk), runs the import job (the dump pieces must be exactly what the export wrote, an
// existing user is an error as on Data Pump, REMAP_SCHEMA creates the scratch users), writes the
// job's log with any ORA lines the test scripts, and answers DROP USER, ACCOUNT LOCK, invalid
// objects, object and row totals, V$SESSION and free space.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindText, oraError, type RecordedCall, type Reply } from './oracle-stand-in.js';
import { FakeOracleServer, jobStatus, type ServerOptions } from './healthy-server.js';

export interface SchemaFacts {
  objects: number;
  tables: number;
  rows: number;
  /** Objects that are invalid after an import into this schema (as OBJECT_TYPE, OBJECT_NAME). */
  invalid?: [string, string][];
}

export interface RestoringOptions extends ServerOptions {
  /** Roles of the login (default: both Data Pump full roles). */
  roles?: string[];
  /** Sessions connected as each user. */
  sessions?: Record<string, number>;
  freeBytes?: number;
  /** What each schema holds: an import copies it to the schema it imports into. */
  facts?: Record<string, SchemaFacts>;
  /** Lines the import job writes to its log (e.g. ORA-39082 warnings, ORA-39083 failures). */
  importLog?: string[];
  /** Silence V$SESSION (no SELECT_CATALOG_ROLE). */
  noSessionView?: boolean;
}

export interface ImportRecord {
  job: string;
  dumps: string[];
  schemas: string[];
  remap: [string, string][];
  log: string;
}

export const RESTORE_SQL = {
  importOpen: /DBMS_DATAPUMP\.OPEN\(operation => 'IMPORT'/,
  upload: /UTL_FILE\.PUT_RAW/,
  dropUser: /'DROP USER ' \|\|/,
  lock: /ACCOUNT LOCK/,
  invalid: /STATUS = 'INVALID'/,
  objectTotals: /FROM DBA_OBJECTS WHERE OWNER IN .* GROUP BY OWNER/,
  rowTotals: /SELECT COUNT\(\*\) FROM ' \|\| DBMS_ASSERT/,
  sessions: /FROM V\$SESSION/,
  free: /DBA_FREE_SPACE/,
} as const;

export class RestoringOracleServer extends FakeOracleServer {
  readonly users: Set<string>;
  readonly locked = new Set<string>();
  readonly imports: ImportRecord[] = [];
  readonly uploads: { file: string; bytes: number }[] = [];
  readonly schemaFacts = new Map<string, SchemaFacts>();

  constructor(private readonly r: RestoringOptions = {}) {
    super(r);
    this.users = new Set(r.users ?? ['OCTANE_SITE', 'SPACE_1001']);
    for (const [k, v] of Object.entries(r.facts ?? {})) this.schemaFacts.set(k, v);
    const roles = r.roles ?? ['DATAPUMP_EXP_FULL_DATABASE', 'DATAPUMP_IMP_FULL_DATABASE'];
    this.db
      .on(/FROM SESSION_ROLES$/, { rows: roles.map((ROLE) => ({ ROLE })) })
      .on(/SELECT USERNAME FROM ALL_USERS WHERE USERNAME IN/, (c) => ({
        rows: Object.values(c.binds)
          .filter((v): v is string => typeof v === 'string' && this.users.has(v))
          .map((USERNAME) => ({ USERNAME })),
      }))
      .on(RESTORE_SQL.upload, (c) => this.upload(c))
      .on(RESTORE_SQL.importOpen, (c) => this.startImport(c))
      .on(RESTORE_SQL.dropUser, (c) => this.dropUser(c))
      .on(RESTORE_SQL.lock, (c) => {
        this.locked.add(bindText(c, 'username'));
        return {};
      })
      .on(RESTORE_SQL.invalid, (c) => ({
        rows: this.owners(c).flatMap((o) =>
          (this.schemaFacts.get(o)?.invalid ?? []).map(([t, n]) => ({
            OWNER: o,
            OBJECT_TYPE: t,
            OBJECT_NAME: n,
          })),
        ),
      }))
      .on(RESTORE_SQL.objectTotals, (c) => ({
        rows: this.owners(c)
          .filter((o) => this.users.has(o))
          .map((o) => ({ OWNER: o, OBJECTS: this.schemaFacts.get(o)?.objects ?? 0 })),
      }))
      .on(RESTORE_SQL.rowTotals, (c) => {
        const f = this.schemaFacts.get(bindText(c, 'owner'));
        return { outBinds: { tables: f?.tables ?? 0, row_total: f?.rows ?? 0, skipped: 0 } };
      })
      .on(RESTORE_SQL.sessions, (c) =>
        r.noSessionView
          ? { error: oraError('ORA-00942: table or view does not exist') }
          : {
              rows: this.owners(c)
                .filter((o) => (r.sessions?.[o] ?? 0) > 0)
                .map((o) => ({ USERNAME: o, SESSIONS: r.sessions?.[o] ?? 0 })),
            },
      )
      .on(RESTORE_SQL.free, { rows: [{ FREE_BYTES: r.freeBytes ?? 50 * 1024 ** 3 }] });
  }

  /** Files put into the mirrored folder from this machine (copyFrom) are seen by the "server" too. */
  private pullMirror(): void {
    if (!this.r.mirrorDir) return;
    for (const name of readdirSync(this.r.mirrorDir))
      if (!name.endsWith('.partial')) this.files.set(name, readFileSync(join(this.r.mirrorDir, name)));
  }

  protected override list(c: RecordedCall): Reply {
    this.pullMirror();
    return super.list(c);
  }

  protected override bfile(c: RecordedCall): Reply {
    this.pullMirror();
    return super.bfile(c);
  }

  private owners(c: RecordedCall): string[] {
    return Object.values(c.binds).filter((v): v is string => typeof v === 'string');
  }

  private upload(c: RecordedCall): Reply {
    const name = bindText(c, 'file_name');
    const data = c.binds.data;
    if (typeof data !== 'object' || data === null || !('blob' in data))
      throw new Error('upload without a BLOB bind');
    if (data.blob.length > 8 * 1024 * 1024) throw new Error('stand-in: upload chunk larger than 8 MiB');
    const before = c.binds.append === 1 ? (this.files.get(name) ?? Buffer.alloc(0)) : Buffer.alloc(0);
    if (c.binds.append === 1 && !this.files.has(name))
      return { error: oraError('ORA-29283: invalid file operation: nonexistent file or path') };
    this.put(name, Buffer.concat([before, data.blob]));
    this.uploads.push({ file: name, bytes: data.blob.length });
    return {};
  }

  private startImport(c: RecordedCall): Reply {
    this.pullMirror();
    const dumps = Object.keys(c.binds)
      .filter((k) => /^d\d+$/.test(k))
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((k) => bindText(c, k));
    const schemas = Object.keys(c.binds)
      .filter((k) => /^s\d+$/.test(k))
      .map((k) => bindText(c, k));
    const remap: [string, string][] = Object.keys(c.binds)
      .filter((k) => /^f\d+$/.test(k))
      .map((k) => [bindText(c, k), bindText(c, `t${k.slice(1)}`)]);
    const missing = dumps.filter((d) => !this.files.has(d));
    if (missing.length > 0)
      return {
        error: oraError(
          `ORA-39001: invalid argument value\nORA-39000: bad dump file specification\nORA-31640: unable to open dump file "${missing[0]}" for read`,
        ),
      };
    if (!Buffer.concat(dumps.map((d) => this.files.get(d) ?? Buffer.alloc(0))).equals(this.payload))
      return {
        error: oraError(
          'ORA-39001: invalid argument value\nORA-39000: bad dump file specification\nORA-31619: invalid dump file',
        ),
      };
    const log = bindText(c, 'log_file');
    const lines = [
      `Import: Release 19.0.0.0.0 - Production`,
      `Starting "BACKUP"."${bindText(c, 'job_name')}"`,
    ];
    const targets = schemas.map((s) => remap.find(([f]) => f === s)?.[1] ?? s);
    for (const t of targets)
      if (this.users.has(t)) lines.push(`ORA-31684: Object type USER:"${t}" already exists`);
    for (const [i, t] of targets.entries()) {
      this.users.add(t);
      const f = this.schemaFacts.get(schemas[i] ?? '');
      if (f && t !== schemas[i]) this.schemaFacts.set(t, { ...f, invalid: f.invalid ?? [] });
    }
    lines.push(...(this.r.importLog ?? []));
    const errors = lines.filter((l) => /ORA-\d{5}/.test(l)).length;
    lines.push(
      `Job "BACKUP"."${bindText(c, 'job_name')}" ${errors ? `completed with ${errors} error(s)` : 'successfully completed'}`,
    );
    this.put(log, Buffer.from(lines.join('\n') + '\n'));
    this.imports.push({ job: bindText(c, 'job_name'), dumps, schemas, remap, log });
    return { outBinds: { handle: 4343 } };
  }

  private dropUser(c: RecordedCall): Reply {
    const u = bindText(c, 'username');
    if (!this.users.has(u)) return { error: oraError(`ORA-01918: user '${u}' does not exist`) };
    if ((this.r.sessions?.[u] ?? 0) > 0)
      return { error: oraError(`ORA-01940: cannot drop a user that is currently connected`) };
    this.users.delete(u);
    this.locked.delete(u);
    return {};
  }
}

export { jobStatus };
