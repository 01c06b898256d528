// `npm run bench:archive`: the repository step against the tools admins know, on the same tree, same
// disk, same run. A benchmark, not a test: it exits non-zero only when something crashes or a run fails.
//
//   npm run bench:archive                         the bench tree (400 MiB, ~3 000 files, half incompressible)
//   npm run bench:archive -- --files 10000,100000 trees of N small files (1-4 KiB, 75 per folder); several N
//                                                 give the curve of time and memory per file
//   npm run bench:archive -- --tree 400 --files 150000 --variants tar.gz,zip --repeat 1
//
// References (each `tar`/`zip` writes through `tee` into a file and `sha256sum`, as the step hashes
// what it writes):
//   pigz   tar -cf - repo | pigz -1 -p 2 | tee out | sha256sum
//   zstd   tar -cf - repo | zstd -1 -T2 | tee out | sha256sum
//   zip    zip -1 -r -q - repo | tee out | sha256sum          (Info-ZIP, one core)
// Step variants: tar, tar.gz (fast), zip (fast), zip-none. Each runs in its own Node process (its peak
// RSS is its own) through runBackup: manifest, file list and fsync included. The references' peak RSS
// is the largest process of the pipeline (GNU time).
//
// Options (or environment): --tree MB (BENCH_TREE_MB, default 400; 0 skips), --files N,... (BENCH_FILES),
// --variants list (BENCH_VARIANTS, default tar,tar.gz,zip,zip-none), --refs list (BENCH_REFS, default
// pigz,zstd,zip), --repeat N (BENCH_REPEAT, default 2; best time counts), --dir path (BENCH_DIR),
// BENCH_KEEP=0 deletes the generated trees at the end; step knobs BENCH_GZIP_PARALLEL, BENCH_BLOCK_KIB,
// BENCH_DEFLATE_ALL=1, BENCH_ZIP_WORKERS.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const MiB = 1024 * 1024;
const args = parseArgs(process.argv.slice(2));
const treeMb = Number(args.tree ?? process.env.BENCH_TREE_MB ?? (args.files ? 0 : 400));
const fileCounts = String(args.files ?? process.env.BENCH_FILES ?? '')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((x) => x > 0);
const variants = String(args.variants ?? process.env.BENCH_VARIANTS ?? 'tar,tar.gz,zip,zip-none').split(',');
const refs = String(args.refs ?? process.env.BENCH_REFS ?? 'pigz,zstd,zip').split(',');
const repeat = Math.max(1, Number(args.repeat ?? process.env.BENCH_REPEAT ?? 2));
const benchDir = args.dir ?? process.env.BENCH_DIR ?? join(tmpdir(), 'obm-bench');
const keep = process.env.BENCH_KEEP !== '0';
const childFile = join('node_modules', '.cache', 'obm-bench', 'bench-child.mjs');

const STEP = {
  tar: { format: 'tar', compression: 'none' },
  'tar.gz': { format: 'tar.gz', compression: 'fast' },
  zip: { format: 'zip', compression: 'fast' },
  'zip-none': { format: 'zip', compression: 'none' },
};
const REF = {
  pigz: (p, out) => `tar -cf - -C '${p}' repo | pigz -1 -p 2 | tee '${out}' | sha256sum > /dev/null`,
  zstd: (p, out) => `tar -cf - -C '${p}' repo | zstd -q -1 -T2 | tee '${out}' | sha256sum > /dev/null`,
  zip: (p, out) => `cd '${p}' && zip -1 -r -q - repo | tee '${out}' | sha256sum > /dev/null`,
};

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(list[i]);
    if (!m) throw new Error(`unknown argument ${list[i]}`);
    out[m[1]] = m[2] ?? list[++i];
  }
  return out;
}

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
  console.log(`Variants ${variants.join(', ')}; references ${refs.join(', ')}; best of ${repeat}.\n`);
  const results = [];
  if (treeMb > 0) results.push(await benchTree(`bench tree ${treeMb} MiB`, ensureBenchTree(treeMb)));
  for (const n of fileCounts) results.push(await benchTree(`${n} small files`, ensureSmallTree(n)));
  summary(results);
  if (!keep) rmSync(benchDir, { recursive: true, force: true });
}

async function benchTree(label, tree) {
  const out = join(benchDir, 'out');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  console.log(
    `== ${label}: ${tree.files} files in ${tree.dirs} folders, ${(tree.bytes / MiB).toFixed(0)} MiB`,
  );
  sh(`tar -cf - -C '${tree.parent}' repo > /dev/null`); // warm the page cache for everyone
  const runs = [
    ...refs.map((r) => ({ label: `ref ${r}`, ref: r })),
    ...variants.map((v) => ({ label: `step ${v}`, step: v })),
  ];
  const best = new Map();
  for (let rep = 0; rep < repeat; rep++)
    for (const r of runs) {
      const res = r.ref ? runRef(r.ref, tree.parent, out) : await runStep(r.step, tree.repo, out);
      const prev = best.get(r.label);
      if (!prev || res.seconds < prev.seconds)
        best.set(r.label, { ...res, rssMb: Math.max(res.rssMb, prev?.rssMb ?? 0) });
    }
  console.log('  run               seconds   MiB/s  µs/file  CPU s  peak RSS    output');
  for (const r of runs) {
    const b = best.get(r.label);
    console.log(
      `  ${r.label.padEnd(16)} ${b.seconds.toFixed(2).padStart(8)} ${(tree.bytes / MiB / b.seconds).toFixed(0).padStart(7)} ` +
        `${((b.seconds / tree.files) * 1e6).toFixed(1).padStart(8)} ${b.cpu.toFixed(2).padStart(6)} ${b.rssMb.toFixed(0).padStart(6)} MB ${(b.bytes / MiB).toFixed(1).padStart(8)} MiB`,
    );
  }
  const ratio = (a, b) =>
    best.has(a) && best.has(b) ? best.get(b).seconds / best.get(a).seconds : undefined;
  const lines = [];
  for (const v of variants)
    for (const r of refs) {
      const x = ratio(`step ${v}`, `ref ${r}`);
      if (x !== undefined) lines.push(`step ${v} vs ${r}: ${x.toFixed(2)}x`);
    }
  const zipVsGz = ratio('step zip', 'step tar.gz');
  if (zipVsGz !== undefined) lines.push(`zip throughput / tar.gz throughput: ${zipVsGz.toFixed(2)}`);
  console.log(`  ratios (reference time / step time; > 1: the step is faster): ${lines.join('; ')}\n`);
  rmSync(out, { recursive: true, force: true });
  return { label, tree, best };
}

function summary(results) {
  console.log('== Summary: time and peak RSS per variant');
  console.log(
    `  ${'tree'.padEnd(24)} ${variants.map((v) => `${v} (s / µs per file / MB)`.padStart(30)).join(' ')}`,
  );
  for (const r of results) {
    const cells = variants.map((v) => {
      const b = r.best.get(`step ${v}`);
      return `${b.seconds.toFixed(2)} / ${((b.seconds / r.tree.files) * 1e6).toFixed(1)} / ${b.rssMb.toFixed(0)}`.padStart(
        30,
      );
    });
    console.log(`  ${r.label.padEnd(24)} ${cells.join(' ')}`);
  }
}

function runRef(name, parent, out) {
  const file = join(out, `ref-${name}`);
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S %M', 'bash', '-o', 'pipefail', '-c', REF[name](parent, file)],
    {
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`reference ${name} failed: ${r.stderr}`);
  const [user, system, rssKiB] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  const bytes = Number(sh(`stat -c %s '${file}'`).trim());
  rmSync(file, { force: true });
  return { seconds, cpu: user + system, rssMb: rssKiB / 1024, bytes };
}

async function runStep(variant, repo, out) {
  const dest = join(out, `step-${variant}`);
  const profile = { profile: 'bench', destination: dest, repository: { path: repo, ...STEP[variant] } };
  const pfile = join(out, 'profile.json');
  writeFileSync(pfile, JSON.stringify(profile));
  const r = await runChild(pfile);
  if (r.repositoryStatus !== 'succeeded' && r.repositoryStatus !== 'succeeded-with-warnings')
    throw new Error(`${variant}: the step ${r.repositoryStatus}: ${JSON.stringify(r.error)}`);
  rmSync(dest, { recursive: true, force: true });
  return {
    seconds: r.elapsedMs / 1000,
    cpu: r.cpuSeconds,
    rssMb: r.maxRssKiB / 1024,
    bytes: r.artifacts[0].bytes,
  };
}

function runChild(profileFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childFile, profileFile], { stdio: ['ignore', 'pipe', 'inherit'] });
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

// ---- trees --------------------------------------------------------------------------------------

function cached(parent, params, make) {
  const stamp = join(parent, 'tree.json');
  if (existsSync(stamp)) {
    const s = JSON.parse(readFileSync(stamp, 'utf8'));
    if (JSON.stringify(s.params) === JSON.stringify(params))
      return { ...s.stats, parent, repo: join(parent, 'repo') };
  }
  rmSync(parent, { recursive: true, force: true });
  mkdirSync(join(parent, 'repo'), { recursive: true });
  console.log(`(generating ${parent} ...)`);
  const stats = make(join(parent, 'repo'));
  writeFileSync(stamp, JSON.stringify({ params, stats }));
  return { ...stats, parent, repo: join(parent, 'repo') };
}

/** Octane-like: sharedspace/workspace/<id>/ folders; sizes log-uniform 1 KiB..512 KiB plus a 4-12 MiB file every 211 (400 MiB: ~3 300 files); half the bytes random. */
function ensureBenchTree(mb) {
  return cached(join(benchDir, `tree-${mb}`), { mb, v: 5 }, (repo) => {
    const target = mb * MiB;
    const rnd = mulberry32(0x0c7a4e);
    const pool = textPool(rnd, 8 * MiB);
    const stats = { files: 0, dirs: 0, bytes: 0 };
    let textBytes = 0;
    let dir = '';
    while (stats.bytes < target) {
      if (stats.files % 40 === 0) {
        dir = join(
          repo,
          `sharedspace_${1001 + Math.floor(stats.files / 4000)}`,
          `workspace_${1002 + (Math.floor(stats.files / 400) % 10)}`,
          `${100000 + stats.files}`,
        );
        mkdirSync(dir, { recursive: true });
        stats.dirs++;
      }
      let size = Math.round(1024 * Math.pow(512, rnd()));
      if (stats.files % 211 === 0) size = 4 * MiB + Math.floor(rnd() * 8 * MiB);
      size = Math.min(size, target - stats.bytes);
      const text = textBytes < 0.5 * (stats.bytes + size);
      writeContent(
        join(dir, text ? `note-${stats.files}.txt` : `attachment-${stats.files}.bin`),
        size,
        text,
        pool,
        rnd,
      );
      if (text) textBytes += size;
      stats.files++;
      stats.bytes += size;
    }
    return stats;
  });
}

/** N files of 1-4 KiB (half text, half random), 75 per folder, in sharedspace/workspace folders. */
function ensureSmallTree(n) {
  return cached(join(benchDir, `small-${n}`), { n, v: 1 }, (repo) => {
    const rnd = mulberry32(0x5eed + n);
    const pool = textPool(rnd, 4 * MiB);
    const stats = { files: 0, dirs: 0, bytes: 0 };
    let dir = '';
    for (let i = 0; i < n; i++) {
      if (i % 75 === 0) {
        dir = join(
          repo,
          `sharedspace_${1001 + Math.floor(i / 75000)}`,
          `workspace_${1002 + (Math.floor(i / 7500) % 10)}`,
          `${100000 + i}`,
        );
        mkdirSync(dir, { recursive: true });
        stats.dirs++;
      }
      const size = 1024 + Math.floor(rnd() * 3072);
      writeContent(join(dir, `attachment-${i}.${i % 2 ? 'bin' : 'txt'}`), size, i % 2 === 0, pool, rnd);
      stats.files++;
      stats.bytes += size;
    }
    return stats;
  });
}

function writeContent(path, size, text, pool, rnd) {
  const fd = openSync(path, 'w');
  for (let done = 0; done < size;) {
    const n = Math.min(4 * MiB, size - done);
    if (text) writeSync(fd, pool, Math.floor(rnd() * (pool.length - n)), n);
    else writeSync(fd, randomBytes(n));
    done += n;
  }
  closeSync(fd);
}

function textPool(rnd, bytes) {
  const words = [];
  for (let i = 0; i < 3000; i++) {
    let w = '';
    const len = 2 + Math.floor(rnd() * 9);
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    words.push(w);
  }
  const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR'];
  const lines = [];
  let n = 0;
  while (n < bytes) {
    const parts = [
      `2024-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}T1${Math.floor(rnd() * 9)}:${10 + Math.floor(rnd() * 49)}:${10 + Math.floor(rnd() * 49)}.${Math.floor(rnd() * 900) + 100}Z`,
      levels[Math.floor(rnd() * 4)],
      `id=${Math.floor(rnd() * 1e6)}`,
    ];
    const k = 4 + Math.floor(rnd() * 12);
    for (let j = 0; j < k; j++) parts.push(words[Math.floor(Math.pow(rnd(), 2) * words.length)]);
    const line = parts.join(' ') + '\n';
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join(''), 'latin1');
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

main().catch((err) => {
  console.error(`bench:archive crashed: ${err.stack ?? err}`);
  process.exit(1);
});
