// Walks a restored folder and reports every entry to a FileListCheck: type, size, link target and,
// when asked, the SHA-256 of every file read back from disk. Links are never followed; names that
// are not UTF-8 are read as bytes so they match the archive's raw names. Folders deeper than
// PATH_MAX allows are read through a descriptor of the folder (fs/long-paths.ts), as the backup does.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { sep } from 'node:path';
import {
  byteLength,
  CAN_ANCHOR,
  descriptorPath,
  DIR_FLAGS,
  LONG_PATH,
  type FsPath,
} from '../../fs/long-paths.js';
import { nameKey } from '../../archive/names.js';
import { throwIfAborted } from '../../errors.js';
import { EventLoopYielder } from '../../steps/repository/yielder.js';
import type { FileListCheck } from './file-list-check.js';

export interface TreeObservation {
  entries: number;
  files: number;
  bytes: number;
}

interface Rel {
  text: string;
  /** Bytes of the whole relative path, when some component is not UTF-8. */
  raw?: Buffer;
}

const READ = 1024 * 1024;

export async function observeTree(
  root: string,
  check: FileListCheck,
  opts: { signal: AbortSignal; hash: boolean; onProgress?: (o: TreeObservation) => void },
): Promise<TreeObservation> {
  const out: TreeObservation = { entries: 0, files: 0, bytes: 0 };
  const buf = opts.hash ? Buffer.allocUnsafeSlow(READ) : undefined;
  const yielder = new EventLoopYielder();
  check.ran('tree');
  /** `access`: the folder's path for fs calls (a descriptor's path when the real one is long). */
  const walk = async (access: FsPath, rel: Rel | undefined): Promise<void> => {
    for (const nameBytes of readdirSync(access, { encoding: 'buffer' }).sort((a, b) =>
      Buffer.compare(a, b),
    )) {
      throwIfAborted(opts.signal);
      await yielder.maybeYield();
      const child = join(rel, nameBytes);
      const childAbs = childPath(access, nameBytes);
      const st = lstatSync(childAbs);
      const key = nameKey(child.text, child.raw);
      out.entries++;
      if (st.isDirectory()) {
        check.observe('tree', { key, name: child.text, type: 'directory', size: 0 });
        await descend(childAbs, child);
      } else if (st.isSymbolicLink()) {
        check.observe('tree', {
          key,
          name: child.text,
          type: 'symlink',
          size: 0,
          target: readlinkSync(childAbs, 'utf8'),
        });
      } else if (st.isFile()) {
        const sha256 = buf ? await hashFile(childAbs, buf, opts.signal, yielder) : undefined;
        out.files++;
        out.bytes += st.size;
        check.observe('tree', {
          key,
          name: child.text,
          type: 'file',
          size: st.size,
          ...(sha256 && { sha256 }),
        });
        opts.onProgress?.(out);
      } else check.observe('tree', { key, name: child.text, type: 'other', size: 0 });
    }
  };
  const descend = async (abs: FsPath, rel: Rel): Promise<void> => {
    if (!CAN_ANCHOR || byteLength(abs) <= LONG_PATH) return walk(abs, rel);
    const fd = openSync(abs, DIR_FLAGS);
    try {
      await walk(descriptorPath(fd), rel);
    } finally {
      closeSync(fd);
    }
  };
  await walk(root, undefined);
  return out;
}

function childPath(folder: FsPath, name: Buffer): FsPath {
  if (typeof folder === 'string' && isUtf8(name)) return `${folder}${sep}${name.toString('utf8')}`;
  return Buffer.concat([typeof folder === 'string' ? Buffer.from(folder) : folder, Buffer.from(sep), name]);
}

function join(rel: Rel | undefined, name: Buffer): Rel {
  const utf8 = isUtf8(name);
  const text = rel ? `${rel.text}/${name.toString('utf8')}` : name.toString('utf8');
  if (utf8 && !rel?.raw) return { text };
  const prefix = rel ? (rel.raw ?? Buffer.from(rel.text)) : undefined;
  return { text, raw: prefix ? Buffer.concat([prefix, Buffer.from('/'), name]) : Buffer.from(name) };
}

async function hashFile(
  abs: string | Buffer,
  buf: Buffer,
  signal: AbortSignal,
  y: EventLoopYielder,
): Promise<string> {
  const h = createHash('sha256');
  const fd = openSync(abs, 'r');
  try {
    for (let pos = 0; ;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
      throwIfAborted(signal);
      await y.maybeYield();
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
