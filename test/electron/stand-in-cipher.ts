// Stand-in for Electron safeStorage (DPAPI) in tests: a reversible scramble that never leaves the
// clear text in what is stored, so tests can prove nothing is written in clear.
import type { Cipher } from '../../src-main/electron/secret-vault.js';

const PREFIX = Buffer.from('stand-in:');

export function standInCipher(
  opts: { available?: boolean; rotate?: boolean } = {},
): Cipher & { calls: { encrypt: number; decrypt: number } } {
  const calls = { encrypt: 0, decrypt: 0 };
  return {
    calls,
    available: () => Promise.resolve(opts.available ?? true),
    encrypt: (plain) => {
      calls.encrypt++;
      const b = Buffer.from(plain, 'utf8').map((x) => x ^ 0x5a);
      return Promise.resolve(Buffer.concat([PREFIX, Buffer.from(b.reverse())]));
    },
    decrypt: (enc) => {
      calls.decrypt++;
      if (!enc.subarray(0, PREFIX.length).equals(PREFIX))
        return Promise.reject(new Error('not encrypted by this user'));
      const b = Buffer.from(enc.subarray(PREFIX.length))
        .reverse()
        .map((x) => x ^ 0x5a);
      return Promise.resolve({
        plain: Buffer.from(b).toString('utf8'),
        shouldReEncrypt: opts.rotate ?? false,
      });
    },
  };
}
