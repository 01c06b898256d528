// The Electron fuses of the packaged app, read back from electron-builder.yml by electron-builder's
// own configuration loader and checked against its own schema (a misspelt fuse fails here, not
// silently at packaging time on the build machine).
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';

describe('electron-builder.yml: Electron fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect; turns on cookie encryption, asar-only and asar integrity', async () => {
    const config = await getConfig(process.cwd(), null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('refuses a misspelt fuse (the schema check above has teeth)', async () => {
    const config = await getConfig(process.cwd(), null, null);
    const bad = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } } as typeof config;
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object. electron-builder/);
  });
});
