// `npm run audit:deps`: the dependency audit. Works offline and says plainly what it could not
// check. Exit 1 on any finding; exit 0 when everything that could be checked is clean.
//
//  1. offline: package-lock.json policy (scripts/lockfile-policy.mjs) and `npm ls --all`
//     (the installed tree is exactly the locked one);
//  2. online, when the registry answers: `npm audit --include=dev` (known vulnerabilities;
//     --include=dev keeps electron, the runtime the app ships in, in the audited set) and
//     `npm audit signatures` (registry signatures and provenance of every installed package).
//
// --offline: only the offline checks; --lockfile-only: only the lockfile policy; --dir <folder>:
// audit another project folder. --require-online: a check that cannot reach its service is a failure (for a connected
// machine or CI that must not pass silently). docs/security.md, "Dependencies", says more.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockfileProblems } from './lockfile-policy.mjs';

const args = process.argv.slice(2);
const requireOnline = args.includes('--require-online');
const offlineOnly = args.includes('--offline');
// Only the lockfile policy (for checking a lockfile alone, without its node_modules).
const lockfileOnly = args.includes('--lockfile-only');
const dir = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : process.cwd();

let findings = 0;
let notChecked = 0;
const say = (status, what, detail = '') =>
  console.log(`${status.padEnd(12)} ${what}${detail ? `: ${detail}` : ''}`);

// 1a. Lockfile policy.
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
const npm = (npmArgs, timeout = 180_000) =>
  spawnSync('npm', npmArgs, { cwd: dir, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
const registry = (npm(['config', 'get', 'registry']).stdout ?? '').trim().replace(/\/?$/, '/');
const problems = lockfileProblems(pkg, lock, registry);
if (problems.length === 0)
  say(
    'ok',
    'lockfile policy',
    `${Object.keys(lock.packages).length - 1} packages pinned by SHA-512 from the registry`,
  );
for (const p of problems) {
  say('FINDING', 'lockfile policy', p);
  findings++;
}

// 1b. The installed tree is the locked one (missing, extra or other versions).
const ls = lockfileOnly ? { status: 0, skipped: true } : npm(['ls', '--all', '--json']);
if (ls.skipped) say('skipped', 'installed tree', '--lockfile-only');
else if (ls.status === 0) say('ok', 'installed tree', 'matches package-lock.json (npm ls --all)');
else {
  let detail = (ls.stderr || '').trim().split('\n').slice(0, 5).join(' | ');
  try {
    const problemsLs = JSON.parse(ls.stdout).problems ?? [];
    if (problemsLs.length > 0) detail = problemsLs.slice(0, 5).join(' | ');
  } catch {
    // keep stderr
  }
  say('FINDING', 'installed tree', detail || `npm ls exited ${ls.status}`);
  findings++;
}

/** "unavailable" (no answer from the service) or the parsed JSON answer. */
function online(npmArgs) {
  const r = npm(npmArgs);
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  if (
    r.error ||
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|405 Method Not Allowed|audit endpoint returned an error|network request to .* failed|E40[34]/.test(
      text,
    )
  ) {
    const why = /405/.test(text)
      ? 'the registry refuses the audit endpoint here (HTTP 405)'
      : /ENOTFOUND|EAI_AGAIN|network request/.test(text)
        ? `a service it needs cannot be reached (${(/getaddrinfo \w+ ([\w.-]+)/.exec(text) ?? [])[1] ?? 'no network'})`
        : (text.trim().split('\n').at(-1) ?? 'no answer');
    return { unavailable: why };
  }
  try {
    return { json: JSON.parse(r.stdout), status: r.status };
  } catch {
    return { unavailable: `unreadable answer (exit ${r.status}): ${text.trim().slice(0, 200)}` };
  }
}

function notAvailable(what, why) {
  say(
    requireOnline ? 'FINDING' : 'NOT CHECKED',
    what,
    `${why}. Run "npm run audit:deps -- --require-online" on a connected machine.`,
  );
  if (requireOnline) findings++;
  else notChecked++;
}

if (!offlineOnly && !lockfileOnly) {
  // 2a. Known vulnerabilities, dev dependencies included (electron is one).
  const audit = online(['audit', '--include=dev', '--json']);
  if (audit.unavailable) notAvailable('npm audit', audit.unavailable);
  else {
    const total = audit.json.metadata?.vulnerabilities?.total ?? 0;
    if (total === 0) say('ok', 'npm audit', 'no known vulnerabilities (dev dependencies included)');
    else {
      say(
        'FINDING',
        'npm audit',
        `${total} vulnerable package(s): ${Object.keys(audit.json.vulnerabilities ?? {}).join(', ')}`,
      );
      findings++;
    }
  }
  // 2b. Registry signatures and provenance attestations.
  const sig = online(['audit', 'signatures', '--json']);
  if (sig.unavailable) notAvailable('npm audit signatures', sig.unavailable);
  else {
    const invalid = sig.json.invalid ?? [];
    const missing = sig.json.missing ?? [];
    if (invalid.length === 0 && missing.length === 0)
      say('ok', 'npm audit signatures', 'every package verified');
    else {
      say(
        'FINDING',
        'npm audit signatures',
        `${invalid.length} invalid, ${missing.length} missing signature(s)`,
      );
      findings++;
    }
  }
}

console.log(
  `\n${findings} finding(s)${notChecked > 0 ? `, ${notChecked} check(s) not available here` : ''}.`,
);
process.exit(findings > 0 ? 1 : 0);
