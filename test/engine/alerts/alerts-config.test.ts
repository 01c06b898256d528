import { describe, expect, it } from 'vitest';
import { ConfigError, validateProfile } from '../../../src-main/engine/config/validate-profile.js';

const base = { profile: 'nightly', destination: '/b', repository: { path: '/r' } };

function problems(extra: Record<string, unknown>): string[] {
  try {
    validateProfile({ ...base, ...extra });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.key}: ${p.message}`);
    throw err;
  }
}

describe('alerts and pre-upgrade settings in the config', () => {
  it('accepts a full alerts section and extra Octane config files', () => {
    expect(
      problems({
        alerts: {
          eventLog: true,
          email: {
            host: 'smtp.corp',
            port: 587,
            secure: false,
            user: 'u',
            passwordEnv: 'SMTP_PW',
            from: 'a@corp',
            to: ['b@corp'],
            when: 'warnings',
            caFile: '/ca.pem',
          },
        },
        octaneConfigFiles: ['/opt/sync/conf/wrapper.conf'],
      }),
    ).toEqual([]);
  });

  it('names unknown keys and wrong types', () => {
    const p = problems({
      alerts: {
        eventlog: true,
        email: {
          host: '',
          port: 'x',
          secure: 'yes',
          from: 'a@corp',
          to: [],
          when: 'sometimes',
          password: 'pw',
        },
      },
      octaneConfigFiles: 'wrapper.conf',
    });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^alerts\.eventlog: is not a known setting/),
        expect.stringMatching(/^alerts\.email\.password: is not a known setting/),
        expect.stringMatching(/^alerts\.email\.host: must be a non-empty string/),
        expect.stringMatching(/^alerts\.email\.port: must be a whole number/),
        expect.stringMatching(/^alerts\.email\.secure: must be true or false/),
        expect.stringMatching(/^alerts\.email\.to: must be a non-empty list/),
        expect.stringMatching(/^alerts\.email\.when: must be one of "failure", "warnings", "always"/),
        expect.stringMatching(/^octaneConfigFiles: must be a non-empty list/),
      ]),
    );
  });

  it('requires host, from, to and when for e-mail', () => {
    const p = problems({ alerts: { email: {} } });
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual([
      'alerts.email.from',
      'alerts.email.host',
      'alerts.email.to',
      'alerts.email.when',
    ]);
    expect(problems({ alerts: 'on' })).toEqual(['alerts: must be an object such as { "eventLog": true }.']);
  });
});
