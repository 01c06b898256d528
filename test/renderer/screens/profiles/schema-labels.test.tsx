// @vitest-environment happy-dom
// The profile form takes every field's label (and hint) from the profile schema, so the label the
// UI shows and the label the validator gives with a problem are the same text.
import '../../dom-setup.js';
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fieldHint,
  fieldLabel,
  fieldTexts,
  type ProfileKey,
} from '../../../../src-main/contract/profile-fields.js';
import type { Profile } from '../../../../src-main/contract/profile.js';
import type { ProfileRecord } from '../../../../src-main/contract/ui.js';
import { ProfileEditor } from '../../../../src-renderer/src/screens/profiles/profile-editor.js';
import { fakeApi, renderWithApi, type FakeImpl } from '../../fake-api.js';

afterEach(cleanup);

const api: FakeImpl = {
  'profiles:validate': () => [],
  'drives:list': () => [],
  'destinations:inspect': (path) => ({ path, exists: true, freeBytes: 10 * 2 ** 30 }),
  'repository:scan': (path) => ({ path, files: 3, folders: 1, bytes: 2048, complete: true }),
  'profiles:estimate': () => null,
};

const common: Omit<Profile, 'database'> = {
  profile: 'nightly',
  destination: '/backups',
  destinations: { database: '/db', elasticsearch: '/es', repository: '/repo-sets' },
  skewToleranceSeconds: 600,
  elasticsearch: {
    node: 'https://es1:9200',
    username: 'elastic',
    caFile: '/ca.pem',
    repository: 'octane_backup',
    location: '/mnt/es',
    copyFrom: '/mnt/es',
    indices: ['octane_*'],
  },
  repository: { path: '/octane/repo', format: 'tar.gz', compression: 'fast' },
  schedule: { targetIntervalHours: 12, quietWindow: { start: '22:00', end: '05:00' } },
  retention: { keepLast: 7, keepDays: 30, pruneAfterRun: true },
  alerts: {
    eventLog: true,
    email: { host: 'smtp', port: 587, from: 'a@corp', to: ['b@corp'], when: 'failure', caFile: '/m.pem' },
  },
};

function editorWith(database: Profile['database']): void {
  const record: ProfileRecord = {
    profile: { ...common, database },
    secrets: {
      databasePassword: false,
      elasticsearchPassword: false,
      elasticsearchApiKey: false,
      smtpPassword: false,
      sealKey: false,
    },
    volumes: {},
    updatedAt: '',
  };
  renderWithApi(
    <ProfileEditor record={record} onSaved={() => undefined} onDeleted={() => undefined} />,
    fakeApi(api).api,
  );
}

/** The texts of the labels of a form control (Fluent links them with for=), without required marks. */
function labelsOf(el: Element): string[] {
  return [...document.querySelectorAll(`label[for="${el.id}"]`)].map((label) => {
    const copy = label.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    return (copy.textContent ?? '').trim();
  });
}

function labelOf(el: Element): string {
  const [label, ...more] = labelsOf(el);
  if (label === undefined || more.length > 0)
    throw new Error(`${el.getAttribute('name')} has ${more.length + 1} labels`);
  return label;
}

/** The hint under a control (Fluent links it with aria-describedby), if any. */
function hintOf(el: Element): string | undefined {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const texts = ids.map((id) => document.getElementById(id)?.textContent ?? '');
  return texts.find((t) => t !== '');
}

// Two fields offered instead of the one before them read "or …" in the form.
const EXPECTED_LABEL: Partial<Record<string, string>> = {
  'database.instance': 'or instance',
  'elasticsearch.caFingerprint': 'or CA fingerprint (SHA-256)',
};

/** Every text input of the form that edits a profile key, with the label and hint it shows. */
function shownFields(): { key: string; label: string; hint: string | undefined }[] {
  return [...document.querySelectorAll('input[name], select[name]')]
    .filter(
      (el) =>
        !['password', 'checkbox', 'radio'].includes((el as HTMLInputElement).type) &&
        fieldTexts(el.getAttribute('name') ?? '') !== undefined,
    )
    .map((el) => ({ key: el.getAttribute('name') as string, label: labelOf(el), hint: hintOf(el) }));
}

describe('the profile form shows the schema labels', () => {
  for (const database of [
    {
      engine: 'sqlserver',
      server: 'sql1',
      instance: 'OCTANE',
      user: 'backup',
      domain: 'CORP',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\bak',
      copyFrom: '\\\\sql1\\bak',
    },
    {
      engine: 'oracle',
      connectString: 'db:1521/O',
      user: 'system',
      schemas: ['SITE'],
      directory: 'DATA_PUMP_DIR',
      fileSize: '2G',
    },
  ] satisfies NonNullable<Profile['database']>[]) {
    it(`labels and hints every ${database.engine} profile field with the schema's texts`, () => {
      editorWith(database);
      const shown = shownFields();
      // The form shows most of the profile: the check below is not vacuous.
      expect(shown.length).toBeGreaterThan(database.engine === 'sqlserver' ? 27 : 26);
      for (const f of shown) {
        const key = f.key as ProfileKey;
        expect({ key, label: f.label }).toEqual({ key, label: EXPECTED_LABEL[key] ?? fieldLabel(key) });
        // A field with a schema hint shows it (the form may add its own where the schema has none).
        const hint = fieldHint(key);
        if (hint !== undefined) expect({ key, hint: f.hint }).toEqual({ key, hint });
      }
    });
  }

  it('names switches and check boxes of boolean settings by their schema labels', () => {
    editorWith({ engine: 'sqlserver', server: 's', databases: ['d'], serverBackupDir: 'D:\\b' });
    for (const key of [
      'database.encrypt',
      'database.trustServerCertificate',
      'database.deleteServerCopy',
      'database.verify',
      'elasticsearch.insecureSkipVerify',
      'destinations',
      'alerts.eventLog',
      'alerts.email',
    ] as const)
      expect(screen.getByRole('switch', { name: fieldLabel(key) })).toBeTruthy();
    for (const key of ['schedule.quietWindow', 'retention.pruneAfterRun'] as const)
      expect(screen.getByRole('checkbox', { name: fieldLabel(key) })).toBeTruthy();
    // This check box sits in a field captioned "Encryption"; its own label is the schema's.
    const secure = document.querySelector('input[name="alerts.email.secure"]') as HTMLInputElement;
    expect(labelsOf(secure)).toContain(fieldLabel('alerts.email.secure'));
  });

  it('shows the label the brief asked for where the old form was vague', () => {
    editorWith({ engine: 'sqlserver', server: 's', databases: ['d'], serverBackupDir: 'D:\\b' });
    const server = document.querySelector('input[name="database.server"]') as HTMLInputElement;
    expect(labelOf(server)).toBe('SQL Server host');
  });
});
