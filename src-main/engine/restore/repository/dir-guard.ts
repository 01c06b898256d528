// "Never write through a link": every folder an entry is written into is a real folder, created
// by this extraction or checked with lstat (which does not follow links). An earlier entry may have
// made "a" a link (or a file); a later "a/x" then does not land wherever the link points, it is
// refused. The cache of checked folders is dropped whenever a folder is replaced, so a check can
// never outlive the folder it was made for.
import { isUtf8 } from 'node:buffer';
import { lchownSync, lstatSync, mkdirSync } from 'node:fs';
import { sep } from 'node:path';
import { nameKey } from '../../archive/names.js';
import type { SafeName } from './safe-name.js';

export interface Owner {
  uid: number;
  gid: number;
}

/** A path to hand to fs: text, or bytes for names that are not UTF-8. */
export type FsPath = string | Buffer;

export class DirGuard {
  private readonly checked = new Set<string>();
  private lastParent: string | undefined;

  constructor(
    readonly root: string,
    private readonly owner: Owner | undefined,
    /** Called with the reason when a parent is not a real folder; throws. */
    private readonly refuse: (reason: string) => never,
  ) {}

  /** Absolute path of an entry, with its parent folders made real (created when missing). */
  prepare(name: SafeName): FsPath {
    return this.walk(name, true);
  }

  /** Absolute path of an entry extracted earlier (a hard link's source); its folders must already be real. */
  existing(name: SafeName): FsPath {
    return this.walk(name, false);
  }

  /** Records a folder this extraction just made real. */
  mark(name: SafeName): void {
    this.checked.add(name.key);
  }

  /** A folder was removed or replaced: forget every check. */
  forget(): void {
    this.checked.clear();
    this.lastParent = undefined;
  }

  private walk(name: SafeName, create: boolean): FsPath {
    if (name.depth === 0) return this.root;
    if (name.rawParts) return this.walkRaw(name.rawParts, create);
    const text = name.text;
    const cut = text.lastIndexOf('/');
    const parent = cut === -1 ? '' : text.slice(0, cut);
    if (parent !== '' && parent !== this.lastParent && !this.checked.has(parent)) {
      for (let i = text.indexOf('/'); i !== -1 && i <= cut; i = text.indexOf('/', i + 1)) {
        const key = text.slice(0, i);
        this.ensure(key, this.abs(key), create);
      }
    }
    if (create) this.lastParent = parent;
    return this.abs(text);
  }

  private walkRaw(parts: Buffer[], create: boolean): FsPath {
    let abs = Buffer.from(this.root);
    for (let i = 0; i < parts.length; i++) {
      abs = Buffer.concat([abs, Buffer.from(sep), parts[i] as Buffer]);
      if (i === parts.length - 1) break;
      const bytes = Buffer.concat(parts.slice(0, i + 1).flatMap((p, j) => (j ? [Buffer.from('/'), p] : [p])));
      this.ensure(nameKey(bytes.toString('utf8'), isUtf8(bytes) ? undefined : bytes), abs, create);
    }
    return abs;
  }

  private abs(rel: string): string {
    return `${this.root}${sep}${rel}`;
  }

  private ensure(key: string, abs: FsPath, create: boolean): void {
    if (this.checked.has(key)) return;
    if (create) {
      try {
        mkdirSync(abs, 0o755);
        if (this.owner) lchownSync(abs, this.owner.uid, this.owner.gid);
        this.checked.add(key);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST') throw err;
      }
    }
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      const what = !st
        ? 'missing'
        : st.isSymbolicLink()
          ? 'a link (made by an earlier entry)'
          : 'not a folder';
      this.refuse(
        `its folder ${abs.toString().slice(this.root.length + 1)} is ${what}; nothing is written through it`,
      );
    }
    this.checked.add(key);
  }
}
