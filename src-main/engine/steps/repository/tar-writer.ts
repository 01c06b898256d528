// tar and tar.gz through the block assembler. Every header declares exactly the bytes that follow:
// a file that shrinks while read is zero-filled to its declared size, one that grows is cut at it,
// so the archive stays readable whatever happens to the source.
import { BlockAssembler, ParallelGzipSink, StoreSink, type BlockSink } from './block-sink.js';
import type { ArtifactOutput } from './artifact-output.js';
import { exactNamer, type ArchiveEntry, type ArchiveNamer, type EntryWriter } from './entry-writer.js';
import type { FileReader } from './file-reader.js';
import { tarHeader, tarPadding, tarTrailer, type TarEntry } from './tar-header.js';

export interface TarWriterOptions {
  /** undefined: plain tar; else the gzip level 0..9. */
  gzipLevel?: number;
  blockSize: number;
  /** gzip blocks in flight at once. */
  parallel: number;
  /** Store blocks that look incompressible (default true). */
  storeIncompressible?: boolean;
}

export class TarWriter implements EntryWriter {
  readonly description: string;
  readonly shortFileNote = 'the rest of its entry is filled with zeros';
  private readonly sink: BlockSink;
  private readonly asm: BlockAssembler;

  constructor(out: ArtifactOutput, opts: TarWriterOptions) {
    if (opts.gzipLevel === undefined) {
      this.sink = new StoreSink(out);
      this.description = 'tar (POSIX ustar with PAX headers), not compressed';
    } else {
      const skip = opts.storeIncompressible ?? true;
      this.sink = new ParallelGzipSink(out, opts.gzipLevel, opts.parallel, opts.blockSize, skip);
      this.description =
        `tar.gz (POSIX ustar with PAX headers), gzip level ${opts.gzipLevel}, ` +
        `compressed in ${opts.blockSize / 1024 / 1024} MiB members, ${opts.parallel} at a time` +
        (skip && opts.gzipLevel > 0 ? ', incompressible blocks stored' : '');
    }
    this.asm = new BlockAssembler(this.sink, opts.blockSize);
  }

  /** gzip members written, and how many of them were stored (level 0) as incompressible. */
  get gzipStats(): { members: number; stored: number } | undefined {
    return this.sink instanceof ParallelGzipSink
      ? { members: this.sink.members, stored: this.sink.storedMembers }
      : undefined;
  }

  namer(): ArchiveNamer {
    return exactNamer;
  }

  directory(e: ArchiveEntry): Promise<void> {
    return this.asm.write(tarHeader(meta(e, 'directory', 0)));
  }

  symlink(e: ArchiveEntry, target: Buffer): Promise<void> {
    return this.asm.write(tarHeader({ ...meta(e, 'symlink', 0), linkname: target }));
  }

  async file(e: ArchiveEntry, reader: FileReader): Promise<number> {
    await this.asm.write(tarHeader(meta(e, 'file', reader.size)));
    const got = await this.asm.fillFrom(reader.readInto, reader.size);
    await this.asm.zeros(reader.size - got + tarPadding(reader.size));
    return reader.size;
  }

  async finish(): Promise<void> {
    await this.asm.write(tarTrailer());
    await this.asm.finish();
  }

  abandon(): Promise<void> {
    return this.sink.abandon();
  }
}

function meta(e: ArchiveEntry, type: TarEntry['type'], size: number): TarEntry {
  return {
    name: e.name,
    type,
    size,
    mode: e.stats.mode,
    uid: e.stats.uid,
    gid: e.stats.gid,
    mtimeMs: e.stats.mtimeMs,
  };
}
