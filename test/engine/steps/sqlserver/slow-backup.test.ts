// A backup that stays silent longer than tedious' default request timeout (15 s) must not be killed.
// tedious stops its request timer at the first packet of the answer, so the dangerous silence is the
// one before the first progress message (checkpoint, large files, STATS = 1 on a big database).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mssql, { type Request } from 'mssql';
import { describe, it, expect, vi } from 'vitest';
import { createSqlServerStep } from '../../../../src-main/engine/steps/sqlserver/index.js';
import { rig, stepContext } from './helpers.js';

describe('SQL Server step: long backups (TDS stand-in)', () => {
  it('TDS stand-in: a backup silent for 16 s before its first progress message completes; BACKUP and VERIFY requests carry requestTimeout 0', async () => {
    const seen: { sql: string; timeout: number | undefined }[] = [];
    const proto = mssql.Request.prototype;
    const original = Reflect.get(proto, 'batch') as (
      this: Request,
      sql: string,
    ) => ReturnType<Request['batch']>;
    // Wraps the real Request.batch: records each request's timeout override, then runs it as is.
    const spy = vi.spyOn(proto, 'batch').mockImplementation(function (this: Request, sql: string) {
      seen.push({ sql, timeout: this.overrides.requestTimeout });
      return original.call(this, sql);
    });
    const r = await rig({
      databases: [
        {
          name: 'octane_site',
          usedBytes: 1e6,
          backup: { percents: [10, 50, 100], pauseBefore: { percent: 10, ms: 16_000 } },
        },
      ],
    });
    const root = await mkdtemp(join(tmpdir(), 'obm-sqlslow-'));
    try {
      const { ctx, rec } = stepContext(r.profile(), join(root, '20260101T000000Z-manual-abc123'));
      await createSqlServerStep().run(ctx);
      expect(r.fake.backups[0]?.completed).toBe(true);
      expect(rec.progress.some((p) => p.message === 'Backing up octane_site (1 of 1): 50 %')).toBe(true);
      const long = seen.filter((s) => /^(BACKUP|RESTORE)/.test(s.sql));
      expect(long.map((s) => s.timeout)).toEqual([0, 0]);
      // Everything else keeps a finite timeout so a hung server still ends a query.
      expect(seen.filter((s) => !/^(BACKUP|RESTORE)/.test(s.sql)).every((s) => (s.timeout ?? 0) > 0)).toBe(
        true,
      );
    } finally {
      spy.mockRestore();
      await r.close();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
