// Bundles the headless CLI into one ESM file. Dependencies stay external (node_modules),
// so the CLI and the Electron main process load the very same engine code paths.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
await build({
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'dist-cli/octane-backup.mjs',
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
