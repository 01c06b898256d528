// The Electron fuses of the packaged app, read back from electron-builder.yml by electron-builder's
// own configuration loader and checked against its own schema (a misspelt fuse fails here, not
// silently at packaging time on the build machine); then electron-builder really packages a tiny
// app with a stand-in Electron binary (no Electron can be downloaded here) that carries Electron's
// fuse wire, and the fuses are read back from the packaged executable.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
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
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object. electron-builder/,
    );
  });

  it('are flipped by electron-builder in the packaged executable (stand-in Electron binary)', async () => {
    const dir = await tempDir('obm-fuses-');
    try {
      // A stand-in "electron" carrying the fuse wire as Electron ships it: sentinel, wire version 1,
      // 8 fuses in their default states (RunAsNode, NODE_OPTIONS, inspect and file:// on).
      const dist = join(dir.path, 'electron-dist');
      await mkdir(dist);
      await writeFile(
        join(dist, 'electron'),
        Buffer.concat([
          Buffer.from('#!/bin/sh\nexit 0\n#'),
          Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
          Buffer.from([1, 8]),
          Buffer.from('10110001'),
        ]),
        { mode: 0o755 },
      );
      await writeFile(join(dist, 'version'), '45.5.0');
      // A tiny app keeps packaging fast; the configuration is still this project's.
      const app = join(dir.path, 'app');
      await mkdir(join(app, 'out', 'main'), { recursive: true });
      await mkdir(join(app, 'assets'));
      await copyFile('assets/icon.png', join(app, 'assets', 'icon.png'));
      await writeFile(join(app, 'out', 'main', 'index.js'), "console.log('stand-in');\n");
      await writeFile(
        join(app, 'package.json'),
        JSON.stringify({
          name: 'octane-backup-manager',
          version: '0.1.0',
          description: 'stand-in',
          main: 'out/main/index.js',
        }),
      );
      const r = spawnSync(
        process.execPath,
        [
          'node_modules/electron-builder/cli.js',
          '--linux',
          'dir',
          `--config.electronDist=${dist}`,
          `--config.directories.app=${app}`,
          `--config.directories.output=${join(dir.path, 'dist')}`,
        ],
        { encoding: 'utf8', timeout: 180_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      const wire = await getCurrentFuseWire(
        join(dir.path, 'dist', 'linux-unpacked', 'octane-backup-manager'),
      );
      const on = (i: number): boolean =>
        // The wire stores ASCII '1' for an enabled fuse, '0' for a disabled one.
        Number(wire[i as keyof typeof wire]) === '1'.charCodeAt(0);
      // Index order of FuseV1Options.
      expect([0, 1, 2, 3, 4, 5].map(on)).toEqual([false, true, false, false, true, true]);
    } finally {
      await dir.cleanup();
    }
  });
});
