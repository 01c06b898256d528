// The Octane-like workload for tests and benchmarks: a repository tree made of workload files,
// the workload process (workload-process.mjs) started and stopped around a backup, and its journal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The workload process's script (a bundled caller, e.g. the benchmark, names it through the environment). */
export const WORKLOAD_SCRIPT = process.env.OBM_WORKLOAD_SCRIPT ?? join(here, 'workload-process.mjs');

export interface FileState {
  version: number;
  sha256: string;
  size: number;
}

/** The tree as the workload knows it: every file's version and SHA-256. */
export interface TreeState {
  files: Record<string, FileState>;
  nextId: number;
}

export type JournalEntry =
  | { op: 'create' | 'rewrite'; path: string; version: number; sha256: string; t: number }
  | { op: 'delete'; path: string; t: number };

export interface TreeSpec {
  files: number;
  /** Sizes drawn between these, bytes. */
  sizes: [number, number];
  /** A few large attachments (e.g. videos), bytes each. */
  large?: { count: number; bytes: number };
}

/** Writes a repository tree of workload files (header + random bytes) and its state file. */
export function makeTree(root: string, stateFile: string, spec: TreeSpec): TreeState {
  const files: Record<string, FileState> = {};
  const put = (path: string, size: number): void => {
    const header = Buffer.from(`OCTANE-WORKLOAD ${path} v1\n`);
    const data = Buffer.concat([header, randomBytes(Math.max(0, size - header.length))]);
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
    files[path] = { version: 1, sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
  };
  const [min, max] = spec.sizes;
  for (let i = 0; i < spec.files; i++)
    put(
      `spaces/${1001 + (i % 3)}/workspace-${1002 + (i % 2)}/attachments/${String(i % 97).padStart(2, '0')}/init-${i}.bin`,
      Math.floor(min + Math.random() * (max - min)),
    );
  for (let i = 0; i < (spec.large?.count ?? 0); i++)
    put(`spaces/1001/workspace-1002/large/video-${i}.bin`, spec.large?.bytes ?? 0);
  const state: TreeState = { files, nextId: 0 };
  writeFileSync(stateFile, JSON.stringify(state));
  return state;
}

export function readState(stateFile: string): TreeState {
  return JSON.parse(readFileSync(stateFile, 'utf8')) as TreeState;
}

export interface WorkloadConfig {
  root: string;
  state: string;
  journal: string;
  /** Operations per second. */
  ratePerSecond: number;
  /** Shares of the operations (the rest are rewrites). */
  mix: { add: number; delete: number };
  sizes: [number, number];
  seed?: number;
}

export interface RunningWorkload {
  /** The tree before the workload touched it. */
  initial: TreeState;
  startedAt: number;
  /** Stops it and returns its journal. */
  stop(): Promise<JournalEntry[]>;
}

export async function startWorkload(config: WorkloadConfig): Promise<RunningWorkload> {
  const initial = readState(config.state);
  writeFileSync(config.journal, '');
  const configFile = `${config.journal}.config.json`;
  writeFileSync(configFile, JSON.stringify(config));
  const child: ChildProcess = spawn(process.execPath, [WORKLOAD_SCRIPT, configFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`the workload process exited early (${code})`)));
  });
  return {
    initial,
    startedAt: Date.now(),
    async stop() {
      child.stdin?.end('stop\n');
      const code = await exited;
      if (code !== 0) throw new Error(`the workload process exited with ${code}`);
      return readJournal(config.journal);
    },
  };
}

export function readJournal(file: string): JournalEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JournalEntry);
}
