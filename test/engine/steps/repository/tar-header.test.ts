// The tar header writer, judged by GNU tar and bsdtar: names that need ustar's prefix field or a
// PAX record, long link targets, and a size past ustar's 8 GiB field fed through a pipe.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  paxRecord,
  tarHeader,
  tarPadding,
  tarTrailer,
  type TarEntry,
} from '../../../../src-main/engine/steps/repository/tar-header.js';
import { tempDir } from '../../../support/temp.js';
import { extractWith, tool } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('obm-tar-header-');
});
afterAll(async () => dir.cleanup());

const base = { mode: 0o644, uid: 1000, gid: 1000, mtimeMs: Date.UTC(2024, 0, 2, 3, 4, 5) };

function fileEntry(name: string, content: Buffer): Buffer[] {
  const e: TarEntry = { ...base, name, type: 'file', size: content.length };
  return [tarHeader(e), content, Buffer.alloc(tarPadding(content.length))];
}

describe('tar headers', () => {
  const names = [
    'short.txt',
    // 150 ASCII characters: fits ustar only through the prefix field.
    `${'p'.repeat(80)}/${'q'.repeat(60)}/name.txt`,
    // A 120-character last component: no ustar split exists, needs PAX.
    `folder/${'n'.repeat(120)}.txt`,
    // Non-ASCII, short in characters but must travel as UTF-8 in PAX.
    'Ünïcødé/日本語 файл.txt',
    // Over 260 characters with non-ASCII.
    `${'ß'.repeat(90)}/${'ж'.repeat(90)}/${'x'.repeat(100)}.bin`,
  ];

  it('writes names that GNU tar and bsdtar list and extract exactly', async () => {
    const parts: Buffer[] = [];
    names.forEach((n, i) => parts.push(...fileEntry(n, Buffer.from(`content ${i}\n`))));
    const longTarget = `../${'t'.repeat(150)}/目标`;
    parts.push(tarHeader({ ...base, name: 'links/long', type: 'symlink', size: 0, linkname: longTarget }));
    parts.push(tarHeader({ ...base, name: 'an empty folder', type: 'directory', size: 0 }));
    parts.push(tarTrailer());
    const archive = join(dir.path, 'names.tar');
    await writeFile(archive, Buffer.concat(parts));

    const listed = tool('tar', ['-tf', archive]).split('\n').filter(Boolean);
    expect(listed).toEqual([...names, 'links/long', 'an empty folder/']);
    expect(tool('bsdtar', ['-tvf', archive])).toContain(`links/long -> ${longTarget}`);
    for (const t of ['gnu-tar', 'bsdtar'] as const) {
      const out = await extractWith(t, archive, join(dir.path, `x-${t}`));
      for (const [i, n] of names.entries())
        expect(await readFile(join(out, n), 'utf8')).toBe(`content ${i}\n`);
    }
    const verbose = tool('tar', ['--utc', '-tvf', archive]);
    expect(verbose).toContain('1000/1000');
    expect(verbose).toContain('2024-01-02 03:04');
  });

  it('keeps every PAX record length equal to its own byte count', () => {
    for (let len = 0; len < 1200; len++) {
      const rec = paxRecord('path', 'é'.repeat(len % 7) + 'x'.repeat(len));
      expect(Buffer.byteLength(rec)).toBe(parseInt(rec, 10));
      expect(rec.endsWith('\n')).toBe(true);
    }
  });

  it('declares a 9 GiB file that GNU tar reads back through a pipe at its full size', async () => {
    const size = 9 * 2 ** 30 + 123;
    const listing = await new Promise<string>((resolve, reject) => {
      const tar = spawn('tar', ['-tvf', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      tar.stdout.on('data', (d: Buffer) => (out += d.toString()));
      tar.on('error', reject);
      tar.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tar exited ${code}`))));
      const zeros = Buffer.alloc(8 * 1024 * 1024);
      const write = async (): Promise<void> => {
        const w = (b: Buffer): Promise<void> =>
          new Promise((res) => (tar.stdin.write(b) ? res() : tar.stdin.once('drain', () => res())));
        await w(tarHeader({ ...base, name: 'huge.bin', type: 'file', size }));
        for (let left = size; left > 0; left -= zeros.length)
          await w(left >= zeros.length ? zeros : zeros.subarray(0, left));
        await w(Buffer.alloc(tarPadding(size)));
        await w(tarTrailer());
        tar.stdin.end();
      };
      write().catch(reject);
    });
    expect(listing).toMatch(new RegExp(`\\s${size}\\s.*huge\\.bin`));
  }, 300_000);
});
