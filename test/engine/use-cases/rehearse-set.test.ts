// The restore rehearsal use-case on a whole installation: SQL Server through the TDS stand-in, a
// real Elasticsearch node, a real repository folder. The set is restored onto scratch targets,
// checked, removed, and the result recorded in the set — the live installation never touched.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src-main/contract/manifest.js';
import { listProfileSets } from '../../../src-main/engine/backup-set/list-sets.js';
import { readRehearsals } from '../../../src-main/engine/backup-set/rehearsal-record.js';
import { cleanupRehearsals, rehearseSet } from '../../../src-main/engine/use-cases/rehearse-set.js';
import { verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import { startEsNode, type EsTestNode } from '../../support/elasticsearch/node.js';
import { fullInstallation, type FullInstallation } from '../../support/restore/rehearsal-installation.js';
import { createIndex } from '../steps/elasticsearch/restore/octane-like.js';
import { tempDir } from '../../support/temp.js';
import { snapshotTree } from '../../support/trees/snapshot.js';

const signal = (): AbortSignal => new AbortController().signal;
let node: EsTestNode;
let open: FullInstallation[] = [];
let scratchRoot: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  scratchRoot = await tempDir('obm-rehearse-scratch-');
});
afterAll(async () => {
  await scratchRoot?.cleanup();
});
afterEach(async () => {
  for (const i of open) await i.close();
  open = [];
});

async function install(tag: string, o: { large?: boolean } = {}): Promise<FullInstallation> {
  const i = await fullInstallation(node, tag, o);
  open.push(i);
  return i;
}

async function indexNames(): Promise<string[]> {
  const res = await node.api('GET', '/_cat/indices?format=json&h=index');
  return (res.body as { index: string }[])
    .map((x) => x.index)
    .filter((n) => !n.startsWith('.'))
    .sort();
}
async function docCount(index: string): Promise<number> {
  return ((await node.api('GET', `/${index}/_count`)).body as { count: number }).count;
}
async function repositories(): Promise<string[]> {
  return Object.keys((await node.api('GET', '/_snapshot/_all')).body as object).sort();
}

async function provesEveryStore(tag: string): Promise<void> {
  const i = await install(tag);
  // Users went on working: the live stores differ from the set, and must stay as they are.
  for (const d of i.r.fake.databases) d.content = `${d.name} live after the set`;
  await writeFile(join(i.repo, 'attachments/new-after-set.txt'), 'added after the set\n');
  const liveTree = await snapshotTree(i.repo);
  const liveIndices = await indexNames();
  const liveRepos = await repositories();
  const liveCounts = await Promise.all(i.indices.map((x) => docCount(x.name)));
  const scratch = join(scratchRoot.path, tag);
  await mkdir(scratch);

  const out = await rehearseSet({
    setPath: i.setPath,
    profile: i.profile,
    signal: signal(),
    scratchDir: scratch,
  });

  const r = out.record;
  expect(r.result, JSON.stringify(r)).toBe('passed');
  expect(r.stores.map((s) => [s.id, s.status])).toEqual([
    ['database', 'passed'],
    ['elasticsearch', 'passed'],
    ['repository', 'passed'],
  ]);
  const lines = (id: string): string => r.stores.find((s) => s.id === id)?.checked.join('\n') ?? '';
  expect(lines('database')).toContain(
    `octane_site → octane_site__rehearsal_${i.setId}: restored, DBCC CHECKDB passed, 12 tables, 3400 rows`,
  );
  expect(lines('database')).toContain(`octane_sp_1001 → octane_sp_1001__rehearsal_${i.setId}`);
  expect(lines('elasticsearch')).toContain(
    `octane-${tag}-audit → rehearsal-${i.setId}-octane-${tag}-audit: 420 documents (the backup counted 420 before and 420 after the snapshot)`,
  );
  // Every file extracted was read back and matched by its SHA-256 in the file list.
  const repoLine =
    /^(\d+) file\(s\) extracted into a scratch folder and read back; (\d+) matched by SHA-256/.exec(
      lines('repository'),
    );
  expect(Number(repoLine?.[1])).toBeGreaterThan(3);
  expect(repoLine?.[2]).toBe(repoLine?.[1]);
  for (const s of r.stores) expect(s.durationMs).toBeGreaterThan(0);
  // The live installation is exactly as it was.
  expect(i.r.fake.databases.map((d) => [d.name, d.content])).toEqual([
    ['octane_site', 'octane_site live after the set'],
    ['octane_sp_1001', 'octane_sp_1001 live after the set'],
  ]);
  expect(await snapshotTree(i.repo)).toEqual(liveTree);
  expect(await Promise.all(i.indices.map((x) => docCount(x.name)))).toEqual(liveCounts);
  // Nothing the rehearsal made is left: no scratch index, database, folder, repository or journal.
  expect(await indexNames()).toEqual(liveIndices);
  expect(await repositories()).toEqual(liveRepos);
  expect(await readdir(scratch)).toEqual([]);
  expect((await readdir(join(i.setPath, 'restore-reports'))).filter((f) => f.includes('journal'))).toEqual(
    [],
  );
  expect(out.journalKept).toBeUndefined();
  // The record is in the set, read back through the validated reader, and list shows it.
  expect(out.recordPath).toBe(join(i.setPath, 'rehearsal.json'));
  expect(await readRehearsals(i.setPath)).toEqual([r]);
  const sets = await listProfileSets(i.profile);
  expect(sets.find((s) => s.path === i.setPath)?.rehearsal).toEqual(r);
  expect(JSON.stringify(r)).not.toContain('Very$ecret-42');
}

describe('rehearseSet (SQL Server: TDS stand-in; Elasticsearch 7.17: real node; repository: real folder)', () => {
  beforeAll(async () => {
    node = await startEsNode('7.17.29');
  }, 180_000);
  afterAll(async () => node?.stop());

  it(
    'TDS stand-in: restores every store onto scratch targets, checks what came back, records it in the set; the live installation is untouched and nothing is left',
    () => provesEveryStore('ok'),
    240_000,
  );

  it('TDS stand-in: a damaged repository archive fails the rehearsal, names the problem and is recorded as failed; nothing is restored', async () => {
    const i = await install('bad');
    const manifest = JSON.parse(await readFile(join(i.setPath, 'manifest.json'), 'utf8')) as Manifest;
    const archive = manifest.components
      .find((c) => c.id === 'repository')
      ?.artifacts.find((a) => /\.tar\.gz$/.test(a.path));
    const file = join(i.setPath, archive?.path ?? 'missing');
    const bytes = await readFile(file);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    await writeFile(file, bytes);
    const liveIndices = await indexNames();
    const scratch = join(scratchRoot.path, 'bad');
    await mkdir(scratch);

    const out = await rehearseSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      scratchDir: scratch,
    });

    expect(out.record.result).toBe('failed');
    expect(out.record.problems.join(' ')).toContain(archive?.path ?? '?');
    expect(out.record.stores.every((s) => s.status === 'not-run')).toBe(true);
    expect(await readRehearsals(i.setPath)).toEqual([out.record]);
    const sets = await listProfileSets(i.profile);
    expect(sets.find((s) => s.path === i.setPath)?.rehearsal?.result).toBe('failed');
    expect(await indexNames()).toEqual(liveIndices);
    expect(await readdir(scratch)).toEqual([]);
  }, 240_000);

  it('TDS stand-in: Cancel while the repository is extracted: every scratch object removed, recorded as cancelled, the live stores untouched', async () => {
    const i = await install('cancel', { large: true });
    const liveIndices = await indexNames();
    const liveTree = await snapshotTree(i.repo);
    const scratch = join(scratchRoot.path, 'cancel');
    await mkdir(scratch);
    const ac = new AbortController();
    const out = await rehearseSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: ac.signal,
      scratchDir: scratch,
      onEvent: (e) => {
        if (e.type === 'stage-progress' && e.stage === 'repository' && e.fraction > 0.05) ac.abort();
      },
    });
    expect(ac.signal.aborted).toBe(true);
    expect(out.record.result).toBe('cancelled');
    expect(out.record.stores.map((s) => [s.id, s.status])).toEqual([
      ['database', 'passed'],
      ['elasticsearch', 'passed'],
      ['repository', 'cancelled'],
    ]);
    expect(await readdir(scratch)).toEqual([]);
    expect(await indexNames()).toEqual(liveIndices);
    expect(i.r.fake.databases.map((d) => d.name)).toEqual(['octane_site', 'octane_sp_1001']);
    expect(await snapshotTree(i.repo)).toEqual(liveTree);
    expect((await readdir(join(i.setPath, 'restore-reports'))).filter((f) => f.includes('journal'))).toEqual(
      [],
    );
    expect((await readRehearsals(i.setPath)).map((r) => r.result)).toEqual(['cancelled']);
  }, 240_000);

  it('TDS stand-in: an index with fewer documents than the backup recorded fails the rehearsal, naming the index; the scratch indices are removed', async () => {
    const i = await install('few');
    // The backup counted more documents than the snapshot holds (a snapshot taken while documents
    // were deleted, or a record that does not belong to it).
    const file = join(i.setPath, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    const es = manifest.components.find((c) => c.id === 'elasticsearch');
    const counts = (es?.details?.docCounts as { indices: Record<string, { before: number; after: number }> })
      .indices;
    counts['octane-few-audit'] = { before: 500, after: 500 };
    await writeFile(file, JSON.stringify(manifest, null, 2));
    const liveIndices = await indexNames();
    const scratch = join(scratchRoot.path, 'few');
    await mkdir(scratch);

    const out = await rehearseSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      scratchDir: scratch,
    });

    expect(out.record.result, JSON.stringify(out.record)).toBe('failed');
    const es2 = out.record.stores.find((s) => s.id === 'elasticsearch');
    expect(es2?.status).toBe('failed');
    expect(es2?.problem).toMatch(
      /rehearsal-[0-9a-f]+-octane-few-audit has 420 documents; the backup counted 500/,
    );
    expect(out.record.stores.find((s) => s.id === 'repository')?.status).toBe('not-run');
    expect(await indexNames()).toEqual(liveIndices);
    expect(await repositories()).not.toContain(expect.stringMatching(/rehearsal/));
    expect((await readRehearsals(i.setPath)).map((r) => r.result)).toEqual(['failed']);
  }, 240_000);

  it('TDS stand-in: a file the file list names but the archive lacks (archive and manifest agree, the set verifies) fails the rehearsal, naming the file', async () => {
    const i = await install('lacks');
    const file = join(i.setPath, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    const artifact = manifest.components
      .find((c) => c.id === 'repository')
      ?.artifacts.find((a) => /\.tar\.gz$/.test(a.path));
    if (!artifact) throw new Error('the set has no tar.gz repository archive');
    // The archive loses one file with the real tools (gzip, GNU tar), and the manifest is given the
    // new archive's size and SHA-256: as if the backup had listed a file it never archived.
    const archive = join(i.setPath, artifact.path);
    const tar = join(scratchRoot.path, 'lacks.tar');
    execFileSync('sh', ['-c', 'gzip -dc "$1" > "$2"', 'sh', archive, tar]);
    const entry = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' })
      .split('\n')
      .find((n) => n.endsWith('scripts/manual/test-1.txt'));
    if (!entry) throw new Error('scripts/manual/test-1.txt is not in the archive');
    execFileSync('tar', ['-b1', '--delete', '-f', tar, entry]);
    execFileSync('sh', ['-c', 'gzip -c "$1" > "$2"', 'sh', tar, archive]);
    const bytes = await readFile(archive);
    artifact.bytes = bytes.length;
    artifact.sha256 = createHash('sha256').update(bytes).digest('hex');
    await writeFile(file, JSON.stringify(manifest, null, 2));
    expect((await verifyBackupSet(i.setPath, { profile: i.profile, record: false })).verdict).toBe('intact');
    const liveIndices = await indexNames();
    const scratch = join(scratchRoot.path, 'lacks');
    await mkdir(scratch);

    const out = await rehearseSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      scratchDir: scratch,
    });

    expect(out.record.result, JSON.stringify(out.record)).toBe('failed');
    expect(out.record.stores.map((s) => [s.id, s.status])).toEqual([
      ['database', 'passed'],
      ['elasticsearch', 'passed'],
      ['repository', 'failed'],
    ]);
    const repo = out.record.stores.find((s) => s.id === 'repository');
    expect(repo?.problem, JSON.stringify(out.record, null, 1)).toContain('scripts/manual/test-1.txt');
    // That file and nothing else: every other file came back as listed.
    expect(repo?.checked.filter((l) => /^[A-Z ]+: /.test(l))).toEqual([
      'MISSING: scripts/manual/test-1.txt (listed as a 14-byte file; not found in the archive).',
    ]);
    expect(out.record.problems.join('\n')).toContain('scripts/manual/test-1.txt');
    expect((await readRehearsals(i.setPath)).map((r) => r.result)).toEqual(['failed']);
    expect(await readdir(scratch)).toEqual([]);
    expect(await indexNames()).toEqual(liveIndices);
  }, 240_000);

  it('refuses a scratch folder inside the live repository folder or inside the set, before anything is created', async () => {
    const i = await install('live');
    const before = await snapshotTree(i.repo);
    for (const scratchDir of [i.repo, join(i.repo, 'attachments'), join(i.setPath, 'repository')])
      await expect(
        rehearseSet({ setPath: i.setPath, profile: i.profile, signal: signal(), scratchDir }),
      ).rejects.toMatchObject({ code: 'REHEARSAL_TARGET_IS_LIVE' });
    expect(await snapshotTree(i.repo)).toEqual(before);
    expect(existsSync(join(i.setPath, 'rehearsal.json'))).toBe(false);
  }, 240_000);

  it('TDS stand-in: --cleanup removes exactly what a crashed rehearsal journaled (scratch database, index, folder); look-alikes it did not journal survive', async () => {
    const i = await install('crash');
    const scratch = join(scratchRoot.path, 'crash');
    await mkdir(scratch);
    // What a rehearsal killed mid-way leaves: its journal and the scratch objects it listed.
    const mine = join(scratch, `octane-rehearsal-${i.setId}-0badc0de`);
    const lookAlike = join(scratch, `octane-rehearsal-${i.setId}-feedf00d`);
    for (const d of [mine, lookAlike]) await mkdir(join(d, 'attachments'), { recursive: true });
    await writeFile(join(mine, 'attachments', 'half.bin'), 'half written');
    const db = `octane_site__rehearsal_${i.setId}`;
    const dbLookAlike = `octane_sp_1001__rehearsal_${i.setId}`;
    for (const name of [db, dbLookAlike])
      i.r.fake.databases.push({ name, usedBytes: 1024, content: 'scratch' });
    const index = `rehearsal-${i.setId}-octane-crash-audit`;
    const indexLookAlike = `rehearsal-${i.setId}-octane-crash-other`;
    for (const name of [index, indexLookAlike]) await createIndex(node, { name, docs: 3 });
    const reports = join(i.setPath, 'restore-reports');
    await mkdir(reports, { recursive: true });
    const journal = join(reports, '20250101T000000Z-rehearsal-0badc0de.journal.jsonl');
    const line = (op: string, stage: string, object: object): string =>
      `${JSON.stringify({ at: new Date().toISOString(), op, stage, object })}\n`;
    await writeFile(
      journal,
      line('add', 'database', { component: 'database', kind: 'sqlserver-database', name: db }) +
        line('add', 'elasticsearch', { component: 'elasticsearch', kind: 'es-index', name: index }) +
        line('add', 'repository', { component: 'repository', kind: 'folder', name: mine }) +
        // A torn last line (the crash hit mid-write): ignored, counted.
        '{"at":"2025-01-01T00:00:00Z","op":"add","stage":"data',
    );
    const c = await cleanupRehearsals({ setPath: i.setPath, profile: i.profile, signal: signal() });
    expect(c.journals).toEqual([journal]);
    expect(c.removed.sort()).toEqual(
      [`${db} (sqlserver-database)`, `${index} (es-index)`, `${mine} (folder)`].sort(),
    );
    expect(c.failed).toEqual([]);
    expect(c.skippedLines).toBe(1);
    expect(existsSync(mine)).toBe(false);
    expect(existsSync(lookAlike)).toBe(true);
    expect(i.r.fake.databases.map((d) => d.name)).toEqual(['octane_site', 'octane_sp_1001', dbLookAlike]);
    const indices = await indexNames();
    expect(indices).not.toContain(index);
    expect(indices).toContain(indexLookAlike);
    expect(existsSync(journal)).toBe(false);
    // Nothing left: a second cleanup finds nothing.
    expect(
      (await cleanupRehearsals({ setPath: i.setPath, profile: i.profile, signal: signal() })).journals,
    ).toEqual([]);
    await node.api('DELETE', `/${indexLookAlike}`);
  }, 240_000);

  it('TDS stand-in: the next rehearsal first removes what a crashed one journaled, then passes', async () => {
    const i = await install('next');
    const scratch = join(scratchRoot.path, 'next');
    const mine = join(scratch, `octane-rehearsal-${i.setId}-0badc0de`);
    await mkdir(mine, { recursive: true });
    const reports = join(i.setPath, 'restore-reports');
    await mkdir(reports, { recursive: true });
    await writeFile(
      join(reports, '20250101T000000Z-rehearsal-0badc0de.journal.jsonl'),
      `${JSON.stringify({ at: new Date().toISOString(), op: 'add', stage: 'repository', object: { component: 'repository', kind: 'folder', name: mine } })}\n`,
    );
    const out = await rehearseSet({
      setPath: i.setPath,
      profile: i.profile,
      signal: signal(),
      scratchDir: scratch,
    });
    expect(out.earlier.removed).toEqual([`${mine} (folder)`]);
    expect(out.record.result).toBe('passed');
    expect(await readdir(scratch)).toEqual([]);
    expect((await readdir(reports)).filter((f) => f.includes('journal'))).toEqual([]);
  }, 240_000);
});

describe('rehearseSet (SQL Server: TDS stand-in; Elasticsearch 8.19: real node; repository: real folder)', () => {
  beforeAll(async () => {
    node = await startEsNode('8.19.8');
  }, 180_000);
  afterAll(async () => node?.stop());

  it(
    'TDS stand-in: restores every store onto scratch targets, checks what came back, records it in the set; the live installation is untouched and nothing is left',
    () => provesEveryStore('eight'),
    240_000,
  );
});
