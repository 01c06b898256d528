// `npm run es:fetch [version...]`: makes sure every Elasticsearch test distribution named in
// versions.json (or on the command line) is unpacked under <repo>/.es-dist/elasticsearch-<version>.
//
// Source: Maven Central's org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip,
// fetched with Maven into the local repository when it is not there yet (CI starts on a fresh
// machine). Unpacking goes to a temporary folder that is renamed into place at the end, so a
// half-unpacked tree is never mistaken for a whole one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..', '..');
export const distRoot = join(repoRoot, '.es-dist');
const GROUP = 'org.elasticsearch.distribution.integ-test-zip';
const COMPLETE_STAMP = '.octane-unpacked';

export function configuredVersions() {
  return JSON.parse(readFileSync(join(here, 'versions.json'), 'utf8')).versions;
}

export function distHome(version) {
  return join(distRoot, `elasticsearch-${version}`);
}

function localRepository() {
  if (process.env.MAVEN_REPO_LOCAL) return process.env.MAVEN_REPO_LOCAL;
  return join(homedir(), '.m2', 'repository');
}

function zipPath(repo, version) {
  return join(repo, ...GROUP.split('.'), 'elasticsearch', version, `elasticsearch-${version}.zip`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new Error(`${cmd} could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function fetchZip(version) {
  let repo = localRepository();
  let zip = zipPath(repo, version);
  if (existsSync(zip)) return zip;
  console.log(`es:fetch: ${version} is not in ${repo}; fetching it with Maven.`);
  const artifact = `${GROUP}:elasticsearch:${version}:zip`;
  const args = ['-q', '-B', 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false'];
  if (process.env.MAVEN_REPO_LOCAL) args.push(`-Dmaven.repo.local=${process.env.MAVEN_REPO_LOCAL}`);
  run('mvn', args);
  if (!existsSync(zip)) {
    // A settings.xml may point the local repository elsewhere: ask Maven where it is.
    const r = spawnSync(
      'mvn',
      ['-q', '-B', 'help:evaluate', '-Dexpression=settings.localRepository', '-DforceStdout'],
      {
        encoding: 'utf8',
      },
    );
    repo = (r.stdout ?? '').trim();
    zip = zipPath(repo, version);
  }
  if (!existsSync(zip)) throw new Error(`Maven reported success but ${zip} does not exist.`);
  return zip;
}

function unpack(zip, version) {
  const home = distHome(version);
  const staging = `${home}.unpacking-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    run('unzip', ['-q', zip, '-d', staging]);
  } catch {
    // unzip is not everywhere; the JDK's jar tool is wherever Elasticsearch can run.
    run('jar', ['xf', zip], { cwd: staging });
  }
  const inner = join(staging, `elasticsearch-${version}`);
  if (!existsSync(join(inner, 'bin', 'elasticsearch')))
    throw new Error(`${zip} does not hold elasticsearch-${version}/bin/elasticsearch.`);
  writeFileSync(join(inner, COMPLETE_STAMP), `${zip}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(inner, home);
  rmSync(staging, { recursive: true, force: true });
  return home;
}

export function ensureDist(version) {
  let home = distHome(version);
  if (!existsSync(join(home, COMPLETE_STAMP))) {
    mkdirSync(distRoot, { recursive: true });
    home = unpack(fetchZip(version), version);
  }
  ensureRestRoot(home, version);
  return home;
}

function javac() {
  const candidates = [
    process.env.JAVA_HOME && join(process.env.JAVA_HOME, 'bin', 'javac'),
    ...(existsSync('/usr/lib/jvm')
      ? readdirSync('/usr/lib/jvm').map((d) => join('/usr/lib/jvm', d, 'bin', 'javac'))
      : []),
  ].filter(Boolean);
  return candidates.find((c) => existsSync(c)) ?? 'javac';
}

// The 8.x integ-test-zip lacks the `rest-root` module, so `GET /` answers 405 there while every
// real install answers it (the product reads the version from it). The harness adds a small
// plugin of its own (rest-root-plugin/) to the unpacked test distribution only.
function ensureRestRoot(home, version) {
  if (Number(version.split('.')[0]) < 8 || existsSync(join(home, 'modules', 'rest-root'))) return;
  const dir = join(home, 'plugins', 'octane-test-rest-root');
  if (existsSync(join(dir, 'plugin-descriptor.properties'))) return;
  const build = join(distRoot, `rest-root-build-${process.pid}`);
  rmSync(build, { recursive: true, force: true });
  mkdirSync(build, { recursive: true });
  try {
    run(javac(), [
      '--release',
      '17',
      '-d',
      build,
      '-cp',
      `${join(home, 'lib')}/*`,
      join(here, 'rest-root-plugin', 'OctaneTestRestRoot.java'),
    ]);
    const staging = `${dir}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    run('jar', ['cf', join(staging, 'octane-test-rest-root.jar'), '-C', build, 'org']);
    writeFileSync(
      join(staging, 'plugin-descriptor.properties'),
      [
        'description=Test harness stand-in for the rest-root module the integ-test-zip lacks (answers GET /)',
        `version=${version}`,
        'name=octane-test-rest-root',
        'classname=org.octane.testsupport.OctaneTestRestRoot',
        'java.version=17',
        `elasticsearch.version=${version}`,
        '',
      ].join('\n'),
    );
    renameSync(staging, dir);
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const versions = process.argv.length > 2 ? process.argv.slice(2) : configuredVersions();
  for (const v of versions) {
    const t0 = Date.now();
    const home = ensureDist(v);
    console.log(
      `es:fetch: Elasticsearch ${v} ready in ${home} (${((Date.now() - t0) / 1000).toFixed(1)} s).`,
    );
  }
}
