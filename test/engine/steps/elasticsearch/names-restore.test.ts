// Elasticsearch's naming rules, checked before a name reaches a URL: from the profile, from a
// (possibly planted) set manifest, and in the HTTP layer itself. An HTTP stand-in counts requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../src-main/contract/manifest.js';
import { validateProfile } from '../../../../src-main/engine/config/validate-profile.js';
import type { ExpectedError } from '../../../../src-main/engine/errors.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import { EsApi } from '../../../../src-main/engine/steps/elasticsearch/api.js';
import { EsHttp } from '../../../../src-main/engine/steps/elasticsearch/http.js';
import {
  assertEsName,
  indexNameProblem,
  repositoryNameProblem,
  snapshotNameProblem,
} from '../../../../src-main/engine/steps/elasticsearch/names.js';
import { createElasticsearchRestore } from '../../../../src-main/engine/steps/elasticsearch/restore/index.js';
import { canRead } from '../../../../src-main/engine/steps/elasticsearch/restore/source.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function counting(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const srv = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end('{}');
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, requests };
}

describe('Elasticsearch names', () => {
  it('refuses ".", "..", separators, wildcards, lists and leading "_" in every kind of name', () => {
    for (const bad of [
      '',
      '.',
      '..',
      'a/b',
      'a\\b',
      'a*',
      'a,b',
      'a b',
      'a#b',
      'a?b',
      'a"b',
      'a<b',
      'a|b',
      '_x',
      'a\u0000b',
    ])
      expect(repositoryNameProblem(bad), JSON.stringify(bad)).toBeDefined();
    for (const bad of ['..', 'Upper', '-x', '+x', '_x', 'a:b', 'x'.repeat(256)])
      expect(indexNameProblem(bad), bad).toBeDefined();
    expect(snapshotNameProblem('20260101t000000z-manual-abc123')).toBeUndefined();
    expect(snapshotNameProblem('Snap')).toBe('must be lowercase');
    expect(indexNameProblem('octane_mqm_1001-audit.v2')).toBeUndefined();
    expect(repositoryNameProblem('octane_backup')).toBeUndefined();
  });

  it('a profile whose repository is ".." is refused with the key named', () => {
    const e = (() => {
      try {
        validateProfile({
          profile: 'p',
          destination: '/tmp/x',
          elasticsearch: { node: 'http://127.0.0.1:9200', repository: '..', location: '/repo' },
        });
        return undefined;
      } catch (err) {
        return err;
      }
    })() as ExpectedError;
    expect(e.message).toContain('elasticsearch.repository: must not be ".." (Elasticsearch');
  });

  it('the HTTP layer never sends a request for a repository or snapshot named ".." (HTTP stand-in)', async () => {
    const s = await counting();
    const api = new EsApi(new EsHttp({ node: s.url, repository: 'r', location: '/x' }, {}));
    for (const p of [
      api.getRepository('..'),
      api.getSnapshot('ok', '..'),
      api.deleteSnapshot('../_all', 'x'),
      api.verifyRepository('.'),
    ]) {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect((e as ExpectedError).code).toBe('ES_INVALID_NAME');
    }
    expect(s.requests).toEqual([]);
    expect(() => assertEsName('index', '*', "the set's manifest")).toThrow(/must not contain "\*"/);
  });

  it("a planted set naming its repository '..' or an index '*' is refused before any request (HTTP stand-in)", async () => {
    const s = await counting();
    const manifest = (repo: string, index: string): Manifest =>
      ({
        setName: '20260101T000000Z-manual-abc123',
        setId: 'abc123',
        components: [
          {
            id: 'elasticsearch',
            status: 'succeeded',
            artifacts: [],
            warnings: [],
            statements: [],
            details: { snapshot: { name: 'snap', uuid: 'u', indices: [index] }, repository: { name: repo } },
          },
        ],
      }) as unknown as Manifest;
    for (const [repo, index] of [
      ['..', 'octane-a'],
      ['obm', '*'],
      ['obm', 'a,b'],
    ] as const) {
      const e = await createElasticsearchRestore()
        .plan(
          {
            signal: new AbortController().signal,
            log: silentLogger,
            profile: {
              profile: 'p',
              destination: '/tmp/x',
              elasticsearch: { node: s.url, repository: 'obm', location: '/repo', copyFrom: '/repo' },
            },
            secrets: {},
            env: {},
            set: { root: '/tmp/set', manifest: manifest(repo, index) },
            target: { kind: 'in-place' },
          },
          {},
        )
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect((e as ExpectedError).code).toBe('ES_INVALID_NAME');
      expect((e as ExpectedError).fix).toContain('manifest was edited or damaged');
    }
    expect(s.requests).toEqual([]);
  });

  it('version rule: never into an older version, at most one major up', () => {
    expect(canRead('8.19.8', '7.17.29')).toEqual({ ok: true });
    expect(canRead('7.17.29', '7.17.29')).toEqual({ ok: true });
    expect(canRead('7.17.28', '7.17.29').ok).toBe(false);
    expect(canRead('7.17.29', '8.19.8').why).toBe(
      'a snapshot of Elasticsearch 8.19.8 cannot be restored into an older version (7.17.29)',
    );
    expect(canRead('9.1.0', '7.17.29').why).toBe(
      'Elasticsearch 9.1.0 reads indices of 8.x and 9.x only; this snapshot is of 7.17.29',
    );
    expect(canRead('9.1.0', '8.19.8')).toEqual({ ok: true });
  });
});
