// Shared by the ops-* CLI tests: the built bundle (rebuilt when it predates these commands).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const CLI = 'dist-cli/octane-backup.mjs';

export function ensureCli(): void {
  const fresh = existsSync(CLI) && readFileSync(CLI, 'utf8').includes('import-config [--dir');
  if (!fresh) {
    const r = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`CLI build failed: ${r.stderr}`);
  }
}

export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
