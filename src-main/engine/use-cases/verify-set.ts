// "Is this set intact?", for the CLI's verify and the window's History alike, with one verdict.
import type { VerifyReport } from '../../contract/sets.js';
import { verifySet, type VerifyOptions } from '../backup-set/verify.js';

/**
 * intact: every artifact matches and the set is a full backup; intact-partial: every artifact
 * matches, but the profile left components out on purpose (not damage); damaged: anything else.
 */
export type VerifyVerdict = 'intact' | 'intact-partial' | 'damaged';

export function verdictOf(r: VerifyReport): VerifyVerdict {
  if (r.ok) return 'intact';
  const onlyNotFull =
    r.notFull === true && r.checks.every((c) => c.status === 'ok') && r.problems.length === 1;
  return onlyNotFull ? 'intact-partial' : 'damaged';
}

export async function verifyBackupSet(
  setPath: string,
  opts: VerifyOptions = {},
): Promise<VerifyReport & { verdict: VerifyVerdict }> {
  const report = await verifySet(setPath, opts);
  return { ...report, verdict: verdictOf(report) };
}
