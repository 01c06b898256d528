// Shared by the repository-step tests: a repository-only profile, a run through the real runner,
// and the independent tools that open what the step wrote.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../../../../src-main/contract/events.js';
import type { ComponentRecord } from '../../../../src-main/contract/manifest.js';
import type { ArchiveFormat, CompressionLevel, Profile } from '../../../../src-main/contract/profile.js';
import { runBackup, type RunResult } from '../../../../src-main/engine/run-backup.js';
import {
  createRepositoryStep,
  type RepositoryStepInternals,
} from '../../../../src-main/engine/steps/repository/index.js';
import type { FileListEntry } from '../../../../src-main/engine/steps/repository/file-list.js';

export function repoProfile(
  source: string,
  destination: string,
  format?: ArchiveFormat,
  compression?: CompressionLevel,
): Profile {
  const repository: Profile['repository'] = { path: source };
  if (format) repository.format = format;
  if (compression) repository.compression = compression;
  return { profile: 'repo-test', destination, repository };
}

export interface RepoRun {
  result: RunResult;
  events: RunEvent[];
  repo: ComponentRecord;
  setPath: string;
}

/** Runs the real runner. With `internals`, the repository step gets them (test seams); else the default registry is used. */
export async function runRepo(
  profile: Profile,
  opts: { internals?: RepositoryStepInternals; signal?: AbortSignal; onEvent?: (e: RunEvent) => void } = {},
): Promise<RepoRun> {
  const events: RunEvent[] = [];
  const runOpts: Parameters<typeof runBackup>[1] = {
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
  };
  if (opts.signal) runOpts.signal = opts.signal;
  if (opts.internals) {
    const internals = opts.internals;
    runOpts.steps = {
      database: () => undefined,
      elasticsearch: () => undefined,
      repository: (p) => (p.repository ? createRepositoryStep(internals) : undefined),
    };
  }
  const result = await runBackup(profile, runOpts);
  const repo = result.manifest.components.find((c) => c.id === 'repository') as ComponentRecord;
  return { result, events, repo, setPath: result.setPaths[0] as string };
}

export function artifactPath(run: RepoRun, suffix: string): string {
  const a = run.repo.artifacts.find((x) => x.path.endsWith(suffix));
  if (!a) throw new Error(`no artifact ending in ${suffix}: ${JSON.stringify(run.repo.artifacts)}`);
  return join(run.setPath, ...a.path.split('/'));
}

export async function readFileList(run: RepoRun): Promise<FileListEntry[]> {
  const text = await readFile(artifactPath(run, 'repository.files.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as FileListEntry);
}

export type Extractor = 'gnu-tar' | 'bsdtar' | 'unzip' | 'python-zipfile' | '7z';

/** Extracts with an independent tool into a fresh folder; returns the folder. */
export async function extractWith(tool: Extractor, archive: string, into: string): Promise<string> {
  await mkdir(into, { recursive: true });
  if (tool === 'gnu-tar') execFileSync('tar', ['-xf', archive, '-C', into]);
  else if (tool === 'bsdtar') execFileSync('bsdtar', ['-xf', archive, '-C', into]);
  else if (tool === 'python-zipfile') execFileSync('python3', ['-m', 'zipfile', '-e', archive, into]);
  else if (tool === '7z') extractWith7z(archive, into);
  else execFileSync('unzip', ['-q', archive, '-d', into]);
  return into;
}

/**
 * 7-Zip refuses, by its own policy, to create links that point out of the folder (exit code 2,
 * "Dangerous link path was ignored"); that refusal is accepted, any other error is not.
 */
function extractWith7z(archive: string, into: string): void {
  const r = spawnSync('7z', ['x', '-y', `-o${into}`, archive], { encoding: 'utf8' });
  const errors = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /^ERROR/.test(l));
  if (
    r.status === 0 ||
    (r.status === 2 && errors.every((l) => l.includes('Dangerous link path was ignored')))
  )
    return;
  throw new Error(`7z x failed (${r.status}): ${errors.join('; ') || r.stderr}`);
}

export function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
