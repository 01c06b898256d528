import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src-main/electron/key-value-store.js';
import { SecretVault } from '../../src-main/electron/secret-vault.js';
import { standInCipher } from './stand-in-cipher.js';

describe('secret vault (stand-in cipher for safeStorage)', () => {
  it('stores passwords encrypted, never in clear, and tells only whether each is set', async () => {
    const store = new MemoryStore();
    const vault = new SecretVault(store, standInCipher());
    await vault.update('nightly', {
      databasePassword: 'Db-Pa55word!',
      elasticsearchApiKey: 'es-api-key-value',
    });
    expect(store.dump()).not.toContain('Db-Pa55word!');
    expect(store.dump()).not.toContain('es-api-key-value');
    expect(vault.state('nightly')).toEqual({
      databasePassword: true,
      elasticsearchPassword: false,
      elasticsearchApiKey: true,
      smtpPassword: false,
      sealKey: false,
    });
    expect(await vault.resolve('nightly')).toEqual({
      databasePassword: 'Db-Pa55word!',
      elasticsearchApiKey: 'es-api-key-value',
    });
  });

  it('leaves absent keys alone, forgets on null, and keeps profiles apart', async () => {
    const vault = new SecretVault(new MemoryStore(), standInCipher());
    await vault.update('a', { databasePassword: 'one', elasticsearchPassword: 'two' });
    await vault.update('b', { databasePassword: 'three' });
    await vault.update('a', { elasticsearchPassword: null });
    expect(await vault.resolve('a')).toEqual({ databasePassword: 'one' });
    expect(await vault.resolve('b')).toEqual({ databasePassword: 'three' });
    vault.rename('a', 'c');
    expect(await vault.resolve('a')).toEqual({});
    expect(await vault.resolve('c')).toEqual({ databasePassword: 'one' });
    vault.remove('c');
    expect(vault.state('c').databasePassword).toBe(false);
  });

  it('refuses to save when the OS offers no secure store, with the way out', async () => {
    const store = new MemoryStore();
    const vault = new SecretVault(store, standInCipher({ available: false }));
    await expect(vault.update('a', { databasePassword: 'x' })).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      fix: expect.stringMatching(/passwordEnv/) as unknown,
    });
    expect(store.dump()).not.toContain('"x"');
  });

  it('explains a password that only another Windows user can decrypt', async () => {
    const store = new MemoryStore();
    store.set('secrets', {
      nightly: { databasePassword: Buffer.from('DPAPI blob of someone else').toString('base64') },
    });
    const vault = new SecretVault(store, standInCipher());
    await expect(vault.resolve('nightly')).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
      fix: expect.stringMatching(/Windows user who saved them/) as unknown,
    });
  });

  it('encrypts again when the OS says its key was rotated', async () => {
    const store = new MemoryStore();
    const cipher = standInCipher({ rotate: true });
    const vault = new SecretVault(store, cipher);
    await vault.update('a', { databasePassword: 'pw' });
    expect(cipher.calls.encrypt).toBe(1);
    expect(await vault.resolve('a')).toEqual({ databasePassword: 'pw' });
    expect(cipher.calls.encrypt).toBe(2);
  });
});
