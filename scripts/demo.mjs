// `npm run demo`: a whole run without any server. Generates a small Octane-like repository
// folder, backs it up through the real CLI to a temporary destination, verifies the set and
// lists it. Only the repository folder is configured, so the set says plainly that it is not
// a full Octane backup (no database, no Elasticsearch here).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'octane-backup-demo-'));
const repo = join(root, 'octane', 'repo');
const dest = join(root, 'backups');

// Octane keeps attachments per shared space and workspace; the layout is illustrative.
for (const space of ['1001', '2002']) {
  for (const ws of ['1002', '1003']) {
    const dir = join(repo, 'storage', 'sharedspaces', space, 'workspaces', ws, 'attachments');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 8; i++) {
      writeFileSync(join(dir, `defect-${i}-screenshot.png`), randomBytes(20_000 + i * 5_000));
      writeFileSync(join(dir, `test-${i}-steps.txt`), `Manual test step ${i}\n`.repeat(500));
    }
  }
}
mkdirSync(join(repo, 'storage', 'sharedspaces', '1001', 'scripts', 'Übersicht'), { recursive: true });
writeFileSync(
  join(repo, 'storage', 'sharedspaces', '1001', 'scripts', 'Übersicht', 'gherkin.feature'),
  'Feature: demo\n',
);

const config = join(root, 'demo-config.json');
writeFileSync(
  config,
  JSON.stringify(
    {
      profile: 'demo',
      destination: dest,
      skewToleranceSeconds: 900,
      repository: { path: repo, format: 'zip', compression: 'fast' },
    },
    null,
    2,
  ),
);

const cli = (args) => {
  console.log(`\n$ octane-backup ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['dist-cli/octane-backup.mjs', ...args], { stdio: 'inherit' });
  return r.status ?? 1;
};

console.log(`Demo repository folder: ${repo}`);
let code = cli(['preflight', '--config', config]);
code = cli(['run', '--config', config]);
if (code !== 0) process.exit(code);
const list = spawnSync(process.execPath, ['dist-cli/octane-backup.mjs', 'list', dest, '--json'], {
  encoding: 'utf8',
});
const sets = JSON.parse(list.stdout);
const set = sets[0].path;
code = cli(['verify', set]);
cli(['list', dest]);
console.log(`\nThe demo set is in ${set}\n(config: ${config}). Delete ${root} when done.`);
process.exit(code);
