// Bundles the headless CLI into one ESM file. Dependencies stay external (node_modules),
// so the CLI and the Electron main process load the very same engine code paths.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist-cli', { recursive: true, force: true });
await build({
  entryPoints: ['src-main/cli/main.ts'],
  // Splitting keeps the steps' dynamic imports lazy (steps/registry.ts): `verify` and `list`
  // never load the database drivers.
  outdir: 'dist-cli',
  entryNames: 'octane-backup',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  define: { __TOOL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
chmodSync('dist-cli/octane-backup.mjs', 0o755);
