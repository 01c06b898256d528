// Bringing the dump and its log from the database server into the set. Two ways:
//  - through the database connection, as a BFILE read in chunks: works when the DB host is
//    remote and shares nothing with this machine;
//  - from `copyFrom` (the DIRECTORY's folder as this machine sees it), which is faster.
// Either way the SHA-256 is computed while the bytes are written, and the byte count must
// equal the size the server reports before the copy counts as verified.
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactRecord } from '../../../contract/manifest.js';
import type { ComponentWriter } from '../../backup-set/component-writer.js';
import { destinationError } from '../../backup-set/fs-errors.js';
import { ExpectedError, throwIfAborted } from '../../errors.js';
import type { OracleConnection, OracleLob } from './driver.js';
import { num, str } from './session.js';
import { PLSQL_LIST_FILES, PLSQL_REMOVE_FILE, SQL_BFILE } from './sql.js';

export interface ServerFile {
  name: string;
  bytes: number;
}

/** 4 MiB per round trip: few enough calls for multi-GB dumps, small enough to cancel quickly. */
export const BFILE_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The names the export can have written for `pattern`: the pattern itself, or with %U replaced by
 * 01..99 (Data Pump's own expansion). Anything else in a listing did not come from our job.
 */
export function matchesExportPattern(name: string, pattern: string): boolean {
  const re = pattern
    .split('%U')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('(0[1-9]|[1-9][0-9])');
  return new RegExp(`^${re}$`).test(name);
}

/**
 * The files matching a Data Pump file name (with or without %U) that exist in the directory.
 * The names come back from the server (or whatever sits on an unencrypted Oracle Net link): a
 * name the job cannot have written is refused before it becomes a path in the set.
 */
export async function listServerFiles(
  conn: OracleConnection,
  dir: string,
  pattern: string,
): Promise<ServerFile[]> {
  const r = await conn.execute(PLSQL_LIST_FILES, { pattern, dir, files: { out: 'string', maxSize: 32767 } });
  const text = str(r.outBinds?.files) ?? '';
  const files: ServerFile[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cut = line.lastIndexOf('|');
    if (cut <= 0) continue;
    const bytes = num(line.slice(cut + 1));
    const name = line.slice(0, cut);
    if (bytes === undefined) continue;
    if (!matchesExportPattern(name, pattern))
      throw new ExpectedError(
        'ORACLE_UNEXPECTED_FILE_NAME',
        `Asked for the files ${pattern} in DIRECTORY ${dir}, the database answered with ${JSON.stringify(name)}: not a name this export writes. Nothing was copied under that name.`,
        {
          step: 'database',
          details: { pattern, name },
          fix: 'Something other than the Data Pump job answered (a modified database or a device on the network path). Check the database server, and use an encrypted Oracle Net connection (TCPS or native encryption) between this machine and the database.',
        },
      );
    files.push({ name, bytes });
  }
  return files;
}

export interface FetchOptions {
  conn: OracleConnection;
  dir: string;
  out: ComponentWriter;
  signal: AbortSignal;
  /** Bytes of this file copied so far. */
  onBytes: (done: number) => void;
  description: string;
  chunkBytes?: number;
}

function isLob(v: unknown): v is OracleLob {
  return typeof v === 'object' && v !== null && typeof (v as OracleLob).getData === 'function';
}

/** Reads a server-side file through the connection as a BFILE, chunk by chunk, into the set. */
export async function fetchViaBfile(file: ServerFile, o: FetchOptions): Promise<ArtifactRecord> {
  const r = await o.conn.execute(SQL_BFILE, { dir: o.dir, file_name: file.name });
  const row = r.rows?.[0];
  const lob = row?.BF;
  const length = num(row?.LEN);
  if (!isLob(lob) || length === undefined) {
    throw new ExpectedError(
      'ORACLE_BFILE_UNREADABLE',
      `The database returned no readable BFILE for ${file.name}.`,
      {
        step: 'database',
        fix: 'Check that the login has READ on the DIRECTORY, or set copyFrom to the folder as this machine sees it.',
      },
    );
  }
  const art = await o.out.createArtifact(file.name);
  let streamError: unknown;
  art.stream.on('error', (err) => (streamError = err));
  const chunk = o.chunkBytes ?? BFILE_CHUNK_BYTES;
  try {
    let done = 0;
    while (done < length) {
      throwIfAborted(o.signal);
      const data = await lob.getData(done + 1, Math.min(chunk, length - done));
      const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      if (!buf || buf.length === 0) {
        throw new ExpectedError(
          'ORACLE_FILE_SHRANK',
          `${file.name} ended after ${done} of ${length} bytes while it was copied.`,
          {
            step: 'database',
            fix: 'Something changed or removed the dump on the server during the copy; run the backup again.',
          },
        );
      }
      if (streamError !== undefined) break;
      if (!art.stream.write(buf)) await once(art.stream, 'drain', { signal: o.signal });
      done += buf.length;
      o.onBytes(done);
    }
    // Finish (flush + fsync) here, so a write error that surfaces only at the end (ENOSPC on the
    // last buffered chunk) fails the copy instead of committing a short file.
    if (streamError === undefined) {
      await new Promise<void>((resolve) => art.stream.end(() => resolve()));
      streamError ??= art.stream.errored ?? undefined;
    }
    if (streamError !== undefined) throw destinationError(streamError, o.out.absPath(file.name), 'database');
    const rec = await art.commit(o.description);
    checkSize(rec, file, length);
    return rec;
  } catch (err) {
    await art.discard();
    if (streamError !== undefined && !(err instanceof ExpectedError))
      throw destinationError(streamError, o.out.absPath(file.name), 'database');
    throw err;
  } finally {
    lob.destroy();
  }
}

/**
 * Copies from copyFrom when the file is there with the size the server reports; returns
 * undefined (after saying why) when it is not, so the caller can fall back to the BFILE read.
 */
export async function fetchViaCopyFrom(
  file: ServerFile,
  copyFrom: string,
  o: FetchOptions,
  warn: (message: string) => void,
): Promise<ArtifactRecord | undefined> {
  const src = join(copyFrom, file.name);
  try {
    const s = await stat(src);
    if (s.size !== file.bytes) {
      warn(
        `${src} has ${s.size} bytes but the server reports ${file.bytes}: copyFrom does not show the DIRECTORY's folder.`,
      );
      return undefined;
    }
  } catch (err) {
    warn(`${src} cannot be read here (${(err as { code?: string }).code ?? (err as Error).message}).`);
    return undefined;
  }
  let rec: ArtifactRecord;
  try {
    rec = await o.out.copyFile(src, file.name, {
      signal: o.signal,
      onBytes: o.onBytes,
      description: o.description,
    });
  } catch (err) {
    // Destination problems arrive as StepErrors already; a source error means the share went away.
    if (err instanceof ExpectedError || (err as Error).name === 'AbortError') throw err;
    throw new ExpectedError(
      'ORACLE_COPYFROM_READ_FAILED',
      `Reading ${src} failed during the copy: ${(err as Error).message}`,
      {
        step: 'database',
        fix: 'Check the share or mount behind copyFrom, or remove copyFrom to read the dump through the database connection.',
        cause: err,
      },
    );
  }
  checkSize(rec, file, file.bytes);
  return rec;
}

function checkSize(rec: ArtifactRecord, file: ServerFile, expected: number): void {
  if (rec.bytes !== expected) {
    throw new ExpectedError(
      'ORACLE_COPY_INCOMPLETE',
      `${file.name} was copied with ${rec.bytes} bytes, but the server reports ${expected}: the copy is not the dump.`,
      {
        step: 'database',
        fix: 'Run the backup again; if it repeats, check the destination drive and the database server folder.',
      },
    );
  }
}

/** Removes server-side files; returns those that could not be removed (with why). */
export async function removeServerFiles(
  conn: OracleConnection,
  dir: string,
  names: readonly string[],
  onStatement: (text: string) => void,
): Promise<string[]> {
  const failed: string[] = [];
  for (const name of names) {
    onStatement(`${PLSQL_REMOVE_FILE}\n-- binds: :dir = '${dir}', :file_name = '${name}'`);
    try {
      await conn.execute(PLSQL_REMOVE_FILE, { dir, file_name: name });
    } catch (err) {
      const first = ((err as Error).message ?? String(err)).split('\n')[0] ?? '';
      failed.push(`${name} (${first})`);
    }
  }
  return failed;
}
