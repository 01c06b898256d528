// The scenarios every real Elasticsearch version runs (es-7 / es-8 .real-node.test.ts): one node
// per file, started once, shared by the scenarios, each scenario with its own repository and
// indices. The step runs through the real engine (runBackup) with a profile that has only
// `elasticsearch` and `destination`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src-main/contract/events.js';
import type { ComponentRecord, Manifest } from '../../../../src-main/contract/manifest.js';
import type { ElasticsearchConfig, Profile, RunSecrets } from '../../../../src-main/contract/profile.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import { runBackup, type RunResult } from '../../../../src-main/engine/run-backup.js';
import {
  createElasticsearchStep,
  testElasticsearchConnection,
  type EsStepTiming,
} from '../../../../src-main/engine/steps/elasticsearch/index.js';
import { defaultSteps } from '../../../../src-main/engine/steps/registry.js';
import { startEsNode, type EsTestNode } from '../../../support/elasticsearch/node.js';
import { tempDir } from '../../../support/temp.js';

export interface Ctx {
  node: EsTestNode;
  dir: string;
}

export function esComponent(m: Manifest): ComponentRecord {
  return m.components.find((c) => c.id === 'elasticsearch') as ComponentRecord;
}

export function profileFor(
  c: Ctx,
  name: string,
  es: Partial<ElasticsearchConfig> & { repository: string },
  profileName = 'es-test',
): Profile {
  const location = es.location ?? join(c.node.pathRepo, name);
  return {
    profile: profileName,
    destination: join(c.dir, 'dest'),
    elasticsearch: { node: c.node.url, location, copyFrom: location, ...es },
  };
}

export async function runEs(
  p: Profile,
  opts: {
    timing?: Partial<EsStepTiming>;
    signal?: AbortSignal;
    onEvent?: (e: RunEvent) => void;
    env?: NodeJS.ProcessEnv;
    secrets?: RunSecrets;
  } = {},
): Promise<RunResult & { events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const steps = opts.timing
    ? { ...defaultSteps(), elasticsearch: () => createElasticsearchStep(opts.timing) }
    : defaultSteps();
  const o: Parameters<typeof runBackup>[1] = {
    steps,
    env: opts.env ?? {},
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
  };
  if (opts.signal) o.signal = opts.signal;
  if (opts.secrets) o.secrets = opts.secrets;
  const t0 = Date.now();
  const r = await runBackup(p, o);
  const es = esComponent(r.manifest);
  // A figure for the report, never asserted.
  console.log(
    `[es] ${p.elasticsearch?.repository ?? ''}: run ${Date.now() - t0} ms, step ${es.status}${es.error ? ` ${es.error.code}` : ''}`,
  );
  return { ...r, events };
}

export async function docs(node: EsTestNode, index: string, n: number, pad = 200): Promise<void> {
  const r = await node.api('PUT', `/${index}`, { settings: { number_of_shards: 1, number_of_replicas: 0 } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  for (let start = 0; start < n; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, n - start) }, (_, i) => ({
      n: start + i,
      title: `item ${start + i} of ${index}`,
      // Random text: Lucene compresses stored fields, and slow snapshots need real bytes.
      body: randomBytes(Math.ceil(pad / 2)).toString('hex'),
    }));
    await node.bulk(index, batch);
  }
}

export async function count(node: EsTestNode, index: string): Promise<number> {
  const r = await node.api<{ count: number }>('GET', `/${index}/_count`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.count;
}

export async function snapshotsIn(
  node: EsTestNode,
  repo: string,
): Promise<{ snapshot: string; state: string; metadata?: Record<string, unknown> }[]> {
  const r = await node.api<{
    snapshots: { snapshot: string; state: string; metadata?: Record<string, unknown> }[];
  }>('GET', `/_snapshot/${repo}/_all`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.snapshots;
}

export async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, r)));
    else out.push(r);
  }
  return out.sort();
}

/** sha256sum, an independent tool, over the given files (absolute paths). */
function sha256sum(files: string[]): Map<string, string> {
  const r = spawnSync('sha256sum', files, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  const m = new Map<string, string>();
  for (const line of r.stdout.trim().split('\n')) {
    const [hash, ...rest] = line.split('  ');
    m.set(rest.join('  '), hash as string);
  }
  return m;
}

export function defineRealNodeScenarios(version: string): void {
  const c = {} as Ctx;
  let cleanupDir: () => Promise<void> = () => Promise.resolve();
  const fast: Partial<EsStepTiming> = { pollMs: 200, unreachableGraceMs: 4000, idleWaitMs: 60_000 };

  describe(`Elasticsearch ${version} (real node)`, () => {
    beforeAll(async () => {
      const t = await tempDir('obm-es-test-');
      c.dir = t.path;
      cleanupDir = t.cleanup;
      c.node = await startEsNode(version);
      console.log(
        `[es ${version}] node ready in ${c.node.startMs} ms on ${c.node.url} (Java ${c.node.jdk.major})`,
      );
    });
    afterAll(async () => {
      await c.node?.stop();
      await cleanupDir();
    });

    it('backs up every non-system index through runBackup, and the copied repository restores into renamed indices with the same document counts', async () => {
      const { node } = c;
      await docs(node, 'main-alpha', 1500);
      await docs(node, 'main-beta', 4200);
      await docs(node, '.main-dot', 10);
      const p = profileFor(c, 'main', { repository: 'obm_main' });
      const pre = async () =>
        new Map(
          (
            (await createElasticsearchStep().preflight?.({
              signal: new AbortController().signal,
              profile: p,
              secrets: {},
              env: {},
              log: silentLogger,
            })) ?? []
          ).map((x) => [x.id, x.status]),
        );
      // Before the first backup the repository is not registered and its folder not there yet.
      const before = await pre();
      expect([...before.values()]).not.toContain('failed');
      expect(before.get('es-repository')).toBe('ok');
      expect(before.get('es-copy-from')).toBe('warning');
      expect(await testElasticsearchConnection(p.elasticsearch as ElasticsearchConfig, {})).toMatchObject({
        ok: true,
        serverVersion: version,
      });
      const r = await runEs(p);
      const es = esComponent(r.manifest);
      expect(es.error, JSON.stringify(es.error)).toBeUndefined();
      expect(es.status).toBe('succeeded');
      expect(es.server?.version).toBe(version);

      const setName = r.setName;
      const snapName = setName.toLowerCase();
      const d = es.details as Record<
        string,
        { name?: string; state?: string; uuid?: string; startTime?: string } & Record<string, unknown>
      >;
      expect(d.snapshot?.name).toBe(snapName);
      expect(d.snapshot?.state).toBe('SUCCESS');
      expect(d.snapshot?.uuid).toMatch(/\S{10,}/);
      expect(d.snapshot?.startTime).toMatch(/^\d{4}-\d\d-\d\dT/);
      const cluster = d.cluster as { uuid?: string; name?: string };
      const info = await node.api<{ cluster_uuid: string }>('GET', '/');
      expect(cluster.uuid).toBe(info.body.cluster_uuid);
      const indices = d.indices as unknown as { name: string; docs?: number }[];
      expect(indices.map((i) => i.name)).toEqual(['main-alpha', 'main-beta']);
      expect(indices.map((i) => i.docs)).toEqual([1500, 4200]);
      expect(
        es.statements.some((s) =>
          s.startsWith(`PUT /_snapshot/obm_main/${snapName}?wait_for_completion=false`),
        ),
      ).toBe(true);
      expect(es.statements.some((s) => s.includes('"include_global_state":false'))).toBe(true);

      // The snapshot in Elasticsearch carries this tool's metadata and only the chosen indices.
      const snaps = await snapshotsIn(node, 'obm_main');
      const ours = snaps.find((s) => s.snapshot === snapName);
      expect(ours?.metadata?.taken_by).toBe('octane-backup-manager');
      expect(ours?.metadata?.profile).toBe('es-test');

      // The set holds the whole repository folder, byte for byte, and the manifest's hashes are right.
      const setRoot = r.setPaths[0] as string;
      const copied = join(setRoot, 'elasticsearch', 'repository');
      const source = p.elasticsearch?.copyFrom as string;
      expect(await listFiles(copied)).toEqual(await listFiles(source));
      const repoArtifacts = es.artifacts.filter((a) => a.path.startsWith('elasticsearch/repository/'));
      expect(repoArtifacts.length).toBe((await listFiles(source)).length);
      const sums = sha256sum(es.artifacts.map((a) => join(setRoot, a.path)));
      for (const a of es.artifacts) {
        expect(sums.get(join(setRoot, a.path)), a.path).toBe(a.sha256);
        expect((await stat(join(setRoot, a.path))).size).toBe(a.bytes);
      }
      const sourceSums = sha256sum((await listFiles(source)).map((f) => join(source, f)));
      for (const a of repoArtifacts)
        expect(a.sha256).toBe(sourceSums.get(join(source, a.path.slice('elasticsearch/repository/'.length))));

      // Progress reached the user with bytes and an end.
      const progress = r.events.filter(
        (e): e is Extract<RunEvent, { type: 'step-progress' }> =>
          e.type === 'step-progress' && e.step === 'elasticsearch',
      );
      expect(progress.some((e) => (e.counters.bytesTotal ?? 0) > 0)).toBe(true);
      expect(progress.at(-1)?.fraction).toBe(1);

      const after = await pre();
      expect(Object.fromEntries(after)).toEqual({
        'es-connection': 'ok',
        'es-health': 'ok',
        'es-path-repo': 'ok',
        'es-repository': 'ok',
        'es-verify': 'ok',
        'es-indices': 'ok',
        'es-copy-from': 'ok',
        'es-same-repository': 'ok',
      });

      // Restore: register the copy (under path.repo) read-only with a new name, restore renamed.
      const restoreDir = join(node.pathRepo, 'restored-copy');
      await cp(copied, restoreDir, { recursive: true });
      node.giveToNode(restoreDir);
      const reg = await node.api('PUT', '/_snapshot/restored_copy', {
        type: 'fs',
        settings: { location: restoreDir, readonly: true },
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(200);
      const rest = await node.api<{ snapshot?: { shards?: { failed: number } } }>(
        'POST',
        `/_snapshot/restored_copy/${snapName}/_restore?wait_for_completion=true`,
        {
          indices: 'main-*',
          rename_pattern: '(.+)',
          rename_replacement: 'restored-$1',
          include_global_state: false,
        },
      );
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      expect(rest.body.snapshot?.shards?.failed).toBe(0);
      expect(await count(node, 'restored-main-alpha')).toBe(await count(node, 'main-alpha'));
      expect(await count(node, 'restored-main-beta')).toBe(await count(node, 'main-beta'));
      expect(await count(node, 'restored-main-beta')).toBe(4200);
      const restoredDoc = await node.api<{ hits: { hits: { _source: { title: string } }[] } }>(
        'GET',
        '/restored-main-alpha/_search?q=n:7',
      );
      expect(restoredDoc.body.hits.hits[0]?._source.title).toBe('item 7 of main-alpha');
      for (const i of ['main-alpha', 'main-beta', '.main-dot', 'restored-main-alpha', 'restored-main-beta'])
        await node.api('DELETE', `/${i}`);
    });

    it('refuses a repository location outside path.repo and names the exact elasticsearch.yml line to add', async () => {
      await docs(c.node, 'loc-one', 5);
      const outside = join(c.dir, 'outside-path-repo');
      const p = profileFor(c, 'x', {
        repository: 'obm_outside',
        location: outside,
        copyFrom: outside,
        indices: ['loc-*'],
      });
      const preflight = await createElasticsearchStep().preflight?.({
        signal: new AbortController().signal,
        profile: p,
        secrets: {},
        env: {},
        log: silentLogger,
      });
      const check = preflight?.find((x) => x.id === 'es-path-repo');
      expect(check?.status).toBe('failed');
      expect(check?.fix).toContain(
        `path.repo: [${JSON.stringify(c.node.pathRepo)}, ${JSON.stringify(outside)}]`,
      );
      const r = await runEs(p);
      const es = esComponent(r.manifest);
      expect(es.status).toBe('failed');
      expect(es.error?.code).toBe('ES_LOCATION_NOT_IN_PATH_REPO');
      expect(es.error?.message).toContain(outside);
      expect(es.error?.fix).toContain(
        `path.repo: [${JSON.stringify(c.node.pathRepo)}, ${JSON.stringify(outside)}]`,
      );
      expect(r.manifest.complete).toBe(false);
      await c.node.api('DELETE', '/loc-one');
    });

    it('copyFrom naming another repository than location: preflight says so, and the run fails instead of copying the other snapshots', async () => {
      const { node } = c;
      await docs(node, 'cf-one', 20);
      // Another profile's repository, with its own snapshot, in another folder.
      const otherLocation = join(node.pathRepo, 'cf-other');
      expect(
        (
          await node.api('PUT', '/_snapshot/obm_cf_other', {
            type: 'fs',
            settings: { location: otherLocation },
          })
        ).status,
      ).toBe(200);
      const taken = await node.api('PUT', '/_snapshot/obm_cf_other/someone-else?wait_for_completion=true', {
        indices: 'cf-*',
        include_global_state: false,
      });
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      // The admin changed "location" and not "copyFrom".
      const p = profileFor(c, 'cf-mine', {
        repository: 'obm_cf_mine',
        indices: ['cf-*'],
        copyFrom: otherLocation,
      });
      const first = await runEs(p, { timing: fast });
      const es = esComponent(first.manifest);
      expect(es.status).toBe('failed');
      expect(es.error?.code).toBe('ES_COPY_LACKS_SNAPSHOT');
      expect(es.error?.message).toContain(otherLocation);
      expect(first.manifest.complete).toBe(false);
      expect(es.artifacts.some((a) => a.path.endsWith('index.latest'))).toBe(false);
      // Now that the repository holds a snapshot, preflight compares the two folders' contents.
      const checks = await createElasticsearchStep().preflight?.({
        signal: new AbortController().signal,
        profile: p,
        secrets: {},
        env: {},
        log: silentLogger,
      });
      const same = checks?.find((x) => x.id === 'es-same-repository');
      expect(same?.status, JSON.stringify(same)).toBe('failed');
      expect(same?.message).toMatch(/is another repository/);
      // With copyFrom = location the same profile passes both.
      const fixed = profileFor(c, 'cf-mine', { repository: 'obm_cf_mine', indices: ['cf-*'] });
      const ok = await createElasticsearchStep().preflight?.({
        signal: new AbortController().signal,
        profile: fixed,
        secrets: {},
        env: {},
        log: silentLogger,
      });
      expect(ok?.find((x) => x.id === 'es-same-repository')?.status).toBe('ok');
      await node.api('DELETE', '/cf-one');
    });

    it('fails plainly when an index pattern of the profile matches no index', async () => {
      await docs(c.node, 'pat-one', 5);
      const r = await runEs(
        profileFor(c, 'pat', { repository: 'obm_pat', indices: ['pat-*', 'no-such-index-*'] }),
      );
      const es = esComponent(r.manifest);
      expect(es.error?.code).toBe('ES_INDEX_PATTERN_UNMATCHED');
      expect(es.error?.message).toContain('no-such-index-*');
      expect(es.error?.message).not.toContain('pat-*');
      await c.node.api('DELETE', '/pat-one');
    });

    it('a red index makes the snapshot PARTIAL: failed without allowPartial, a warning with it, naming the index', async () => {
      await docs(c.node, 'part-green', 300);
      // wait_for_active_shards=0: the primary never starts, and creation would wait 30 s for it.
      const red = await c.node.api('PUT', '/part-red?wait_for_active_shards=0', {
        settings: {
          number_of_shards: 1,
          number_of_replicas: 0,
          'index.routing.allocation.require._name': 'no-such-node',
        },
      });
      expect(red.status, JSON.stringify(red.body)).toBe(200);
      const base = { repository: 'obm_partial', indices: ['part-*'] };
      const r1 = await runEs(profileFor(c, 'partial', base), { timing: fast });
      const es1 = esComponent(r1.manifest);
      expect(es1.status).toBe('failed');
      expect(es1.error?.code, JSON.stringify(es1.error)).toBe('ES_SNAPSHOT_PARTIAL');
      expect(es1.error?.message).toContain('part-red');
      expect(es1.error?.message).not.toContain('part-green,');
      expect(es1.error?.fix).toContain('allowPartial');
      expect(es1.artifacts.filter((a) => a.path.includes('/repository/'))).toEqual([]);

      const r2 = await runEs(profileFor(c, 'partial', { ...base, allowPartial: true }), { timing: fast });
      const es2 = esComponent(r2.manifest);
      expect(es2.status).toBe('succeeded-with-warnings');
      const w = es2.warnings.find((x) => x.code === 'ES_SNAPSHOT_PARTIAL');
      expect(w?.message).toContain('part-red');
      expect((es2.details?.snapshot as { state: string }).state).toBe('PARTIAL');
      // Documents are counted around the snapshot, the red index left out (never counted as 0).
      expect((es2.details?.docCounts as { indices: unknown }).indices).toEqual({
        'part-green': { before: 300, after: 300 },
      });
      expect(es2.artifacts.some((a) => a.path === 'elasticsearch/repository/index.latest')).toBe(true);
      await c.node.api('DELETE', '/part-red');
      await c.node.api('DELETE', '/part-green');
    });

    it("retention keeps this profile's newest snapshots and never deletes a foreign one or another profile's", async () => {
      const { node } = c;
      await docs(node, 'ret-one', 50);
      const location = join(node.pathRepo, 'retention');
      expect(
        (await node.api('PUT', '/_snapshot/obm_ret', { type: 'fs', settings: { location } })).status,
      ).toBe(200);
      // Someone else's snapshot, named like ours would be but without our metadata.
      const foreign = await node.api(
        'PUT',
        '/_snapshot/obm_ret/20200101t000000z-manual-deadbeef?wait_for_completion=true',
        { indices: 'ret-*', include_global_state: false },
      );
      expect(foreign.status, JSON.stringify(foreign.body)).toBe(200);
      const es = { repository: 'obm_ret', location, indices: ['ret-*'], keepSnapshots: 2 };
      const otherProfile = profileFor(c, 'retention', es, 'other-profile');
      delete otherProfile.elasticsearch?.copyFrom;
      const other = await runEs(otherProfile, { timing: fast });
      expect(
        esComponent(other.manifest).error,
        JSON.stringify(esComponent(other.manifest).error),
      ).toBeUndefined();
      const names: string[] = [];
      for (let i = 0; i < 3; i++) {
        const p = profileFor(c, 'retention', es);
        delete p.elasticsearch?.copyFrom;
        const r = await runEs(p, { timing: fast });
        const comp = esComponent(r.manifest);
        expect(comp.error, JSON.stringify(comp.error)).toBeUndefined();
        expect(comp.warnings.map((w) => w.code)).toEqual(['ES_NOT_COPIED']);
        names.push(r.setName.toLowerCase());
        await new Promise((res) => setTimeout(res, 1100)); // set names carry seconds
      }
      const left = (await snapshotsIn(node, 'obm_ret')).map((s) => s.snapshot).sort();
      expect(left).toEqual(
        [names[1], names[2], '20200101t000000z-manual-deadbeef', other.setName.toLowerCase()].sort(),
      );
      await node.api('DELETE', '/ret-one');
    });

    it('cancel mid-snapshot aborts and deletes the running snapshot, and the set is not complete', async () => {
      const { node } = c;
      await docs(node, 'slow-cancel', 6000, 600);
      const location = join(node.pathRepo, 'cancel');
      // A throttled repository makes the snapshot slow enough to cancel while it runs.
      expect(
        (
          await node.api('PUT', '/_snapshot/obm_cancel', {
            type: 'fs',
            settings: { location, max_snapshot_bytes_per_sec: '100kb' },
          })
        ).status,
      ).toBe(200);
      const ac = new AbortController();
      let sawRunning = false;
      const r = await runEs(profileFor(c, 'cancel', { repository: 'obm_cancel', indices: ['slow-*'] }), {
        timing: fast,
        signal: ac.signal,
        onEvent: (e) => {
          if (
            e.type === 'step-progress' &&
            e.step === 'elasticsearch' &&
            (e.counters.bytesDone ?? 0) > 0 &&
            !ac.signal.aborted
          ) {
            sawRunning = true;
            ac.abort();
          }
        },
      });
      expect(sawRunning).toBe(true);
      expect(r.status).toBe('cancelled');
      expect(esComponent(r.manifest).status).toBe('cancelled');
      expect(r.manifest.complete).toBe(false);
      expect(await snapshotsIn(node, 'obm_cancel')).toEqual([]);
      const running = await node.api<{ snapshots: unknown[] }>('GET', '/_snapshot/_status');
      expect(running.body.snapshots).toEqual([]);
      expect(
        esComponent(r.manifest).statements.some((s) =>
          s.startsWith(`DELETE /_snapshot/obm_cancel/${r.setName.toLowerCase()}`),
        ),
      ).toBe(true);
      await node.api('DELETE', '/slow-cancel');
    });

    // Last: it stops the node this file shares.
    it('the node stopping mid-snapshot fails the step in plain words and the set is not complete', async () => {
      const { node } = c;
      await docs(node, 'slow-down', 6000, 600);
      const location = join(node.pathRepo, 'down');
      expect(
        (
          await node.api('PUT', '/_snapshot/obm_down', {
            type: 'fs',
            settings: { location, max_snapshot_bytes_per_sec: '100kb' },
          })
        ).status,
      ).toBe(200);
      let stopping: Promise<void> | undefined;
      const r = await runEs(profileFor(c, 'down', { repository: 'obm_down', indices: ['slow-*'] }), {
        timing: fast,
        onEvent: (e) => {
          if (
            e.type === 'step-progress' &&
            e.step === 'elasticsearch' &&
            (e.counters.bytesDone ?? 0) > 0 &&
            !stopping
          )
            stopping = node.stop();
        },
      });
      await stopping;
      expect(stopping).toBeDefined();
      expect(node.alive()).toBe(false);
      const es = esComponent(r.manifest);
      expect(es.status).toBe('failed');
      expect(es.error?.code).toBe('ES_LOST_DURING_SNAPSHOT');
      expect(es.error?.message).toContain('stopped answering');
      expect(es.error?.fix).toContain('running');
      expect(r.manifest.complete).toBe(false);
      expect(es.artifacts).toEqual([]);
    });
  });
}
