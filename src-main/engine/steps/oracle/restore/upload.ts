// Bringing the set's dump pieces into the Data Pump DIRECTORY: the reverse of the backup's BFILE
// read. Over the connection each piece goes up in BLOB chunks written with UTL_FILE.PUT_RAW while
// the set file is hashed; then the server's file is read back as a BFILE and must have the set's
// size and SHA-256. With copyFrom (the DIRECTORY's folder as this machine sees it) the piece is
// copied there instead and the server must see it with the same size. A file already in the
// DIRECTORY is used only when it reads back with the set's SHA-256; nothing else there is touched.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactRecord } from '../../../../contract/manifest.js';
import { ExpectedError, throwIfAborted } from '../../../errors.js';
import type { RestoreContext } from '../../restore/primitive.js';
import { artifactPath, checkSetFile, stageFile } from '../../restore/set-files.js';
import type { OracleConnection, OracleLob } from '../driver.js';
import { num } from '../session.js';
import { PLSQL_REMOVE_FILE, SQL_BFILE } from '../sql.js';
import { listServerFiles } from '../transfer.js';
import { fileNameOf } from './source.js';
import { PLSQL_UPLOAD_CHUNK } from './sql.js';

/** 4 MiB per round trip, as the backup's BFILE reads: few calls for big dumps, quick to cancel. */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

export interface StagedDump {
  /** Its name in the DIRECTORY. */
  name: string;
  artifact: ArtifactRecord;
  how: 'upload' | 'copyFrom' | 'reuse';
}

export interface UploadEnv {
  ctx: RestoreContext;
  conn: OracleConnection;
  dir: string;
  copyFrom?: string;
  chunkBytes: number;
  /** Bytes of this piece done, counting the upload and the read-back (0..2 × size). */
  onBytes: (done: number) => void;
  /** Each file this restore put in the DIRECTORY (removed at the end). */
  created: (name: string) => void;
}

function isLob(v: unknown): v is OracleLob {
  return typeof v === 'object' && v !== null && typeof (v as OracleLob).getData === 'function';
}

/** SHA-256 and length of a file in the DIRECTORY, read through the connection as a BFILE. */
export async function hashServerFile(
  conn: OracleConnection,
  dir: string,
  name: string,
  o: { chunkBytes: number; signal: AbortSignal; onBytes?: (n: number) => void },
): Promise<{ sha256: string; bytes: number }> {
  const r = await conn.execute(SQL_BFILE, { dir, file_name: name });
  const lob = r.rows?.[0]?.BF;
  const length = num(r.rows?.[0]?.LEN);
  if (!isLob(lob) || length === undefined)
    throw new Error(`The database returned no readable BFILE for ${name}.`);
  const hash = createHash('sha256');
  let done = 0;
  try {
    while (done < length) {
      throwIfAborted(o.signal);
      const data = await lob.getData(done + 1, Math.min(o.chunkBytes, length - done));
      const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      if (!buf || buf.length === 0) break;
      hash.update(buf);
      done += buf.length;
      o.onBytes?.(done);
    }
  } finally {
    lob.destroy();
  }
  return { sha256: hash.digest('hex'), bytes: done };
}

async function removeServerFile(env: UploadEnv, name: string): Promise<void> {
  await env.conn.execute(PLSQL_REMOVE_FILE, { dir: env.dir, file_name: name }).catch(() => undefined);
}

function mismatch(
  env: UploadEnv,
  a: ArtifactRecord,
  name: string,
  got: { sha256: string; bytes: number },
): ExpectedError {
  return new ExpectedError(
    'ORACLE_UPLOAD_MISMATCH',
    `${name} in DIRECTORY ${env.dir} reads back with ${got.bytes} bytes and SHA-256 ${got.sha256}, not the set's ${a.bytes} bytes and ${a.sha256}. It was removed.`,
    {
      step: 'database',
      fix: 'Check the disk behind the DIRECTORY on the database server (free space, errors) and the network, then run the restore again.',
    },
  );
}

async function upload(env: UploadEnv, a: ArtifactRecord, name: string): Promise<void> {
  const { ctx } = env;
  const src = artifactPath(ctx.set.root, 'database', a.path);
  await checkSetFile(src, a);
  const hash = createHash('sha256');
  let done = 0;
  try {
    for await (const chunk of createReadStream(src, { highWaterMark: env.chunkBytes, signal: ctx.signal })) {
      const buf = chunk as Buffer;
      hash.update(buf);
      await env.conn.execute(PLSQL_UPLOAD_CHUNK, {
        data: { blob: buf },
        dir: env.dir,
        file_name: name,
        append: done === 0 ? 0 : 1,
      });
      done += buf.length;
      env.onBytes(done);
    }
  } catch (err) {
    await removeServerFile(env, name);
    throw err;
  }
  if (done !== a.bytes || hash.digest('hex') !== a.sha256) {
    await removeServerFile(env, name);
    throw new ExpectedError(
      'RESTORE_SET_FILE_ALTERED',
      `${a.path} in the set does not match its manifest; its upload was removed.`,
      {
        step: 'restore',
        fix: 'The set is damaged: restore from another set, or from an untouched copy of this one.',
      },
    );
  }
}

async function viaCopyFrom(env: UploadEnv, a: ArtifactRecord, name: string): Promise<boolean> {
  const local = join(env.copyFrom as string, name);
  const { ctx } = env;
  await stageFile(artifactPath(ctx.set.root, 'database', a.path), a, local, {
    signal: ctx.signal,
    onBytes: (n) => env.onBytes(2 * n),
    readBack: true,
    targetWhat: "the DIRECTORY's folder (copyFrom)",
    step: 'database',
  });
  const seen = (await listServerFiles(env.conn, env.dir, name))[0];
  if (seen?.bytes === a.bytes) return true;
  await rm(local, { force: true }).catch(() => undefined);
  ctx.warn(
    'ORACLE_COPYFROM_UNUSABLE',
    `${local} was written, but DIRECTORY ${env.dir} ${seen ? `shows ${seen.bytes} bytes` : 'does not show it'}: copyFrom is not the DIRECTORY's folder. Uploading it through the database connection instead.`,
    name,
  );
  return false;
}

export async function stageDump(env: UploadEnv, a: ArtifactRecord): Promise<StagedDump> {
  const { ctx } = env;
  let name = fileNameOf(a);
  const there = (await listServerFiles(env.conn, env.dir, name))[0];
  if (there) {
    if (there.bytes === a.bytes) {
      const got = await hashServerFile(env.conn, env.dir, name, {
        chunkBytes: env.chunkBytes,
        signal: ctx.signal,
      });
      if (got.sha256 === a.sha256) {
        ctx.statement(
          `-- ${name} is already in DIRECTORY ${env.dir} with the set's SHA-256 ${a.sha256}: used as it is`,
        );
        env.onBytes(2 * a.bytes);
        return { name, artifact: a, how: 'reuse' };
      }
    }
    name = `restore-${randomBytes(3).toString('hex')}-${name}`;
  }
  await ctx.journal({ component: 'database', kind: 'oracle-file', name, where: `DIRECTORY ${env.dir}` });
  env.created(name);
  if (env.copyFrom && (await viaCopyFrom(env, a, name))) return { name, artifact: a, how: 'copyFrom' };
  ctx.statement(
    `${PLSQL_UPLOAD_CHUNK}\n-- binds: :data = <chunks of ${env.chunkBytes} bytes>, :dir = '${env.dir}', :file_name = '${name}', :append = 0 then 1`,
  );
  await upload(env, a, name);
  const got = await hashServerFile(env.conn, env.dir, name, {
    chunkBytes: env.chunkBytes,
    signal: ctx.signal,
    onBytes: (n) => env.onBytes(a.bytes + n),
  });
  if (got.sha256 !== a.sha256 || got.bytes !== a.bytes) {
    await removeServerFile(env, name);
    throw mismatch(env, a, name, got);
  }
  return { name, artifact: a, how: 'upload' };
}
