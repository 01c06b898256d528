// What the bracketed capture's first pass saw of each entry (kind, size, mtime, ctime, file id),
// so that its second pass archives only what is new or changed and names what disappeared.
// Compact: one Map from path to a row of typed arrays (a million files cost about 100 MB, most of
// it the paths themselves).
import type { EntryOutcome } from './archive-tree.js';
import type { EntryKind, WalkEntry } from './walk.js';

const KINDS: EntryKind[] = ['file', 'directory', 'symlink', 'special'];
const CLEAN = 1;
const STORED = 2;
const SEEN_AGAIN = 4;

/** A path's key: its text, or (not valid UTF-8) NUL + its bytes as latin1, which no text path can equal. */
export function pathKey(e: Pick<WalkEntry, 'rel' | 'raw'>): string {
  return e.raw === undefined ? e.rel : `\0${e.raw.toString('latin1')}`;
}

/** The path a key stands for: text, and the exact bytes when they are not UTF-8. */
export function keyPath(key: string): { path: string; pathBase64?: string } {
  if (!key.startsWith('\0')) return { path: key };
  const raw = Buffer.from(key.slice(1), 'latin1');
  return { path: raw.toString('utf8'), pathBase64: raw.toString('base64') };
}

export class IdentityRecord {
  private readonly rows = new Map<string, number>();
  private size = new Float64Array(1024);
  private mtime = new Float64Array(1024);
  private ctime = new Float64Array(1024);
  private ino = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private flags = new Uint8Array(1024);
  private n = 0;

  /** First pass: the entry as it went into the archive (or did not). */
  first(e: WalkEntry, outcome: EntryOutcome): void {
    if (outcome === 'skipped' || outcome === 'unselected') return;
    this.put(e, outcome);
  }

  /** Second pass: does the entry need archiving again (new, of another kind, changed, or not a clean copy)? */
  changed(e: WalkEntry): boolean {
    const i = this.rows.get(pathKey(e));
    if (i === undefined || KINDS[this.kind[i] ?? 0] !== e.kind) return true;
    if (e.kind === 'directory') return false;
    if (((this.flags[i] ?? 0) & CLEAN) === 0) return true;
    const s = e.stats;
    return (
      this.size[i] !== s.size ||
      this.mtime[i] !== s.mtimeMs ||
      this.ctime[i] !== s.ctimeMs ||
      this.ino[i] !== s.ino
    );
  }

  /** Second pass: the entry was seen (and, when archived again, replaces what the first pass stored). */
  second(e: WalkEntry, outcome: EntryOutcome): void {
    if (outcome === 'stored' || outcome === 'warned') this.put(e, outcome);
    const i = this.rows.get(pathKey(e));
    if (i !== undefined) this.flags[i] = (this.flags[i] ?? 0) | SEEN_AGAIN;
  }

  /** Entries the archive holds that the second pass did not find (kept: the database may reference them). */
  *disappeared(): Generator<{ key: string; kind: EntryKind }> {
    for (const [key, i] of this.rows)
      if (((this.flags[i] ?? 0) & (SEEN_AGAIN | STORED)) === STORED)
        yield { key, kind: KINDS[this.kind[i] ?? 0] ?? 'file' };
  }

  /** Files the archive holds (the last copy of each) and their bytes. */
  totals(): { files: number; bytes: number } {
    let files = 0;
    let bytes = 0;
    for (let i = 0; i < this.n; i++)
      if (KINDS[this.kind[i] ?? 0] === 'file' && ((this.flags[i] ?? 0) & STORED) !== 0) {
        files++;
        bytes += this.size[i] ?? 0;
      }
    return { files, bytes };
  }

  private put(e: WalkEntry, outcome: EntryOutcome): void {
    const key = pathKey(e);
    let i = this.rows.get(key);
    if (i === undefined) {
      i = this.n++;
      if (i >= this.size.length) this.grow();
      this.rows.set(key, i);
    }
    const s = e.stats;
    this.size[i] = s.size;
    this.mtime[i] = s.mtimeMs;
    this.ctime[i] = s.ctimeMs;
    this.ino[i] = s.ino;
    this.kind[i] = KINDS.indexOf(e.kind);
    this.flags[i] = STORED | (outcome === 'stored' ? CLEAN : 0) | ((this.flags[i] ?? 0) & SEEN_AGAIN);
  }

  private grow(): void {
    const twice = <T extends Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.size = twice(this.size);
    this.mtime = twice(this.mtime);
    this.ctime = twice(this.ctime);
    this.ino = twice(this.ino);
    this.kind = twice(this.kind);
    this.flags = twice(this.flags);
  }
}
