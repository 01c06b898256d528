// Sets written by the real repository step (through the real runner), for the restore tests.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ArchiveFormat } from '../../../../src-main/contract/profile.js';
import { artifactPath, repoProfile, runRepo } from '../../steps/repository/helpers.js';
import { sha256sum } from '../../../support/trees/snapshot.js';

export interface RepoSet {
  setPath: string;
  archive: string;
  fileList: string;
}

export async function backupSet(
  source: string,
  destination: string,
  format: ArchiveFormat,
): Promise<RepoSet> {
  const run = await runRepo(repoProfile(source, destination, format, format === 'tar' ? undefined : 'fast'));
  expect(['succeeded', 'succeeded-with-warnings']).toContain(run.repo.status);
  return {
    setPath: run.setPath,
    archive: artifactPath(run, `repository.${format}`),
    fileList: artifactPath(run, 'repository.files.jsonl'),
  };
}

/**
 * Adds each regular file's SHA-256 to the list (as the backup will record it), computed by
 * sha256sum on the source: an independent reference for the hash checks. `known` supplies hashes
 * already computed (a 4 GiB file is hashed once, not once per set).
 */
export async function addSha256(
  fileList: string,
  sourceRoot: string,
  known: Record<string, string> = {},
): Promise<void> {
  const lines = (await readFile(fileList, 'utf8')).split('\n').filter(Boolean);
  const out = lines.map((l) => {
    const e = JSON.parse(l) as { path: string; type: string };
    return e.type === 'file'
      ? JSON.stringify({ ...e, sha256: known[e.path] ?? sha256sum(join(sourceRoot, ...e.path.split('/'))) })
      : l;
  });
  await writeFile(fileList, out.join('\n') + '\n');
}
