// The workload checker's rules on hand-made journals: what counts as stale, and the one kind of
// stale copy the bracketed mode has by design (deleted after the point, before its second pass
// ended) counted apart, never for another mode or another timing.
import { describe, expect, it } from 'vitest';
import { check, type CheckInput } from './checker.js';
import type { JournalEntry } from './workload.js';

const P = 'spaces/1001/workspace-1002/attachments/01/wl-1.bin';
const V1 = 'a'.repeat(64);
const V2 = 'b'.repeat(64);

function input(journal: JournalEntry[], more: Partial<CheckInput> = {}): CheckInput {
  return {
    initial: { files: { [P]: { version: 1, sha256: V1, size: 10 } }, nextId: 0 },
    journal,
    dbPointMs: 1_000,
    // The set holds the first version (the first pass's copy).
    set: new Map([[P, V1]]),
    ...more,
  };
}

const rewrittenBeforePoint: JournalEntry = { op: 'rewrite', path: P, version: 2, sha256: V2, t: 500 };
const bracket = { firstPassStartMs: 0, secondPassEndMs: 2_000 };

describe('workload checker', () => {
  it('bracketed: a copy older than at the point, of a file deleted after the point before the second pass ended, is stale by design', () => {
    const r = check(input([rewrittenBeforePoint, { op: 'delete', path: P, t: 1_500 }], { bracket }));
    expect(r.staleExcused).toEqual([P]);
    expect(r.stale).toEqual([]);
  });

  it('bracketed: the same older copy of a file that still existed when the second pass ended is stale', () => {
    const r = check(input([rewrittenBeforePoint, { op: 'delete', path: P, t: 2_500 }], { bracket }));
    expect(r.stale).toEqual([P]);
    expect(r.staleExcused).toEqual([]);
  });

  it('sequential and snapshot: an older copy is always stale, whenever the file was deleted', () => {
    const r = check(
      input([rewrittenBeforePoint, { op: 'delete', path: P, t: 1_500 }], { repositoryPointMs: 2_000 }),
    );
    expect(r.stale).toEqual([P]);
    expect(r.staleExcused).toEqual([]);
  });

  it('a copy of the version at the point is neither stale nor excused; a later version is newer', () => {
    expect(check(input([], { bracket }))).toMatchObject({ stale: [], staleExcused: [], newer: 0 });
    const later = check(
      input([{ op: 'rewrite', path: P, version: 2, sha256: V2, t: 1_500 }], {
        bracket,
        set: new Map([[P, V2]]),
      }),
    );
    expect(later).toMatchObject({ stale: [], staleExcused: [], newer: 1, torn: [] });
  });
});
