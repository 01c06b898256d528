import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src-main/engine/config/validate-profile.js';
import { ExpectedError } from '../../src-main/engine/errors.js';
import { toResult } from '../../src-main/electron/envelope.js';

describe('results cross IPC in an envelope', () => {
  it('wraps a value', async () => {
    expect(await toResult(() => Promise.resolve(42))).toEqual({ ok: true, value: 42 });
  });

  it('keeps a step error as data: code, message, fix, step, details', async () => {
    const r = await toResult(() =>
      Promise.reject(
        new ExpectedError('DESTINATION_FULL', 'The destination is full.', {
          step: 'repository',
          fix: 'Free space.',
          details: { path: 'E:\\' },
        }),
      ),
    );
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'DESTINATION_FULL',
        message: 'The destination is full.',
        fix: 'Free space.',
        step: 'repository',
        details: { path: 'E:\\' },
      },
    });
  });

  it('carries every config problem by key so the form can show each next to its field', async () => {
    const r = await toResult(() =>
      Promise.reject(new ConfigError([{ key: 'database.server', message: 'is required.' }])),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CONFIG_INVALID');
    expect(r.error.details).toEqual({ problems: [{ key: 'database.server', message: 'is required.' }] });
  });

  it('passes app refusals and marks anything else as unexpected (a thrown synchronous error too)', async () => {
    expect(
      await toResult(() =>
        Promise.reject(
          new ExpectedError('PROFILE_EXISTS', 'Taken.', { fix: 'Choose another name.', step: 'app' }),
        ),
      ),
    ).toEqual({
      ok: false,
      error: { code: 'PROFILE_EXISTS', message: 'Taken.', fix: 'Choose another name.', step: 'app' },
    });
    const r = await toResult(() => {
      throw new TypeError('boom');
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNEXPECTED', message: 'Unexpected error: boom' } });
  });
});
