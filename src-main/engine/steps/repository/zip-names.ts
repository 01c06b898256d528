// Names inside a zip. A zip name is bytes with "/" between folders; nearly every name is stored
// exactly as it is (names that are not UTF-8 as their raw bytes, without the UTF-8 flag).
// Only two things cannot be stored as they are, because zip readers give them a meaning:
//   - "\" : Windows tools, Info-ZIP unzip (for some hosts), 7-Zip and others read it as a folder
//           separator, so the Linux name `a/..\..\evil.txt` would become `a/../../evil.txt`;
//   - a leading drive letter ("C:x") on a top-level name: an absolute path to Windows tools.
// Such a name segment is percent-encoded ("%" -> %25, "\" -> %5C, ":" -> %3A): no "\" remains,
// and the encoding is reversible and can never produce "." or "..". A mapped segment that equals
// a real sibling's name gets "~N" appended, so no two entries ever share a name. Folders carry
// their (possibly mapped) name down to their contents, so uniqueness per folder is uniqueness in
// the whole archive.
import type { ArchiveNamer, NameResult } from './entry-writer.js';
import type { WalkEntry } from './walk.js';

/** A zip name's length field is 16 bits. */
export const ZIP_MAX_NAME = 0xffff;

const BACKSLASH = 0x5c;
const SLASH = Buffer.from('/');
const COLON = 0x3a;
const PERCENT = 0x25;

function isDriveLike(name: Buffer): boolean {
  const c = name[0] ?? 0;
  return name.length >= 2 && name[1] === COLON && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/** The segment needs mapping: it holds "\" or, at the top level, starts like a drive ("C:"). */
export function needsMapping(name: Buffer, depth: number): boolean {
  return name.includes(BACKSLASH) || (depth === 0 && isDriveLike(name));
}

/** Percent-encodes "%", "\" and ":" (bytes stay bytes: a name that is not UTF-8 stays so). */
export function encodeSegment(name: Buffer): Buffer {
  const out: number[] = [];
  for (const c of name) {
    if (c === PERCENT || c === BACKSLASH || c === COLON)
      out.push(PERCENT, ...Buffer.from(c.toString(16).toUpperCase().padStart(2, '0')));
    else out.push(c);
  }
  return Buffer.from(out);
}

interface FolderNames {
  /** Every sibling's real name (latin1 keys: one char per byte). */
  real: Set<string>;
  /** Names already given to mapped siblings. */
  given: Set<string>;
}

export class ZipNamer implements ArchiveNamer {
  /** stack[d]: the archive name of the folder at depth d on the current walk path, and whether it differs from its path. */
  private readonly stack: Buffer[] = [];
  private readonly differs: boolean[] = [];
  private readonly folders = new WeakMap<readonly Buffer[], FolderNames>();

  name(e: WalkEntry): NameResult {
    this.stack.length = e.depth;
    this.differs.length = e.depth;
    const parent = e.depth === 0 ? undefined : this.stack[e.depth - 1];
    const mapped = needsMapping(e.name, e.depth);
    const differs = mapped || (e.depth > 0 && this.differs[e.depth - 1] === true);
    const segment = mapped ? this.uniqueMapped(e) : e.name;
    const name = parent === undefined ? segment : Buffer.concat([parent, SLASH, segment]);
    if (e.kind === 'directory') {
      this.stack[e.depth] = name;
      this.differs[e.depth] = differs;
    }
    // Folders are stored with a trailing "/": one byte more.
    if (name.length + (e.kind === 'directory' ? 1 : 0) > ZIP_MAX_NAME) {
      // Its contents have longer names still; keep the stack consistent for them.
      return {
        ok: false,
        reason: `its path is ${name.length} bytes long, and a zip entry name holds at most ${ZIP_MAX_NAME}`,
      };
    }
    return { ok: true, name, mapped, differs };
  }

  private uniqueMapped(e: WalkEntry): Buffer {
    let names = this.folders.get(e.siblings);
    if (!names) {
      names = { real: new Set(e.siblings.map((s) => s.toString('latin1'))), given: new Set() };
      this.folders.set(e.siblings, names);
    }
    const base = encodeSegment(e.name);
    let candidate = base;
    for (
      let i = 1;
      names.real.has(candidate.toString('latin1')) || names.given.has(candidate.toString('latin1'));
      i++
    )
      candidate = Buffer.concat([base, Buffer.from(`~${i}`)]);
    names.given.add(candidate.toString('latin1'));
    return candidate;
  }
}
