// Elasticsearch names are checked against Elasticsearch's rules before any request: a repository
// named ".." turned /_snapshot/../<snap> into /<snap>, so the PUT created an index and the
// DELETE deleted one. Crafted names against the rules, the profile validation, and the HTTP API
// layer with a stand-in server that records every request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, validateProfile } from '../../../../src-main/engine/config/validate-profile.js';
import { EsApi } from '../../../../src-main/engine/steps/elasticsearch/api.js';
import { EsHttp } from '../../../../src-main/engine/steps/elasticsearch/http.js';
import {
  indexPatternProblem,
  repositoryNameProblem,
  snapshotNameProblem,
} from '../../../../src-main/engine/steps/elasticsearch/names.js';
import { applyRetention, TAKEN_BY } from '../../../../src-main/engine/steps/elasticsearch/retention.js';

const CRAFTED = [
  '..',
  '.',
  '',
  '_all',
  'a/b',
  '../octane_site',
  'a\\b',
  'a b',
  'a#b',
  'a,b',
  'a?b',
  'a*',
  'a"b',
  'a<b',
  'a|b',
  'a\nb',
  'a\u0000b',
];

describe('Elasticsearch name rules', () => {
  it.each(CRAFTED)('refuses the repository and snapshot name %j', (name) => {
    expect(repositoryNameProblem(name)).toBeTypeOf('string');
    expect(snapshotNameProblem(name)).toBeTypeOf('string');
  });

  it('accepts the names Elasticsearch accepts', () => {
    for (const ok of ['octane_backup', 'Octane-Backup', 'repo.1', 'backups-2025'])
      expect(repositoryNameProblem(ok), ok).toBeUndefined();
    for (const ok of ['20250310t120000z-manual-0a1b2c3d', 'nightly.1', 'snap-1'])
      expect(snapshotNameProblem(ok), ok).toBeUndefined();
    expect(snapshotNameProblem('Nightly')).toMatch(/lowercase/);
  });

  it('checks index patterns with "*" wildcards and "-" exclusions', () => {
    for (const ok of ['octane_*', '-octane_tmp*', 'sharedspace_1001', '*', '.octane-history'])
      expect(indexPatternProblem(ok), ok).toBeUndefined();
    for (const bad of [
      '..',
      '-',
      '--x',
      '+x',
      '_all',
      'Octane*',
      'remote:octane',
      'a b',
      'a/b',
      'a?b',
      'a#b',
      'x'.repeat(256),
    ])
      expect(indexPatternProblem(bad), bad).toBeTypeOf('string');
  });
});

describe('profile validation applies them (and refuses user-info in node addresses)', () => {
  const base = {
    profile: 'p',
    destination: '/backups',
    elasticsearch: { node: 'http://es01:9200', repository: 'octane_backup', location: '/es/repo' },
  };
  const problems = (es: Record<string, unknown>): { key: string; message: string }[] => {
    try {
      validateProfile({ ...base, elasticsearch: { ...base.elasticsearch, ...es } });
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('names the repository and the index patterns Elasticsearch would refuse', () => {
    expect(problems({ repository: '..' })).toEqual([
      {
        key: 'elasticsearch.repository',
        message: expect.stringMatching(/must not be "\.\."/) as string,
        label: 'Snapshot repository name',
      },
    ]);
    expect(problems({ indices: ['octane_*,Octane_Site', '-..'] }).map((p) => p.message)).toEqual([
      expect.stringMatching(/^"Octane_Site" must be lowercase/),
      expect.stringMatching(/^"-\.\." must not be "\.\."/),
    ]);
    expect(problems({ repository: 'octane_backup', indices: ['octane_*', '-octane_tmp*'] })).toEqual([]);
  });

  it('refuses http://user:password@host node addresses', () => {
    const got = problems({
      node: 'https://elastic:Secret1@es01:9200',
      nodes: ['https://es02:9200', 'http://u:p@es03:9200'],
    });
    expect(got.map((p) => p.key)).toEqual(['elasticsearch.node', 'elasticsearch.nodes[1]']);
    expect(got[0]?.message).toMatch(/elasticsearch\.username/);
    expect(JSON.stringify(got)).not.toContain('Secret1');
  });
});

describe('the HTTP API layer sends no request with a refused name (HTTP stand-in)', () => {
  let server: http.Server;
  const seen: string[] = [];
  let api: EsApi;
  let snapshots: unknown[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(req.url?.endsWith('/_all') ? { snapshots } : { acknowledged: true }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const node = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = new EsApi(new EsHttp({ node, repository: 'octane_backup', location: '/es/repo' }, {}));
  });
  afterAll(async () => {
    api.http.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it.each(['..', '.', '_all', 'a/b', '../octane_site'])(
    'refuses repository %j for every call',
    async (name) => {
      const calls = [
        () => api.getRepository(name),
        () => api.putRepository(name, { type: 'fs', settings: { location: '/es/repo' } }),
        () => api.verifyRepository(name),
        () => api.listSnapshots(name),
        () => api.createSnapshot(name, 'snap-1', {}),
        () => api.snapshotStatus(name, 'snap-1'),
        () => api.getSnapshot(name, 'snap-1'),
        () => api.deleteSnapshot(name, 'snap-1'),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'ES_INVALID_NAME' });
      expect(seen).toEqual([]);
    },
  );

  it.each(['..', '.', 'Snap', 'a/b', '_all', '../../octane_site'])('refuses snapshot %j', async (name) => {
    await expect(api.createSnapshot('octane_backup', name, {})).rejects.toMatchObject({
      code: 'ES_INVALID_NAME',
    });
    await expect(api.deleteSnapshot('octane_backup', name)).rejects.toMatchObject({
      code: 'ES_INVALID_NAME',
    });
    expect(seen).toEqual([]);
  });

  it('retention never deletes through a crafted snapshot name listed by the server', async () => {
    const ours = (snapshot: string, start: number) => ({
      snapshot,
      state: 'SUCCESS',
      start_time_in_millis: start,
      metadata: { taken_by: TAKEN_BY, profile: 'nightly', set: 'x' },
    });
    snapshots = [ours('new-1', 3), ours('..', 2), ours('../octane_site', 1)];
    const r = await applyRetention(api, 'octane_backup', 'nightly', 1, 'new-1', new AbortController().signal);
    expect(r.deleted).toEqual([]);
    expect(r.failed.map((f) => f.snapshot)).toEqual(['..', '../octane_site']);
    expect(seen).toEqual(['GET /_snapshot/octane_backup/_all']);
  });

  it('still sends valid names, encoded', async () => {
    await api.getSnapshot('octane_backup', 'nightly-1');
    expect(seen).toEqual(['GET /_snapshot/octane_backup/nightly-1']);
  });
});
