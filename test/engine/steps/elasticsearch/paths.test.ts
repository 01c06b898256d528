import { describe, expect, it } from 'vitest';
import {
  isUnderPathRepo,
  pathRepoFix,
  pathRepoLine,
  pathRepoList,
  samePath,
} from '../../../../src-main/engine/steps/elasticsearch/paths.js';

describe('path.repo rules as Elasticsearch applies them', () => {
  it('accepts a location inside a path.repo entry and refuses siblings that merely share a prefix', () => {
    expect(isUnderPathRepo('/mnt/es-snap/octane', ['/mnt/es-snap'])).toBe(true);
    expect(isUnderPathRepo('/mnt/es-snap', ['/mnt/es-snap/'])).toBe(true);
    expect(isUnderPathRepo('/mnt/es-snapshots', ['/mnt/es-snap'])).toBe(false);
    expect(isUnderPathRepo('/mnt/es-snap/../etc', ['/mnt/es-snap'])).toBe(false);
    expect(isUnderPathRepo('/mnt/x', [])).toBe(false);
  });

  it('treats Windows paths case-insensitively, whatever OS this tool runs on', () => {
    expect(isUnderPathRepo('D:\\ES\\Snapshots\\octane', ['d:/es/snapshots'])).toBe(true);
    expect(isUnderPathRepo('\\\\nas\\es\\octane', ['\\\\NAS\\es'])).toBe(true);
    expect(isUnderPathRepo('D:\\Other', ['D:\\ES'])).toBe(false);
    expect(samePath('D:\\ES\\', 'd:\\es')).toBe(true);
  });

  it('accepts a relative location (Elasticsearch resolves it against path.repo) only when path.repo is set', () => {
    expect(isUnderPathRepo('octane', ['/mnt/es-snap'])).toBe(true);
    expect(isUnderPathRepo('octane', [])).toBe(false);
  });

  it('reads path.repo as an array, a string or a comma list', () => {
    expect(pathRepoList(['/a', '/b'])).toEqual(['/a', '/b']);
    expect(pathRepoList('/a')).toEqual(['/a']);
    expect(pathRepoList('/a, /b')).toEqual(['/a', '/b']);
    expect(pathRepoList(undefined)).toEqual([]);
  });

  it('writes the exact yml line, keeping existing entries and escaping Windows backslashes', () => {
    expect(pathRepoLine('/mnt/snap', [])).toBe('path.repo: ["/mnt/snap"]');
    expect(pathRepoLine('/mnt/snap', ['/var/backups'])).toBe('path.repo: ["/var/backups", "/mnt/snap"]');
    expect(pathRepoLine('D:\\snap', ['C:\\old'])).toBe('path.repo: ["C:\\\\old", "D:\\\\snap"]');
    expect(pathRepoFix('/mnt/snap', [])).toContain('elasticsearch.yml on every master and data node');
  });
});
