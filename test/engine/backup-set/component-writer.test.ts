import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComponentWriter } from '../../../src-main/engine/backup-set/component-writer.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

describe('ComponentWriter.copyFile', () => {
  it('copies with the SHA-256 computed on the way and records the artifact', async () => {
    const src = join(dir.path, 'src.bak');
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    await writeFile(src, data);
    const out = new ComponentWriter('database', join(dir.path, 'set'));
    const rec = await out.copyFile(src, 'db.bak', {
      signal: new AbortController().signal,
      expectedBytes: data.length,
    });
    expect(rec).toMatchObject({ path: 'database/db.bak', bytes: data.length });
    expect(rec.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect((await readFile(join(dir.path, 'set', 'database', 'db.bak'))).equals(data)).toBe(true);
  });

  it('never commits a copy whose size differs from what the source owner reported', async () => {
    const src = join(dir.path, 'src.bak');
    await writeFile(src, Buffer.alloc(1000));
    const out = new ComponentWriter('database', join(dir.path, 'set'));
    await expect(
      out.copyFile(src, 'db.bak', { signal: new AbortController().signal, expectedBytes: 2000 }),
    ).rejects.toMatchObject({ code: 'COPY_INCOMPLETE', step: 'database' });
    expect(out.artifacts()).toEqual([]);
    expect(await readdir(join(dir.path, 'set', 'database'))).toEqual([]);
  });
});
