// @vitest-environment happy-dom
import '../dom-setup.js';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlertsSection,
  splitAddresses,
} from '../../../src-renderer/src/screens/operations/alerts-section.js';
import { fakeApi, Refusal, renderWithApi } from '../fake-api.js';
import { hostState, record, SectionHost } from './section-host.js';

afterEach(cleanup);

const input = (name: string): HTMLInputElement => {
  const el = document.querySelector(`input[name="${name}"]`);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input ${name}`);
  return el;
};

const EMAIL = {
  host: 'smtp.corp.local',
  port: 587,
  secure: false,
  user: 'alerts',
  from: 'backup@corp.local',
  to: ['ops@corp.local'],
  when: 'failure' as const,
};

describe('alerts section', () => {
  it('picks the mail server CA certificate with the file picker, filtered to PEM certificates', async () => {
    const state = hostState(record({ alerts: { email: EMAIL } }));
    const { api, callsOf } = fakeApi({ 'dialog:pick-file': () => 'C:\\certs\\relay-ca.pem' });
    renderWithApi(<SectionHost section={AlertsSection} state={state} />, api);
    fireEvent.click(screen.getByRole('button', { name: 'Browse for Mail server CA certificate file (PEM)' }));
    await waitFor(() => expect(state.current.profile.alerts?.email?.caFile).toBe('C:\\certs\\relay-ca.pem'));
    expect(callsOf('dialog:pick-file')[0]?.[0].filters).toEqual([
      { name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] },
    ]);
    expect(callsOf('dialog:pick-folder')).toEqual([]);
  });

  it('splits recipients on commas and semicolons', () => {
    expect(splitAddresses(' a@x.org, b@y.org;c@z.org ,, ')).toEqual(['a@x.org', 'b@y.org', 'c@z.org']);
  });

  it('turns the Event Log off and configures e-mail; the password goes to the secret update, not the profile', () => {
    const state = hostState(record({}));
    const { api } = fakeApi({});
    renderWithApi(<SectionHost section={AlertsSection} state={state} />, api);
    fireEvent.click(screen.getByRole('switch', { name: /Windows Event Log/ }));
    fireEvent.click(screen.getByRole('switch', { name: 'Send e-mail alerts' }));
    fireEvent.change(input('alerts.email.host'), { target: { value: 'smtp.corp.local' } });
    fireEvent.change(input('alerts.email.from'), { target: { value: 'backup@corp.local' } });
    fireEvent.change(input('alerts.email.to'), { target: { value: 'ops@corp.local, dba@corp.local' } });
    fireEvent.change(input('alerts.email.password'), { target: { value: 'Mail!Pass9' } });
    const when = document.querySelector('select[name="alerts.email.when"]') as HTMLSelectElement;
    fireEvent.change(when, { target: { value: 'always' } });
    expect(state.current.profile.alerts).toEqual({
      eventLog: false,
      email: {
        host: 'smtp.corp.local',
        port: 587,
        secure: false,
        from: 'backup@corp.local',
        to: ['ops@corp.local', 'dba@corp.local'],
        when: 'always',
      },
    });
    expect(state.current.secrets).toEqual({ smtpPassword: 'Mail!Pass9' });
    expect(JSON.stringify(state.current.profile)).not.toContain('Mail!Pass9');
  });

  it('shows a stored password only as "stored", and the test uses it by profile name', async () => {
    const state = hostState(record({ alerts: { email: EMAIL } }, { smtpPassword: true }));
    const { api, callsOf } = fakeApi({
      'alerts:test-email': () => ({ messageId: '<1@x>', accepted: ['ops@corp.local'], rejected: [] }),
    });
    renderWithApi(<SectionHost section={AlertsSection} state={state} />, api);
    expect(input('alerts.email.password').value).toBe('');
    expect(input('alerts.email.password').placeholder).toContain('stored');
    fireEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }));
    await screen.findByText(/Test message accepted for ops@corp.local/);
    expect(callsOf('alerts:test-email')).toEqual([[{ email: EMAIL, profileName: 'nightly' }]]);
  });

  it('sends a typed password with the test, and shows a refusal with its fix', async () => {
    const state = hostState(record({ alerts: { email: EMAIL } }));
    const { api, callsOf } = fakeApi({
      'alerts:test-email': () => {
        throw new Refusal({
          code: 'EMAIL_FAILED',
          message: 'Sending the alert e-mail via smtp.corp.local:587 failed: Invalid login',
          fix: 'Check alerts.email.user and the password.',
        });
      },
    });
    renderWithApi(<SectionHost section={AlertsSection} state={state} />, api);
    fireEvent.change(input('alerts.email.password'), { target: { value: 'Typed!Pw1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }));
    await waitFor(() => expect(screen.getByText(/Invalid login/)).toBeTruthy());
    expect(screen.getByText('Check alerts.email.user and the password.')).toBeTruthy();
    expect(callsOf('alerts:test-email')[0]?.[0]).toMatchObject({
      password: 'Typed!Pw1',
      profileName: 'nightly',
    });
  });
});
