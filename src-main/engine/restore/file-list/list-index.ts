// What the file list says, held compactly for matching: per path two 32-bit hashes of its key,
// type, size, SHA-256 and the line it came from, in typed arrays (about 70 bytes an entry, so a
// million entries take ~70 MB, not the ~250 MB of a Map of objects). Names are not kept: the
// report reads the list again to name what it found. Keys match by 64 bits of seeded hash; two
// different paths share them with odds of about n²/2^65 (3e-8 for a million entries).
import { randomInt } from 'node:crypto';
import type { ListedEntry, ListedType } from './list-reader.js';

export type Phase = 'archive' | 'tree';

/** What an observation found for a listed entry (per phase). */
export const Seen = {
  No: 0,
  Ok: 1,
  OkNotHashed: 2,
  WrongType: 3,
  WrongSize: 4,
  WrongHash: 5,
  WrongTarget: 6,
  Damaged: 7,
} as const;
export type Seen = (typeof Seen)[keyof typeof Seen];

const TYPE_CODE: Record<ListedType, number> = { file: 1, directory: 2, symlink: 3 };
const TYPE_NAME = ['', 'file', 'directory', 'symlink'];

export class ListIndex {
  private slots = new Int32Array(2048);
  private cap = 0;
  count = 0;
  /** Sum of the listed files' sizes (the later line for a path counts). */
  bytes = 0;
  /** Listed entries by type (the later line for a path counts). */
  readonly byType = { file: 0, directory: 0, symlink: 0 };
  private h1 = new Uint32Array(0);
  private h2 = new Uint32Array(0);
  private line = new Uint32Array(0);
  private type = new Uint8Array(0);
  private hasSha = new Uint8Array(0);
  private seenArchive = new Uint8Array(0);
  private seenTree = new Uint8Array(0);
  private size = new Float64Array(0);
  private foundSize = new Float64Array(0);
  private foundType = new Uint8Array(0);
  private target = new Uint32Array(0);
  private sha = new Uint8Array(0);
  private readonly seed1 = randomInt(2 ** 31);
  private readonly seed2 = randomInt(2 ** 31);

  /** Adds an entry; a later line for the same key replaces the earlier one. */
  add(e: ListedEntry): void {
    const a = hash(e.key, this.seed1);
    const b = hash(e.key, this.seed2);
    let i = this.find2(a, b);
    if (i === -1) {
      if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
      i = this.count++;
      this.grow(this.count);
      this.h1[i] = a;
      this.h2[i] = b;
      this.insertSlot(i);
    } else {
      this.bytes -= this.type[i] === 1 ? (this.size[i] as number) : 0;
      this.byType[TYPE_NAME[this.type[i] as number] as ListedType]--;
    }
    if (e.type === 'file') this.bytes += e.size;
    this.byType[e.type]++;
    this.line[i] = e.line;
    this.type[i] = TYPE_CODE[e.type];
    this.size[i] = e.size;
    this.target[i] = e.target === undefined ? 0 : hash(e.target, this.seed1);
    this.hasSha[i] = e.sha256 ? 1 : 0;
    if (e.sha256) this.sha.set(Buffer.from(e.sha256, 'hex'), i * 32);
  }

  find(key: string): number {
    return this.find2(hash(key, this.seed1), hash(key, this.seed2));
  }

  /** The line an index entry came from (only that line is reported for its path). */
  lineOf(i: number): number {
    return this.line[i] as number;
  }

  /** Records what an observation found; a later observation of the same path replaces an earlier one. */
  observe(
    i: number,
    phase: Phase,
    found: {
      type: 'file' | 'directory' | 'symlink' | 'other';
      size: number;
      sha256?: string | undefined;
      target?: string | undefined;
      damaged?: boolean;
    },
  ): Seen {
    const code = found.type === 'other' ? 4 : TYPE_CODE[found.type];
    let seen: Seen;
    if (found.damaged) seen = Seen.Damaged;
    else if (code !== this.type[i]) seen = Seen.WrongType;
    else if (code === 1 && found.size >= 0 && found.size !== this.size[i]) seen = Seen.WrongSize;
    else if (
      code === 3 &&
      found.target !== undefined &&
      this.target[i] !== 0 &&
      hash(found.target, this.seed1) !== this.target[i]
    )
      seen = Seen.WrongTarget;
    else if (code === 1 && this.hasSha[i] && found.sha256 !== undefined)
      seen = Buffer.from(found.sha256, 'hex').equals(this.sha.subarray(i * 32, i * 32 + 32))
        ? Seen.Ok
        : Seen.WrongHash;
    else seen = code === 1 && this.hasSha[i] ? Seen.OkNotHashed : Seen.Ok;
    (phase === 'archive' ? this.seenArchive : this.seenTree)[i] = seen;
    this.foundSize[i] = found.size;
    this.foundType[i] = code;
    return seen;
  }

  listedWithSha256(i: number): boolean {
    return this.hasSha[i] === 1;
  }

  listedSize(i: number): number {
    return this.size[i] as number;
  }

  seen(i: number, phase: Phase): Seen {
    return (phase === 'archive' ? this.seenArchive : this.seenTree)[i] as Seen;
  }

  found(i: number): { size: number; type: number } {
    return { size: this.foundSize[i] as number, type: this.foundType[i] as number };
  }

  private find2(a: number, b: number): number {
    const mask = this.slots.length - 1;
    for (let s = a & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s] as number;
      if (v === 0) return -1;
      if (this.h1[v - 1] === a && this.h2[v - 1] === b) return v - 1;
    }
  }

  private insertSlot(i: number): void {
    const mask = this.slots.length - 1;
    let s = (this.h1[i] as number) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = i + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let i = 0; i < this.count; i++) this.insertSlot(i);
  }

  private grow(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(1024, this.cap * 2);
    const u32 = (a: Uint32Array): Uint32Array<ArrayBuffer> => {
      const t = new Uint32Array(cap);
      t.set(a);
      return t;
    };
    const u8 = (a: Uint8Array, per = 1): Uint8Array<ArrayBuffer> => {
      const t = new Uint8Array(cap * per);
      t.set(a);
      return t;
    };
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const t = new Float64Array(cap);
      t.set(a);
      return t;
    };
    this.h1 = u32(this.h1);
    this.h2 = u32(this.h2);
    this.line = u32(this.line);
    this.target = u32(this.target);
    this.type = u8(this.type);
    this.hasSha = u8(this.hasSha);
    this.seenArchive = u8(this.seenArchive);
    this.seenTree = u8(this.seenTree);
    this.foundType = u8(this.foundType);
    this.sha = u8(this.sha, 32);
    this.size = f64(this.size);
    this.foundSize = f64(this.foundSize);
    this.cap = cap;
  }
}

/** A seeded 32-bit hash of a string's UTF-16 code units (FNV-1a steps, murmur3 finaliser). */
function hash(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= s.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
