// Gathers the many small pieces of an archive (headers, small entries) into 1 MiB writes and
// passes large pieces (compressed blocks) straight through, in order, counting every byte: the
// position is each entry's offset in the archive.
import type { ArtifactOutput } from './artifact-output.js';

const SIZE = 1024 * 1024;

export class CoalescingOutput {
  /** Bytes accepted so far: the offset of the next byte in the archive. */
  position = 0;
  private buf = Buffer.allocUnsafe(SIZE);
  private pos = 0;

  constructor(private readonly out: ArtifactOutput) {}

  async write(piece: Buffer): Promise<void> {
    this.position += piece.length;
    if (piece.length >= SIZE / 4) {
      await this.flush();
      await this.out.write(piece);
      return;
    }
    if (this.pos + piece.length > SIZE) await this.flush();
    piece.copy(this.buf, this.pos);
    this.pos += piece.length;
  }

  async writeAll(pieces: readonly Buffer[]): Promise<void> {
    for (const p of pieces) await this.write(p);
  }

  /** Hands what is gathered to the artifact (a fresh buffer follows: the artifact keeps the old one until written). */
  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(SIZE);
    this.pos = 0;
    await this.out.write(chunk);
  }

  check(): void {
    this.out.check();
  }
}
