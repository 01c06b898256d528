// `npm run bench:skew`: the consistency window of each repository capture mode on the same
// repository of at least 2 GB, with the Octane-like workload changing about 1 % of its files during
// each run, and the checker's counts. A benchmark, not a test: it exits non-zero only when a run
// crashes or fails. The goal: bracketed and snapshot windows at most 5 % of the sequential one.
//
// The repository lives in a btrfs subvolume on a loop device made here (as root), so snapshot mode
// freezes it for real; without root or btrfs, snapshot mode is left out and the reason printed.
//
//   npm run bench:skew                       2 GiB tree, modes sequential,bracketed,snapshot
//   npm run bench:skew -- --gib 4 --modes bracketed,snapshot --churn 1 --dir /var/tmp/obm-skew
//
// Options (or environment): --gib N (BENCH_GIB, default 2), --modes list (BENCH_MODES), --churn %
// (BENCH_CHURN, default 1: share of the files added, deleted or rewritten during one run),
// --dir path (BENCH_DIR, default <tmp>/obm-skew), BENCH_KEEP=0 removes the image at the end.
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = parseArgs(process.argv.slice(2));
const gib = Number(args.gib ?? process.env.BENCH_GIB ?? 2);
const modes = String(args.modes ?? process.env.BENCH_MODES ?? 'sequential,bracketed,snapshot').split(',');
const churn = Number(args.churn ?? process.env.BENCH_CHURN ?? 1) / 100;
const benchDir = resolve(args.dir ?? process.env.BENCH_DIR ?? join(tmpdir(), 'obm-skew'));
const keep = process.env.BENCH_KEEP !== '0';
const cacheDir = join('node_modules', '.cache', 'obm-bench');
const childFile = join(cacheDir, 'bench-skew-child.mjs');
const makeTreeFile = join(cacheDir, 'bench-skew-tree.mjs');
const MiB = 1024 * 1024;

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(list[i]);
    if (!m) throw new Error(`unknown argument ${list[i]}`);
    out[m[1]] = m[2] ?? list[++i];
  }
  return out;
}

const sh = (cmd, a) => execFileSync(cmd, a, { encoding: 'utf8' }).trim();

async function bundle() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    define: { __TOOL_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  };
  await build({ ...common, entryPoints: ['scripts/bench-skew-child.ts'], outfile: childFile });
  await build({ ...common, entryPoints: ['test/support/workload/workload.ts'], outfile: makeTreeFile });
}

/** A btrfs file system on a loop device (snapshot mode needs it), or a plain folder when not possible. */
function fileSystem() {
  const mnt = join(benchDir, 'mnt');
  mkdirSync(mnt, { recursive: true });
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '));
  if (mounts.some((f) => f[1] === mnt && f[2] === 'btrfs'))
    return { root: mnt, btrfs: true, cleanup: () => undefined };
  if (process.getuid?.() !== 0) return { root: mnt, btrfs: false, why: 'not root: no loop device or btrfs' };
  try {
    const image = join(benchDir, 'btrfs.img');
    if (!existsSync(image)) {
      writeFileSync(image, '');
      execFileSync('truncate', ['-s', `${Math.ceil(gib * 1.6 + 1)}G`, image]);
      execFileSync('mkfs.btrfs', ['-q', '-f', image]);
    }
    const device = sh('losetup', ['-f', '--show', image]);
    execFileSync('mount', ['-t', 'btrfs', device, mnt]);
    return {
      root: mnt,
      btrfs: true,
      cleanup: () => {
        execFileSync('umount', [mnt]);
        execFileSync('losetup', ['-d', device]);
      },
    };
  } catch (err) {
    return { root: mnt, btrfs: false, why: `btrfs on a loop device failed: ${err.message}` };
  }
}

async function ensureTree(fsRoot, btrfs) {
  const sub = join(fsRoot, 'octane');
  const repo = join(sub, 'repo');
  const state = join(benchDir, 'state.json');
  const stamp = join(benchDir, 'tree.json');
  const params = { gib, v: 1 };
  if (
    existsSync(stamp) &&
    existsSync(repo) &&
    JSON.stringify(JSON.parse(readFileSync(stamp, 'utf8'))) === JSON.stringify(params)
  )
    return { repo, state };
  rmSync(sub, { recursive: true, force: true });
  if (btrfs) execFileSync('btrfs', ['subvolume', 'create', sub]);
  else mkdirSync(sub, { recursive: true });
  console.log(`(generating a ${gib} GiB Octane-like repository in ${repo} ...)`);
  const { makeTree } = await import(resolve(makeTreeFile));
  // Attachments of 20-400 kB (210 kB on average) plus four 64 MiB ones.
  const large = { count: 4, bytes: 64 * MiB };
  const files = Math.ceil((gib * 1024 * MiB - large.count * large.bytes) / 210_000);
  makeTree(repo, state, { files, sizes: [20_000, 400_000], large });
  writeFileSync(stamp, JSON.stringify(params));
  return { repo, state };
}

function runChild(config) {
  const file = join(benchDir, 'child.json');
  writeFileSync(file, JSON.stringify(config));
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [childFile, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, OBM_WORKLOAD_SCRIPT: resolve('test/support/workload/workload-process.mjs') },
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', rej);
    child.on('close', (code) => {
      if (code !== 0) return rej(new Error(`the run's process exited with ${code}`));
      try {
        res(JSON.parse(text.trim().split('\n').pop()));
      } catch (err) {
        rej(new Error(`unreadable result: ${text}`, { cause: err }));
      }
    });
  });
}

async function main() {
  mkdirSync(benchDir, { recursive: true });
  await bundle();
  const fs = fileSystem();
  try {
    const { repo, state } = await ensureTree(fs.root, fs.btrfs);
    const files = Object.keys(JSON.parse(readFileSync(state, 'utf8')).files).length;
    const bytes = Number(sh('du', ['-sb', repo]).split('\t')[0]);
    console.log(
      `Consistency window benchmark — ${cpus().length} CPU(s), Node ${process.version}; repository ${files} files, ${(bytes / 1024 / MiB).toFixed(2)} GiB on ${fs.btrfs ? 'btrfs (loop device)' : 'a plain folder'}; churn ${(churn * 100).toFixed(1)} % per run.`,
    );
    // The rate that changes `churn` of the files during a run, from a sequential run's expected length.
    const expectSeconds = Math.max(10, bytes / (150 * MiB) + 6);
    const ratePerSecond = Math.max(0.5, (files * churn) / expectSeconds);
    const results = [];
    for (const mode of modes) {
      if (mode === 'snapshot' && !fs.btrfs) {
        console.log(`snapshot: left out (${fs.why}).`);
        continue;
      }
      const destination = join(benchDir, 'out');
      rmSync(destination, { recursive: true, force: true });
      const r = await runChild({ mode, repo, state, destination, ratePerSecond, dbStepMs: 300 });
      rmSync(destination, { recursive: true, force: true });
      if (r.status === 'failed' || r.status === 'cancelled')
        throw new Error(`${mode}: the run ${r.status}: ${JSON.stringify(r.repositoryError)}`);
      results.push(r);
      const ops = r.report.operations;
      console.log(
        `${mode.padEnd(10)} window ${r.windowSeconds.toFixed(3).padStart(8)} s   run ${(r.elapsedMs / 1000).toFixed(1).padStart(6)} s   ` +
          `at point ${r.report.existedAtPoint}  missing ${r.report.missing}  missing-by-design ${r.report.missingExcused}  stale ${r.report.stale}  stale-by-design ${r.report.staleExcused}  torn ${r.report.torn}  orphans ${r.report.orphans}   ` +
          `churn ${ops.create}+ ${ops.delete}- ${ops.rewrite}~ (${(((ops.create + ops.delete + ops.rewrite) / files) * 100).toFixed(2)} %)` +
          (r.secondPass
            ? `   second pass ${r.secondPass.walked} walked, ${r.secondPass.files} appended`
            : ''),
      );
    }
    const seq = results.find((r) => r.mode === 'sequential');
    if (seq) {
      console.log('\nWindow against sequential (goal: at most 5 %):');
      for (const r of results.filter((x) => x.mode !== 'sequential'))
        console.log(
          `  ${r.mode.padEnd(10)} ${((r.windowSeconds / seq.windowSeconds) * 100).toFixed(2).padStart(7)} %  ${r.windowSeconds / seq.windowSeconds <= 0.05 ? 'met' : 'NOT met'}`,
        );
    }
  } finally {
    fs.cleanup?.();
    if (!keep) rmSync(benchDir, { recursive: true, force: true });
  }
}

await main();
