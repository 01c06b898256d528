// End-to-end in REAL Chromium: a full Octane backup set up and run from the UI — SQL Server through
// the TDS stand-in (the real mssql/tedious code against scripted protocol bytes; no SQL Server runs
// here), a REAL Elasticsearch 8 node, and a real repository tree — then verified from History.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src-main/engine/backup-set/manifest-io.js';
import { startEsNode, type EsTestNode } from '../support/elasticsearch/node.js';
import { startFakeSqlServer, type FakeSqlServer } from '../support/tds/fake-sql-server.js';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { smallTree } from './support/trees.js';

const ES_VERSION = '8.19.8';
const SQL_PASSWORD = 'Very$ecret-42';
const SERVER_DIR = 'D:\\SQLBackups';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let sql: FakeSqlServer;
let es: EsTestNode;
let repo: string;
let dest: string;
let sqlLocal: string;
let esLocation: string;

beforeAll(async () => {
  tmp = await tempDir('obm-e2e-full-');
  repo = join(tmp.path, 'octane', 'repo');
  dest = join(tmp.path, 'backups');
  sqlLocal = join(tmp.path, 'sql-server-share');
  await mkdir(sqlLocal, { recursive: true });
  await smallTree(repo);
  const slow = { percents: Array.from({ length: 20 }, (_, i) => (i + 1) * 5), stepMs: 120 };
  sql = await startFakeSqlServer({
    databases: [
      { name: 'octane_site', usedBytes: 40 * 2 ** 20, backup: { ...slow, bakBytes: 2 * 2 ** 20 } },
      { name: 'default_shared_space', usedBytes: 20 * 2 ** 20, backup: { ...slow, bakBytes: 2 ** 20 } },
      { name: 'crm_other_app', usedBytes: 10 * 2 ** 20 },
    ],
    serverDir: SERVER_DIR,
    localDir: sqlLocal,
    clock: { offsetMs: 1_500, tzMinutes: 60 },
    edition: 'Standard Edition (64-bit)',
    engineEdition: 2,
  });
  es = await startEsNode(ES_VERSION);
  esLocation = join(es.pathRepo, 'octane');
  await es.bulk('octane_shared_space_1001', [{ name: 'defect 1' }, { name: 'story 2' }, { name: 'audit 3' }]);
  app = await startAppHarness({ dir: tmp.path });
});

afterAll(async () => {
  await app?.close();
  await sql?.close();
  await es?.stop();
  await tmp?.cleanup();
});

describe('a full backup from the UI in real Chromium (SQL Server: TDS stand-in; Elasticsearch: real node)', () => {
  it('TDS stand-in + real ES: sets up the profile with Test connection, database discovery, the Elasticsearch test and a preflight', async () => {
    const { page } = app;
    await app.tab('Profiles');
    await page.getByRole('heading', { name: 'New profile' }).waitFor();
    await page.fill('input[name="profile"]', 'octane-prod');
    await page.fill('input[name="schedule.targetIntervalHours"]', '24');

    await page.fill('input[name="database.server"]', '127.0.0.1');
    await page.fill('input[name="database.port"]', String(sql.port));
    await page.fill('input[name="database.user"]', 'octane_backup');
    await page.fill('input[name="database.password"]', SQL_PASSWORD);
    // The stand-in speaks TDS without TLS.
    await page.getByRole('switch', { name: 'Encrypt the connection' }).click();
    const db = page.getByTestId('section-database');
    await db.getByRole('button', { name: 'Test connection' }).click();
    await db.getByText(/^Connected to 127\.0\.0\.1.* as octane_backup/).waitFor();
    await db.getByRole('button', { name: 'Discover databases' }).click();
    await db.getByText('Found 3 candidate database(s)', { exact: false }).waitFor();
    await db.getByRole('checkbox', { name: /^octane_site / }).check();
    await db.getByRole('checkbox', { name: /^default_shared_space / }).check();
    await page.fill('input[name="database.serverBackupDir"]', SERVER_DIR);
    await page.fill('input[name="database.copyFrom"]', sqlLocal);
    expect(sql.tds.logins.length).toBeGreaterThanOrEqual(2);
    await db.scrollIntoViewIfNeeded();
    await app.shot('profile-database.png');

    await page.fill('input[name="elasticsearch.node"]', es.url);
    await page.fill('input[name="elasticsearch.location"]', esLocation);
    await page.fill('input[name="elasticsearch.copyFrom"]', esLocation);
    const esSection = page.getByTestId('section-elasticsearch');
    await esSection.getByRole('button', { name: 'Test' }).click();
    await esSection
      .getByText(new RegExp(`^Elasticsearch ${ES_VERSION.replace(/\./g, '\\.')}`))
      .first()
      .waitFor();

    await page.fill('input[name="repository.path"]', repo);
    app.dialogAnswers.push(dest);
    await page.getByRole('button', { name: 'Browse for Destination' }).click();
    await expect.poll(() => page.inputValue('input[name="destination"]')).toBe(dest);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Passwords are stored encrypted').waitFor();
    expect(app.store.dump()).not.toContain(SQL_PASSWORD);

    await page.getByRole('button', { name: 'Preflight' }).click();
    const preflight = page.getByTestId('preflight');
    await preflight.getByText(/^Ready/).waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="preflight-check"][data-status="failed"]').count()).toBe(0);
    await app.scrollMainToTop();
    await app.shot('profile-setup.png');
  });

  it('TDS stand-in + real ES: takes the points of database, then Elasticsearch, then the repository, watching each step, to a complete set', async () => {
    const { page } = app;
    await app.tab('Run');
    await page.getByRole('button', { name: 'Back up now' }).click();
    const dbStep = page.getByTestId('step-database');
    await expect
      .poll(async () => Number(await dbStep.getAttribute('data-fraction')), { timeout: 60_000 })
      .toBeGreaterThan(0.1);
    await dbStep
      .getByTestId('activity')
      .getByText(/BACKUP DATABASE \[/)
      .waitFor();
    await dbStep.getByTestId('last-activity').waitFor();
    await app.shot('run-progress.png');

    const summary = page.getByTestId('run-summary');
    await summary.waitFor({ timeout: 120_000 });
    for (const id of ['database', 'elasticsearch', 'repository'])
      await expect
        .poll(() => page.getByTestId(`step-${id}`).getAttribute('data-status'))
        .toMatch(/^succeeded/);
    await summary
      .getByText('A complete Octane backup: database, Elasticsearch and repository folder.')
      .waitFor();
    const setName = (await page.getByTestId('summary-set').textContent()) ?? '';
    const manifest = await readManifest(join(dest, 'octane-prod', setName));
    expect(manifest.complete).toBe(true);
    expect(manifest.components.map((c) => c.id)).toEqual(['database', 'elasticsearch', 'repository']);
    // The order of the points is the contract (the work around them overlaps: bracketed capture).
    const [d, e, r] = manifest.components;
    const point = (c: typeof d): number => Date.parse(c?.consistencyPoint?.time ?? '');
    expect(point(d)).toBeLessThanOrEqual(point(e));
    expect(point(e)).toBeLessThanOrEqual(point(r));
    expect(manifest.skew.points).toEqual({
      database: d?.consistencyPoint?.time,
      elasticsearch: e?.consistencyPoint?.time,
      repository: r?.consistencyPoint?.time,
    });
    expect(manifest.skew.captureMode).toBe('bracketed');
    const artifacts = manifest.components.flatMap((c) => c.artifacts);
    // Folded under "Files (N)" so Elasticsearch's internal files do not push the outcome away.
    await summary
      .getByTestId('summary-files')
      .getByText(`Files (${artifacts.length})`, { exact: true })
      .click();
    for (const a of artifacts) await summary.getByText(a.sha256, { exact: true }).waitFor();
    expect(await page.getByTestId('summary-skew').textContent()).toMatch(
      /tolerated \(database clock; repository bracketed\)/,
    );
    expect(JSON.stringify(manifest)).not.toContain(SQL_PASSWORD);
    await summary.scrollIntoViewIfNeeded();
    await app.shot('run-summary.png');
  });

  it('TDS stand-in + real ES: verifies the set from History', async () => {
    const { page } = app;
    await app.tab('History');
    await page.getByTestId('set-row').first().click();
    const details = page.getByTestId('set-details');
    await details.getByRole('button', { name: 'Verify' }).click();
    const result = details.getByTestId('verify-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    const checks = details.getByTestId('verify-check');
    expect(await checks.count()).toBeGreaterThanOrEqual(5);
    expect(await details.locator('[data-testid="verify-check"]:not([data-status="ok"])').count()).toBe(0);
    await app.scrollMainToTop();
    await app.shot('history-verify.png');
  });

  it('TDS stand-in + real ES: the Overview shows the profile up to date', async () => {
    const { page } = app;
    await app.tab('Overview');
    const card = page.locator('[data-testid="overview-card"][data-profile="octane-prod"]');
    await card.waitFor();
    expect(await card.getAttribute('data-overdue')).toBe('false');
    await card.getByText('Full Octane backup: database, Elasticsearch, repository folder').waitFor();
    await page.getByText('All 1 profile(s) have a recent good backup.').waitFor();
    await app.shot('overview.png');
    expect(app.pageErrors).toEqual([]);
  });

  it('TDS stand-in + real ES: a set damaged on disk shows Damaged in History after verify, and the Overview stops counting it', async () => {
    const { page } = app;
    const [set] = await app.handlers['sets:list']('octane-prod');
    if (!set) throw new Error('no set');
    const archive = set.manifest?.components
      .find((c) => c.id === 'repository')
      ?.artifacts.find((a) => !a.path.endsWith('.jsonl'));
    const file = join(set.path, ...(archive?.path ?? '').split('/'));
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    await app.tab('History');
    await page.getByTestId('set-row').first().click();
    const details = page.getByTestId('set-details');
    await details.getByRole('button', { name: 'Verify' }).click();
    const result = details.getByTestId('verify-result');
    await result.getByText('Damaged').waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-intact')).toBe('false');
    await page.locator('[data-testid="set-row"] [data-status="damaged"]').waitFor();
    await details
      .getByTestId('set-untrusted')
      .getByText(/ALTERED: repository\//)
      .waitFor();
    await app.scrollMainToTop();
    await app.shot('history-damaged.png');
    await app.tab('Overview');
    const card = page.locator('[data-testid="overview-card"][data-profile="octane-prod"]');
    await card.getByTestId('overview-damaged').waitFor();
    expect(await card.getAttribute('data-overdue')).toBe('true');
    await card.getByText(/DAMAGED: verify found it damaged/).waitFor();
    await app.shot('overview-damaged.png');
    expect(app.pageErrors).toEqual([]);
  });
});
