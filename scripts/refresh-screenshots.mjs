// `npm run screenshots`: re-runs the real-Chromium tests with their screenshots written into
// docs/screenshots, for when the screens change. `npm test` writes them to test-results/ instead,
// so a test run never changes tracked files.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = { ...process.env, OCTBM_SCREENSHOTS_DIR: join(root, 'docs/screenshots') };
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync('npx', ['--no-install', 'vitest', 'run', 'test/e2e'], {
  stdio: 'inherit',
  cwd: root,
  env,
});
console.log('\nScreenshots written to docs/screenshots; look at each before committing.');
process.exit(r.status ?? 1);
