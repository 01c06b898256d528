// The repository copy on real temp folders laid out like an Elasticsearch fs repository
// (stand-in folders; the real-node tests copy repositories Elasticsearch wrote).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComponentWriter } from '../../../../src-main/engine/backup-set/component-writer.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { copyRepository } from '../../../../src-main/engine/steps/elasticsearch/copy-repository.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let repo: string;
let out: ComponentWriter;

async function layRepository(generation: number): Promise<void> {
  const pointer = Buffer.alloc(8);
  pointer.writeBigUInt64BE(BigInt(generation));
  await mkdir(join(repo, 'indices', 'abc', '0'), { recursive: true });
  await writeFile(join(repo, 'index.latest'), pointer);
  await writeFile(join(repo, `index-${generation}`), '{"snapshots":[]}');
  await writeFile(join(repo, 'meta-x.dat'), 'meta');
  await writeFile(join(repo, 'indices', 'abc', '0', '__seg1'), Buffer.alloc(300_000, 1));
  await writeFile(join(repo, 'indices', 'abc', '0', '__seg2'), Buffer.alloc(5, 2));
}

beforeEach(async () => {
  dir = await tempDir('obm-es-copy-');
  repo = join(dir.path, 'repo');
  // The runner creates the set folder before any step writes into it.
  await mkdir(join(dir.path, 'set'));
  out = new ComponentWriter('elasticsearch', join(dir.path, 'set'));
});
afterEach(async () => dir.cleanup());

const hooks = (onProgress?: (f: number) => void) => ({
  signal: new AbortController().signal,
  log: silentLogger,
  progress: (f: number) => onProgress?.(f),
});

describe('copy of the repository folder (stand-in folders)', () => {
  it('copies every file with its hash and writes the generation pointer last', async () => {
    await layRepository(3);
    const fractions: number[] = [];
    const s = await copyRepository(
      out,
      repo,
      '/es/repo',
      hooks((f) => fractions.push(f)),
    );
    expect(s).toMatchObject({ files: 5, generation: '3' });
    const paths = out.artifacts().map((a) => a.path);
    expect(paths.at(-1)).toBe('elasticsearch/repository/index.latest');
    expect([...paths].sort()).toEqual(
      ['index-3', 'index.latest', 'indices/abc/0/__seg1', 'indices/abc/0/__seg2', 'meta-x.dat'].map(
        (p) => `elasticsearch/repository/${p}`,
      ),
    );
    expect(await readFile(join(out.dir, 'repository', 'indices', 'abc', '0', '__seg1'))).toEqual(
      Buffer.alloc(300_000, 1),
    );
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0))).toBe(true);
  });

  it('refuses a folder that is not the repository (no index.latest)', async () => {
    await mkdir(repo, { recursive: true });
    await writeFile(join(repo, 'something'), 'x');
    await expect(copyRepository(out, repo, '/es/repo', hooks())).rejects.toMatchObject({
      code: 'ES_COPY_FROM_NOT_REPOSITORY',
    });
  });

  it('refuses the copy when a file vanishes meanwhile (a deletion ran in the repository)', async () => {
    await layRepository(4);
    let removed = false;
    const err = await copyRepository(
      out,
      repo,
      '/es/repo',
      hooks(() => {
        if (!removed) {
          removed = true;
          void rm(join(repo, 'meta-x.dat'));
        }
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpectedError);
    expect((err as ExpectedError).code).toBe('ES_REPOSITORY_CHANGED_DURING_COPY');
    expect(out.artifacts().some((a) => a.path.endsWith('index.latest'))).toBe(false);
  });
});

describe('the copy holds the snapshot just taken (stand-in folders)', () => {
  async function listing(generation: number, snapshots: { name: string; uuid: string }[]): Promise<void> {
    await layRepository(generation);
    await writeFile(join(repo, `index-${generation}`), JSON.stringify({ snapshots }));
  }

  it('passes when the copied generation lists the snapshot by name and UUID', async () => {
    await listing(7, [{ name: 'snap-a', uuid: 'U1' }]);
    const s = await copyRepository(out, repo, '/es/repo', hooks(), { name: 'snap-a', uuid: 'U1' });
    expect(s.generation).toBe('7');
    expect(out.artifacts().at(-1)?.path).toBe('elasticsearch/repository/index.latest');
  });

  it('refuses a copy of another repository (the snapshot, or its UUID, is not listed) and writes no pointer', async () => {
    await listing(2, [{ name: 'other-profile-snap', uuid: 'X9' }]);
    const err = await copyRepository(out, repo, '/es/repo', hooks(), { name: 'snap-a', uuid: 'U1' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExpectedError);
    expect((err as ExpectedError).code).toBe('ES_COPY_LACKS_SNAPSHOT');
    expect((err as ExpectedError).message).toMatch(
      /does not list the snapshot snap-a \(UUID U1\).*"copyFrom" is not the same folder as "location"/,
    );
    expect(out.artifacts().some((a) => a.path.endsWith('index.latest'))).toBe(false);
    // Same name, another UUID: a snapshot of that name in another repository is not this one.
    await rm(join(dir.path, 'set', 'elasticsearch'), { recursive: true, force: true });
    await listing(2, [{ name: 'snap-a', uuid: 'OTHER' }]);
    await expect(
      copyRepository(new ComponentWriter('elasticsearch', join(dir.path, 'set')), repo, '/es/repo', hooks(), {
        name: 'snap-a',
        uuid: 'U1',
      }),
    ).rejects.toMatchObject({ code: 'ES_COPY_LACKS_SNAPSHOT' });
  });
});
