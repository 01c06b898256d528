// zip through archiver 8 (ZipArchive). Entries are appended one at a time and each is awaited,
// so memory stays flat however many files there are; zip64 records appear when sizes/offsets
// need them. We read the files ourselves (FileReader) so a vanished or shrinking file ends its
// entry cleanly (its CRC and sizes describe what was stored) instead of failing the archive.
import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { ArtifactOutput } from './artifact-output.js';
import type { EntryMeta, EntryWriter } from './entry-writer.js';
import type { FileReader } from './file-reader.js';
import { fileLooksIncompressible } from './incompressible.js';

/** Bytes per read for zip entries; large reads keep archiver's stream overhead low. */
const ZIP_CHUNK = 1024 * 1024;
/** Files up to this size are read whole and appended as a Buffer. */
const SMALL_ENTRY = 256 * 1024;
/**
 * archiver emits many tiny chunks (every header field is its own write); they are gathered into
 * writes of at least this size. Piping them one by one cost more CPU than the compression itself.
 */
const COALESCE = 256 * 1024;

type ZipEntryData = Parameters<ZipArchive['append']>[1];

export class ZipWriter implements EntryWriter {
  readonly description: string;
  readonly shortFileNote = 'its entry holds the bytes that could be read';
  private readonly archive: ZipArchive;
  private error: Error | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();

  /** Entries stored rather than deflated because they looked incompressible. */
  storedEntries = 0;

  constructor(
    private readonly out: ArtifactOutput,
    private readonly level: number,
    private readonly storeIncompressible = true,
  ) {
    this.archive = new ZipArchive({
      store: level === 0,
      zlib: { level: level === 0 ? 1 : level },
      highWaterMark: ZIP_CHUNK,
    });
    this.description =
      level === 0
        ? 'zip (zip64 when needed), stored without compression'
        : `zip (zip64 when needed), deflate level ${level}${storeIncompressible ? ', incompressible files stored' : ''}`;
    // A listener at all times: an 'error' between two awaits must not become an uncaught exception.
    this.archive.on('error', (err) => (this.error ??= err));
    this.archive.on('warning', (err) => (this.error ??= err));
    this.archive.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= COALESCE) this.flushPending();
    });
  }

  /** Hands the gathered chunks to the artifact in one write; archiver pauses until the write is accepted. */
  private flushPending(): void {
    if (this.pendingBytes === 0) return;
    const buf =
      this.pending.length === 1
        ? (this.pending[0] as Buffer)
        : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.archive.pause();
    const accepted = this.out.write(buf);
    this.writing = this.writing.then(
      () => accepted.then(() => void this.archive.resume()),
      () => undefined,
    );
    // A failed write surfaces through out.check() at the next step; keep it from being "unhandled".
    this.writing.catch(() => undefined);
    accepted.catch((err: Error) => (this.error ??= err));
  }

  /** The name archiver will store: it turns "\" into "/" and drops a leading "name:" (a drive letter to it). */
  archiveName(rel: string): string {
    return zipEntryName(rel);
  }

  directory(e: EntryMeta): Promise<void> {
    return this.append(Buffer.alloc(0), {
      name: `${this.archiveName(e.rel)}/`,
      type: 'directory',
      date: new Date(e.stats.mtimeMs),
      mode: e.stats.mode & 0o7777,
    });
  }

  symlink(e: EntryMeta, target: string): Promise<void> {
    return this.waitForEntry(() =>
      this.archive.symlink(this.archiveName(e.rel), target, e.stats.mode & 0o7777),
    );
  }

  async file(e: EntryMeta, reader: FileReader): Promise<number> {
    const store =
      this.level > 0 &&
      this.storeIncompressible &&
      (await fileLooksIncompressible(reader.source, reader.size).catch(() => false));
    if (store) this.storedEntries++;
    const data = {
      name: this.archiveName(e.rel),
      date: new Date(e.stats.mtimeMs),
      mode: e.stats.mode & 0o7777,
      ...(store && { store: true }),
    };
    if (reader.size <= SMALL_ENTRY) {
      // Small files go in as one Buffer: no stream pair per entry (archiver's per-entry cost).
      const buf = Buffer.allocUnsafeSlow(reader.size);
      let got = 0;
      for (;;) {
        const n = await reader.readInto(buf, got, reader.size - got);
        if (n <= 0) break;
        got += n;
      }
      await this.append(got === reader.size ? buf : buf.subarray(0, got), data);
      return got;
    }
    let stored = 0;
    const source = new Readable({
      highWaterMark: ZIP_CHUNK,
      read() {
        const want = Math.min(ZIP_CHUNK, reader.size - reader.bytesRead);
        if (want <= 0) return void this.push(null);
        const buf = Buffer.allocUnsafe(want);
        reader.readInto(buf, 0, want).then(
          (n) => {
            if (n <= 0) return void this.push(null);
            stored += n;
            this.push(n === want ? buf : buf.subarray(0, n));
          },
          (err: Error) => this.destroy(err),
        );
      },
    });
    // Only an AbortError ends a source early, and cancellation is handled through the signal.
    source.on('error', () => undefined);
    await this.append(source, data);
    return stored;
  }

  async finish(): Promise<void> {
    this.check();
    await this.out.until<void>((resolve, reject) => {
      const onEnd = (): void => resolve();
      const onError = (err: Error): void => reject(err);
      this.archive.once('end', onEnd);
      this.archive.once('error', onError);
      this.archive.finalize().catch(onError);
      return () => {
        this.archive.off('end', onEnd);
        this.archive.off('error', onError);
      };
    });
    this.flushPending();
    await this.writing;
    this.check();
  }

  abandon(): Promise<void> {
    this.archive.removeAllListeners('data');
    this.archive.on('error', () => undefined);
    this.archive.abort();
    this.pending = [];
    return Promise.resolve();
  }

  private append(source: Readable | Buffer, data: ZipEntryData): Promise<void> {
    return this.waitForEntry(() => this.archive.append(source, data));
  }

  /** Runs `start` and waits for archiver's 'entry' event (entries go one at a time). */
  private async waitForEntry(start: () => void): Promise<void> {
    this.check();
    await this.out.until<void>((resolve, reject) => {
      const onEntry = (): void => resolve();
      const onError = (err: Error): void => reject(err);
      this.archive.once('entry', onEntry);
      this.archive.once('error', onError);
      start();
      return () => {
        this.archive.off('entry', onEntry);
        this.archive.off('error', onError);
      };
    });
    this.check();
  }

  private check(): void {
    this.out.check();
    if (this.error) throw this.error;
  }
}

/** Mirrors the name clean-up of archiver/compress-commons (normalize-path, drive prefix, leading ../ or /). */
export function zipEntryName(rel: string): string {
  return rel
    .split(/[/\\]+/)
    .join('/')
    .replace(/^\w+:/, '')
    .replace(/^(\.\.\/|\/)+/, '');
}
