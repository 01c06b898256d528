// The built CLI as an admin runs it in a disaster, as real processes: a pre-upgrade backup with
// `octane-backup run`, users going on working, the snapshot gone from the live Elasticsearch
// repository, then `octane-backup restore --plan` and `restore --yes --json`. SQL Server is the TDS
// stand-in (the real mssql/tedious code against scripted protocol bytes); Elasticsearch is a REAL
// 7.17 node; the repository folder and Octane's config files are real files. The live installation
// must come back byte for byte, in Octane's order: database → Elasticsearch → config → repository.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreEvent } from '../../src-main/contract/restore-run.js';
import { startEsNode, type EsTestNode } from '../support/elasticsearch/node.js';
import { startFakeSqlServer, type FakeSqlServer } from '../support/tds/fake-sql-server.js';
import { tempDir } from '../support/temp.js';
import { snapshotTree, type Snapshot } from '../support/trees/snapshot.js';
import { smallTree } from '../e2e/support/trees.js';
import { createIndex, documents } from '../engine/steps/elasticsearch/restore/octane-like.js';

const CLI = join(import.meta.dirname, '../../dist-cli/octane-backup.mjs');
const ES_VERSION = '7.17.29';
const SQL_PASSWORD = 'Very$ecret-42';
const MiB = 2 ** 20;
const INDICES = ['octane_shared_space_1001', 'octane_site_audit'];
const OCTANE_CONF = 'octane.conf';
const CONF_AT_BACKUP = 'site.url=http://octane.corp.local:8080\nsite.db.server=sql01\n';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let sql: FakeSqlServer;
let es: EsTestNode;
let repo: string;
let confDir: string;
let config: string;
let setPath: string;
let source: Snapshot;
const atBackup = new Map<string, Map<string, unknown>>();

/** The CLI as a child process; asynchronous, since the SQL Server stand-in answers from this process. */
async function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: tmp.path,
    env: { PATH: process.env.PATH, OCTANE_SQL_PASSWORD: SQL_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
  return { code, out, err };
}

/** A port nothing listens on: Octane's URL that does not answer (Octane is stopped). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

const noTimes = (s: Snapshot): unknown =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { ...v, mtimeSec: undefined }]));

beforeAll(async () => {
  // npm test builds the CLI first; a targeted run builds it when it is missing.
  if (!existsSync(CLI)) spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  tmp = await tempDir('obm-cli-restore-');
  repo = join(tmp.path, 'octane', 'repo');
  confDir = join(tmp.path, 'octane', 'conf');
  const sqlLocal = join(tmp.path, 'sql-server-share');
  await mkdir(sqlLocal, { recursive: true });
  await mkdir(confDir, { recursive: true });
  await writeFile(join(confDir, OCTANE_CONF), CONF_AT_BACKUP);
  await smallTree(repo);
  sql = await startFakeSqlServer({
    databases: [
      { name: 'octane_site', usedBytes: 40 * MiB, content: 'site at the backup', tables: 12, rows: 3400 },
      {
        name: 'octane_sp_1001',
        usedBytes: 60 * MiB,
        content: 'space at the backup',
        tables: 80,
        rows: 91000,
      },
    ],
    serverDir: sqlLocal,
    localDir: sqlLocal,
  });
  es = await startEsNode(ES_VERSION);
  await createIndex(es, { name: 'octane_shared_space_1001', docs: 400, nested: 2 });
  await createIndex(es, { name: 'octane_site_audit', docs: 150 });
  const location = join(es.pathRepo, 'octane');
  config = join(tmp.path, 'octane-prod.json');
  await writeFile(
    config,
    JSON.stringify({
      profile: 'octane-prod',
      destination: join(tmp.path, 'backups'),
      octaneConfigDir: confDir,
      octaneUrl: `http://127.0.0.1:${await closedPort()}/`,
      database: {
        engine: 'sqlserver',
        server: '127.0.0.1',
        port: sql.port,
        user: 'octane_backup',
        passwordEnv: 'OCTANE_SQL_PASSWORD',
        encrypt: false,
        databases: ['octane_site', 'octane_sp_1001'],
        serverBackupDir: sqlLocal,
        copyFrom: sqlLocal,
      },
      elasticsearch: { node: es.url, repository: 'octane_backup', location, copyFrom: location },
      repository: { path: repo, format: 'zip' },
    }),
  );
  const run = await cli(['run', '--config', config, '--kind', 'pre-upgrade', '--label', 'before 25.1']);
  expect(run.code, run.out + run.err).toBe(0);
  const sets = await readdir(join(tmp.path, 'backups', 'octane-prod'));
  const name = sets.find((s) => /-pre-upgrade-/.test(s));
  if (!name) throw new Error(`no set among ${sets.join(', ')}`);
  setPath = join(tmp.path, 'backups', 'octane-prod', name);
  source = await snapshotTree(repo);
  for (const i of INDICES) atBackup.set(i, await documents(es, i));

  // Users went on working, and the snapshot left the live repository (retention, a new cluster):
  // the restore must use the set's own copy of the Elasticsearch repository.
  for (const d of sql.databases) d.content = `${d.name} changed after the set`;
  await es.bulk('octane_shared_space_1001', [{ n: -1, title: 'written after the set' }]);
  expect((await es.api('DELETE', '/octane_site_audit')).status).toBe(200);
  const snaps = await es.api<{ snapshots: { snapshot: string }[] }>('GET', '/_snapshot/octane_backup/_all');
  for (const s of snaps.body.snapshots)
    expect((await es.api('DELETE', `/_snapshot/octane_backup/${s.snapshot}`)).status).toBe(200);
  await writeFile(join(confDir, OCTANE_CONF), 'site.url=http://upgraded:8080\n');
  await rm(join(repo, 'readme.txt'));
  await writeFile(join(repo, 'attachments/new-after-set.txt'), 'added after the set\n');
}, 600_000);

afterAll(async () => {
  await sql?.close();
  await es?.stop();
  await tmp?.cleanup();
});

describe('octane-backup restore as a real process (SQL Server: TDS stand-in; Elasticsearch: real 7.17 node; repository and config: real files)', () => {
  it('TDS stand-in + real ES: --plan lists the checks and every step in Octane order (the indices from the set copy) and changes nothing', async () => {
    const r = await cli(['restore', setPath, '--config', config, '--plan']);
    expect(r.code, r.out + r.err).toBe(0);
    // Each store's section of the plan, in the order the restore runs them.
    const at = [
      r.out.indexOf('\nDatabase: Restore 2 SQL Server database(s)'),
      r.out.indexOf('\nElasticsearch indices: Restore 2 Elasticsearch index(es)'),
      r.out.indexOf("\nOctane's config files: Put Octane's config files back"),
      r.out.search(/\nRepository folder: Extract .*repository\.zip into /),
    ];
    for (const x of at) expect(x, r.out).toBeGreaterThan(0);
    expect(
      [...at].sort((a, b) => a - b),
      r.out,
    ).toEqual(at);
    expect(r.out).toMatch(/from the set's copy of the repository\./);
    expect(r.out).toMatch(/ok {3}Octane URL does not answer/);
    expect(r.out.indexOf('RESTORE DATABASE [octane_site]')).toBeGreaterThan(at[0] ?? -1);
    expect(r.out).toContain('Ready: every precondition holds.');
    expect(sql.databases.map((d) => d.content)).toEqual([
      'octane_site changed after the set',
      'octane_sp_1001 changed after the set',
    ]);
  });

  it('TDS stand-in + real ES: restore --yes --json brings the database, the indices (from the set copy), the config file and the repository folder back byte for byte, in that order', async () => {
    const r = await cli(['restore', setPath, '--config', config, '--yes', '--json']);
    expect(r.code, r.out + r.err).toBe(0);
    const events = r.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as RestoreEvent);
    const order = events
      .filter((e) => e.type === 'stage-started' || e.type === 'stage-finished')
      .map((e) => `${e.type === 'stage-started' ? 'start' : 'end'}:${(e as { stage: string }).stage}`);
    expect(order).toEqual([
      'start:database',
      'end:database',
      'start:elasticsearch',
      'end:elasticsearch',
      'start:config',
      'end:config',
      'start:repository',
      'end:repository',
    ]);
    const finished = events.at(-1);
    if (finished?.type !== 'restore-finished') throw new Error(`last event: ${JSON.stringify(finished)}`);
    expect(finished.report.stages.map((s) => [s.id, s.status])).toEqual([
      ['database', 'succeeded'],
      ['elasticsearch', 'succeeded'],
      ['config', 'succeeded'],
      ['repository', 'succeeded'],
    ]);

    // The live installation is the set again.
    expect(sql.databases.map((d) => [d.name, d.content])).toEqual([
      ['octane_site', 'site at the backup'],
      ['octane_sp_1001', 'space at the backup'],
    ]);
    for (const i of INDICES) expect(await documents(es, i)).toEqual(atBackup.get(i));
    expect(await readFile(join(confDir, OCTANE_CONF), 'utf8')).toBe(CONF_AT_BACKUP);
    expect(noTimes(await snapshotTree(repo))).toEqual(noTimes(source));
    // Nothing of the installation as it was before the restore is lost.
    const kept = (await readdir(confDir)).filter((f) => f.startsWith(`${OCTANE_CONF}.before-restore-`));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(confDir, kept[0] as string), 'utf8')).toBe('site.url=http://upgraded:8080\n');
    const aside = (
      finished.report.stages.find((s) => s.id === 'repository')?.details as { movedAside?: string }
    ).movedAside;
    expect(await readFile(join(aside ?? '', 'attachments/new-after-set.txt'), 'utf8')).toBe(
      'added after the set\n',
    );
    // The restore's temporary Elasticsearch repository is gone again.
    const repos = await es.api<Record<string, unknown>>('GET', '/_snapshot');
    expect(Object.keys(repos.body)).toEqual(['octane_backup']);
    expect(r.out + r.err).not.toContain(SQL_PASSWORD);
  });
});
