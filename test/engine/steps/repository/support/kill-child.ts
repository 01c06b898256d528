// Child process for the kill -9 test: runs the real runner on a repository-only profile and
// stops (without finishing) after the first read of the archive, telling the parent on stdout.
// Bundled with esbuild by kill.test.ts; never imported by tests directly.
import { readFileSync } from 'node:fs';
import type { Profile } from '../../../../../src-main/contract/profile.js';
import { runBackup } from '../../../../../src-main/engine/run-backup.js';
import { createRepositoryStep } from '../../../../../src-main/engine/steps/repository/index.js';

const profile = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Profile;
let paused = false;
await runBackup(profile, {
  steps: {
    database: () => undefined,
    elasticsearch: () => undefined,
    repository: () =>
      createRepositoryStep({
        hooks: {
          afterRead: () => {
            if (paused) return;
            paused = true;
            process.stdout.write('PAUSED-MID-ARCHIVE\n');
            // Keep the process alive and the archive half-written until the parent kills it.
            setInterval(() => undefined, 1000);
            return new Promise<void>(() => undefined);
          },
        },
      }),
  },
});
process.stdout.write('FINISHED\n');
