// `npm run bench:restore`: the engine's extractor against the reference tools on the same sets,
// same disk, same run:  tar -> GNU `tar -xf`,  tar.gz -> GNU `tar -xzf`,  zip -> `unzip -q`
// (bsdtar -xf is measured too, for information). The sets are written by the real repository
// step. Prints times, throughput, ratios and the extractor's peak RSS. A benchmark, not a test:
// it exits non-zero only when something crashes or an extraction fails.
//
// Settings (environment):
//   BENCH_SIZES_MB     attachment-like tree sizes in MiB, comma-separated (default "1024")
//   BENCH_SMALL_FILES  files in the many-small-files tree; 0 skips it    (default 100000)
//   BENCH_DIR          where trees, sets and outputs go                  (default <tmp>/obm-bench-restore)
//   BENCH_TEXT_SHARE   share of compressible text in the attachment tree (default 0.4)
//   BENCH_REPEAT       repetitions, best time counts                     (default 2)
//   BENCH_KEEP         "0" deletes trees and sets at the end             (default: kept)
//   BENCH_ENTRIES      also N empty files in one tar.gz and one zip64 (e.g. 1000000): deep verify
//                      and extraction time and peak RSS, to show memory stays flat (default 0: off)
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSmallTree, ensureTree } from './bench-tree.mjs';

const MiB = 1024 * 1024;
const sizes = (process.env.BENCH_SIZES_MB ?? '1024')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? '100000');
// Its own folder: bench:archive runs may be going on at the same time in obm-bench.
const benchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'obm-bench-restore');
const textShare = Number(process.env.BENCH_TEXT_SHARE ?? '0.4');
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? '2'));
const keep = process.env.BENCH_KEEP !== '0';
const manyEntries = Number(process.env.BENCH_ENTRIES ?? '0');
const childFile = join('node_modules', '.cache', 'obm-bench', 'bench-restore-child.mjs');

const FORMATS = [
  { format: 'tar', compression: 'none', ref: ['GNU tar -xf', (a, o) => `tar -xf '${a}' -C '${o}'`] },
  { format: 'tar.gz', compression: 'fast', ref: ['GNU tar -xzf', (a, o) => `tar -xzf '${a}' -C '${o}'`] },
  { format: 'zip', compression: 'fast', ref: ['unzip -q', (a, o) => `unzip -q '${a}' -d '${o}'`] },
];

async function main() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  await build({
    entryPoints: ['scripts/bench-restore-child.ts'],
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
  console.log(`Restore benchmark — ${cpus().length} CPU(s), Node ${process.version}, ${benchDir}\n`);
  const trees = sizes.map((mb) => {
    const parent = join(benchDir, `tree-${mb}`);
    return {
      label: `${mb} MiB attachments`,
      parent,
      make: (repo) => ensureTree(parent, repo, mb * MiB, textShare),
    };
  });
  if (smallFiles > 0) {
    const parent = join(benchDir, `small-${smallFiles}`);
    trees.push({
      label: `${smallFiles} small files`,
      parent,
      make: (repo) => ensureSmallTree(parent, repo, smallFiles),
    });
  }
  const summary = [];
  for (const t of trees) summary.push(...(await benchTree(t)));
  console.log(
    '\n== Summary (ratio = reference time / engine time; >= 1 means the engine is at least as fast)',
  );
  for (const s of summary)
    console.log(
      `  ${s.tree.padEnd(24)} ${s.format.padEnd(7)} ${s.ratio.toFixed(2)}x vs ${s.ref}` +
        `  (${s.ratioHash.toFixed(2)}x hashing every file)  peak RSS ${s.rss.toFixed(0)} MB`,
    );
  if (manyEntries > 0) await benchManyEntries(manyEntries);
  if (!keep) rmSync(benchDir, { recursive: true, force: true });
}

/** Memory with many entries: deep verify (reader + file-list index) and extraction, against the tools. */
async function benchManyEntries(count) {
  const where = join(benchDir, `entries-${count}`);
  if (!existsSync(join(where, 'many.zip'))) {
    console.log(`Writing ${count} empty files into a tar.gz and a zip64 (once) ...`);
    sh(`python3 scripts/bench-many-entries.py '${where}' ${count}`);
  }
  const list = join(where, 'files.jsonl');
  const out = join(benchDir, 'restore-out');
  console.log(`== ${count} entries (empty files, 1000 per folder)`);
  console.log('    archive   what                         seconds   peak RSS');
  for (const [file, ref] of [
    ['many.tar.gz', (a, o) => `tar -xzf '${a}' -C '${o}'`],
    ['many.zip', (a, o) => `unzip -q '${a}' -d '${o}'`],
  ]) {
    const archive = join(where, file);
    const v = await runChild(['verify', archive, list]);
    if (!v.ok) throw new Error(`deep verify of ${file} found problems: ${v.problems.join(' | ')}`);
    console.log(
      `    ${file.padEnd(12)} engine deep verify           ${(v.elapsedMs / 1000).toFixed(1).padStart(7)}  ${(v.maxRssKiB / 1024).toFixed(0).padStart(6)} MB`,
    );
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const e = await runEngine(archive, out, []);
    console.log(
      `    ${file.padEnd(12)} engine extraction            ${e.seconds.toFixed(1).padStart(7)}  ${e.rssMb.toFixed(0).padStart(6)} MB`,
    );
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const r = timed(ref(archive, out));
    console.log(
      `    ${file.padEnd(12)} ${ref(archive, out).split(' ').slice(0, 2).join(' ').padEnd(28)} ${r.seconds.toFixed(1).padStart(7)}`,
    );
    rmSync(out, { recursive: true, force: true });
  }
  console.log('');
}

async function benchTree(t) {
  const repo = join(t.parent, 'repo');
  const stats = t.make(repo);
  console.log(
    `== ${t.label}: ${stats.files} files in ${stats.dirs} folders, ${(stats.bytes / MiB).toFixed(0)} MiB`,
  );
  const sets = await ensureSets(t.parent, repo);
  const out = join(benchDir, 'restore-out');
  const rows = [];
  for (const f of FORMATS) {
    const archive = sets[f.format];
    sh(`cat '${archive}' > /dev/null`); // page cache warm for every contender alike
    const variants = [
      { label: f.ref[0], cmd: f.ref[1] },
      { label: 'bsdtar -xf', cmd: (a, o) => `bsdtar -xf '${a}' -C '${o}'` },
      { label: 'engine', engine: [] },
      { label: 'engine + SHA-256 of every file', engine: ['hash'] },
    ];
    const best = new Map();
    for (let rep = 0; rep < repeat; rep++)
      // Every other repetition in reverse order, and each run starting from a flushed page cache
      // (the previous output removed and synced, untimed), so no contender pays for another's writes.
      for (const v of rep % 2 === 0 ? variants : [...variants].reverse()) {
        rmSync(out, { recursive: true, force: true });
        mkdirSync(out, { recursive: true });
        sh('sync');
        const r = v.cmd ? timed(v.cmd(archive, out)) : await runEngine(archive, out, v.engine);
        r.syncSeconds = timed('sync').seconds;
        const prev = best.get(v.label);
        if (!prev || r.seconds < prev.seconds)
          best.set(v.label, { ...r, rssMb: Math.max(r.rssMb ?? 0, prev?.rssMb ?? 0) });
      }
    rmSync(out, { recursive: true, force: true });
    const archiveMb = Number(sh(`stat -c %s '${archive}'`).trim()) / MiB;
    console.log(`  ${f.format} (${archiveMb.toFixed(0)} MiB archive)`);
    console.log(
      '    extractor                          seconds   MiB/s  (+ sync)   vs ref  vs ref incl. sync  (process wall)  peak RSS',
    );
    const refRun = best.get(f.ref[0]);
    const ref = refRun.seconds;
    for (const v of variants) {
      const r = best.get(v.label);
      const mbps = (stats.bytes / MiB / r.seconds).toFixed(0).padStart(6);
      const flush = `(+${r.syncSeconds.toFixed(2)} s)`.padStart(10);
      const cols = v.cmd
        ? ''
        : `${(ref / r.seconds).toFixed(2).padStart(6)}x  ${((ref + refRun.syncSeconds) / (r.seconds + r.syncSeconds)).toFixed(2).padStart(16)}x  ` +
          `${(ref / r.wall).toFixed(2).padStart(13)}x  ${r.rssMb.toFixed(0).padStart(5)} MB`;
      console.log(`    ${v.label.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)}  ${mbps} ${flush}  ${cols}`);
    }
    rows.push({
      tree: t.label,
      format: f.format,
      ref: f.ref[0],
      ratio: ref / best.get('engine').seconds,
      ratioHash: ref / best.get('engine + SHA-256 of every file').seconds,
      rss: Math.max(best.get('engine').rssMb, best.get('engine + SHA-256 of every file').rssMb),
    });
  }
  console.log(
    `  Best of ${repeat}. Engine times are measured inside its process; "process wall" adds Node start-up; ` +
      '"+ sync" is the time the written data then took to reach the disk (nobody fsyncs while extracting).\n',
  );
  return rows;
}

/** The three sets, written once by the real repository step and reused while the tree is unchanged. */
async function ensureSets(parent, repo) {
  const stamp = join(parent, 'sets.json');
  const treeStamp = readFileSync(join(parent, 'tree.json'), 'utf8');
  if (existsSync(stamp)) {
    const s = JSON.parse(readFileSync(stamp, 'utf8'));
    if (s.tree === treeStamp && Object.values(s.archives).every((p) => existsSync(p))) return s.archives;
  }
  const dest = join(parent, 'sets');
  rmSync(dest, { recursive: true, force: true });
  const archives = {};
  for (const f of FORMATS) {
    const r = await runChild(['backup', repo, join(dest, f.format), f.format, f.compression]);
    const a = r.artifacts.find((x) => x.path.startsWith('repository/repository.'));
    archives[f.format] = join(r.setPath, ...a.path.split('/'));
  }
  writeFileSync(stamp, JSON.stringify({ tree: treeStamp, archives }));
  return archives;
}

async function runEngine(archive, out, extra) {
  const t0 = performance.now();
  const r = await runChild(['extract', archive, out, ...extra]);
  return { seconds: r.elapsedMs / 1000, wall: (performance.now() - t0) / 1000, rssMb: r.maxRssKiB / 1024 };
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childFile, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench-restore-child ${args[0]} exited with ${code}`));
      try {
        resolve(JSON.parse(text.trim().split('\n').pop()));
      } catch (err) {
        reject(new Error(`unreadable result from the child: ${text}`, { cause: err }));
      }
    });
  });
}

function sh(cmd) {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

function timed(cmd) {
  const t0 = performance.now();
  sh(cmd);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, wall: seconds };
}

main().catch((err) => {
  console.error(`bench:restore crashed: ${err.stack ?? err}`);
  process.exit(1);
});
