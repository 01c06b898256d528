import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComponentWriter } from '../../../src-main/engine/backup-set/component-writer.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
  // The runner creates the set folder before any step writes into it.
  await mkdir(join(dir.path, 'set'));
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

describe('ComponentWriter when the set folder is not there', () => {
  it('never recreates a set folder that vanished: the write fails, named, and nothing is written', async () => {
    const out = new ComponentWriter('repository', join(dir.path, 'set'));
    await rm(join(dir.path, 'set'), { recursive: true });
    await expect(out.createArtifact('sub/repository.tar')).rejects.toMatchObject({
      code: 'DESTINATION_GONE',
      step: 'repository',
    });
    await expect(out.writeFile('files.txt', 'x')).rejects.toMatchObject({ code: 'DESTINATION_GONE' });
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('rejects (no unhandled error event) when the .partial file cannot be created', async () => {
    // A folder in the way of the file (the tests run as root, so permissions would not stop it).
    const out = new ComponentWriter('database', join(dir.path, 'set'));
    await mkdir(join(dir.path, 'set', 'database', 'db.bak.partial', 'x'), { recursive: true });
    await expect(out.createArtifact('db.bak')).rejects.toMatchObject({ step: 'database' });
    expect(out.artifacts()).toEqual([]);
  });
});
