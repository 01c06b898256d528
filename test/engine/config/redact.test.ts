// The one redaction module: every encoding a credential is sent in is removed, not only the
// literal value.
import { describe, expect, it } from 'vitest';
import { redact, redactValue } from '../../../src-main/engine/config/redact.js';
import { toErrorInfo, ExpectedError } from '../../../src-main/engine/errors.js';

const PASSWORD = 'pa"ss\\wörd+/=%';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

describe('redact: every form a secret is sent in', () => {
  const secrets = { elasticsearchPassword: PASSWORD };

  it.each([
    ['plain', PASSWORD],
    ['JSON-escaped', JSON.stringify(PASSWORD).slice(1, -1)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(PASSWORD)).slice(1, -1)],
    ['URL-escaped', encodeURIComponent(PASSWORD)],
    ['form-encoded', encodeURIComponent(PASSWORD).replace(/%20/g, '+')],
    [
      'lower-case percent escapes',
      encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    ],
    ['base64 alone (SMTP AUTH LOGIN)', b64(PASSWORD)],
    ['HTTP Basic with any user name', `Basic ${b64(`elastic:${PASSWORD}`)}`],
    ['HTTP Basic, user names of every length', `Basic ${b64(`ab:${PASSWORD}`)} ${b64(`abc:${PASSWORD}`)}`],
    ['SMTP AUTH PLAIN', b64(`\u0000alerts\u0000${PASSWORD}`)],
    ['base64url', b64url(`user:${PASSWORD}`)],
  ])('removes the %s form', (_what, form) => {
    const text = `server said: [${form}] end`;
    const out = redact(text, secrets);
    expect(out).not.toContain(form);
    expect(out).toContain('server said: [');
    expect(out).toContain('***');
  });

  it('removes the user-info form of a URL', () => {
    const u = new URL('http://es01:9200/');
    u.username = 'elastic';
    u.password = PASSWORD;
    expect(redact(`connecting to ${u.href}`, secrets)).not.toContain(u.password);
  });

  it('removes an Elasticsearch API key given as id:key in its base64 header form', () => {
    const key = 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw';
    const out = redact(`Authorization: ApiKey ${b64(key)}.`, { elasticsearchApiKey: key });
    expect(out).toBe('Authorization: ApiKey ***.');
  });

  it('treats the key part of an API key as secret too, whether the key is stored as id:key or in base64', () => {
    const key = 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw';
    for (const stored of [key, b64(key)]) {
      const out = redact('key [ui2lp2axTNmsyakw9tvNnw] id [VuaCfGcBCdbkQm-e5aOx]', {
        elasticsearchApiKey: stored,
      });
      expect(out).toBe('key [***] id [VuaCfGcBCdbkQm-e5aOx]');
    }
  });

  it('leaves texts without a secret alone, and ignores values too short to be secrets', () => {
    expect(redact('nothing to see: dXNlcjpvdGhlcg==', secrets)).toBe('nothing to see: dXNlcjpvdGhlcg==');
    expect(redact('ab is everywhere', { databasePassword: 'ab' })).toBe('ab is everywhere');
  });

  it('redacts inside values, keys and nested strings, and keeps the same object when nothing changes', () => {
    const details = {
      reason: `bad header Basic ${b64(`elastic:${PASSWORD}`)}`,
      body: JSON.stringify({ password: PASSWORD }),
      list: [PASSWORD, 1, null, true],
      [PASSWORD]: 'as a key',
    };
    const clean = redactValue(details, secrets);
    expect(JSON.stringify(clean)).not.toContain(b64(`elastic:${PASSWORD}`));
    expect(JSON.stringify(clean)).not.toContain(JSON.stringify(PASSWORD).slice(1, -1));
    expect(Object.values(clean)).toContain('as a key');
    expect(JSON.stringify(clean)).not.toContain('wörd');
    const untouched = { a: ['x', { b: 'y' }] };
    expect(redactValue(untouched, secrets)).toBe(untouched);
  });

  it('toErrorInfo removes the JSON-escaped form from error details', () => {
    const err = new ExpectedError('X', 'failed', {
      details: { serverBody: `{"error":"login ${JSON.stringify(PASSWORD).slice(1, -1)} refused"}` },
    });
    const info = toErrorInfo(err, { secrets });
    expect(JSON.stringify(info)).not.toContain(JSON.stringify(PASSWORD).slice(1, -1));
    expect(JSON.stringify(info)).not.toContain(
      JSON.stringify(JSON.stringify(PASSWORD).slice(1, -1)).slice(1, -1),
    );
  });
});
