// Paths under the restore target that may be longer than PATH_MAX (see fs/long-paths.ts): each is
// reached through open descriptors of ancestor folders, kept on a stack while the extraction stays
// in the same branch (an archive is written depth first, so one descriptor per ~3 KB of depth is
// opened once per branch, not once per entry).
//
// Lifetime rule: a path this returns stays valid until the next call to path() on the same
// instance (descriptors it no longer needs are closed at that call, not before), or close().
import { closeSync, openSync } from 'node:fs';
import { sep } from 'node:path';
import { CAN_ANCHOR, descriptorPath, DIR_FLAGS, LONG_PATH, type FsPath } from '../../fs/long-paths.js';

interface Anchor {
  /** Number of components of the folder the descriptor holds. */
  depth: number;
  /** Those components joined with "/" (bytes): the anchor serves only paths under them. */
  prefix: Buffer;
  fd: number;
}

const SLASH = Buffer.from('/');

export class AnchoredPaths {
  private readonly stack: Anchor[] = [];
  /** Descriptors no longer on the stack, closed at the next path() (see the lifetime rule). */
  private retired: number[] = [];
  private readonly rootBytes: Buffer;

  constructor(root: string) {
    this.rootBytes = Buffer.from(root);
  }

  /** True when root/parts… may be handed to fs as one plain path. */
  fits(parts: readonly Buffer[]): boolean {
    if (!CAN_ANCHOR) return true;
    let len = this.rootBytes.length;
    for (const p of parts) len += 1 + p.length;
    return len <= LONG_PATH;
  }

  /** The path of root/parts[0]/…/parts[n-1] for fs calls; every folder above it must exist. */
  path(parts: readonly Buffer[]): FsPath {
    this.closeRetired();
    if (this.fits(parts))
      return Buffer.concat([this.rootBytes, ...parts.flatMap((p) => [Buffer.from(sep), p])]);
    const joined = joinParts(parts);
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1] as Anchor;
      if (top.depth < parts.length && isPrefix(top.prefix, joined.bytes, joined.ends[top.depth - 1] ?? 0))
        break;
      this.stack.pop();
      closeQuietly(top.fd);
    }
    const top = this.stack[this.stack.length - 1];
    let depth = top?.depth ?? 0;
    let cur = top ? Buffer.from(descriptorPath(top.fd)) : this.rootBytes;
    for (let i = depth; i < parts.length; i++) {
      const next = Buffer.concat([cur, SLASH, parts[i] as Buffer]);
      if (next.length > LONG_PATH && i > depth) {
        // `cur` is the folder of parts[0..i): hold it open and go on from its descriptor.
        const fd = openSync(cur, DIR_FLAGS);
        this.stack.push({ depth: i, prefix: joined.bytes.subarray(0, joined.ends[i - 1]), fd });
        depth = i;
        cur = Buffer.concat([Buffer.from(descriptorPath(fd)), SLASH, parts[i] as Buffer]);
      } else cur = next;
    }
    return cur;
  }

  /**
   * A folder was removed or replaced: descriptors may now hold folders that are gone. They are
   * dropped (closed at the next path(), so the path returned last stays usable until then).
   */
  reset(): void {
    for (const a of this.stack) this.retired.push(a.fd);
    this.stack.length = 0;
  }

  close(): void {
    this.reset();
    this.closeRetired();
  }

  private closeRetired(): void {
    for (const fd of this.retired) closeQuietly(fd);
    this.retired = [];
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed: nothing held */
  }
}

/** The components joined with "/" and where each one ends. */
function joinParts(parts: readonly Buffer[]): { bytes: Buffer; ends: number[] } {
  const ends: number[] = [];
  let len = 0;
  for (const [i, p] of parts.entries()) {
    len += (i ? 1 : 0) + p.length;
    ends.push(len);
  }
  return { bytes: Buffer.concat(parts.flatMap((p, i) => (i ? [SLASH, p] : [p]))), ends };
}

function isPrefix(prefix: Buffer, bytes: Buffer, end: number): boolean {
  return prefix.length === end && bytes.compare(prefix, 0, prefix.length, 0, end) === 0;
}
