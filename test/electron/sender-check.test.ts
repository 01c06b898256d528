import { describe, expect, it } from 'vitest';
import { isTrustedRendererUrl } from '../../src-main/electron/sender-check.js';

const packaged = {
  indexFileUrl:
    'file:///C:/Program%20Files/Octane%20Backup%20Manager/resources/app.asar/out/renderer/index.html',
};

describe('IPC sender check', () => {
  it('trusts only the packaged index.html (with or without a hash or query)', () => {
    expect(isTrustedRendererUrl(packaged.indexFileUrl, packaged)).toBe(true);
    expect(isTrustedRendererUrl(`${packaged.indexFileUrl}#/history`, packaged)).toBe(true);
    expect(isTrustedRendererUrl(packaged.indexFileUrl.replace('file:///C:', 'file:///c:'), packaged)).toBe(
      true,
    );
    expect(isTrustedRendererUrl('file:///C:/Users/admin/Downloads/evil.html', packaged)).toBe(false);
    expect(isTrustedRendererUrl('https://example.com/', packaged)).toBe(false);
  });

  it('trusts the dev server origin only in development', () => {
    const dev = { ...packaged, devUrl: 'http://localhost:5173' };
    expect(isTrustedRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', packaged)).toBe(false);
  });

  it('refuses a missing or malformed URL (a destroyed or navigated frame)', () => {
    expect(isTrustedRendererUrl(undefined, packaged)).toBe(false);
    expect(isTrustedRendererUrl('', packaged)).toBe(false);
    expect(isTrustedRendererUrl('not a url', packaged)).toBe(false);
  });
});
