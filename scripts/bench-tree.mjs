// Benchmark trees shared by `bench:archive` and `bench:restore`: generated once, kept in the bench
// folder and reused while their parameters are unchanged (tree.json records them).
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
import { join } from 'node:path';

const MiB = 1024 * 1024;

// ---- tree generation -------------------------------------------------------------------------
// Octane-like layout: sharedspace/workspace/attachment-id folders; sizes log-uniform 1 KiB..4 MiB
// (median 64 KiB) plus a 16-48 MiB file every 211; text is sliced from a pool of log-like lines.

export function ensureTree(parent, repo, targetBytes, textShare) {
  const stamp = join(parent, 'tree.json');
  const params = { targetBytes, textShare, v: 3 };
  if (existsSync(stamp)) {
    const s = JSON.parse(readFileSync(stamp, 'utf8'));
    if (JSON.stringify(s.params) === JSON.stringify(params)) return s.stats;
  }
  rmSync(parent, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const rnd = mulberry32(0x0c7a4e);
  const pool = textPool(rnd, 8 * MiB);
  const stats = { files: 0, dirs: 0, bytes: 0 };
  let textBytes = 0;
  let dir = '';
  while (stats.bytes < targetBytes) {
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
    let size = Math.round(1024 * Math.pow(4096, rnd()));
    if (stats.files % 211 === 0) size = 16 * MiB + Math.floor(rnd() * 32 * MiB);
    size = Math.min(size, targetBytes - stats.bytes);
    const text = textBytes < textShare * (stats.bytes + size);
    const name = join(dir, text ? `note-${stats.files}.txt` : `attachment-${stats.files}.bin`);
    const fd = openSync(name, 'w');
    for (let done = 0; done < size;) {
      const n = Math.min(4 * MiB, size - done);
      if (text) {
        const off = Math.floor(rnd() * (pool.length - n));
        writeSync(fd, pool, off, n);
      } else writeSync(fd, randomBytes(n));
      done += n;
    }
    closeSync(fd);
    if (text) textBytes += size;
    stats.files++;
    stats.bytes += size;
  }
  writeFileSync(stamp, JSON.stringify({ params, stats }));
  return stats;
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

/** Many small text files (0.5-8 KiB, 100 per folder): per-entry costs dominate. */
export function ensureSmallTree(parent, repo, files) {
  const stamp = join(parent, 'tree.json');
  const params = { files, v: 1 };
  if (existsSync(stamp)) {
    const s = JSON.parse(readFileSync(stamp, 'utf8'));
    if (JSON.stringify(s.params) === JSON.stringify(params)) return s.stats;
  }
  rmSync(parent, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const rnd = mulberry32(0x5a11);
  const pool = textPool(rnd, 4 * MiB);
  const stats = { files: 0, dirs: 0, bytes: 0 };
  let dir = '';
  for (let i = 0; i < files; i++) {
    if (i % 100 === 0) {
      dir = join(
        repo,
        `sharedspace_${1001 + Math.floor(i / 10000)}`,
        `workspace_${1002 + (Math.floor(i / 1000) % 10)}`,
        `${100000 + i}`,
      );
      mkdirSync(dir, { recursive: true });
      stats.dirs++;
    }
    const size = 512 + Math.floor(rnd() * 7680);
    const off = Math.floor(rnd() * (pool.length - size));
    writeFileSync(join(dir, `note-${i}.txt`), pool.subarray(off, off + size));
    stats.files++;
    stats.bytes += size;
  }
  writeFileSync(stamp, JSON.stringify({ params, stats }));
  return stats;
}
