// An Octane-like workload on a repository folder, in its own process (so a busy backup in the
// test's or benchmark's process never slows it): at a set rate it adds attachment files, deletes
// some and rewrites a few, and keeps a journal with the time of each operation on this machine's
// clock. The times follow Octane's order against its database: a new attachment is journaled
// ("referenced") once its file is completely written; a deleted one is journaled ("unreferenced")
// before its file is removed; a rewrite is journaled once the new content is in place.
//
//   node workload-process.mjs <config.json>
//     config: { root, state, journal, ratePerSecond, mix: { add, delete, rewrite }, sizes: [min, max],
//               seed }
//   Writes "ready\n" on stdout when it runs; stops at "stop" on stdin (or when stdin closes),
//   saves the state (every file's version and SHA-256) and exits 0.
//
// Every file starts with a header line naming its path and version, then random bytes: the
// checker tells a file's version by its SHA-256 (each version's is journaled) and a torn file by
// none matching.
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const state = JSON.parse(readFileSync(config.state, 'utf8'));
const files = state.files; // path -> { version, sha256, size }
let seed = config.seed ?? 1;
const rand = () => {
  // mulberry32: the same run of operations for the same seed.
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function content(path, version, size) {
  const header = Buffer.from(`OCTANE-WORKLOAD ${path} v${version}\n`);
  return Buffer.concat([header, randomBytes(Math.max(0, size - header.length))]);
}

const journal = (entry) => appendFileSync(config.journal, JSON.stringify(entry) + '\n');
const paths = () => Object.keys(files);
let created = state.nextId ?? 0;

function add() {
  const id = created++;
  // Octane's layout: a folder per space and workspace, attachments spread over numbered folders.
  const path = `spaces/${1001 + (id % 3)}/workspace-${1002 + (id % 2)}/attachments/${String(id % 97).padStart(2, '0')}/wl-${id}.bin`;
  const [min, max] = config.sizes;
  const size = Math.floor(min + rand() * (max - min));
  const data = content(path, 1, size);
  const abs = join(config.root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  const sha256 = createHash('sha256').update(data).digest('hex');
  files[path] = { version: 1, sha256, size };
  journal({ op: 'create', path, version: 1, sha256, t: Date.now() });
}

function remove() {
  const all = paths();
  if (all.length === 0) return;
  const path = all[Math.floor(rand() * all.length)];
  journal({ op: 'delete', path, t: Date.now() });
  delete files[path];
  rmSync(join(config.root, path), { force: true });
}

function rewrite() {
  const all = paths();
  if (all.length === 0) return;
  const path = all[Math.floor(rand() * all.length)];
  const f = files[path];
  const version = f.version + 1;
  const data = content(path, version, f.size);
  // Saved whole and renamed over the old one: any reader sees one complete version or the other.
  const abs = join(config.root, path);
  writeFileSync(`${abs}.saving`, data);
  renameSync(`${abs}.saving`, abs);
  const sha256 = createHash('sha256').update(data).digest('hex');
  files[path] = { version, sha256, size: f.size };
  journal({ op: 'rewrite', path, version, sha256, t: Date.now() });
}

let ops = 0;
const started = Date.now();
const { add: pAdd, delete: pDelete } = config.mix;
function tick() {
  const due = Math.floor(((Date.now() - started) / 1000) * config.ratePerSecond);
  while (ops < due) {
    const r = rand();
    if (r < pAdd) add();
    else if (r < pAdd + pDelete) remove();
    else rewrite();
    ops++;
  }
}
const timer = setInterval(tick, Math.max(2, Math.floor(1000 / config.ratePerSecond / 2)));

function stop() {
  clearInterval(timer);
  state.nextId = created;
  writeFileSync(`${config.state}.tmp`, JSON.stringify(state));
  renameSync(`${config.state}.tmp`, config.state);
  process.stdout.write(`stopped ${ops}\n`, () => process.exit(0));
}
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  input += d;
  if (input.includes('stop')) stop();
});
process.stdin.on('end', stop);
process.stdout.write('ready\n');
