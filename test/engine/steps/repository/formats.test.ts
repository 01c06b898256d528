// Every format, through the real runner, on a real tree of awkward names; each archive is opened
// by independent tools (GNU tar, bsdtar, unzip) and compared byte for byte with the source.
import { access, lstat, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MARKER } from '../../../../src-main/contract/manifest.js';
import type { ArchiveFormat, CompressionLevel } from '../../../../src-main/contract/profile.js';
import { readManifest } from '../../../../src-main/engine/backup-set/manifest-io.js';
import { verifySet } from '../../../../src-main/engine/backup-set/verify.js';
import { makeEdgeTree, type EdgeTree } from '../../../support/trees/edge-tree.js';
import { sha256sum, snapshotTree, withoutTimes, type Snapshot } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';
import {
  artifactPath,
  extractWith,
  readFileList,
  repoProfile,
  runRepo,
  tool,
  type Extractor,
  type RepoRun,
} from './helpers.js';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

let dir: Awaited<ReturnType<typeof tempDir>>;
let tree: EdgeTree;
let source: Snapshot;
beforeAll(async () => {
  dir = await tempDir('obm-repo-formats-');
  tree = await makeEdgeTree(join(dir.path, 'octane', 'repo'));
  source = await snapshotTree(tree.root);
});
afterAll(async () => dir.cleanup());

interface Case {
  format: ArchiveFormat;
  compression?: CompressionLevel;
  extractors: Extractor[];
  /** Restores mtimes to the second (zip: from the UT extra field; Python's zipfile does not restore times). */
  keepsMtime: boolean;
}

const zipReaders: Extractor[] = ['unzip', 'bsdtar', 'python-zipfile', '7z'];
const cases: Case[] = [
  { format: 'zip', extractors: zipReaders, keepsMtime: true },
  { format: 'zip', compression: 'none', extractors: zipReaders, keepsMtime: true },
  { format: 'zip', compression: 'best', extractors: zipReaders, keepsMtime: true },
  { format: 'tar', extractors: ['gnu-tar', 'bsdtar'], keepsMtime: true },
  { format: 'tar.gz', extractors: ['gnu-tar', 'bsdtar'], keepsMtime: true },
  { format: 'tar.gz', compression: 'best', extractors: ['gnu-tar', 'bsdtar'], keepsMtime: true },
];

describe.each(cases)('repository step, format $format compression $compression', (c) => {
  let run: RepoRun;
  let archive: string;
  let n = 0;
  beforeAll(async () => {
    const dest = join(dir.path, `dest-${c.format}-${c.compression ?? 'default'}`);
    run = await runRepo(repoProfile(tree.root, dest, c.format, c.compression));
    archive = artifactPath(run, `repository.${c.format}`);
  });

  it('succeeds with a warning for each link that points outside the root, and nothing else', () => {
    expect(run.repo.status).toBe('succeeded-with-warnings');
    const warnings = run.repo.warnings.map((w) => [w.code, w.subject]).sort();
    const outside = tree.symlinks.filter((l) => l.outside).map((l) => ['SYMLINK_OUTSIDE_ROOT', l.path]);
    expect(warnings).toEqual(outside.sort());
    // Repository only: a set that must never call itself a full Octane backup.
    expect(run.result.status).toBe('succeeded-with-warnings');
    expect(run.result.manifest.complete).toBe(false);
    expect(
      run.events.filter((e) => e.type === 'step-warning' && e.code === 'SYMLINK_OUTSIDE_ROOT'),
    ).toHaveLength(2);
  });

  it('writes a manifest whose SHA-256 and size agree with sha256sum and stat, and removes the marker', async () => {
    const onDisk = await readManifest(run.setPath);
    expect(onDisk.status).toBe(run.result.status);
    const rec = onDisk.components.find((x) => x.id === 'repository');
    expect(rec?.artifacts.map((a) => a.path).sort()).toEqual(
      [`repository/repository.${c.format}`, 'repository/repository.files.jsonl'].sort(),
    );
    for (const a of rec?.artifacts ?? []) {
      const p = join(run.setPath, ...a.path.split('/'));
      expect(sha256sum(p)).toBe(a.sha256);
      expect((await stat(p)).size).toBe(a.bytes);
      expect(await exists(`${p}.partial`)).toBe(false);
    }
    expect(await exists(join(run.setPath, IN_PROGRESS_MARKER))).toBe(false);
    const report = await verifySet(run.setPath);
    expect(report.checks.filter((x) => x.component === 'repository').map((x) => x.status)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it.each(c.extractors)('extracts with %s to exactly the source tree, byte for byte', async (extractor) => {
    const out = await extractWith(
      extractor,
      archive,
      join(dir.path, `x-${c.format}-${c.compression ?? 'd'}-${extractor}-${n++}`),
    );
    let extracted = await snapshotTree(out);
    let expected = source;
    if (extractor === 'python-zipfile' || extractor === '7z') {
      // Python writes a link as a small file holding its target; 7-Zip refuses links that leave
      // the folder and leaves empty files. Links are proven by unzip and bsdtar; here: files and folders.
      const noLinks = (s: Snapshot): Snapshot =>
        Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('links/')));
      if (extractor === 'python-zipfile')
        for (const l of tree.symlinks)
          expect(await readFile(join(out, ...l.path.split('/')), 'utf8')).toBe(l.target);
      extracted = noLinks(extracted);
      expected = noLinks(source);
    }
    if (c.keepsMtime && extractor !== 'python-zipfile') expect(extracted).toEqual(expected);
    else expect(withoutTimes(extracted)).toEqual(withoutTimes(expected));
    // The deep path really is past Windows' classic 260-character limit.
    expect(tree.deepFile.length).toBeGreaterThan(260);
    expect((await lstat(join(out, ...tree.deepFile.split('/')))).isFile()).toBe(true);
  });

  it('passes the format tool own integrity test', () => {
    if (c.format === 'zip') {
      expect(tool('unzip', ['-t', archive])).toContain('No errors detected');
      expect(tool('7z', ['t', archive])).toContain('Everything is Ok');
      tool('python3', ['-m', 'zipfile', '-t', archive]);
    }
    if (c.format === 'tar.gz') tool('gzip', ['-t', archive]);
    const listing = tool('bsdtar', ['-tvf', archive]);
    for (const l of tree.symlinks) expect(listing).toContain(`${l.path} -> ${l.target}`);
  });

  it('uses the compression the profile asked for', async () => {
    if (c.format === 'tar.gz') {
      // gzip header XFL: 2 = slowest/best (level 9), 4 = fastest (level 1).
      const head = (await readFile(archive)).subarray(0, 10);
      expect(head[8]).toBe(c.compression === 'best' ? 2 : 4);
    }
    if (c.format === 'zip') {
      const verbose = tool('unzip', ['-v', archive]);
      const line = verbose.split('\n').find((l) => l.endsWith('1001/2002/attachment-2.txt')) ?? '';
      expect(line).toContain(c.compression === 'none' ? 'Stored' : 'Defl');
    }
    if (c.format === 'tar')
      expect((await readFile(archive)).subarray(257, 262).toString('latin1')).toBe('ustar');
  });

  it('stores a file list that matches the source tree entry for entry', async () => {
    const list = await readFileList(run);
    expect(list.map((e) => e.path).sort()).toEqual(Object.keys(source).sort());
    for (const e of list) {
      const s = source[e.path];
      expect(e.type).toBe(s?.type);
      if (s?.type === 'file') {
        expect(e.size).toBe(s.size);
        expect(e.sha256).toBe(s.sha256);
      } else expect(e.sha256).toBeUndefined();
      if (s?.type === 'symlink') expect(e.target).toBe(s.target);
      const st = await lstat(join(tree.root, ...e.path.split('/')));
      expect(e.mtime).toBe(new Date(st.mtimeMs).toISOString());
    }
  });
});

describe('tar.gz written as many parallel gzip members', () => {
  it('is one valid gzip stream that gzip, pigz, GNU tar and bsdtar read back exactly', async () => {
    // 64 KiB members: the edge tree becomes dozens of members, random ones stored, text ones deflated.
    const run = await runRepo(repoProfile(tree.root, join(dir.path, 'dest-members'), 'tar.gz', 'fast'), {
      internals: { blockSize: 64 * 1024, gzipParallel: 4 },
    });
    expect(run.repo.status).toBe('succeeded-with-warnings');
    const members = run.repo.details?.gzipMembers as { members: number; stored: number };
    expect(members.members).toBeGreaterThan(5);
    expect(members.stored).toBeGreaterThan(0);
    expect(members.stored).toBeLessThan(members.members);
    const archive = artifactPath(run, 'repository.tar.gz');
    tool('gzip', ['-t', archive]);
    expect(tool('bash', ['-c', `pigz -dc '${archive}' | tar -tf - | wc -l`]).trim()).toBe(
      String(Object.keys(source).length),
    );
    for (const t of ['gnu-tar', 'bsdtar'] as const) {
      const out = await extractWith(t, archive, join(dir.path, `x-members-${t}`));
      expect(await snapshotTree(out)).toEqual(source);
    }
  });
});
