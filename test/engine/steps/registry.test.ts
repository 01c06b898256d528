import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { silentLogger } from '../../../src-main/engine/logger.js';
import { createElasticsearchStep } from '../../../src-main/engine/steps/elasticsearch/index.js';
import { createOracleStep } from '../../../src-main/engine/steps/oracle/index.js';
import { defaultSteps, STEP_TITLES } from '../../../src-main/engine/steps/registry.js';
import { createRepositoryStep } from '../../../src-main/engine/steps/repository/index.js';
import { createSqlServerStep } from '../../../src-main/engine/steps/sqlserver/index.js';

const base: Profile = { profile: 'p', destination: '/d' };

describe('step registry (lazy loading)', () => {
  it('announces each step with the title the loaded step declares', () => {
    const pairs = [
      [STEP_TITLES.sqlserver, createSqlServerStep()],
      [STEP_TITLES.oracle, createOracleStep()],
      [STEP_TITLES.elasticsearch, createElasticsearchStep()],
      [STEP_TITLES.repository, createRepositoryStep()],
    ] as const;
    for (const [title, step] of pairs) {
      expect(step.title).toBe(title);
    }
  });

  it('picks the database step by engine and leaves out what the profile does not configure', () => {
    const reg = defaultSteps();
    const sql: Profile = {
      ...base,
      database: { engine: 'sqlserver', server: 's', databases: ['a'], serverBackupDir: 'D:\\b' },
    };
    const ora: Profile = {
      ...base,
      database: { engine: 'oracle', connectString: 'h/s', user: 'u', schemas: ['S'] },
    };
    expect(reg.database(sql)?.title).toBe(STEP_TITLES.sqlserver);
    expect(reg.database(ora)?.title).toBe(STEP_TITLES.oracle);
    expect(reg.database(base)).toBeUndefined();
    expect(reg.elasticsearch(base)).toBeUndefined();
    expect(reg.repository({ ...base, repository: { path: '/r' } })?.id).toBe('repository');
  });

  it('loads the real step when preflight runs (a missing repository folder is reported by the real check)', async () => {
    const step = defaultSteps().repository({ ...base, repository: { path: '/definitely/not/here' } });
    const checks = await step!.preflight!({
      signal: new AbortController().signal,
      profile: { ...base, repository: { path: '/definitely/not/here' } },
      secrets: {},
      env: {},
      log: silentLogger,
    });
    expect(checks.some((c) => c.status === 'failed' && c.component === 'repository')).toBe(true);
  });
});
