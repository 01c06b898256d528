// The file list is untrusted input: bad JSON, wrong shapes, huge lines and unsafe paths are
// reported by line number and never stop the reading.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileListCheck } from '../../../../src-main/engine/restore/file-list/file-list-check.js';
import { MAX_LINE_BYTES, readFileList } from '../../../../src-main/engine/restore/file-list/list-reader.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-list-');
});
afterEach(async () => dir.cleanup());

const line = (o: Record<string, unknown>): string => JSON.stringify(o);
const file = (path: string, size: number, extra: Record<string, unknown> = {}): string =>
  line({ path, type: 'file', size, mtime: '2024-01-02T03:04:05.678Z', mode: '0644', ...extra });

async function list(lines: string[]): Promise<string> {
  const p = join(dir.path, 'repository.files.jsonl');
  await writeFile(p, lines.join('\n') + '\n');
  return p;
}

describe('file list reader', () => {
  it('reports every kind of bad line by number and keeps reading', async () => {
    const p = await list([
      file('a.txt', 3),
      '{"path": "broken',
      '[1,2,3]',
      line({ path: 'b', type: 'fifo', size: 0 }),
      line({ path: 'c', type: 'file', size: -1 }),
      line({ path: 'd', type: 'file', size: 1.5 }),
      line({ path: 'e', type: 'file', size: 1, sha256: 'XYZ' }),
      file('../../etc/passwd', 10),
      file('/abs/path', 10),
      'x'.repeat(MAX_LINE_BYTES + 10),
      file('last.txt', 4),
    ]);
    const out = [];
    for await (const l of readFileList(p)) out.push(l);
    expect(out.map((l) => l.kind)).toEqual([
      'entry',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'unsafe',
      'unsafe',
      'invalid',
      'entry',
    ]);
    expect(out[9]).toMatchObject({ line: 10, reason: expect.stringMatching(/longer than/) as unknown });
    expect(out[10]).toMatchObject({ kind: 'entry', entry: { path: 'last.txt', line: 11, size: 4 } });
    const check = await FileListCheck.load(p);
    expect(check.listProblems).toEqual({ invalidLines: 7, unsafePaths: 2 });
    const report = await check.report();
    expect(report.ok).toBe(false);
    expect(report.invalidLines.lines).toEqual([2, 3, 4, 5, 6, 7, 10]);
    expect(report.unsafePaths.names.join('\n')).toContain('../../etc/passwd (line 8');
    expect(report.problems).toContain('FILE LIST: line 10 is not a valid entry.');
  });

  it('a later line for the same path replaces the earlier one (totals count it once)', async () => {
    const p = await list([
      file('a.txt', 3),
      line({ path: 'd', type: 'directory', size: 0 }),
      file('./a.txt', 7),
      file('b.bin', 10),
    ]);
    const check = await FileListCheck.load(p);
    expect(check.totals).toEqual({ entries: 3, files: 2, directories: 1, symlinks: 0, bytes: 17 });
    check.observe('tree', { key: 'a.txt', name: 'a.txt', type: 'file', size: 7 });
    check.observe('tree', { key: 'd', name: 'd', type: 'directory', size: 0 });
    const r = await check.report();
    expect(r.matched).toBe(2);
    expect(r.missing).toEqual({ count: 1, names: ['b.bin'] });
    expect(r.problems).toEqual(['MISSING: b.bin (listed as a 10-byte file; not found on disk).']);
  });

  it('matches names, sizes, hashes and link targets across 100 000 entries with exact counts', async () => {
    const sha = (i: number): string => i.toString(16).padStart(64, '0');
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(file(`d${i % 97}/f${i}.bin`, i, { sha256: sha(i) }));
    lines.push(line({ path: 'l', type: 'symlink', size: 0, target: '../x' }));
    const check = await FileListCheck.load(await list(lines));
    for (let i = 0; i < 100_000; i++) {
      if (i % 1000 === 1) continue; // 100 missing
      const size = i % 1000 === 2 ? i + 1 : i; // 100 with another size
      const hash = i % 1000 === 3 ? sha(i + 1) : sha(i); // 100 with other content
      check.observe('archive', {
        key: `d${i % 97}/f${i}.bin`,
        name: `f${i}`,
        type: 'file',
        size,
        sha256: hash,
      });
    }
    check.observe('archive', { key: 'l', name: 'l', type: 'symlink', size: 0, target: '../y' });
    check.observe('archive', { key: 'not/listed', name: 'not/listed', type: 'file', size: 1 });
    const r = await check.report();
    expect(r.listed).toBe(100_001);
    expect(r.missing.count).toBe(100);
    expect(r.sizeMismatch.count).toBe(100);
    expect(r.hashMismatch.count).toBe(100);
    expect(r.targetMismatch.names).toEqual(['l']);
    expect(r.extra.names).toEqual(['not/listed']);
    expect(r.matched).toBe(100_000 - 300);
    expect(r.hashed).toBe(100_000 - 300);
    expect(r.missing.names).toContain('d1/f1.bin');
    expect(r.problems.filter((p) => p.startsWith('MISSING')).length).toBe(100);
  });
});
