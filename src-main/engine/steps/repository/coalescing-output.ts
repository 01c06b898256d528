// Gathers the many small pieces of an archive (headers, small entries) into 1 MiB writes and
// passes large pieces (compressed blocks) straight through, in order, counting every byte: the
// position is each entry's offset in the archive. The 1 MiB buffers are reused once the artifact
// has written them: a fresh buffer per write would leave tens of MB of dead buffers waiting for
// the garbage collector with a million small files.
import type { ArtifactOutput } from './artifact-output.js';

const SIZE = 1024 * 1024;
/** Free buffers kept for reuse (the artifact holds at most ~8 MiB in flight). */
const POOL = 12;

export class CoalescingOutput {
  /** Bytes accepted so far: the offset of the next byte in the archive. */
  position = 0;
  private readonly free: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;

  constructor(private readonly out: ArtifactOutput) {
    this.buf = Buffer.allocUnsafeSlow(SIZE);
  }

  async write(piece: Buffer): Promise<void> {
    this.position += piece.length;
    if (piece.length > SIZE / 2) {
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

  /** Hands what is gathered to the artifact; the buffer comes back to the pool once written. */
  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const full = this.buf;
    const chunk = full.subarray(0, this.pos);
    this.buf = this.free.pop() ?? Buffer.allocUnsafeSlow(SIZE);
    this.pos = 0;
    await this.out.write(chunk, () => {
      if (this.free.length < POOL) this.free.push(full);
    });
  }

  check(): void {
    this.out.check();
  }
}
