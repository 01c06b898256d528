// The operations part of the profile editor in REAL Chromium against the real engine: a schedule
// from the tolerated data loss with a quiet window (proposeSchedule in main), a retention dry run
// and prune on sets made by real runs of a repository-only profile, a test e-mail to a real SMTP
// listener (STARTTLS, login with the password stored through the app's secret store), and the
// import of a setup.xml written here. OS stand-ins as in app.chromium.test.ts (DPAPI cipher, dialogs).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/contract/profile.js';
import { createOpsHandlers } from '../../src-main/electron/ops-handlers.js';
import { makeCert, startSmtp, type TestSmtp } from '../engine/alerts/smtp-test-server.js';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { smallTree } from './support/trees.js';

const SMTP_PASSWORD = 'Mail!Pass9-e2e';
const EXE = '/opt/Octane Backup Manager/octane-backup-manager';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let smtp: TestSmtp;
let cert: Awaited<ReturnType<typeof makeCert>>;
let conf: string;
/** The clock of the operations channels: moved ahead so the first sets are days old. */
let clock = new Date();

/** Scrolls the editor so that `testId`'s section sits just under the sticky action bar. */
async function showSection(testId: string): Promise<void> {
  await app.page.getByTestId(testId).evaluate((el: unknown) => {
    const e = el as {
      offsetTop: number;
      closest(s: string): { scrollTo(x: number, y: number): void } | null;
    };
    e.closest('main')?.scrollTo(0, e.offsetTop - 110);
  });
}

beforeAll(async () => {
  tmp = await tempDir('obm-e2e-ops-');
  const repo = join(tmp.path, 'octane', 'repo');
  await smallTree(repo);
  await mkdir(join(tmp.path, 'backups'), { recursive: true });
  cert = await makeCert(tmp.path);
  smtp = await startSmtp({ tls: { key: cert.key, cert: cert.cert }, users: { alerts: SMTP_PASSWORD } });
  conf = join(tmp.path, 'octane', 'conf');
  await mkdir(conf, { recursive: true });
  await writeFile(
    join(conf, 'setup.xml'),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<properties>',
      '  <entry key="DBType">MSSQL</entry>',
      '  <entry key="ConnectionString">jdbc:sqlserver://sqlprod01.corp.local:1433;databaseName=octane_site</entry>',
      '  <entry key="DBAdminUser">octane_admin</entry>',
      '  <entry key="DBAdminPassword">ENC(q9Zr1vT0bXk=)</entry>',
      '  <entry key="SchemaName">octane_site</entry>',
      '  <entry key="SharedSpaceSchemaName">octane_sp_1001</entry>',
      '  <entry key="RepositoryFolder">/opt/octane/repo</entry>',
      '  <entry key="ElasticHost">es01.corp.local</entry>',
      '  <entry key="ElasticPort">9300</entry>',
      '</properties>',
      '',
    ].join('\n'),
  );
  app = await startAppHarness({ dir: tmp.path });
  // The operations channels as Electron binds them, with what app-main.ts injects: the app's
  // executable (here a Linux install path) and this machine's platform; a movable clock.
  Object.assign(
    app.handlers,
    createOpsHandlers(app.core, {
      platform: 'linux',
      runner: () => Promise.reject(new Error('no command expected on Linux')),
      exePath: EXE,
      timeZone: 'Europe/Berlin',
      now: () => clock,
    }),
  );
  // A tiny repository-only profile and real runs of it through the app core (the engine's runner
  // and repository step): three regular sets and one pinned pre-upgrade dump.
  const profile: Profile = {
    profile: 'nightly',
    destination: join(tmp.path, 'backups'),
    repository: { path: repo, format: 'zip', compression: 'fast' },
  };
  await app.handlers['profiles:save']({ profile });
  for (const kind of ['manual', 'manual', 'pre-upgrade', 'manual'] as const) {
    const outcome = await app.core.backUp('nightly', {
      kind,
      signal: new AbortController().signal,
      ...(kind === 'pre-upgrade' ? { label: 'before 25.1 upgrade' } : {}),
    });
    expect(outcome.started && outcome.result.status).toBe('succeeded-with-warnings');
  }
  clock = new Date(Date.now() + 3 * 24 * 3600_000);
  await app.page.reload();
  await app.tab('Profiles');
  await app.page.getByRole('heading', { name: 'Profile “nightly”' }).waitFor();
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
  await tmp?.cleanup();
});

describe('operations in the profile editor (real Chromium, real engine)', () => {
  it('proposes a 12 h schedule with a quiet window, lists the next five runs and the Linux timer after Save', async () => {
    const { page } = app;
    await showSection('section-schedule');
    const section = page.getByTestId('section-schedule');
    await section.getByRole('radio', { name: '12 h' }).check();
    await section.getByRole('checkbox', { name: /quiet window/ }).check();
    await page.fill('input[name="schedule.quietWindow.start"]', '22:00');
    await page.fill('input[name="schedule.quietWindow.end"]', '05:00');
    const runs = section.getByRole('list', { name: 'Next five runs' });
    await runs.getByRole('listitem').nth(4).waitFor();
    expect(await runs.getByRole('listitem').count()).toBe(5);
    const items = await runs.getByRole('listitem').allTextContents();
    // 12 h with a 22:00-05:00 window: 22:00 in the window, 10:00 outside, alternating.
    expect(items.filter((t) => / 22:00/.test(t) && t.includes('(quiet window)'))).toHaveLength(
      items.filter((t) => / 22:00/.test(t)).length,
    );
    expect(items.every((t) => / (22|10):00/.test(t))).toBe(true);
    await section.getByText(/Proposed: every 12 h at 22:00, 10:00/).waitFor();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Passwords are stored encrypted').waitFor();
    await section.getByText('OnCalendar=*-*-* 10:00:00', { exact: false }).waitFor();
    await section
      .getByText(/--run nightly --kind scheduled/)
      .first()
      .waitFor();
    const stored = app.core.profiles.get('nightly')?.profile.schedule;
    expect(stored).toEqual({ targetIntervalHours: 12, quietWindow: { start: '22:00', end: '05:00' } });
    await showSection('section-schedule');
    await app.shot('ops-schedule.png');
  });

  it('shows a retention dry run with the engine reasons and prunes the old sets after confirming', async () => {
    const { page } = app;
    await page.fill('input[name="retention.keepLast"]', '2');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Passwords are stored encrypted').waitFor();
    const section = page.getByTestId('section-retention');
    await section.getByRole('button', { name: 'Dry run' }).click();
    const plan = section.getByTestId('retention-plan');
    await plan.waitFor();
    const rows = plan.getByTestId('retention-entry');
    expect(await rows.count()).toBe(4);
    // A repository-only profile's sets are usable backups of that profile (every component it takes
    // succeeded): keepLast 2 keeps the two newest, the oldest goes; the pre-upgrade dump is pinned.
    expect(await plan.locator('[data-action="delete"]').count()).toBe(1);
    await plan
      .locator('[data-action="keep"]')
      .getByText(/pinned/i)
      .waitFor();
    await plan
      .locator('[data-action="delete"]')
      .first()
      .getByText(/Not among the newest 2 usable sets/)
      .waitFor();
    await plan.getByText('1 of 4 set(s) would be deleted', { exact: false }).waitFor();
    await showSection('section-retention');
    await app.shot('ops-retention.png');

    const before = await app.handlers['sets:list']('nightly');
    const oldest = before
      .filter((x) => x.kind === 'manual')
      .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))[0];
    await section.getByRole('button', { name: /Prune now/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete 1 backup set(s)?').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await section.getByText(/Deleted 1 folder/).waitFor();
    await plan.getByText('Nothing would be deleted (3 set(s) found).').waitFor();
    const after = await app.handlers['sets:list']('nightly');
    expect(after.map((s) => s.kind).sort()).toEqual(['manual', 'manual', 'pre-upgrade']);
    expect(existsSync(oldest?.path as string)).toBe(false);
    for (const s of after) expect(existsSync(s.path)).toBe(true);
  });

  it('sends a test e-mail to a real SMTP listener with the password the app stored encrypted', async () => {
    const { page } = app;
    await showSection('section-alerts');
    const section = page.getByTestId('section-alerts');
    await section.getByRole('switch', { name: 'Send e-mail alerts' }).click();
    await page.fill('input[name="alerts.email.host"]', '127.0.0.1');
    await page.fill('input[name="alerts.email.port"]', String(smtp.port));
    await page.fill('input[name="alerts.email.user"]', 'alerts');
    await page.fill('input[name="alerts.email.password"]', SMTP_PASSWORD);
    await page.fill('input[name="alerts.email.from"]', 'octane-backup@corp.local');
    await page.fill('input[name="alerts.email.to"]', 'ops@corp.local, dba@corp.local');
    await page.fill('input[name="alerts.email.caFile"]', cert.certFile);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Passwords are stored encrypted').waitFor();
    // Saved: the field shows "stored", the value never came back to the page.
    await section.getByText('Stored encrypted. Type to replace it.').waitFor();
    expect(await page.inputValue('input[name="alerts.email.password"]')).toBe('');
    expect(JSON.stringify(app.store.get('secrets'))).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(await app.handlers['profiles:list']())).not.toContain(SMTP_PASSWORD);

    await section.getByRole('button', { name: 'Send test e-mail' }).click();
    await section.getByText('Test message accepted for ops@corp.local, dba@corp.local.').waitFor();
    expect(smtp.auths.at(-1)).toEqual({ user: 'alerts', password: SMTP_PASSWORD, secure: true });
    expect(smtp.received.at(-1)?.to).toEqual(['ops@corp.local', 'dba@corp.local']);
    expect(smtp.received.at(-1)?.secure).toBe(true);
  });

  it('imports a setup.xml: shows each value with its file and key, never the password, and fills the form', async () => {
    const { page } = app;
    await app.scrollMainToTop();
    await page.getByRole('button', { name: 'Import from Octane installation…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name="octane.configDir"]').fill(conf);
    await dialog.getByRole('button', { name: 'Read' }).click();
    const server = dialog.getByTestId('import-row').filter({ hasText: 'database.server' });
    await server.getByText('sqlprod01.corp.local').waitFor();
    await server.getByText('setup.xml: ConnectionString (parsed), line 4').waitFor();
    await dialog
      .getByTestId('import-row')
      .filter({ hasText: 'database.user' })
      .getByText('setup.xml: DBAdminUser, line 5')
      .waitFor();
    await dialog.getByText(/Seen in setup\.xml: DBAdminPassword, line 6/).waitFor();
    await dialog.getByText(/transport port/).waitFor();
    expect(await dialog.textContent()).not.toContain('q9Zr1vT0bXk');
    // Filled by the admin already: offered, not preselected.
    const repoRow = dialog.getByTestId('import-row').filter({ hasText: 'repository.path' });
    expect(await repoRow.getByRole('checkbox').isChecked()).toBe(false);
    await app.shot('ops-import.png');

    await dialog.getByRole('button', { name: /^Apply \d+ value/ }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.inputValue('input[name="database.server"]')).toBe('sqlprod01.corp.local');
    expect(await page.inputValue('input[name="elasticsearch.node"]')).toBe('http://es01.corp.local:9200');
    expect(await page.inputValue('input[name="repository.path"]')).toContain(join('octane', 'repo'));
    expect(app.pageErrors).toEqual([]);
  });
});
