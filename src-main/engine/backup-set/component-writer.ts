// Where a step puts its files. Every artifact is written under a ".partial" name,
// hashed while written, fsynced, then renamed: a file without ".partial" is whole.
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile as fsWriteFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import type { ArtifactRecord } from '../../contract/manifest.js';
import type { ErrorWhere } from '../../contract/errors.js';
import type { ComponentId } from '../../contract/profile.js';
import { HashingFileWriter } from './hashing-file-writer.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-modes.js';
import { destinationError } from './fs-errors.js';
import { ExpectedError } from '../errors.js';
import { hasControlChar, showControlChars } from '../control-chars.js';

export const PARTIAL_SUFFIX = '.partial';

export interface ArtifactStream {
  /** Write the artifact's bytes here. */
  readonly stream: HashingFileWriter;
  /** Ends the stream, fsyncs, renames into place and records the artifact. */
  commit(description?: string): Promise<ArtifactRecord>;
  /** Removes the partial file (after a failure or cancel). */
  discard(): Promise<void>;
}

export interface CopyOptions {
  signal: AbortSignal;
  /** Called with the bytes copied so far. */
  onBytes?: (bytesDone: number) => void;
  description?: string;
  /** The source's size as its owner reported it: a shorter or longer copy is never committed. */
  expectedBytes?: number;
}

export class ComponentWriter {
  private readonly records: ArtifactRecord[] = [];
  private readonly open = new Map<string, HashingFileWriter>();

  constructor(
    /** A component's folder, or the pre-upgrade copies of Octane's config files. */
    readonly component: ComponentId | 'octane-config',
    /** The set folder holding this component (absolute). */
    readonly setRoot: string,
  ) {}

  /** Where an error in this folder is reported. */
  private get where(): ErrorWhere {
    return this.component === 'octane-config' ? 'run' : this.component;
  }

  /** Absolute folder of this component inside its set folder. */
  get dir(): string {
    return join(this.setRoot, this.component);
  }

  artifacts(): ArtifactRecord[] {
    return [...this.records];
  }

  /** Manifest path of a file of this component: relative to the set folder, forward slashes. */
  relPath(name: string): string {
    return posix.join(this.component, ...this.segments(name));
  }

  absPath(name: string): string {
    return join(this.dir, ...this.segments(name));
  }

  /**
   * Artifact names come partly from outside (a database server's file names, an Elasticsearch
   * repository's folder listing): a name that could leave the component folder is refused.
   */
  private segments(name: string): string[] {
    const problem = unsafeNameProblem(name);
    if (problem)
      throw new ExpectedError(
        'UNSAFE_ARTIFACT_NAME',
        `"${showControlChars(name)}" cannot be written into the backup set: ${problem}. Nothing was written under that name.`,
        {
          step: this.where,
          fix: 'The name came from the server or folder being backed up; check it there. A name with "..", an absolute path, a drive letter or a device name is never followed.',
        },
      );
    return name.split(/[\\/]/);
  }

  async createArtifact(name: string): Promise<ArtifactStream> {
    const finalPath = this.absPath(name);
    const partialPath = finalPath + PARTIAL_SUFFIX;
    let stream: HashingFileWriter;
    try {
      await mkdirBelow(this.setRoot, dirname(finalPath));
      // A leftover ".partial" of a cancelled attempt in this same run is replaced.
      await rm(partialPath, { force: true });
      stream = await HashingFileWriter.open(partialPath);
    } catch (err) {
      throw destinationError(err, partialPath, this.where);
    }
    this.open.set(partialPath, stream);
    let settled = false;
    return {
      stream,
      commit: async (description?: string) => {
        const fail = async (err: unknown): Promise<never> => {
          settled = true;
          this.open.delete(partialPath);
          await closeStream(stream);
          await rm(partialPath, { force: true }).catch(() => undefined);
          // The write error itself, not "cannot end a destroyed stream" that follows it.
          throw destinationError(stream.errored ?? err, partialPath, this.where);
        };
        if (stream.errored) await fail(stream.errored);
        if (!stream.writableFinished) {
          // end()'s callback also receives a write error that surfaces only at the end
          // (e.g. the disk filled on the last buffered chunk): never commit a short file.
          await new Promise<void>((resolve, reject) => {
            stream.once('error', reject);
            stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
          }).catch(fail);
        }
        if (stream.errored) await fail(stream.errored);
        try {
          await rename(partialPath, finalPath);
          await syncDir(dirname(finalPath));
        } catch (err) {
          throw destinationError(err, finalPath, this.where);
        }
        settled = true;
        this.open.delete(partialPath);
        const record: ArtifactRecord = {
          path: this.relPath(name),
          bytes: stream.bytesWritten,
          sha256: stream.digest(),
        };
        if (description !== undefined) record.description = description;
        this.records.push(record);
        return record;
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        this.open.delete(partialPath);
        await closeStream(stream);
        await rm(partialPath, { force: true }).catch(() => undefined);
      },
    };
  }

  /** Copies a file into the set, hashing during the copy (one read of the source). */
  async copyFile(src: string, name: string, opts: CopyOptions): Promise<ArtifactRecord> {
    const artifact = await this.createArtifact(name);
    let done = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        done += chunk.length;
        opts.onBytes?.(done);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(src, { highWaterMark: 1024 * 1024 }), counter, artifact.stream, {
        signal: opts.signal,
      });
      if (opts.expectedBytes !== undefined && done !== opts.expectedBytes) {
        await artifact.discard();
        throw new ExpectedError(
          'COPY_INCOMPLETE',
          `The copy of ${name} has ${done} bytes, but its source ${src} was reported as ${opts.expectedBytes} bytes.`,
          {
            step: this.where,
            fix: 'The file changed or the connection to it dropped during the copy: run the backup again.',
          },
        );
      }
      return await artifact.commit(opts.description);
    } catch (err) {
      await artifact.discard();
      if (err instanceof ExpectedError) throw err;
      if ((err as { code?: string }).code === 'ENOENT' && (err as { path?: string }).path === src) throw err;
      if ((err as Error).name === 'AbortError') throw err;
      const isSourceError = (err as { path?: string }).path === src;
      if (isSourceError) throw err;
      throw destinationError(err, this.absPath(name), this.where);
    }
  }

  /** Writes a small file (file lists, logs) as an artifact. */
  async writeFile(name: string, data: string | Buffer, description?: string): Promise<ArtifactRecord> {
    const finalPath = this.absPath(name);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    try {
      await mkdirBelow(this.setRoot, dirname(finalPath));
      const partial = finalPath + PARTIAL_SUFFIX;
      await fsWriteFile(partial, buf, { mode: PRIVATE_FILE_MODE });
      const fh = await open(partial, 'r+');
      await fh.sync();
      await fh.close();
      await rename(partial, finalPath);
    } catch (err) {
      throw destinationError(err, finalPath, this.where);
    }
    const record: ArtifactRecord = {
      path: this.relPath(name),
      bytes: buf.length,
      sha256: createHash('sha256').update(buf).digest('hex'),
    };
    if (description !== undefined) record.description = description;
    this.records.push(record);
    return record;
  }

  /** Records an artifact written by other means (already hashed by the caller). */
  addRecord(record: ArtifactRecord): void {
    this.records.push(record);
  }

  /** Removes every partial file still open (cancel / failure cleanup). */
  async discardPartials(): Promise<void> {
    const entries = [...this.open];
    this.open.clear();
    await Promise.all(
      entries.map(async ([p, stream]) => {
        await closeStream(stream);
        await rm(p, { force: true }).catch(() => undefined);
      }),
    );
  }
}

// Windows device names: "NUL.txt" opens the device, not a file, in any folder.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * Why a relative artifact name is unsafe, or undefined. Both separators count on every platform
 * (a set written on Linux is read on Windows), so a backslash can never smuggle in "..".
 */
export function unsafeNameProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  for (const seg of name.split(/[\\/]/)) {
    if (seg === '') return 'it is an absolute path or has an empty part';
    if (seg === '.' || seg === '..') return `it has a "${seg}" part`;
    if (seg.includes(':')) return 'it has a drive letter or a ":" (an NTFS stream)';
    if (hasControlChar(seg)) return 'it has a control character';
    if (/[. ]$/.test(seg)) return 'a part ends with a dot or a space (Windows drops them)';
    if (WINDOWS_DEVICE.test(seg)) return `"${seg}" is a Windows device name`;
  }
  return undefined;
}

/**
 * Creates `dir` and the folders between it and `base`, but never `base` itself or anything above:
 * when the component's folder vanished (a drive pulled, a lazy unmount leaving the bare mount
 * point), the write fails instead of quietly recreating the set on another disk.
 */
export async function mkdirBelow(base: string, dir: string): Promise<void> {
  const rel = relative(base, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${dir} is not inside ${base}`);
  let at = base;
  await stat(base).then((s) => {
    if (!s.isDirectory()) throw Object.assign(new Error(`${base} is not a folder`), { code: 'ENOTDIR' });
  });
  for (const part of rel === '' ? [] : rel.split(sep)) {
    at = join(at, part);
    await mkdir(at, { mode: PRIVATE_DIR_MODE }).catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    });
  }
}

/**
 * Destroys a stream and waits until its file handle is closed. Removing the file earlier
 * races with a pending open() and leaves a ".partial" behind.
 */
function closeStream(stream: HashingFileWriter): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.destroy();
  });
}

/** fsync a directory so a rename survives a power cut; not possible on Windows, so best effort. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Windows and some network file systems refuse fsync on a directory.
  }
}
