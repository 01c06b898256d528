// One measured run of the repository step, in its own process so its peak RSS is its own.
// Bundled by scripts/bench-archive.mjs with esbuild; prints one JSON line on stdout.
// Usage: node bench-child.mjs <profile.json>   (env BENCH_GZIP_PARALLEL, BENCH_BLOCK_KIB, BENCH_DEFLATE_ALL, BENCH_ZIP_WORKERS tune the step)
import { readFileSync } from 'node:fs';
import type { Profile } from '../src-main/contract/profile.js';
import { runBackup } from '../src-main/engine/run-backup.js';
import {
  createRepositoryStep,
  type RepositoryStepInternals,
} from '../src-main/engine/steps/repository/index.js';

const profilePath = process.argv[2];
if (!profilePath) {
  console.error('usage: bench-child <profile.json>');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as Profile;
const internals: RepositoryStepInternals = {};
if (process.env.BENCH_GZIP_PARALLEL) internals.gzipParallel = Number(process.env.BENCH_GZIP_PARALLEL);
if (process.env.BENCH_BLOCK_KIB) internals.blockSize = Number(process.env.BENCH_BLOCK_KIB) * 1024;
if (process.env.BENCH_DEFLATE_ALL === '1') internals.storeIncompressible = false;
if (process.env.BENCH_ZIP_WORKERS) internals.zipWorkers = Number(process.env.BENCH_ZIP_WORKERS);

const t0 = performance.now();
const result = await runBackup(profile, {
  steps: {
    database: () => undefined,
    elasticsearch: () => undefined,
    repository: (p) => (p.repository ? createRepositoryStep(internals) : undefined),
  },
});
const elapsedMs = performance.now() - t0;
const repo = result.manifest.components.find((c) => c.id === 'repository');
console.log(
  JSON.stringify({
    status: result.status,
    repositoryStatus: repo?.status,
    elapsedMs,
    maxRssKiB: process.resourceUsage().maxRSS,
    // All threads (main, thread pool, workers): user + system CPU seconds.
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    artifacts: repo?.artifacts ?? [],
    warnings: repo?.warnings.length ?? 0,
    error: repo?.error ?? result.manifest.error,
    setPath: result.setPaths[0],
  }),
);
