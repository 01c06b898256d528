// `npm run audit:deps`: the offline part runs here (npm audit is refused by this registry and
// npm audit signatures needs sigstore's servers); crafted lockfiles prove each policy rule.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';

interface Lock {
  lockfileVersion: number;
  packages: Record<string, Record<string, unknown>>;
}

const realPkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const realLock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-audit-');
});
afterEach(async () => dir.cleanup());

function audit(args: string[], cwd = process.cwd()): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts', 'audit-deps.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

function crafted(change: (pkg: typeof realPkg, lock: Lock) => void): { code: number | null; out: string } {
  const pkg = structuredClone(realPkg);
  const lock = structuredClone(realLock);
  change(pkg, lock);
  writeFileSync(join(dir.path, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir.path, 'package-lock.json'), JSON.stringify(lock));
  return audit(['--lockfile-only', '--dir', dir.path]);
}

describe('dependency audit (npm run audit:deps)', () => {
  it('is an npm script that keeps dev dependencies (electron) in the audit', () => {
    expect(realPkg.scripts['audit:deps']).toBe('node scripts/audit-deps.mjs');
    const script = readFileSync('scripts/audit-deps.mjs', 'utf8');
    expect(script).toContain("'--include=dev'");
    expect(script).not.toMatch(/--omit|--production|--only=prod/);
    expect(realPkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('passes the offline checks on this project: lockfile policy and the installed tree', () => {
    const r = audit(['--offline']);
    expect(r.out).toMatch(/ok\s+lockfile policy: \d+ packages pinned by SHA-512/);
    expect(r.out).toMatch(/ok\s+installed tree: matches package-lock.json/);
    expect(r.code).toBe(0);
  });

  it.each<[string, (pkg: typeof realPkg, lock: Lock) => void, RegExp]>([
    [
      'a package fetched from git',
      (_p, l) =>
        void ((l.packages['node_modules/oracledb'] as Record<string, unknown>).resolved =
          'git+ssh://git@example.com/evil/oracledb.git#abc'),
      /node_modules\/oracledb is fetched from git\+ssh/,
    ],
    [
      'a package without integrity',
      (_p, l) => void delete (l.packages['node_modules/mssql'] as Record<string, unknown>).integrity,
      /node_modules\/mssql has no SHA-512 integrity/,
    ],
    [
      'an unknown install script',
      (_p, l) =>
        void ((l.packages['node_modules/nodemailer'] as Record<string, unknown>).hasInstallScript = true),
      /node_modules\/nodemailer runs an install script/,
    ],
    [
      'a version range',
      (p) => void (p.devDependencies.vitest = '^4.1.0'),
      /vitest is declared as "\^4\.1\.0"/,
    ],
    [
      'electron dropped from the lockfile',
      (_p, l) => void delete l.packages['node_modules/electron'],
      /electron is declared in package.json but not locked/,
    ],
  ])('reports %s', (_what, change, message) => {
    const r = crafted(change);
    expect(r.out).toMatch(message);
    expect(r.out).toMatch(/FINDING/);
    expect(r.code).toBe(1);
  });
});
