// End-to-end in REAL Chromium: a full Octane installation restored from a set with the wizard in
// History — SQL Server through the TDS stand-in (the real mssql/tedious code against scripted
// protocol bytes; no SQL Server runs here), a REAL Elasticsearch 8 node, and a real repository
// folder. Users went on working after the set was taken; the restore brings every store back to
// the set, in Octane's order (database → Elasticsearch → repository), and leaves an index the set
// never held alone.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/contract/profile.js';
import type { RestoreReport } from '../../src-main/contract/restore-run.js';
import { startEsNode, type EsTestNode } from '../support/elasticsearch/node.js';
import { startFakeSqlServer, type FakeSqlServer } from '../support/tds/fake-sql-server.js';
import { tempDir } from '../support/temp.js';
import { snapshotTree, type Snapshot } from '../support/trees/snapshot.js';
import { createIndex, documents } from '../engine/steps/elasticsearch/restore/octane-like.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { smallTree } from './support/trees.js';

const ES_VERSION = '8.19.8';
const SQL_PASSWORD = 'Very$ecret-42';
const MiB = 2 ** 20;
const INDICES = ['octane_shared_space_1001', 'octane_site_audit'];
const ADDED = 'octane_added_after_the_set';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let sql: FakeSqlServer;
let es: EsTestNode;
let repo: string;
let setPath: string;
let source: Snapshot;
const atBackup = new Map<string, Map<string, unknown>>();
let added: Map<string, unknown>;

const noTimes = (s: Snapshot): unknown =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { ...v, mtimeSec: undefined }]));

beforeAll(async () => {
  tmp = await tempDir('obm-e2e-restore-');
  repo = join(tmp.path, 'octane', 'repo');
  const sqlLocal = join(tmp.path, 'sql-server-share');
  await mkdir(sqlLocal, { recursive: true });
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
    // The space database restores slowly enough to be watched, with a silent recovery after 100 %.
    restoreScripts: {
      octane_sp_1001: { percents: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], stepMs: 150, recoveryMs: 6000 },
    },
  });
  es = await startEsNode(ES_VERSION);
  await createIndex(es, { name: 'octane_shared_space_1001', docs: 300, nested: 2 });
  await createIndex(es, { name: 'octane_site_audit', docs: 120 });
  const location = join(es.pathRepo, 'octane');
  const profile: Profile = {
    profile: 'octane-prod',
    destination: join(tmp.path, 'backups'),
    database: {
      engine: 'sqlserver',
      server: '127.0.0.1',
      port: sql.port,
      user: 'octane_backup',
      encrypt: false,
      databases: ['octane_site', 'octane_sp_1001'],
      serverBackupDir: sqlLocal,
      copyFrom: sqlLocal,
    },
    elasticsearch: { node: es.url, repository: 'octane_backup', location, copyFrom: location },
    repository: { path: repo, format: 'tar.gz' },
  };
  app = await startAppHarness({ dir: tmp.path });
  await app.handlers['profiles:save']({ profile, secrets: { databasePassword: SQL_PASSWORD } });
  const out = await app.core.backUp('octane-prod', { kind: 'manual', signal: new AbortController().signal });
  if (!out.started || !out.result.status.startsWith('succeeded'))
    throw new Error(`backup: ${JSON.stringify(out)}`);
  setPath = out.result.setPaths[0] as string;
  source = await snapshotTree(repo);
  for (const i of INDICES) atBackup.set(i, await documents(es, i));

  // Users went on working: every store changed after the set was taken.
  for (const d of sql.databases) d.content = `${d.name} changed after the set`;
  await es.bulk('octane_shared_space_1001', [{ n: -1, title: 'written after the set' }]);
  expect((await es.api('DELETE', '/octane_site_audit')).status).toBe(200);
  await createIndex(es, { name: ADDED, docs: 25 });
  added = await documents(es, ADDED);
  await rm(join(repo, 'readme.txt'));
  await writeFile(join(repo, 'attachments/new-after-set.txt'), 'added after the set\n');
  await app.page.reload();
});

afterAll(async () => {
  await app?.close();
  await sql?.close();
  await es?.stop();
  await tmp?.cleanup();
});

describe('restore from History in real Chromium (SQL Server: TDS stand-in; Elasticsearch: real node; repository: real folder)', () => {
  it('TDS stand-in + real ES: the wizard verifies the set, shows checks and the plan, asks for the profile name, restores database → Elasticsearch → repository and reports next steps', async () => {
    const { page } = app;
    await app.tab('History');
    await page.getByTestId('set-row').first().click();
    await page.getByTestId('set-details').getByRole('button', { name: 'Restore…' }).click();

    const wizard = page.getByTestId('restore-wizard');
    const verdict = wizard.getByTestId('restore-verdict');
    await verdict.waitFor({ timeout: 120_000 });
    expect(await verdict.getAttribute('data-verdict')).toBe('intact');
    for (const id of ['database', 'elasticsearch', 'repository'])
      expect(
        await wizard.locator(`[data-testid="restore-stage-choice"][data-stage="${id}"] input`).isChecked(),
      ).toBe(true);
    await app.shot('restore-components.png');

    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.locator('[data-step="Preconditions"]').first().waitFor();
    // Neither the Octane service nor its URL is in the profile: the admin confirms it is stopped.
    const next = wizard.getByRole('button', { name: 'Next' });
    expect(await next.isDisabled()).toBe(true);
    await wizard
      .getByTestId('restore-problems')
      .getByText(/Octane must be stopped/)
      .waitFor();
    expect(await wizard.locator('[data-testid="restore-check"][data-status="failed"]').count()).toBe(0);
    expect(await wizard.getByTestId('restore-check').count()).toBeGreaterThanOrEqual(3);
    await wizard.getByTestId('octane-stopped').check();
    await app.shot('restore-checks.png');
    await next.click();

    await wizard.locator('[data-step="Plan"]').first().waitFor();
    const plans = wizard.getByTestId('restore-plan');
    const order: (string | null)[] = [];
    for (let k = 0; k < (await plans.count()); k++) order.push(await plans.nth(k).getAttribute('data-stage'));
    expect(order).toEqual(['database', 'elasticsearch', 'repository']);
    await wizard
      .getByText(/RESTORE DATABASE \[octane_site\]/)
      .first()
      .waitFor();
    await app.shot('restore-plan.png');
    await wizard.getByRole('button', { name: 'Next' }).click();

    await wizard.locator('[data-step="Confirm"]').first().waitFor();
    const go = wizard.getByRole('button', { name: 'Restore', exact: true });
    await wizard.getByRole('textbox').fill('octane-pro');
    expect(await go.isDisabled()).toBe(true);
    await wizard.getByRole('textbox').fill('octane-prod');
    await app.shot('restore-confirm.png');
    // Nothing has changed before the last button.
    expect(sql.databases.map((d) => d.content)).toEqual([
      'octane_site changed after the set',
      'octane_sp_1001 changed after the set',
    ]);
    await go.click();

    const run = page.getByTestId('restore-run');
    await run.waitFor();
    // The recovery after 100 % is its own phase on screen, not a frozen 100 %.
    await run
      .getByTestId('restore-stage-database')
      .getByText(/Recovering octane_sp_1001 \(rolling the log forward and back/)
      .waitFor({ timeout: 60_000 });
    await app.shot('restore-progress.png');
    await page.locator('[data-testid="restore-run"][data-done="true"]').waitFor({ timeout: 240_000 });
    const result = run.getByTestId('restore-result');
    expect(await result.getAttribute('data-status')).toMatch(/^succeeded/);
    for (const id of ['database', 'elasticsearch', 'repository'])
      expect(await run.getByTestId(`restore-stage-${id}`).getAttribute('data-status')).toMatch(/^succeeded/);
    await run
      .getByTestId('next-steps')
      .getByText(/^Start (the )?Octane/)
      .first()
      .waitFor();
    await app.scrollMainToTop();
    await app.shot('restore-result.png');
    expect(app.pageErrors).toEqual([]);
  });

  it('TDS stand-in + real ES: after the wizard the installation is the set again, in Octane order, with the previous folder kept and a report next to the set', async () => {
    expect(sql.databases.map((d) => [d.name, d.content])).toEqual([
      ['octane_site', 'site at the backup'],
      ['octane_sp_1001', 'space at the backup'],
    ]);
    for (const i of INDICES) expect(await documents(es, i)).toEqual(atBackup.get(i));
    // An index the set never held is not the restore's business.
    expect(await documents(es, ADDED)).toEqual(added);
    expect(noTimes(await snapshotTree(repo))).toEqual(noTimes(source));

    const reports = (await readdir(join(setPath, 'restore-reports'))).filter((f) => f.endsWith('.json'));
    expect(reports).toHaveLength(1);
    const report = JSON.parse(
      await readFile(join(setPath, 'restore-reports', reports[0] as string), 'utf8'),
    ) as RestoreReport;
    const ran = report.stages.filter((s) => s.status !== 'skipped');
    expect(ran.map((s) => s.id)).toEqual(['database', 'elasticsearch', 'repository']);
    for (let k = 1; k < ran.length; k++)
      expect(Date.parse(ran[k]?.startedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(ran[k - 1]?.finishedAt ?? ''),
      );
    const aside = (report.stages.find((s) => s.id === 'repository')?.details as { movedAside?: string })
      .movedAside;
    expect(await readFile(join(aside ?? '', 'attachments/new-after-set.txt'), 'utf8')).toBe(
      'added after the set\n',
    );
    expect(JSON.stringify(report)).not.toContain(SQL_PASSWORD);
  });
  it('TDS stand-in + real ES: with Octane answering at the URL the profile names, the wizard shows the failed check with its fix and cannot go on; once it stops, Check again clears it', async () => {
    const { page } = app;
    let octaneUp = true;
    const octane = createServer((req, res) => {
      if (!octaneUp) req.socket.destroy();
      else res.end('ALM Octane');
    });
    await new Promise<void>((ok) => octane.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(octane.address() as AddressInfo).port}`;
      const stored = app.core.profiles.get('octane-prod')?.profile;
      if (!stored) throw new Error('no stored profile');
      await app.handlers['profiles:save']({
        profile: { ...stored, octaneUrl: url },
        previousName: 'octane-prod',
      });
      await app.tab('History');
      // The last restore's result stays on screen until it is closed.
      const back = page.getByRole('button', { name: 'Back to History' });
      if ((await back.count()) > 0) await back.click();
      await page.getByTestId('set-row').first().click();
      await page.getByTestId('set-details').getByRole('button', { name: 'Restore…' }).click();
      const wizard = page.getByTestId('restore-wizard');
      await wizard.getByTestId('restore-verdict').waitFor({ timeout: 120_000 });
      await wizard.getByRole('button', { name: 'Next' }).click();
      const check = wizard.locator('[data-testid="restore-check"][data-check="octane.url"]');
      expect(await check.getAttribute('data-status')).toBe('failed');
      await check.getByText(/answers \(HTTP 200\)/).waitFor();
      await wizard
        .getByTestId('restore-problems')
        .getByText(/Fix: Stop Octane on every node/)
        .waitFor();
      // Nothing to tick: the tool checked it itself.
      expect(await wizard.getByTestId('octane-stopped').count()).toBe(0);
      expect(await wizard.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
      await check.scrollIntoViewIfNeeded();
      await app.shot('restore-refused.png');

      octaneUp = false;
      octane.close();
      await wizard.getByRole('button', { name: 'Check again' }).click();
      await expect.poll(() => check.getAttribute('data-status'), { timeout: 120_000 }).toBe('ok');
      expect(await wizard.getByRole('button', { name: 'Next' }).isDisabled()).toBe(false);
      await wizard.getByRole('button', { name: 'Close' }).click();
      expect(app.pageErrors).toEqual([]);
    } finally {
      octane.close();
    }
  });
});
