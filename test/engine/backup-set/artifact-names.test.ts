// Artifact names partly come from outside (a database server's file names, an Elasticsearch
// repository's folder listing): the set writer must never let one leave the component folder.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComponentWriter, unsafeNameProblem } from '../../../src-main/engine/backup-set/component-writer.js';
import { silentLogger } from '../../../src-main/engine/logger.js';
import { copyRepository } from '../../../src-main/engine/steps/elasticsearch/copy-repository.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-names-');
});
afterEach(async () => dir.cleanup());

/** Every file under `root`, relative (names as the file system has them). */
async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(root, p));
    }
  };
  await walk(root);
  return out.sort();
}

const HOSTILE = [
  '../../victim/planted.txt',
  '..\\..\\victim\\planted.txt',
  'dump/../../../planted.txt',
  '/tmp/planted.txt',
  '\\\\server\\share\\planted.txt',
  'C:\\Windows\\planted.txt',
  'C:planted.txt',
  'planted.txt:hidden-stream',
  './planted.txt',
  'a//planted.txt',
  'planted/',
  '',
  '..',
  'NUL.txt',
  'con',
  'planted.txt.',
  'planted.txt ',
  'plan\nted.txt',
];

describe('the set writer refuses names that could leave the component folder', () => {
  it.each(HOSTILE)('refuses %j for every way of writing', async (name) => {
    const set = join(dir.path, 'dest', 'profile', 'set');
    const out = new ComponentWriter('database', set);
    const signal = new AbortController().signal;
    const src = join(dir.path, 'source.bin');
    await writeFile(src, 'payload');
    await expect(out.createArtifact(name)).rejects.toMatchObject({ code: 'UNSAFE_ARTIFACT_NAME' });
    await expect(out.writeFile(name, 'payload')).rejects.toMatchObject({ code: 'UNSAFE_ARTIFACT_NAME' });
    await expect(out.copyFile(src, name, { signal })).rejects.toMatchObject({
      code: 'UNSAFE_ARTIFACT_NAME',
      step: 'database',
    });
    expect(() => out.relPath(name)).toThrow(/cannot be written into the backup set/);
    expect(out.artifacts()).toEqual([]);
    // Nothing was written anywhere: only the source file exists in the whole temp tree.
    expect(await filesUnder(dir.path)).toEqual(['source.bin']);
  });

  it('keeps accepting the names the steps really write', async () => {
    // The set folder exists before any writer runs (set-folders.ts makes it); the writer only ever
    // creates folders below it.
    await mkdir(join(dir.path, 'set'));
    const out = new ComponentWriter('elasticsearch', join(dir.path, 'set'));
    for (const name of [
      'OCTBKP_20240506-01.dmp',
      'repository/indices/Zx_9-aB/0/__Ab_cD-1',
      'repository/index.latest',
      'repository\\meta-x.dat',
      'snapshot.json',
      '.hidden',
      'a..b',
    ]) {
      expect(unsafeNameProblem(name), name).toBeUndefined();
      await out.writeFile(name, 'x');
    }
    expect(out.artifacts().map((a) => a.path)).toContain('elasticsearch/repository/meta-x.dat');
  });

  it('refuses a repository file whose name smuggles ".." through backslashes (Elasticsearch copy)', async () => {
    // On Linux a backslash is an ordinary character in a file name: anyone who can write into the
    // snapshot repository folder can create this file.
    const repo = join(dir.path, 'repo');
    await mkdir(repo, { recursive: true });
    const pointer = Buffer.alloc(8);
    pointer.writeBigUInt64BE(1n);
    await writeFile(join(repo, 'index.latest'), pointer);
    await writeFile(join(repo, 'index-1'), '{"snapshots":[]}');
    await writeFile(join(repo, '..\\..\\..\\planted.txt'), 'planted');
    const out = new ComponentWriter('elasticsearch', join(dir.path, 'dest', 'p', 'set'));
    await expect(
      copyRepository(out, repo, '/es/repo', {
        signal: new AbortController().signal,
        log: silentLogger,
        progress: () => undefined,
      }),
    ).rejects.toMatchObject({ code: 'UNSAFE_ARTIFACT_NAME', step: 'elasticsearch' });
    const written = await filesUnder(dir.path);
    expect(written.filter((f) => f.endsWith('planted.txt'))).toEqual(['repo/..\\..\\..\\planted.txt']);
  });
});
