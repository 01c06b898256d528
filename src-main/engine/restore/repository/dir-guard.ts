// "Never write through a link": every folder an entry is written into is a real folder, created
// by this extraction or checked with lstat (which does not follow links). An earlier entry may have
// made "a" a link (or a file); a later "a/x" then does not land wherever the link points, it is
// refused. The cache of checked folders is dropped whenever a folder is replaced, so a check can
// never outlive the folder it was made for.
import { lchownSync, lstatSync, mkdirSync } from 'node:fs';

export const SEP = Buffer.from(process.platform === 'win32' ? '\\' : '/');

export interface Owner {
  uid: number;
  gid: number;
}

export class DirGuard {
  private checked = new Set<string>();
  private lastKey: string | undefined;
  private lastAbs: Buffer | undefined;

  constructor(
    readonly root: Buffer,
    private readonly owner: Owner | undefined,
    /** Called with the reason when a parent is not a real folder; throws. */
    private readonly refuse: (reason: string) => never,
  ) {}

  /** Absolute path of an entry whose components are `parts`, with its parent folders made real. */
  prepare(parts: Buffer[]): Buffer {
    const parentKey = keyOf(parts, parts.length - 1);
    let parent: Buffer;
    if (parentKey === this.lastKey && this.lastAbs) parent = this.lastAbs;
    else {
      parent = this.root;
      for (let i = 0; i < parts.length - 1; i++) {
        parent = Buffer.concat([parent, SEP, parts[i] as Buffer]);
        this.ensure(keyOf(parts, i + 1), parent, parts, i);
      }
      this.lastKey = parentKey;
      this.lastAbs = parent;
    }
    return parts.length === 0 ? this.root : Buffer.concat([parent, SEP, parts[parts.length - 1] as Buffer]);
  }

  /** Absolute path of an entry extracted earlier (a hard link's source); its folders must already be real. */
  existing(parts: Buffer[]): Buffer {
    let abs = this.root;
    for (let i = 0; i < parts.length; i++) {
      abs = Buffer.concat([abs, SEP, parts[i] as Buffer]);
      if (i < parts.length - 1 && !this.checked.has(keyOf(parts, i + 1))) {
        const st = lstatSync(abs, { throwIfNoEntry: false });
        if (!st?.isDirectory())
          this.refuse(`the folder ${keyOf(parts, i + 1)} it refers to is not a real folder`);
        this.checked.add(keyOf(parts, i + 1));
      }
    }
    return abs;
  }

  /** Records a folder this extraction just made real. */
  mark(parts: Buffer[]): void {
    this.checked.add(keyOf(parts, parts.length));
  }

  /** A folder was removed or replaced: forget every check. */
  forget(): void {
    this.checked.clear();
    this.lastKey = undefined;
    this.lastAbs = undefined;
  }

  private ensure(key: string, abs: Buffer, parts: Buffer[], i: number): void {
    if (this.checked.has(key)) return;
    try {
      mkdirSync(abs, 0o755);
      if (this.owner) lchownSync(abs, this.owner.uid, this.owner.gid);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const st = lstatSync(abs);
      if (!st.isDirectory()) {
        const what = st.isSymbolicLink() ? 'a link' : 'not a folder';
        this.refuse(
          `its folder ${Buffer.concat(parts.slice(0, i + 1).flatMap((p, j) => (j ? [Buffer.from('/'), p] : [p]))).toString()} is ${what} (made by an earlier entry); nothing is written through it`,
        );
      }
    }
    this.checked.add(key);
  }
}

/** Cache key of the first `n` components: their bytes joined by "/", as latin1 text (lossless). */
export function keyOf(parts: Buffer[], n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? '/' : '') + (parts[i] as Buffer).toString('latin1');
  return s;
}
