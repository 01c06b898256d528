// Real trees with the cases archives get wrong: unicode names, paths past 260 characters, empty
// folders, 0-byte files, symlinks inside and pointing outside the root, text and random content.
import { randomBytes } from 'node:crypto';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface EdgeTree {
  root: string;
  /** Relative paths (forward slashes) the tree is guaranteed to hold, by kind. */
  files: string[];
  directories: string[];
  symlinks: { path: string; target: string; outside: boolean }[];
  /** The longest relative path, > 260 characters. */
  deepFile: string;
}

/** Deterministic text: compressible, several KiB. */
export function textContent(seed: number, lines = 200): string {
  let s = '';
  for (let i = 0; i < lines; i++)
    s += `line ${i} of attachment ${seed}: status=OK value=${(i * 7919 + seed) % 10007}\n`;
  return s;
}

export async function makeEdgeTree(root: string, opts: { randomBytes?: number } = {}): Promise<EdgeTree> {
  const files: string[] = [];
  const directories: string[] = [];
  const dir = async (rel: string): Promise<void> => {
    await mkdir(join(root, ...rel.split('/')), { recursive: true });
    // Record every level once, parents first.
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (!directories.includes(p)) directories.push(p);
    }
  };
  const file = async (rel: string, data: string | Buffer): Promise<void> => {
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    if (parent) await dir(parent);
    await writeFile(join(root, ...rel.split('/')), data);
    files.push(rel);
  };

  await mkdir(root, { recursive: true });
  await file('readme.txt', textContent(1));
  await file('Ünïcødé/日本語 файл.txt', textContent(2));
  await file('Ünïcødé/emoji 📎 attachment.txt', 'paperclip\n');
  await file('spaces and (parens) [x]/a file with spaces.txt', textContent(3, 20));
  await file('zero/empty.bin', Buffer.alloc(0));
  await file('zero-at-root.txt', Buffer.alloc(0));
  await file('1001/2002/attachment-1.bin', randomBytes(opts.randomBytes ?? 300_000));
  await file('1001/2002/attachment-2.txt', textContent(4, 3000));
  await dir('empty-folder');
  await dir('nested/empty/deeper');

  // > 260 characters in total, each component < 255 bytes.
  const seg = (i: number): string => `level-${i}-${'d'.repeat(50)}`;
  const deepDir = [1, 2, 3, 4, 5].map(seg).join('/');
  const deepFile = `${deepDir}/a-file-at-the-bottom-of-a-very-deep-path-${'f'.repeat(40)}.txt`;
  await file(deepFile, textContent(5, 10));

  const symlinks = [
    { path: 'links/to-readme', target: '../readme.txt', outside: false },
    { path: 'links/to-folder', target: '../Ünïcødé', outside: false },
    { path: 'links/dangling', target: 'does-not-exist', outside: false },
    { path: 'links/outside-absolute', target: '/etc/hostname', outside: true },
    { path: 'links/outside-relative', target: '../../outside-the-root.txt', outside: true },
  ];
  await dir('links');
  for (const l of symlinks) await symlink(l.target, join(root, ...l.path.split('/')));
  return { root, files, directories, symlinks, deepFile };
}

/** A sparse file: `size` bytes that take no disk space (reads return zeros). */
export async function makeSparseFile(path: string, size: number): Promise<void> {
  await writeFile(path, Buffer.alloc(0));
  await truncate(path, size);
}
