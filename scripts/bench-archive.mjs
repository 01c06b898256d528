// `npm run bench:archive`: the repository step against GNU tar on the same tree, same disk, same run.
//   store:      tar -cf - repo | tee out.tar | sha256sum          vs  format "tar"
//   compressed: tar -cf - repo | gzip -1 | tee out.tgz | sha256sum  vs  format "tar.gz", compression "fast"
//   (zip none/fast are measured too, for information; there is no reference for them)
// Prints throughput, ratios and the step process's peak RSS at each tree size. A benchmark, not a
// test: it exits non-zero only when something crashes or a run fails.
//
// Settings (environment):
//   BENCH_SIZES_MB   tree sizes in MiB, comma-separated   (default "512,2048")
//   BENCH_DIR        where trees and outputs go           (default <tmp>/obm-bench; same disk for both)
//   BENCH_TEXT_SHARE share of bytes in compressible text  (default 0.4; the rest is random, like attachments)
//   BENCH_ZIP        "0" to skip the zip measurements
//   BENCH_REPEAT     repetitions, best time counts        (default 2)
//   BENCH_KEEP       "0" deletes the generated trees at the end (default: kept for the next run)
//   BENCH_GZIP_PARALLEL, BENCH_BLOCK_KIB  passed to the step (tuning)
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { ensureTree } from './bench-tree.mjs';

const MiB = 1024 * 1024;
const sizes = (process.env.BENCH_SIZES_MB ?? '512,2048')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const benchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'obm-bench');
const textShare = Number(process.env.BENCH_TEXT_SHARE ?? '0.4');
const withZip = process.env.BENCH_ZIP !== '0';
const keep = process.env.BENCH_KEEP !== '0';
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? '2'));
const childFile = join('node_modules', '.cache', 'obm-bench', 'bench-child.mjs');

async function main() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  await build({
    entryPoints: ['scripts/bench-repository-child.ts'],
    outfile: childFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    define: { __TOOL_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  mkdirSync(benchDir, { recursive: true });
  console.log(`Repository step benchmark — ${cpus().length} CPU(s), Node ${process.version}, ${benchDir}`);
  console.log(
    `Trees: ${sizes.map((s) => `${s} MiB`).join(', ')}; ${Math.round(textShare * 100)} % compressible text, the rest random (attachments).\n`,
  );
  const summary = [];
  for (const sizeMb of sizes) summary.push(await benchOneSize(sizeMb));
  console.log('\n== Summary (ratio = reference time / step time; > 1 means the step is faster)');
  for (const s of summary) {
    console.log(
      `${String(s.sizeMb).padStart(6)} MiB  store ${s.store.toFixed(2)}x (target >= 0.9)  fast ${s.fast.toFixed(2)}x (target >= 1.3; ` +
        `${s.fastAll.toFixed(2)}x deflating every block)  peak RSS ${s.rss.toFixed(0)} MB (target < 200, flat)`,
    );
  }
  if (!keep) rmSync(benchDir, { recursive: true, force: true });
}

async function benchOneSize(sizeMb) {
  const parent = join(benchDir, `tree-${sizeMb}`);
  const repo = join(parent, 'repo');
  const stats = ensureTree(parent, repo, sizeMb * MiB, textShare);
  const out = join(benchDir, 'out');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  console.log(
    `== ${sizeMb} MiB tree: ${stats.files} files in ${stats.dirs} folders, ${(stats.bytes / MiB).toFixed(0)} MiB`,
  );
  // Warm the page cache so neither side pays for the first read.
  sh(`tar -cf - -C '${parent}' repo > /dev/null`);

  const refStoreCmd = `set -o pipefail; tar -cf - -C '${parent}' repo | tee '${out}/out.tar' | sha256sum > /dev/null`;
  const refGzCmd = `set -o pipefail; tar -cf - -C '${parent}' repo | gzip -1 | tee '${out}/out.tgz' | sha256sum > /dev/null`;
  const variants = [
    { label: 'GNU tar | tee | sha256sum', ref: refStoreCmd, outFile: `${out}/out.tar` },
    { label: 'step tar', format: 'tar', compression: 'none', vs: 'store' },
    { label: 'GNU tar | gzip -1 | tee | sha256sum', ref: refGzCmd, outFile: `${out}/out.tgz` },
    { label: 'step tar.gz fast', format: 'tar.gz', compression: 'fast', vs: 'gz' },
    {
      label: 'step tar.gz fast, deflate every block',
      format: 'tar.gz',
      compression: 'fast',
      vs: 'gz',
      env: { BENCH_DEFLATE_ALL: '1' },
    },
  ];
  if (withZip)
    variants.push(
      { label: 'step zip none', format: 'zip', compression: 'none', vs: 'store' },
      { label: 'step zip fast', format: 'zip', compression: 'fast', vs: 'gz' },
    );
  // Each repetition runs every variant once, interleaved, so a busy moment hits all of them alike;
  // the best time of each variant counts.
  const best = new Map();
  for (let rep = 0; rep < repeat; rep++) {
    for (const v of variants) {
      const r = v.ref ? runRef(v) : await runStep(v, repo, out);
      const prev = best.get(v.label);
      if (!prev || r.seconds < prev.seconds)
        best.set(v.label, { ...r, rssMb: Math.max(r.rssMb ?? 0, prev?.rssMb ?? 0) || undefined });
    }
  }
  const refStore = best.get(variants[0].label).seconds;
  const refGz = best.get(variants[2].label).seconds;
  const refGzBytes = Number(sh(`tar -cf - -C '${parent}' repo | gzip -1 | wc -c`).trim());
  const mbps = (sec) => (stats.bytes / MiB / sec).toFixed(0).padStart(5);
  console.log(
    '  variant                                   seconds  MiB/s   vs ref  vs ref+fsync  (process wall)  peak RSS   output',
  );
  for (const v of variants) {
    const r = best.get(v.label);
    const refT = v.vs === 'gz' ? refGz : refStore;
    const refSync = best.get(v.vs === 'gz' ? variants[2].label : variants[0].label).syncSeconds;
    const cols = v.ref
      ? `${''.padStart(7)}  ${''.padStart(12)}  ${''.padStart(14)}  (+${r.syncSeconds.toFixed(2)} s to fsync its output)`
      : `${(refT / r.seconds).toFixed(2).padStart(6)}x  ${((refT + refSync) / r.seconds).toFixed(2).padStart(11)}x  ` +
        `${(refT / r.wall).toFixed(2).padStart(13)}x  ${r.rssMb.toFixed(0).padStart(5)} MB  ${(r.archiveBytes / MiB).toFixed(0).padStart(5)} MiB`;
    console.log(`  ${v.label.padEnd(40)} ${r.seconds.toFixed(2).padStart(7)}  ${mbps(r.seconds)}  ${cols}`);
  }
  const gz = best.get('step tar.gz fast');
  const gzAll = best.get('step tar.gz fast, deflate every block');
  console.log(
    `  gzip -1 output ${(refGzBytes / MiB).toFixed(0)} MiB; step tar.gz output ${(gz.archiveBytes / MiB).toFixed(0)} MiB (${(gzAll.archiveBytes / MiB).toFixed(0)} MiB deflating every block).`,
  );
  console.log(
    `  Best of ${repeat}. Step times: the engine run (incl. manifest, file list and fsync of both). "vs ref+fsync" adds the` +
      ` time the reference's output took to fsync; "process wall" adds Node start-up.\n`,
  );
  rmSync(out, { recursive: true, force: true });
  const tar = best.get('step tar');
  return {
    sizeMb,
    store: refStore / tar.seconds,
    fast: refGz / gz.seconds,
    fastAll: refGz / gzAll.seconds,
    rss: Math.max(...variants.filter((v) => !v.ref).map((v) => best.get(v.label).rssMb)),
  };
}

function runRef(v) {
  const seconds = shTimed(v.ref);
  const syncSeconds = shTimed(`sync '${v.outFile}'`);
  rmSync(v.outFile, { force: true });
  return { seconds, syncSeconds };
}

async function runStep(v, repo, out) {
  const dest = join(out, v.label.replace(/[^a-z0-9.]+/gi, '-'));
  const profile = {
    profile: 'bench',
    destination: dest,
    repository: { path: repo, format: v.format, compression: v.compression },
  };
  const pfile = join(out, 'profile.json');
  writeFileSync(pfile, JSON.stringify(profile));
  const t0 = performance.now();
  const r = await runChild(pfile, v.env ?? {});
  const wall = (performance.now() - t0) / 1000;
  if (r.repositoryStatus !== 'succeeded' && r.repositoryStatus !== 'succeeded-with-warnings')
    throw new Error(`${v.label}: the step ${r.repositoryStatus}: ${JSON.stringify(r.error)}`);
  rmSync(dest, { recursive: true, force: true });
  return { seconds: r.elapsedMs / 1000, wall, rssMb: r.maxRssKiB / 1024, archiveBytes: r.artifacts[0].bytes };
}

function runChild(profileFile, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childFile, profileFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the step's process exited with ${code}`));
      try {
        resolve(JSON.parse(text.trim().split('\n').pop()));
      } catch (err) {
        reject(new Error(`unreadable result from the step's process: ${text}`, { cause: err }));
      }
    });
  });
}

function sh(cmd) {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

function shTimed(cmd) {
  const t0 = performance.now();
  sh(cmd);
  return (performance.now() - t0) / 1000;
}

main().catch((err) => {
  console.error(`bench:archive crashed: ${err.stack ?? err}`);
  process.exit(1);
});
