// Elasticsearch 8.19 with security on, as real 8.x installs run: HTTPS with a private CA and
// users with passwords. Proves basic auth, the CA file and CA fingerprint options, and the
// plain-words errors for a wrong password and missing privileges, against a real node.
// API keys need the `.security` index, which the test distribution cannot create (it lacks the
// analysis module every real install has): the ApiKey header is proven against the HTTP stand-in.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-main/contract/profile.js';
import { testElasticsearchConnection } from '../../../../src-main/engine/steps/elasticsearch/index.js';
import { startEsNode, type EsTestNode } from '../../../support/elasticsearch/node.js';
import { tempDir } from '../../../support/temp.js';
import { docs, esComponent, runEs } from './real-node-scenarios.js';

const VERSION = '8.19.8';
const PASSWORD = 'Gen-' + Math.random().toString(36).slice(2) + '-Pw9';

describe(`Elasticsearch ${VERSION} with security and HTTPS (real node)`, () => {
  let node: EsTestNode;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('obm-es-sec-');
    node = await startEsNode(VERSION, {
      elasticPassword: PASSWORD,
      tls: true,
      fileRoles: {
        obm_monitor_only: {
          cluster: ['monitor'],
          indices: [{ names: ['*'], privileges: ['monitor', 'view_index_metadata'] }],
        },
      },
      fileUsers: [{ name: 'obm_reader', password: 'reader-Pw-123456', roles: ['obm_monitor_only'] }],
    });
    console.log(`[es ${VERSION} security+tls] node ready in ${node.startMs} ms on ${node.url}`);
    await docs(node, 'sec-data', 300);
  });
  afterAll(async () => {
    await node?.stop();
    await dir?.cleanup();
  });

  const profile = (name: string, es: Partial<NonNullable<Profile['elasticsearch']>> = {}): Profile => {
    const location = join(node.pathRepo, name);
    return {
      profile: 'sec',
      destination: join(dir.path, 'dest'),
      elasticsearch: {
        node: node.url,
        repository: `obm_${name}`,
        location,
        copyFrom: location,
        indices: ['sec-*'],
        caFile: node.caFile as string,
        ...es,
      },
    };
  };

  it('backs up over HTTPS with the CA file and a password, and the password is nowhere in the set', async () => {
    const r = await runEs(profile('basic', { username: 'elastic', passwordEnv: 'OBM_ES_PW' }), {
      env: { OBM_ES_PW: PASSWORD },
    });
    const es = esComponent(r.manifest);
    expect(es.error, JSON.stringify(es.error)).toBeUndefined();
    expect(es.status).toBe('succeeded');
    expect(es.server?.version).toBe(VERSION);
    const root = r.setPaths[0] as string;
    const manifestText = await readFile(join(root, 'manifest.json'), 'utf8');
    const runLog = await readFile(join(root, 'run.log'), 'utf8');
    expect(manifestText).toContain('PUT /_snapshot/obm_basic');
    for (const text of [manifestText, runLog]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(`elastic:${PASSWORD}`).toString('base64'));
    }
  });

  it('a wrong password fails with ES_AUTH_FAILED in plain words', async () => {
    const r = await runEs(profile('wrongpw', { username: 'elastic', passwordEnv: 'OBM_ES_PW' }), {
      env: { OBM_ES_PW: 'not-the-password' },
    });
    const es = esComponent(r.manifest);
    expect(es.status).toBe('failed');
    expect(es.error?.code).toBe('ES_AUTH_FAILED');
    expect(es.error?.message).toContain('"elastic"');
    expect(r.manifest.complete).toBe(false);
  });

  it('a user without snapshot privileges fails with ES_FORBIDDEN naming the refused call', async () => {
    const r = await runEs(profile('forbidden', { username: 'obm_reader', password: 'reader-Pw-123456' }));
    const es = esComponent(r.manifest);
    expect(es.error?.code, JSON.stringify(es.error)).toBe('ES_FORBIDDEN');
    expect(es.error?.message).toContain('/_snapshot/obm_forbidden');
    expect(es.error?.fix).toContain('"manage"');
  });

  it('the Test button trusts the node by CA fingerprint or "trust self-signed", and explains an untrusted certificate', async () => {
    const base = { node: node.url, repository: 'x', location: node.pathRepo, username: 'elastic' };
    const secrets = { elasticsearchPassword: PASSWORD };
    const byFp = await testElasticsearchConnection({ ...base, caFingerprint: node.caFingerprint }, secrets);
    expect(byFp, JSON.stringify(byFp)).toMatchObject({ ok: true, serverVersion: VERSION });
    const insecure = await testElasticsearchConnection({ ...base, insecureSkipVerify: true }, secrets);
    expect(insecure.ok).toBe(true);
    const untrusted = await testElasticsearchConnection(base, secrets);
    expect(untrusted.ok).toBe(false);
    expect(untrusted.fix).toContain('caFingerprint');
    const wrongFp = await testElasticsearchConnection({ ...base, caFingerprint: '00'.repeat(32) }, secrets);
    expect(wrongFp.ok).toBe(false);
    expect(wrongFp.message).toContain('fingerprint');
  });
});
