// Copies the whole `fs` repository folder into the set. Snapshots share files (a snapshot only
// writes segments the repository lacks), so one snapshot alone is not restorable: the folder is.
//
// Consistency: Elasticsearch never rewrites a blob; it adds new ones, then moves the pointer
// `index.latest` to a new generation `index-N`, and only deletes blobs no generation needs any
// more. So the copy reads `index.latest` first (generation G), copies every file, and writes
// the remembered `index.latest` last. Files added meanwhile are harmless extras; a file that
// vanishes mid-copy means a deletion ran, and the copy is refused rather than trusted.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepCounters } from '../../../contract/events.js';
import type { ComponentWriter } from '../../backup-set/component-writer.js';
import type { Logger } from '../../logger.js';
import { ExpectedError } from '../../errors.js';
import type { EsApi } from './api.js';
import { esError, type EsErrorContext } from './errors.js';

const step = 'elasticsearch' as const;
export const REPOSITORY_DIR = 'repository';
const POINTER = 'index.latest';

export interface RepoFile {
  rel: string;
  abs: string;
  bytes: number;
}

export async function listRepository(root: string): Promise<RepoFile[]> {
  const out: RepoFile[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const abs = join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(abs, r);
      else if (e.isFile()) out.push({ rel: r, abs, bytes: (await lstat(abs)).size });
    }
  };
  await walk(root, '');
  return out;
}

/** The repository generation `index.latest` points at (8-byte big-endian number). */
export async function readPointer(root: string, location: string): Promise<Buffer> {
  try {
    const buf = await readFile(join(root, POINTER));
    if (buf.length !== 8) throw new Error(`${POINTER} has ${buf.length} bytes, expected 8`);
    return buf;
  } catch (err) {
    throw new ExpectedError(
      'ES_COPY_FROM_NOT_REPOSITORY',
      `${join(root, POINTER)} cannot be read (${(err as { code?: string }).code ?? (err as Error).message}): the folder "copyFrom" does not look like the repository Elasticsearch just wrote to ${location}.`,
      {
        step,
        cause: err,
        fix: `"copyFrom" must be the same folder as "location" (${location}), seen from this machine — e.g. the share or mount of that folder, not its parent or a copy.`,
      },
    );
  }
}

/** Waits until no snapshot of `repository` runs (another tool's or an SLM policy's). */
export async function waitUntilIdle(
  api: EsApi,
  ec: EsErrorContext,
  repository: string,
  signal: AbortSignal,
  log: Logger,
  maxWaitMs: number,
  pollMs: number,
): Promise<void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const running = await api.runningSnapshots().catch((err: unknown) => {
      throw esError(err, ec);
    });
    const mine = running.filter((s) => s.repository === repository);
    if (mine.length === 0) return;
    if (!told) {
      log.info(
        `Waiting for snapshot(s) ${mine.map((s) => s.snapshot).join(', ')} in repository "${repository}" to end before copying the folder.`,
      );
      told = true;
    }
    if (Date.now() - started > maxWaitMs)
      throw new ExpectedError(
        'ES_REPOSITORY_BUSY',
        `Snapshot(s) ${mine.map((s) => s.snapshot).join(', ')} kept running in repository "${repository}", so its folder could not be copied consistently.`,
        {
          step,
          fix: 'Schedule this backup away from snapshot lifecycle (SLM) policies or other tools that write to the same repository, or give this profile its own repository.',
        },
      );
    await sleep(pollMs, undefined, { signal });
  }
}

export interface CopyHooks {
  signal: AbortSignal;
  log: Logger;
  /** fraction 0..1 of the copy phase. */
  progress: (fraction: number, counters: StepCounters) => void;
}

export interface CopySummary {
  files: number;
  bytes: number;
  generation: string;
}

/** A snapshot as a repository generation (index-N) lists it. */
export interface ListedSnapshot {
  name: string;
  uuid?: string;
}

/**
 * The snapshots a repository generation lists (index-N is JSON: { "snapshots": [{ "name", "uuid", … }] }),
 * or undefined when the file cannot be read as one.
 */
export async function listedSnapshots(
  root: string,
  generation: string,
): Promise<ListedSnapshot[] | undefined> {
  try {
    const json = JSON.parse(await readFile(join(root, `index-${generation}`), 'utf8')) as {
      snapshots?: { name?: unknown; uuid?: unknown }[];
    };
    if (!Array.isArray(json.snapshots)) return undefined;
    return json.snapshots
      .filter((s) => typeof s.name === 'string')
      .map((s) =>
        typeof s.uuid === 'string' ? { name: s.name as string, uuid: s.uuid } : { name: s.name as string },
      );
  } catch {
    return undefined;
  }
}

/**
 * The copy is good only when the copied repository lists the snapshot just taken, by name and UUID:
 * a "copyFrom" that is another repository than "location" (one edited, not the other) copies
 * somebody else's snapshots and must never pass as this backup's.
 */
async function requireSnapshotInCopy(
  out: ComponentWriter,
  generation: string,
  expected: ListedSnapshot,
  copyFrom: string,
  location: string,
): Promise<void> {
  const listed = await listedSnapshots(join(out.dir, REPOSITORY_DIR), generation);
  const found = listed?.some(
    (s) => s.name === expected.name && (expected.uuid === undefined || s.uuid === expected.uuid),
  );
  if (found) return;
  throw new ExpectedError(
    'ES_COPY_LACKS_SNAPSHOT',
    `The repository copied from ${copyFrom} (generation ${generation}) does not list the snapshot ${expected.name}${expected.uuid ? ` (UUID ${expected.uuid})` : ''} that Elasticsearch just wrote to ${location}: "copyFrom" is not the same folder as "location".`,
    {
      step,
      details: { copyFrom, location, generation, listed: (listed ?? []).slice(0, 20).map((s) => s.name) },
      fix: `Set "copyFrom" to the folder ${location} as this machine sees it (its share or mount), or correct "location" — one of the two was changed without the other.`,
    },
  );
}

export async function copyRepository(
  out: ComponentWriter,
  copyFrom: string,
  location: string,
  hooks: CopyHooks,
  /** The snapshot this run took: the copy must list it (name and UUID). */
  expected?: ListedSnapshot,
): Promise<CopySummary> {
  const pointer = await readPointer(copyFrom, location);
  const generation = pointer.readBigUInt64BE(0).toString();
  const files = (await listRepository(copyFrom)).filter((f) => f.rel !== POINTER);
  if (!files.some((f) => f.rel === `index-${generation}`))
    throw new ExpectedError(
      'ES_COPY_FROM_NOT_REPOSITORY',
      `${copyFrom} has ${POINTER} but not index-${generation}: it is not a complete Elasticsearch repository.`,
      {
        step,
        fix: `"copyFrom" must be the repository folder ${location} as this machine sees it.`,
      },
    );
  const total = files.reduce((a, f) => a + f.bytes, 0) + pointer.length;
  let before = 0;
  const report = (done: number, filesDone: number): void =>
    hooks.progress(total > 0 ? done / total : 1, {
      bytesDone: done,
      bytesTotal: total,
      itemsDone: filesDone,
      itemsTotal: files.length + 1,
      message: `Copying the snapshot repository: ${filesDone} of ${files.length + 1} files`,
    });
  for (const [i, f] of files.entries()) {
    try {
      await out.copyFile(f.abs, `${REPOSITORY_DIR}/${f.rel}`, {
        signal: hooks.signal,
        onBytes: (n) => report(before + n, i),
        description: i === 0 ? 'Elasticsearch snapshot repository (fs), copied file by file' : undefined,
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT' && (err as { path?: string }).path === f.abs)
        throw new ExpectedError(
          'ES_REPOSITORY_CHANGED_DURING_COPY',
          `${f.abs} vanished while the repository was being copied: a snapshot deletion ran in the repository meanwhile.`,
          {
            step,
            cause: err,
            fix: 'Run the backup again when no other tool or lifecycle policy deletes snapshots in this repository.',
          },
        );
      throw err;
    }
    before += f.bytes;
    report(before, i + 1);
  }
  if (expected) await requireSnapshotInCopy(out, generation, expected, copyFrom, location);
  await out.writeFile(`${REPOSITORY_DIR}/${POINTER}`, pointer, `Repository generation ${generation}`);
  report(total, files.length + 1);
  const after = await readFile(join(copyFrom, POINTER)).catch(() => undefined);
  if (after && !after.equals(pointer))
    hooks.log.info(
      `The repository moved on during the copy (another snapshot or deletion); the copy holds it as of generation ${generation}.`,
    );
  return { files: files.length + 1, bytes: total, generation };
}
