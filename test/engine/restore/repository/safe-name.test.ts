import { describe, expect, it } from 'vitest';
import { checkEntryName, listPathKey } from '../../../../src-main/engine/restore/repository/safe-name.js';

const key = (name: string, platform: NodeJS.Platform = 'linux'): string | undefined => {
  const c = checkEntryName(name, undefined, platform);
  return c.ok ? c.name.key : undefined;
};
const reason = (name: string, platform: NodeJS.Platform = 'linux'): string => {
  const c = checkEntryName(name, undefined, platform);
  return c.ok ? '' : c.reason;
};

describe('entry names', () => {
  it('normalises "./", repeated and trailing slashes to one key', () => {
    expect(key('a/b/c.txt')).toBe('a/b/c.txt');
    expect(key('./a/b/c.txt')).toBe('a/b/c.txt');
    expect(key('a//b/./c.txt')).toBe('a/b/c.txt');
    expect(key('a/b/')).toBe('a/b');
    expect(key('./')).toBe('');
    expect(checkEntryName('./a/b', undefined, 'linux')).toMatchObject({ ok: true, name: { depth: 2 } });
  });

  it('keeps names that only look odd: dots inside names, unicode, spaces', () => {
    expect(key('a..b/..c/d..')).toBe('a..b/..c/d..');
    expect(key('Ünïcødé/日本語 файл.txt')).toBe('Ünïcødé/日本語 файл.txt');
    expect(key('...')).toBe('...');
  });

  it('refuses absolute names, drive letters, ".." and backslash tricks on every platform', () => {
    expect(reason('/etc/passwd')).toMatch(/absolute/);
    expect(reason('\\\\server\\share\\x')).toMatch(/absolute/);
    expect(reason('C:/Windows/x')).toMatch(/drive letter/);
    expect(reason('c:x')).toMatch(/drive letter/);
    expect(reason('../x')).toMatch(/\.\./);
    expect(reason('a/../../x')).toMatch(/\.\./);
    expect(reason('a/..')).toMatch(/\.\./);
    expect(reason('a\\..\\..\\x')).toMatch(/\.\./);
    expect(reason('..\\x')).toMatch(/\.\./);
    expect(reason('a\0b')).toMatch(/NUL/);
  });

  it('on Windows also refuses alternate data streams and names Windows cannot hold', () => {
    expect(key('a\\b\\c.txt', 'win32')).toBe('a/b/c.txt');
    expect(reason('file.txt:stream', 'win32')).toMatch(/Windows/);
    expect(reason('a/ . /b', 'win32')).toMatch(/Windows/);
    expect(reason('a/x?.txt', 'win32')).toMatch(/Windows/);
    expect(key('file.txt:stream', 'linux')).toBe('file.txt:stream');
  });

  it('splits raw (non-UTF-8) names on their bytes and gives them a key of their own', () => {
    const raw = Buffer.from('./dir/caf\xe9.txt', 'latin1');
    const c = checkEntryName(raw.toString('utf8'), raw, 'linux');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.name.rawParts?.map((p) => p.toString('latin1'))).toEqual(['dir', 'caf\xe9.txt']);
    expect(c.name.key).toBe(`\0raw:${Buffer.from('dir/caf\xe9.txt', 'latin1').toString('base64')}`);
    expect(checkEntryName(raw.toString('utf8'), raw, 'win32').ok).toBe(false);
  });

  it('keys file-list paths like archive names and refuses unsafe ones', () => {
    expect(listPathKey('./a/b')).toBe('a/b');
    expect(listPathKey('../a')).toBeUndefined();
    expect(listPathKey('/a')).toBeUndefined();
    expect(listPathKey('.')).toBeUndefined();
  });
});
