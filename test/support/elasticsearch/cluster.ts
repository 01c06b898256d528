// A real 3-node Elasticsearch cluster on 127.0.0.1 for tests: the same test distribution as the
// single node, distinct HTTP and transport ports per node, discovery.seed_hosts listing all nodes,
// cluster.initial_master_nodes, 512 MB heap each, and one shared path.repo folder (the "shared
// storage" Octane's guidance asks for). A node can be given extra path.repo entries the others lack,
// and can be stopped on its own. Each node runs as the non-root test user in its own process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { send } from './harness-io.js';
import { pickJavaHome } from './java.js';
import { chownTree, ensureDist, ensureUser, ES_TEST_USER, freePort, tail, writeJvmOptions } from './node.js';
import { OWNER_FILE, reapOrphans } from './orphans.js';

export interface ClusterNode {
  name: string;
  url: string;
  httpPort: number;
  transportPort: number;
  base: string;
  pathRepo: string[];
  alive(): boolean;
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

export interface EsTestCluster {
  version: string;
  nodes: ClusterNode[];
  urls: string[];
  /** The folder every node lists in path.repo. */
  sharedRepo: string;
  base: string;
  startMs: number;
  /** Plain HTTP call through the first node that answers; never throws on HTTP errors. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  bulk(index: string, docs: Record<string, unknown>[]): Promise<void>;
  node(name: string): ClusterNode;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  size?: number;
  /** Extra path.repo entries per node name, on top of the shared folder. */
  extraPathRepo?: Record<string, string[]>;
  startTimeoutMs?: number;
}

const isRoot = (): boolean => process.getuid?.() === 0;

interface Spec {
  name: string;
  httpPort: number;
  transportPort: number;
  base: string;
  pathRepo: string[];
}

async function launch(
  version: string,
  home: string,
  spec: Spec,
  seeds: string[],
  names: string[],
): Promise<ClusterNode> {
  const major = Number(version.split('.')[0]);
  const jdk = pickJavaHome(major);
  const [conf, data, logs, tmp] = ['conf', 'data', 'logs', 'tmp'].map((d) => join(spec.base, d)) as [
    string,
    string,
    string,
    string,
  ];
  for (const d of [data, logs, tmp]) await mkdir(d, { recursive: true });
  await cp(join(home, 'config'), conf, { recursive: true });
  await writeJvmOptions(conf, spec.base);
  const clusterName = `octane-test-cluster-${version.replace(/\./g, '-')}`;
  await writeFile(
    join(conf, 'elasticsearch.yml'),
    [
      `cluster.name: ${clusterName}`,
      `node.name: ${spec.name}`,
      'network.host: 127.0.0.1',
      `http.port: ${spec.httpPort}`,
      `transport.port: ${spec.transportPort}`,
      `discovery.seed_hosts: ${JSON.stringify(seeds)}`,
      `cluster.initial_master_nodes: ${JSON.stringify(names)}`,
      `path.repo: ${JSON.stringify(spec.pathRepo)}`,
      `path.data: ${JSON.stringify(data)}`,
      `path.logs: ${JSON.stringify(logs)}`,
      'cluster.routing.allocation.disk.threshold_enabled: false',
      'xpack.security.enabled: false',
      ...(major === 7 ? ['xpack.ml.enabled: false'] : []),
      '',
    ].join('\n'),
  );
  chownTree(spec.base);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    ES_PATH_CONF: conf,
    ES_JAVA_HOME: jdk.home,
    ES_JAVA_OPTS: '-Xms512m -Xmx512m',
    ES_TMPDIR: tmp,
  };
  const bin = join(home, 'bin', 'elasticsearch');
  const [cmd, args] = isRoot() ? ['runuser', ['-u', ES_TEST_USER, '--', bin]] : [bin, []];
  const out = join(spec.base, 'stdout.log');
  const fd = openSync(out, 'a');
  const child: ChildProcess = spawn(cmd, args, {
    cwd: spec.base,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited: number | string | undefined;
  const exitedP = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = code ?? sig ?? 'unknown';
      resolve();
    }),
  );
  const pgid = child.pid as number;
  await writeFile(join(spec.base, OWNER_FILE), JSON.stringify({ ownerPid: process.pid, pgid }));
  const killGroup = (sig: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch {
      return false;
    }
  };
  const onExit = (): void => void killGroup('SIGKILL');
  process.once('exit', onExit);
  let stopped = false;
  return {
    ...spec,
    url: `http://127.0.0.1:${spec.httpPort}`,
    alive: () => exited === undefined,
    logTail: (lines = 40) =>
      `--- ${spec.name} ---\n${tail(out, lines)}\n${tail(join(logs, `${clusterName}.log`), lines)}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      killGroup('SIGTERM');
      const deadline = Date.now() + 30_000;
      while (killGroup(0) && Date.now() < deadline) await sleep(200);
      if (killGroup('SIGKILL')) await sleep(500);
      await exitedP;
      process.off('exit', onExit);
    },
  };
}

export async function startEsCluster(version: string, o: ClusterOptions = {}): Promise<EsTestCluster> {
  await reapOrphans();
  const home = ensureDist(version);
  ensureUser();
  const t0 = Date.now();
  // The base folder's name starts with "obm-es" so an orphaned cluster is reaped like a node.
  const base = await mkdtemp(join(tmpdir(), `obm-es${version}-cluster-`));
  const sharedRepo = join(base, 'shared-repo');
  await mkdir(sharedRepo, { recursive: true });
  const names = Array.from({ length: o.size ?? 3 }, (_, i) => `node-${i + 1}`);
  const specs: Spec[] = [];
  for (const name of names) {
    const httpPort = await freePort();
    let transportPort = await freePort();
    while (transportPort === httpPort) transportPort = await freePort();
    const extra = o.extraPathRepo?.[name] ?? [];
    for (const e of extra) await mkdir(e, { recursive: true });
    specs.push({ name, httpPort, transportPort, base: join(base, name), pathRepo: [sharedRepo, ...extra] });
  }
  chownTree(base);
  for (const e of Object.values(o.extraPathRepo ?? {}).flat()) chownTree(e);
  const seeds = specs.map((s) => `127.0.0.1:${s.transportPort}`);
  const nodes = await Promise.all(specs.map((s) => launch(version, home, s, seeds, names)));
  const cluster = clusterApi(version, base, sharedRepo, nodes, t0);
  const deadline = t0 + (o.startTimeoutMs ?? 300_000);
  for (;;) {
    const dead = nodes.filter((n) => !n.alive());
    if (dead.length > 0 || Date.now() > deadline) {
      const log = nodes.map((n) => n.logTail(40)).join('\n');
      await cluster.stop();
      throw new Error(
        `The ${names.length}-node Elasticsearch ${version} cluster did not form${dead.length ? ` (${dead.map((d) => d.name).join(', ')} exited)` : ''}. Logs:\n${log}`,
      );
    }
    const h = await cluster
      .api<{ status?: string; number_of_nodes?: number }>(
        'GET',
        `/_cluster/health?wait_for_nodes=${names.length}&wait_for_status=green&timeout=1s`,
      )
      .catch(() => undefined);
    if (h?.status === 200 && h.body.number_of_nodes === names.length) break;
    await sleep(500);
  }
  return { ...cluster, startMs: Date.now() - t0 };
}

function clusterApi(
  version: string,
  base: string,
  sharedRepo: string,
  nodes: ClusterNode[],
  t0: number,
): EsTestCluster {
  const call = async (
    method: string,
    path: string,
    body?: string,
    type = 'application/json',
  ): Promise<{ status: number; text: string }> => {
    let last: unknown;
    for (const n of nodes.filter((x) => x.alive())) {
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (body !== undefined) headers['content-type'] = type;
        return await send(n.url + path, method, headers, body, undefined);
      } catch (err) {
        last = err;
      }
    }
    throw last instanceof Error ? last : new Error('no node of the cluster is running');
  };
  return {
    version,
    nodes,
    urls: nodes.map((n) => n.url),
    sharedRepo,
    base,
    startMs: Date.now() - t0,
    node: (name) => {
      const n = nodes.find((x) => x.name === name);
      if (!n) throw new Error(`no node ${name}`);
      return n;
    },
    api: async <T>(method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body === undefined ? undefined : JSON.stringify(body));
      let parsed: unknown = r.text;
      try {
        parsed = r.text ? JSON.parse(r.text) : undefined;
      } catch {
        // not JSON
      }
      return { status: r.status, body: parsed as T };
    },
    bulk: async (index, docs) => {
      const lines =
        docs.flatMap((d) => [JSON.stringify({ index: { _index: index } }), JSON.stringify(d)]).join('\n') +
        '\n';
      const r = await call('POST', '/_bulk?refresh=true', lines, 'application/x-ndjson');
      const parsed = JSON.parse(r.text) as { errors?: boolean };
      if (r.status !== 200 || parsed.errors)
        throw new Error(`_bulk into ${index} failed: HTTP ${r.status} ${r.text.slice(0, 500)}`);
    },
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      if (!process.env.OCTANE_KEEP_ES_DIRS) await rm(base, { recursive: true, force: true });
    },
  };
}
