// Compares what a restore (or a deep verify) found with the set's file list: every listed entry
// present with its type and size, and its SHA-256 where the list has one; whatever is missing,
// extra or different is named, with exact counts. Two passes over the list (index, then report),
// so memory holds compact records, never the list's text.
import { ListIndex, Seen, type Phase } from './list-index.js';
import { readFileList, type ListedEntry } from './list-reader.js';

export interface ObservedEntry {
  key: string;
  /** As found (archive name or path on disk), for messages. */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Bytes; -1 when not known (a hard link read without extracting). */
  size: number;
  sha256?: string;
  target?: string;
  /** The content failed the archive's own check (zip CRC-32). */
  damaged?: boolean;
}

export interface NamedCount {
  count: number;
  /** The first NAMES_KEPT names. */
  names: string[];
}

export interface FileListReport {
  ok: boolean;
  /** What was compared: the archive's entries, the files on disk, or both. */
  phases: Phase[];
  /** Distinct paths in the list. */
  listed: number;
  /** Present with the listed type and size (and SHA-256 where compared). */
  matched: number;
  /** Files whose SHA-256 was compared and matched. */
  hashed: number;
  missing: NamedCount;
  extra: NamedCount;
  typeMismatch: NamedCount;
  sizeMismatch: NamedCount;
  hashMismatch: NamedCount;
  targetMismatch: NamedCount;
  damaged: NamedCount;
  invalidLines: { count: number; lines: number[] };
  unsafePaths: NamedCount;
  /** One line per problem, as verify words them (capped per kind, with the rest counted). */
  problems: string[];
}

export const NAMES_KEPT = 1000;
/** Problem lines per kind; the rest are summed up in one line. */
const LINES_PER_KIND = 200;
/** Distinct extra paths remembered to count each once; beyond it extras are counted as seen. */
const EXTRA_KEYS_KEPT = 100_000;

const named = (): NamedCount => ({ count: 0, names: [] });
const TYPE_WORD = ['', 'file', 'folder', 'link', 'special file'];

export class FileListCheck {
  private readonly index = new ListIndex();
  private readonly phases = new Set<Phase>();
  private readonly invalid = { count: 0, lines: [] as number[] };
  private readonly unsafe = named();
  private readonly extra = named();
  private readonly extraKeys = new Set<string>();
  private readonly extraLines: string[] = [];

  private constructor(private readonly listPath: string) {}

  /** Reads the list once and indexes it. */
  static async load(listPath: string, signal?: AbortSignal): Promise<FileListCheck> {
    const check = new FileListCheck(listPath);
    for await (const l of readFileList(listPath, signal)) {
      if (l.kind === 'entry') check.index.add(l.entry);
      else if (l.kind === 'invalid') {
        check.invalid.count++;
        if (check.invalid.lines.length < NAMES_KEPT) check.invalid.lines.push(l.line);
      } else note(check.unsafe, `${l.path} (line ${l.line}: ${l.reason})`);
    }
    return check;
  }

  /** What the list describes: distinct paths, by type, and the files' total size in bytes. */
  get totals(): { entries: number; files: number; directories: number; symlinks: number; bytes: number } {
    const t = this.index.byType;
    return {
      entries: this.index.count,
      files: t.file,
      directories: t.directory,
      symlinks: t.symlink,
      bytes: this.index.bytes,
    };
  }

  /** Lines that are not valid entries, and paths that are unsafe (pass 1). */
  get listProblems(): { invalidLines: number; unsafePaths: number } {
    return { invalidLines: this.invalid.count, unsafePaths: this.unsafe.count };
  }

  /** Records one entry found by `phase`; later observations of the same path replace earlier ones. */
  observe(phase: Phase, o: ObservedEntry): void {
    this.phases.add(phase);
    if (o.key === '') return; // the folder itself
    const i = this.index.find(o.key);
    if (i !== -1) {
      this.index.observe(i, phase, o);
      return;
    }
    const k = `${phase}:${o.key}`;
    if (this.extraKeys.has(k)) return;
    if (this.extraKeys.size < EXTRA_KEYS_KEPT) this.extraKeys.add(k);
    note(this.extra, o.name);
    if (this.extraLines.length < LINES_PER_KIND)
      this.extraLines.push(
        `EXTRA: ${o.name} (${phase === 'archive' ? 'in the archive' : 'on disk'}, not in the file list).`,
      );
  }

  /** Marks a phase as run even when it found nothing (an empty archive still proves what is missing). */
  ran(phase: Phase): void {
    this.phases.add(phase);
  }

  /** Reads the list a second time and names everything that does not match. */
  async report(signal?: AbortSignal): Promise<FileListReport> {
    const r: FileListReport = {
      ok: false,
      phases: [...this.phases],
      listed: this.index.count,
      matched: 0,
      hashed: 0,
      missing: named(),
      extra: this.extra,
      typeMismatch: named(),
      sizeMismatch: named(),
      hashMismatch: named(),
      targetMismatch: named(),
      damaged: named(),
      invalidLines: this.invalid,
      unsafePaths: this.unsafe,
      problems: [],
    };
    const lines = new Map<string, string[]>();
    const add = (kind: keyof FileListReport, n: NamedCount, name: string, line: string): void => {
      note(n, name);
      const l = lines.get(kind) ?? [];
      if (l.length < LINES_PER_KIND) l.push(line);
      lines.set(kind, l);
    };
    for await (const l of readFileList(this.listPath, signal)) {
      if (l.kind !== 'entry') continue;
      const i = this.index.find(l.entry.key);
      if (i === -1 || this.index.lineOf(i) !== l.entry.line) continue; // a later line for the path wins
      this.judge(i, l.entry, r, add);
    }
    for (const [kind, l] of lines)
      r.problems.push(...l, ...more((r[kind as keyof FileListReport] as NamedCount).count - l.length));
    r.problems.push(...this.extraLines, ...more(this.extra.count - this.extraLines.length));
    for (const line of this.invalid.lines.slice(0, LINES_PER_KIND))
      r.problems.push(`FILE LIST: line ${line} is not a valid entry.`);
    r.problems.push(...more(this.invalid.count - Math.min(this.invalid.lines.length, LINES_PER_KIND)));
    for (const n of this.unsafe.names.slice(0, LINES_PER_KIND))
      r.problems.push(`FILE LIST: unsafe path ${n}.`);
    r.problems.push(...more(this.unsafe.count - Math.min(this.unsafe.names.length, LINES_PER_KIND)));
    r.ok = r.problems.length === 0;
    return r;
  }

  private judge(
    i: number,
    e: ListedEntry,
    r: FileListReport,
    add: (kind: keyof FileListReport, n: NamedCount, name: string, line: string) => void,
  ): void {
    const listed =
      e.type === 'file' ? `a ${e.size}-byte file` : `a ${TYPE_WORD[e.type === 'directory' ? 2 : 3]}`;
    let ok = true;
    let hashed = false;
    for (const phase of r.phases) {
      const where = phase === 'archive' ? 'in the archive' : 'on disk';
      const s = this.index.seen(i, phase);
      const found = this.index.found(i);
      if (s === Seen.Ok && this.index.listedWithSha256(i)) hashed = true;
      if (s === Seen.Ok || s === Seen.OkNotHashed) continue;
      ok = false;
      if (s === Seen.No)
        add('missing', r.missing, e.path, `MISSING: ${e.path} (listed as ${listed}; not found ${where}).`);
      else if (s === Seen.WrongType)
        add(
          'typeMismatch',
          r.typeMismatch,
          e.path,
          `TYPE MISMATCH: ${e.path} is listed as ${listed} but is a ${TYPE_WORD[found.type] ?? 'something else'} ${where}.`,
        );
      else if (s === Seen.WrongSize)
        add(
          'sizeMismatch',
          r.sizeMismatch,
          e.path,
          `SIZE MISMATCH: ${e.path} has ${found.size} bytes ${where}, the file list says ${e.size}.`,
        );
      else if (s === Seen.WrongHash)
        add(
          'hashMismatch',
          r.hashMismatch,
          e.path,
          `HASH MISMATCH: ${e.path} ${where} does not have the SHA-256 the file list records (its content differs).`,
        );
      else if (s === Seen.WrongTarget)
        add(
          'targetMismatch',
          r.targetMismatch,
          e.path,
          `LINK MISMATCH: ${e.path} ${where} points elsewhere than the file list says (${e.target ?? ''}).`,
        );
      else
        add(
          'damaged',
          r.damaged,
          e.path,
          `DAMAGED: ${e.path} fails the archive's own check (CRC-32) ${where}.`,
        );
      break; // one problem per path: the first phase that found it
    }
    if (ok) r.matched++;
    if (ok && hashed) r.hashed++;
  }
}

function note(n: NamedCount, name: string): void {
  n.count++;
  if (n.names.length < NAMES_KEPT) n.names.push(name);
}

function more(n: number): string[] {
  return n > 0 ? [`... and ${n} more of the same kind.`] : [];
}
