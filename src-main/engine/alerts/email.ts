// Optional e-mail alerts over SMTP (nodemailer). A password is never sent over a connection
// without TLS: without `secure` (implicit TLS, port 465) STARTTLS is required whenever we log in.
import { readFile } from 'node:fs/promises';
import type { RunStatus } from '../../contract/events.js';
import type { SmtpAlertConfig } from '../../contract/profile.js';
import { ExpectedError } from '../errors.js';
import { redact } from '../config/redact.js';

export interface EmailMessage {
  subject: string;
  text: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface SendOptions {
  /** Extra CA certificates (PEM) on top of config.caFile, e.g. in tests. */
  ca?: string | Buffer;
  timeoutMs?: number;
}

export function shouldEmail(when: SmtpAlertConfig['when'], status: RunStatus): boolean {
  if (when === 'always') return true;
  if (status === 'failed' || status === 'cancelled') return true;
  return when === 'warnings' && status === 'succeeded-with-warnings';
}

// The server's answer may quote the AUTH exchange (base64 of the password): every form goes.
const scrub = (text: string, secret: string | undefined): string =>
  secret ? redact(text, { smtpPassword: secret }) : text;

export async function sendEmail(
  config: SmtpAlertConfig,
  password: string | undefined,
  msg: EmailMessage,
  opts: SendOptions = {},
): Promise<SendResult> {
  const secure = config.secure ?? config.port === 465;
  const port = config.port ?? (secure ? 465 : 587);
  if (config.user && !password)
    throw new ExpectedError(
      'EMAIL_NO_PASSWORD',
      `The mail account ${config.user} needs a password and none was given.`,
      {
        step: 'run',
        fix: 'Set alerts.email.passwordEnv to an environment variable holding it (or enter it in the app).',
      },
    );
  const ca: (string | Buffer)[] = [];
  if (config.caFile) {
    try {
      ca.push(await readFile(config.caFile));
    } catch (err) {
      throw new ExpectedError(
        'EMAIL_CA_UNREADABLE',
        `Cannot read alerts.email.caFile ${config.caFile} (${(err as { code?: string }).code ?? (err as Error).message}).`,
        {
          step: 'run',
          fix: 'Give the path of the PEM file of the CA that signed the mail server certificate.',
        },
      );
    }
  }
  if (opts.ca) ca.push(opts.ca);
  const timeout = opts.timeoutMs ?? 30_000;
  // Loaded here, not at start-up: most runs send no e-mail.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: config.host,
    port,
    secure,
    requireTLS: !secure && !!config.user,
    ...(config.user ? { auth: { user: config.user, pass: password ?? '' } } : {}),
    tls: { minVersion: 'TLSv1.2', ...(ca.length > 0 ? { ca } : {}) },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  });
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: msg.subject,
      text: msg.text,
    });
    const addr = (a: unknown): string =>
      typeof a === 'string' ? a : ((a as { address?: string }).address ?? String(a));
    return {
      messageId: String(info.messageId ?? ''),
      accepted: (info.accepted ?? []).map(addr),
      rejected: (info.rejected ?? []).map(addr),
    };
  } catch (err) {
    const e = err as Error & { code?: string; responseCode?: number };
    const text = scrub(e.message, password);
    const fix =
      e.code === 'EAUTH'
        ? 'Check alerts.email.user and the password.'
        : /upgrading connection with STARTTLS/i.test(text)
          ? 'The mail server does not offer STARTTLS, and a password is never sent unencrypted: use secure: true (port 465), or a relay that needs no login.'
          : e.code === 'ETLS' || /certificate|self.signed|STARTTLS/i.test(text)
            ? 'The TLS connection failed: set alerts.email.caFile to the CA of a self-signed mail server, or check secure/port (465 = implicit TLS, 587 = STARTTLS).'
            : e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS'
              ? `Check alerts.email.host and port (${config.host}:${port}) and that this machine may reach the mail server.`
              : 'Check the mail server settings in alerts.email.';
    throw new ExpectedError(
      'EMAIL_FAILED',
      `Sending the alert e-mail via ${config.host}:${port} failed: ${text}`,
      { step: 'run', fix },
    );
  } finally {
    transport.close();
  }
}

/** The "Send test" button: proves host, TLS, login and recipients without running a backup. */
export async function sendTestEmail(
  config: SmtpAlertConfig,
  password: string | undefined,
  opts: SendOptions = {},
): Promise<SendResult> {
  return sendEmail(
    config,
    password,
    {
      subject: '[Octane Backup] Test message',
      text: 'This is a test message from Octane Backup Manager.\n\nIf you can read it, backup alerts will reach you.',
    },
    opts,
  );
}
