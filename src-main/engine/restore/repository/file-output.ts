// Writes one file's content with positional synchronous writes (the archive is read and inflated
// on other threads meanwhile). Runs of 64 KiB of zeros are skipped, not written: the file is new
// (created exclusively), so they read back as zeros and take no space where the file system
// supports holes — a 4 GiB sparse file restores in seconds and stays sparse.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, ftruncateSync, futimesSync, writeSync } from 'node:fs';
import type { Owner } from './dir-guard.js';

const ZERO_RUN = 64 * 1024;
const ZEROS = Buffer.alloc(ZERO_RUN);

export class FileOutput {
  private pos = 0;
  private writtenTo = 0;
  private readonly hash: Hash | undefined;
  private closed = false;

  constructor(
    private readonly fd: number,
    hashing: boolean,
  ) {
    this.hash = hashing ? createHash('sha256') : undefined;
  }

  get bytes(): number {
    return this.pos;
  }

  write(chunk: Buffer): void {
    this.hash?.update(chunk);
    const len = chunk.length;
    let from = 0;
    if (len >= ZERO_RUN)
      for (let i = 0; i + ZERO_RUN <= len; i += ZERO_RUN) {
        if (
          chunk[i] !== 0 ||
          chunk[i + ZERO_RUN - 1] !== 0 ||
          chunk.compare(ZEROS, 0, ZERO_RUN, i, i + ZERO_RUN) !== 0
        )
          continue;
        if (i > from) this.writeAll(chunk, from, i - from, this.pos + from);
        from = i + ZERO_RUN;
      }
    if (from < len) this.writeAll(chunk, from, len - from, this.pos + from);
    this.pos += len;
  }

  /** Sets length (trailing holes), permissions, owner and times, then closes. Returns the SHA-256 when hashing. */
  finish(meta: {
    mtimeMs?: number | undefined;
    mode?: number | undefined;
    owner?: Owner | undefined;
  }): string | undefined {
    if (this.writtenTo < this.pos) ftruncateSync(this.fd, this.pos);
    if (process.platform !== 'win32') {
      // Created with this mode already (fileMode()); only bits the umask took away need a chmod.
      const mode = fileMode(meta.mode);
      if (mode & umask()) fchmodSync(this.fd, mode);
      if (meta.owner) fchownSync(this.fd, meta.owner.uid, meta.owner.gid);
    }
    if (meta.mtimeMs !== undefined) futimesSync(this.fd, meta.mtimeMs / 1000, meta.mtimeMs / 1000);
    this.close();
    return this.hash?.digest('hex');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private writeAll(buf: Buffer, off: number, len: number, position: number): void {
    let done = 0;
    while (done < len) done += writeSync(this.fd, buf, off + done, len - done, position + done);
    this.writtenTo = Math.max(this.writtenTo, position + len);
  }
}

/** Permission bits a restored file gets: the archive's, without set-id and sticky bits. */
export function fileMode(mode: number | undefined): number {
  return (mode ?? 0o644) & 0o777;
}

let cachedUmask: number | undefined;
/** The process umask, read once (a restore does not change it). */
function umask(): number {
  return (cachedUmask ??= process.umask());
}
