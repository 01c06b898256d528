// "Never write through a link": every folder an entry is written into is a real folder, created
// by this extraction or checked with lstat (which does not follow links). An earlier entry may have
// made "a" a link (or a file); a later "a/x" then does not land wherever the link points, it is
// refused. The cache of checked folders is dropped whenever a folder is replaced, so a check can
// never outlive the folder it was made for. Paths longer than PATH_MAX go through descriptors of
// checked ancestor folders (anchored-paths.ts), with the same checks on every folder.
import { isUtf8 } from 'node:buffer';
import { lchownSync, lstatSync, mkdirSync } from 'node:fs';
import { sep } from 'node:path';
import { nameKey } from '../../archive/names.js';
import { CAN_ANCHOR, LONG_PATH, type FsPath } from '../../fs/long-paths.js';
import { AnchoredPaths } from './anchored-paths.js';
import type { SafeName } from './safe-name.js';

export type { FsPath };

export interface Owner {
  uid: number;
  gid: number;
}

export class DirGuard {
  private readonly checked = new Set<string>();
  private lastParent: string | undefined;
  /** Long paths of entries being written (prepare, pathOf). */
  private readonly anchors: AnchoredPaths;
  /** Long paths of earlier entries (a hard link's source), so the two never close each other's descriptors. */
  private readonly sourceAnchors: AnchoredPaths;

  constructor(
    readonly root: string,
    private readonly owner: Owner | undefined,
    /** Called with the reason when a parent is not a real folder; throws. */
    private readonly refuse: (reason: string) => never,
  ) {
    this.anchors = new AnchoredPaths(root);
    this.sourceAnchors = new AnchoredPaths(root);
  }

  /**
   * Path of an entry, with its parent folders made real (created when missing). A long path stays
   * valid until the next prepare() or pathOf().
   */
  prepare(name: SafeName): FsPath {
    return this.walk(name, true, this.anchors);
  }

  /** Path of an entry extracted earlier (a hard link's source); its folders must already be real. */
  existing(name: SafeName): FsPath {
    return this.walk(name, false, this.sourceAnchors);
  }

  /** Path of an entry whose folders were checked before (folder times at the end); no new checks. */
  pathOf(name: SafeName): FsPath {
    if (name.depth === 0) return this.root;
    return this.direct(name) ?? this.anchors.path(partsOf(name));
  }

  /** Records a folder this extraction just made real. */
  mark(name: SafeName): void {
    this.checked.add(name.key);
  }

  /** A folder was removed or replaced: forget every check (and every descriptor held below it). */
  forget(): void {
    this.checked.clear();
    this.lastParent = undefined;
    this.anchors.reset();
    this.sourceAnchors.reset();
  }

  /** Closes the descriptors of long paths. */
  close(): void {
    this.anchors.close();
    this.sourceAnchors.close();
  }

  /** The plain absolute path when it is short enough for one fs call (always, off Linux). */
  private direct(name: SafeName): FsPath | undefined {
    if (name.rawParts) {
      const parts = name.rawParts;
      return this.anchors.fits(parts)
        ? Buffer.concat([Buffer.from(this.root), ...parts.flatMap((p) => [Buffer.from(sep), p])])
        : undefined;
    }
    const abs = `${this.root}${sep}${name.text}`;
    // UTF-16 length x 3 bounds the UTF-8 length: most paths need no byte count at all.
    return !CAN_ANCHOR || abs.length * 3 <= LONG_PATH || Buffer.byteLength(abs) <= LONG_PATH
      ? abs
      : undefined;
  }

  private walk(name: SafeName, create: boolean, anchors: AnchoredPaths): FsPath {
    if (name.depth === 0) return this.root;
    const direct = this.direct(name);
    if (direct === undefined) return this.walkLong(partsOf(name), create, anchors);
    if (name.rawParts) return this.walkRaw(name.rawParts, create, direct);
    const text = name.text;
    const cut = text.lastIndexOf('/');
    const parent = cut === -1 ? '' : text.slice(0, cut);
    if (parent !== '' && parent !== this.lastParent && !this.checked.has(parent)) {
      for (let i = text.indexOf('/'); i !== -1 && i <= cut; i = text.indexOf('/', i + 1)) {
        const key = text.slice(0, i);
        this.ensure(key, `${this.root}${sep}${key}`, create, key);
      }
    }
    if (create) this.lastParent = parent;
    return direct;
  }

  private walkRaw(parts: Buffer[], create: boolean, direct: FsPath): FsPath {
    let abs = Buffer.from(this.root);
    for (let i = 0; i < parts.length - 1; i++) {
      abs = Buffer.concat([abs, Buffer.from(sep), parts[i] as Buffer]);
      const key = prefixKey(parts, i + 1);
      this.ensure(key, abs, create, shown(parts, i + 1));
    }
    return direct;
  }

  /** Every folder above the entry checked (and created) through descriptors of its checked ancestors. */
  private walkLong(parts: Buffer[], create: boolean, anchors: AnchoredPaths): FsPath {
    for (let i = 1; i < parts.length; i++) {
      const key = prefixKey(parts, i);
      if (!this.checked.has(key)) this.ensure(key, anchors.path(parts.slice(0, i)), create, shown(parts, i));
    }
    this.lastParent = undefined;
    return anchors.path(parts);
  }

  private ensure(key: string, abs: FsPath, create: boolean, rel: string): void {
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
      this.refuse(`its folder ${rel} is ${what}; nothing is written through it`);
    }
    this.checked.add(key);
  }
}

/** The name's components as bytes. */
function partsOf(name: SafeName): Buffer[] {
  return name.rawParts ?? name.text.split('/').map((p) => Buffer.from(p));
}

/** The check-cache key of the first `n` components: the same key a SafeName of that folder has. */
function prefixKey(parts: readonly Buffer[], n: number): string {
  const bytes = Buffer.concat(parts.slice(0, n).flatMap((p, j) => (j ? [Buffer.from('/'), p] : [p])));
  return nameKey(bytes.toString('utf8'), isUtf8(bytes) ? undefined : bytes);
}

function shown(parts: readonly Buffer[], n: number): string {
  return parts
    .slice(0, n)
    .map((p) => p.toString('utf8'))
    .join('/');
}
