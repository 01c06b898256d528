// Nodes whose test process died without stopping them (a killed worker) are found by the owner
// file the harness leaves in each node folder, and stopped by process id.
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OWNER_FILE = 'octane-test-node.json';

export async function reapOrphans(): Promise<void> {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    if (!name.startsWith('obm-es')) continue;
    const dir = join(tmpdir(), name);
    let owner: { ownerPid: number; pgid: number } | undefined;
    try {
      owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as { ownerPid: number; pgid: number };
    } catch {
      continue;
    }
    if (alive(owner.ownerPid)) continue;
    // Only processes of that group whose command line names this node's folder: a reused
    // process id can never make the harness kill something else.
    for (const pid of await readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid !== owner.pgid) continue;
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (!cmd.includes(dir)) continue;
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
}
