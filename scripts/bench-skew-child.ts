// One measured run of `npm run bench:skew`: a full backup (SQL Server stand-in, the repository in
// the given capture mode) under the Octane-like workload, then the checker. Bundled by
// scripts/bench-skew.mjs with esbuild; prints one JSON line on stdout.
// Usage: node bench-skew-child.mjs <config.json>
import { readFileSync } from 'node:fs';
import type { CaptureMode } from '../src-main/contract/profile.js';
import { runScenario } from '../test/support/workload/scenario.js';

interface ChildConfig {
  mode: CaptureMode;
  repo: string;
  state: string;
  destination: string;
  ratePerSecond: number;
  dbStepMs: number;
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ChildConfig;
const r = await runScenario({
  mode: config.mode,
  repo: config.repo,
  state: config.state,
  destination: config.destination,
  // Site and one space database, a few seconds each, as the stand-in reports them.
  databases: [
    { name: 'octane_site', usedBytes: 64 << 20, backup: { stepMs: config.dbStepMs } },
    { name: 'octane_sp_1001', usedBytes: 256 << 20, backup: { stepMs: config.dbStepMs } },
  ],
  dbClock: { offsetMs: 2_500, tzMinutes: 60 },
  workload: {
    ratePerSecond: config.ratePerSecond,
    mix: { add: 0.6, delete: 0.25 },
    sizes: [20_000, 400_000],
    seed: 42,
  },
});
const m = r.result.manifest;
const bracket = r.repo.details?.bracket as { secondPass?: { files: number; walked: number } } | undefined;
console.log(
  JSON.stringify({
    mode: config.mode,
    status: m.status,
    repositoryStatus: r.repo.status,
    repositoryError: r.repo.error,
    windowSeconds: m.skew.windowSeconds,
    points: m.skew.points,
    elapsedMs: r.elapsedMs,
    report: {
      existedAtPoint: r.report.existedAtPoint,
      missing: r.report.missing.length,
      missingExcused: r.report.missingExcused.length,
      stale: r.report.stale.length,
      staleExcused: r.report.staleExcused.length,
      torn: r.report.torn.length,
      newer: r.report.newer,
      orphans: r.report.orphans,
      operations: r.report.operations,
    },
    secondPass: bracket?.secondPass,
    snapshot: r.repo.details?.snapshot,
    warnings: r.repo.warnings.map((w) => w.code),
  }),
);
