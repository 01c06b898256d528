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
    // A single node keeps its owner file at the top; a cluster keeps one per node folder.
    const candidates = [
      join(dir, OWNER_FILE),
      ...(await readdir(dir).catch(() => [] as string[])).map((d) => join(dir, d, OWNER_FILE)),
    ];
    const owners: { ownerPid: number; pgid: number }[] = [];
    for (const f of candidates) {
      try {
        owners.push(JSON.parse(await readFile(f, 'utf8')) as { ownerPid: number; pgid: number });
      } catch {
        // not a node folder
      }
    }
    if (owners.length === 0 || owners.some((o) => alive(o.ownerPid))) continue;
    for (const owner of owners) await killGroupOf(owner.pgid, dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Only processes of that group whose command line names this node's folder: a reused process id
 * can never make the harness kill something else.
 */
async function killGroupOf(group: number, dir: string): Promise<void> {
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    if (pgid !== group) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes(dir)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
