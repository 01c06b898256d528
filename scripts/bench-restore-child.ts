// One measured piece of `npm run bench:restore`, in its own process so its peak RSS is its own.
// Bundled by scripts/bench-restore.mjs with esbuild; prints one JSON line on stdout.
//   backup  <repo> <dest> <format> <compression>   writes a set with the real repository step
//   extract <archive> <into> [hash]                extracts with the engine's extractor
//   verify  <archive> <file list>                  deep-verifies the archive against the list
import { mkdirSync } from 'node:fs';
import type { ArchiveFormat, CompressionLevel, Profile } from '../src-main/contract/profile.js';

const [mode, a, b, c, d] = process.argv.slice(2);
// Each mode loads only what it uses (the peak RSS is then the work's, not the whole engine's).
let t0 = performance.now();
let result: Record<string, unknown>;
if (mode === 'backup' && a && b && c && d) {
  const { runBackup } = await import('../src-main/engine/run-backup.js');
  const { createRepositoryStep } = await import('../src-main/engine/steps/repository/index.js');
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
  const { extractArchive } = await import('../src-main/engine/restore/repository/extract.js');
  mkdirSync(b, { recursive: true });
  t0 = performance.now();
  result = { ...(await extractArchive(a, b, { signal: new AbortController().signal, hash: c === 'hash' })) };
} else if (mode === 'verify' && a && b) {
  const { deepVerifyArchive } = await import('../src-main/engine/restore/repository/deep-verify.js');
  t0 = performance.now();
  const r = await deepVerifyArchive(a, b, { signal: new AbortController().signal });
  result = {
    ok: r.ok,
    entries: r.entries,
    listed: r.listed,
    matched: r.matched,
    problems: r.problems.slice(0, 5),
  };
} else {
  console.error(
    'usage: bench-restore-child backup <repo> <dest> <format> <compression> | extract <archive> <into> [hash] | verify <archive> <list>',
  );
  process.exit(2);
}
console.log(
  JSON.stringify({ ...result, elapsedMs: performance.now() - t0, maxRssKiB: process.resourceUsage().maxRSS }),
);
