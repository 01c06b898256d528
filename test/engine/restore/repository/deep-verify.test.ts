// verify --deep of the repository archive, without extracting: every entry against the file list.
// A flipped byte and a missing file are named; damage in a compressed stream is reported with
// what could not be checked after it; a damaged file list is reported line by line.
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepVerifyArchive } from '../../../../src-main/engine/restore/repository/deep-verify.js';
import { makeEdgeTree } from '../../../support/trees/edge-tree.js';
import { tempDir } from '../../../support/temp.js';
import { addSha256, backupSet } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let source: string;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-deep-');
  source = join(dir.path, 'source');
  await makeEdgeTree(source);
});
afterAll(async () => dir.cleanup());

const signal = new AbortController().signal;

async function set(format: 'tar' | 'tar.gz' | 'zip'): Promise<{ archive: string; fileList: string }> {
  const s = await backupSet(source, join(dir.path, `dest-${n++}`), format);
  await addSha256(s.fileList, source);
  return s;
}

async function flip(file: string, marker: string): Promise<void> {
  const b = await readFile(file);
  const at = b.indexOf(Buffer.from(marker));
  expect(at).toBeGreaterThan(0);
  b[at] = (b[at] as number) ^ 0x01;
  await writeFile(file, b);
}

describe('deep verify of the repository archive', () => {
  it.each(['tar', 'tar.gz', 'zip'] as const)(
    '%s: a good set matches its file list entry for entry',
    async (format) => {
      const s = await set(format);
      const fractions: number[] = [];
      const r = await deepVerifyArchive(s.archive, s.fileList, {
        signal,
        onProgress: (p) => fractions.push(p.fraction),
      });
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.format).toBe(format);
      expect(r.matched).toBe(r.listed);
      expect(r.hashed).toBe(9); // every regular file of the edge tree
      expect(fractions.at(-1)).toBe(1);
    },
  );

  // GNU tar edits archives in 10 KiB records unless told otherwise (-b1): our archives end on a
  // 512-byte block, and a default `tar --delete` drops the entries after the deleted one.
  it('tar: a flipped byte in a file is named by its SHA-256, a missing file by its name', async () => {
    const s = await set('tar');
    await flip(s.archive, 'line 150 of attachment 4');
    execFileSync('tar', ['-b1', '--delete', '-f', s.archive, 'readme.txt']);
    const r = await deepVerifyArchive(s.archive, s.fileList, { signal });
    expect(r.ok).toBe(false);
    expect(r.hashMismatch).toEqual({ count: 1, names: ['1001/2002/attachment-2.txt'] });
    expect(r.missing).toEqual({ count: 1, names: ['readme.txt'] });
    expect(r.problems).toEqual([
      'HASH MISMATCH: 1001/2002/attachment-2.txt in the archive does not have the SHA-256 the file list records (its content differs).',
      'MISSING: readme.txt (listed as a 9268-byte file; not found in the archive).',
    ]);
  });

  it('zip: a flipped byte fails the entry’s CRC-32; it is named and the rest is still checked', async () => {
    const s = await set('zip');
    execFileSync('zip', ['-q', '-d', s.archive, 'zero-at-root.txt']);
    // archiver deflates text: flip a byte inside the random (stored) attachment instead.
    const b = await readFile(s.archive);
    const name = b.indexOf(Buffer.from('1001/2002/attachment-1.bin'));
    b[name + 26 + 5000] = (b[name + 26 + 5000] as number) ^ 0xff;
    await writeFile(s.archive, b);
    const r = await deepVerifyArchive(s.archive, s.fileList, { signal });
    expect(r.damaged.names).toEqual(['1001/2002/attachment-1.bin']);
    expect(r.missing.names).toEqual(['zero-at-root.txt']);
    expect(r.matched).toBe(r.listed - 2);
  });

  it('tar.gz: damage in the compressed stream is reported, and what follows it counts as not checked', async () => {
    const s = await set('tar.gz');
    const b = await readFile(s.archive);
    const at = Math.floor(b.length * 0.6);
    b[at] = (b[at] as number) ^ 0x55;
    await writeFile(s.archive, b);
    const r = await deepVerifyArchive(s.archive, s.fileList, { signal });
    expect(r.ok).toBe(false);
    expect(r.archiveError?.code).toMatch(/^ARCHIVE_(CORRUPT|TRUNCATED)$/);
    expect(r.problems[0]).toMatch(/^DAMAGED ARCHIVE: .*Entries after this point could not be checked\.$/);
    expect(r.missing.count + r.hashMismatch.count).toBeGreaterThan(0);
  });

  it('an altered file list is reported line by line; an entry the list does not know is extra', async () => {
    const s = await set('tar');
    await appendFile(s.fileList, '{"path":"../../etc/shadow","type":"file","size":1}\nnot json\n');
    execFileSync('tar', ['-b1', '--append', '-f', s.archive, '-C', join(source, '1001'), '2002']);
    const r = await deepVerifyArchive(s.archive, s.fileList, { signal });
    const lines = (await readFile(s.fileList, 'utf8')).split('\n').filter(Boolean).length;
    expect(r.invalidLines).toEqual({ count: 1, lines: [lines] });
    expect(r.unsafePaths.names[0]).toMatch(/^\.\.\/\.\.\/etc\/shadow \(line \d+: it climbs out/);
    expect(r.extra.names.sort()).toEqual(['2002', '2002/attachment-1.bin', '2002/attachment-2.txt']);
    expect(r.problems).toContain(`FILE LIST: line ${lines} is not a valid entry.`);
  });
});
