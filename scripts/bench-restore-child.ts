// One measured piece of `npm run bench:restore`, in its own process so its peak RSS is its own.
// Bundled by scripts/bench-restore.mjs with esbuild; prints one JSON line on stdout.
//   backup  <repo> <dest> <format> <compression>   writes a set with the real repository step
//   extract <archive> <into> [hash]                extracts with the engine's extractor
import { mkdirSync } from 'node:fs';
import type { ArchiveFormat, CompressionLevel, Profile } from '../src-main/contract/profile.js';
import { runBackup } from '../src-main/engine/run-backup.js';
import { extractArchive } from '../src-main/engine/restore/repository/extract.js';
import { createRepositoryStep } from '../src-main/engine/steps/repository/index.js';

const [mode, a, b, c, d] = process.argv.slice(2);
const t0 = performance.now();
let result: Record<string, unknown>;
if (mode === 'backup' && a && b && c && d) {
  const profile: Profile = {
    profile: 'bench',
    destination: b,
    repository: { path: a, format: c as ArchiveFormat, compression: d as CompressionLevel },
  };
  const run = await runBackup(profile, {
    steps: {
      database: () => undefined,
      elasticsearch: () => undefined,
      repository: () => createRepositoryStep(),
    },
  });
  const repo = run.manifest.components.find((x) => x.id === 'repository');
  if (repo?.status !== 'succeeded') throw new Error(`backup ${repo?.status}: ${JSON.stringify(repo?.error)}`);
  result = { setPath: run.setPaths[0], artifacts: repo.artifacts };
} else if (mode === 'extract' && a && b) {
  mkdirSync(b, { recursive: true });
  result = { ...(await extractArchive(a, b, { signal: new AbortController().signal, hash: c === 'hash' })) };
} else {
  console.error(
    'usage: bench-restore-child backup <repo> <dest> <format> <compression> | extract <archive> <into> [hash]',
  );
  process.exit(2);
}
console.log(
  JSON.stringify({ ...result, elapsedMs: performance.now() - t0, maxRssKiB: process.resourceUsage().maxRSS }),
);
