import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpAlertConfig } from '../../../src-main/contract/profile.js';
import { sendEmail, sendTestEmail, shouldEmail } from '../../../src-main/engine/alerts/email.js';
import { tempDir } from '../../support/temp.js';
import { makeCert, startSmtp, subjectOf, type TestSmtp } from './smtp-test-server.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let cert: Awaited<ReturnType<typeof makeCert>>;
let starttls: TestSmtp;
let plain: TestSmtp;
let noTls: TestSmtp;

beforeAll(async () => {
  dir = await tempDir('obm-smtp-');
  cert = await makeCert(dir.path);
  starttls = await startSmtp({ tls: { key: cert.key, cert: cert.cert }, users: { alerts: 'Mail!Pass9' } });
  plain = await startSmtp({});
  noTls = await startSmtp({ users: { alerts: 'Mail!Pass9' }, hideStartTls: true });
});
afterAll(async () => {
  await Promise.all([starttls.close(), plain.close(), noTls.close()]);
  await dir.cleanup();
});

const base = (port: number, extra: Partial<SmtpAlertConfig> = {}): SmtpAlertConfig => ({
  host: '127.0.0.1',
  port,
  secure: false,
  from: 'octane-backup@corp.local',
  to: ['ops@corp.local', 'dba@corp.local'],
  when: 'failure',
  ...extra,
});

describe('e-mail alerts against a real SMTP listener', () => {
  it('sends a message without login to a relay', async () => {
    const r = await sendEmail(base(plain.port), undefined, {
      subject: 'Backup FAILED',
      text: 'The database step failed.\nFix: check it.',
    });
    expect(r.accepted).toEqual(['ops@corp.local', 'dba@corp.local']);
    const got = plain.received.at(-1);
    expect(got?.from).toBe('octane-backup@corp.local');
    expect(got?.to).toEqual(['ops@corp.local', 'dba@corp.local']);
    expect(subjectOf(got?.raw ?? '')).toBe('Backup FAILED');
    expect(got?.raw).toContain('The database step failed.');
  });

  it('upgrades to TLS with STARTTLS (self-signed CA from caFile) and logs in', async () => {
    await sendTestEmail(base(starttls.port, { user: 'alerts', caFile: cert.certFile }), 'Mail!Pass9');
    expect(starttls.auths.at(-1)).toEqual({ user: 'alerts', password: 'Mail!Pass9', secure: true });
    const got = starttls.received.at(-1);
    expect(got?.secure).toBe(true);
    expect(got?.user).toBe('alerts');
    expect(subjectOf(got?.raw ?? '')).toBe('[Octane Backup] Test message');
  });

  it('refuses a self-signed server certificate it was not told to trust', async () => {
    const err = await sendEmail(base(starttls.port, { user: 'alerts' }), 'Mail!Pass9', {
      subject: 's',
      text: 't',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EMAIL_FAILED' });
    expect((err as { fix?: string }).fix).toMatch(/caFile/);
  });

  it('never sends a password when the server offers no TLS', async () => {
    const before = noTls.auths.length;
    const err = await sendEmail(base(noTls.port, { user: 'alerts' }), 'Mail!Pass9', {
      subject: 's',
      text: 't',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EMAIL_FAILED' });
    expect((err as { fix?: string }).fix).toMatch(/never sent unencrypted/);
    expect(noTls.auths.length).toBe(before);
  });

  it('reports a wrong password in plain words without repeating it', async () => {
    const err = await sendEmail(
      base(starttls.port, { user: 'alerts', caFile: cert.certFile }),
      'wrong-Pass',
      { subject: 's', text: 't' },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EMAIL_FAILED' });
    expect((err as Error).message).not.toContain('wrong-Pass');
    expect((err as { fix?: string }).fix).toMatch(/user and the password/);
  });

  it('asks for the password when a user is set and none is given', async () => {
    await expect(
      sendEmail(base(starttls.port, { user: 'alerts' }), undefined, { subject: 's', text: 't' }),
    ).rejects.toMatchObject({ code: 'EMAIL_NO_PASSWORD' });
  });

  it('decides when to send from alerts.email.when', () => {
    expect(shouldEmail('failure', 'failed')).toBe(true);
    expect(shouldEmail('failure', 'cancelled')).toBe(true);
    expect(shouldEmail('failure', 'succeeded-with-warnings')).toBe(false);
    expect(shouldEmail('warnings', 'succeeded-with-warnings')).toBe(true);
    expect(shouldEmail('warnings', 'succeeded')).toBe(false);
    expect(shouldEmail('always', 'succeeded')).toBe(true);
  });
});
