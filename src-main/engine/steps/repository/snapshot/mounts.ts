// /proc/mounts for the snapshot providers (a test hands its own text).
import { readFile } from 'node:fs/promises';
import type { SnapshotEnv } from './provider.js';

export async function readMounts(env: SnapshotEnv): Promise<string> {
  if (env.mounts !== undefined) return env.mounts;
  return readFile('/proc/mounts', 'utf8').catch(() => '');
}
