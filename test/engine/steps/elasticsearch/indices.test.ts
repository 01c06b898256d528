import { describe, expect, it } from 'vitest';
import type { EsCatIndex } from '../../../../src-main/engine/steps/elasticsearch/api.js';
import { selectIndices } from '../../../../src-main/engine/steps/elasticsearch/indices.js';

const cat = (index: string, extra: Partial<EsCatIndex> = {}): EsCatIndex => ({
  index,
  health: 'green',
  status: 'open',
  'docs.count': '3',
  'store.size': '100',
  ...extra,
});
const ALL = [
  cat('mqm_1001_trends'),
  cat('mqm_1001_audit'),
  cat('sharedspace_logs'),
  cat('.kibana_1'),
  cat('.security-7'),
  cat('closed_one', { status: 'close', 'docs.count': null }),
];

describe('index selection', () => {
  it('takes every non-system index by default, closed ones included, dot-indices never', () => {
    const s = selectIndices(ALL, undefined);
    expect(s.selected.map((i) => i.name)).toEqual([
      'closed_one',
      'mqm_1001_audit',
      'mqm_1001_trends',
      'sharedspace_logs',
    ]);
    expect(s.selected.find((i) => i.name === 'closed_one')?.docs).toBeUndefined();
    expect(s.selected.find((i) => i.name === 'mqm_1001_audit')).toMatchObject({ docs: 3, storeBytes: 100 });
  });

  it('narrows with patterns and exclusions, and reports patterns that match nothing', () => {
    const s = selectIndices(ALL, ['mqm_*,-*_audit', 'nothing_*']);
    expect(s.selected.map((i) => i.name)).toEqual(['mqm_1001_trends']);
    expect(s.unmatched).toEqual(['nothing_*']);
  });

  it('never takes a system index even when a pattern names it', () => {
    const s = selectIndices(ALL, ['.kibana*', 'sharedspace_*']);
    expect(s.selected.map((i) => i.name)).toEqual(['sharedspace_logs']);
    expect(s.systemPatterns).toEqual(['.kibana*']);
  });

  it('an exclusion-only list starts from every non-system index', () => {
    expect(selectIndices(ALL, ['-mqm_*']).selected.map((i) => i.name)).toEqual([
      'closed_one',
      'sharedspace_logs',
    ]);
  });
});
