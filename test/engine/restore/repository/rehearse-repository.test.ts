// The repository rehearsal: extract into a scratch folder it creates, read every file back against
// the file list, and remove the scratch folder every time — passed, failed or cancelled. A scratch
// folder that already exists is never used or touched.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRepositoryRehearsal } from '../../../../src-main/engine/restore/repository/plan-repository.js';
import { rehearseRepositoryRestore } from '../../../../src-main/engine/restore/repository/rehearse-repository.js';
import { makeEdgeTree } from '../../../support/trees/edge-tree.js';
import { tempDir } from '../../../support/temp.js';
import { addSha256, backupSet } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let source: string;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-rehearse-');
  source = join(dir.path, 'source');
  await makeEdgeTree(source);
});
afterAll(async () => dir.cleanup());

const gone = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined)) === undefined;

describe('repository rehearsal', () => {
  it('passes on a good set, checks every file read back, measures the time, removes the scratch folder', async () => {
    const s = await backupSet(source, join(dir.path, `dest-${n++}`), 'tar.gz');
    await addSha256(s.fileList, source);
    const scratch = join(dir.path, 'scratch', `rehearsal-${n++}`);
    const plan = await planRepositoryRehearsal({ ...s, scratch });
    expect(plan.ready).toBe(true);
    expect(plan.actions.map((a) => a.kind)).toEqual([
      'check',
      'check',
      'check',
      'check',
      'create',
      'extract',
      'compare',
      'remove',
    ]);
    const r = await rehearseRepositoryRestore({ ...s, scratch, signal: new AbortController().signal });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('passed');
    expect(r.filesChecked).toBe(r.extraction?.files);
    expect(r.comparison?.hashed).toBe(r.extraction?.files);
    expect(r.comparison?.phases.sort()).toEqual(['archive', 'tree']);
    expect(r.extractMs).toBeGreaterThan(0);
    expect(r.durationMs).toBeGreaterThanOrEqual(r.extractMs as number);
    expect(r.scratchRemoved).toBe(true);
    expect(await gone(scratch)).toBe(true);
  });

  it('fails naming a file missing from the archive and a file whose content differs; scratch removed', async () => {
    const s = await backupSet(source, join(dir.path, `dest-${n++}`), 'tar');
    await addSha256(s.fileList, source);
    execFileSync('tar', ['-b1', '--delete', '-f', s.archive, 'zero/empty.bin']);
    const b = await readFile(s.archive);
    const at = b.indexOf(Buffer.from('line 7 of attachment 1'));
    b[at] = 0x4c; // "Line 7 ..."
    await writeFile(s.archive, b);
    const scratch = join(dir.path, `scratch-${n++}`);
    const r = await rehearseRepositoryRestore({ ...s, scratch, signal: new AbortController().signal });
    expect(r.status).toBe('failed');
    expect(r.comparison?.missing.names).toEqual(['zero/empty.bin']);
    expect(r.comparison?.hashMismatch.names).toEqual(['readme.txt']);
    expect(r.comparison?.problems).toContain(
      'HASH MISMATCH: readme.txt on disk does not have the SHA-256 the file list records (its content differs).',
    );
    expect(await gone(scratch)).toBe(true);
  });

  it('cancelled mid-extraction: cancelled, and the scratch folder is removed', async () => {
    const s = await backupSet(source, join(dir.path, `dest-${n++}`), 'zip');
    const scratch = join(dir.path, `scratch-${n++}`);
    const ac = new AbortController();
    const r = await rehearseRepositoryRestore({
      ...s,
      scratch,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'extracting') ac.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(r.extraction?.entries).toBeGreaterThan(0);
    expect(r.scratchRemoved).toBe(true);
    expect(await gone(scratch)).toBe(true);
  });

  it('a scratch folder that already exists is refused and left exactly as it was', async () => {
    const s = await backupSet(source, join(dir.path, `dest-${n++}`), 'tar');
    const scratch = join(dir.path, `look-alike-${n++}`);
    await mkdir(scratch);
    await writeFile(join(scratch, 'someone-elses.txt'), 'not ours\n');
    const plan = await planRepositoryRehearsal({ ...s, scratch });
    expect(plan.ready).toBe(false);
    const r = await rehearseRepositoryRestore({ ...s, scratch, signal: new AbortController().signal });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('REHEARSAL_SCRATCH_EXISTS');
    expect(await readdir(scratch)).toEqual(['someone-elses.txt']);
  });
});
