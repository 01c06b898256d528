import { describe, expect, it } from 'vitest';
import { parseHocon } from '../../../src-main/engine/octane-config/parse-hocon.js';
import { parseSetupXml } from '../../../src-main/engine/octane-config/parse-setup-xml.js';
import { parseYaml } from '../../../src-main/engine/octane-config/parse-yaml.js';
import { OCTANE_CONF, OCTANE_YML, SETUP_XML } from './samples.js';

const map = (entries: { key: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(entries.map((e) => [e.key, e.value]));

describe('setup.xml reader', () => {
  it('reads entries with entities, odd spacing and single quotes, skipping commented ones', () => {
    const r = parseSetupXml(SETUP_XML);
    const m = map(r.entries);
    expect(m.RepositoryFolder).toBe('C:\\octane\\repo');
    expect(m.ElasticHost).toBe('es01.corp.local');
    expect(m.ElasticClusterName).toBe('octane&es');
    expect(m.Empty).toBe('');
    expect(r.entries.filter((e) => e.key === 'RepositoryFolder')).toHaveLength(1);
    expect(r.entries.find((e) => e.key === 'DBType')?.line).toBe(5);
    expect(r.problems).toEqual([]);
  });

  it('reads CDATA and numeric references, and says so when the file is not setup.xml', () => {
    const r = parseSetupXml(
      '<properties><entry key="A"><![CDATA[x < y & z]]></entry><entry key="B">&#x41;&#66;</entry></properties>',
    );
    expect(map(r.entries)).toEqual({ A: 'x < y & z', B: 'AB' });
    expect(parseSetupXml('hello world').problems[0]).toMatch(/does not look like setup\.xml/);
    expect(parseSetupXml('').problems).toEqual(['the file is empty.']);
  });
});

describe('octane.conf (HOCON) reader', () => {
  it('reads nested blocks, dotted keys, ":" and "=", arrays and both comment styles', () => {
    const r = parseHocon(OCTANE_CONF);
    const m = map(r.entries);
    expect(m['octane.version']).toBe('16.2.100');
    expect(m['database.type']).toBe('ORACLE');
    expect(m['database.connection-string']).toBe('jdbc:oracle:thin:@//orahost.corp.local:1521/OCTPDB');
    expect(m['database.site-schema.name']).toBe('octane_site_schema');
    expect(m['database.shared-space-schema.name']).toBe('OCTANE_SP_1001');
    expect(m['elasticsearch.hosts']).toBe('es1.corp.local:9200, es2.corp.local:9200');
    expect(m['general.repository-folder']).toBe('/var/opt/octane/repo');
    expect(r.entries.find((e) => e.key === 'database.type')?.line).toBe(5);
    expect(r.problems).toEqual([]);
  });

  it('keeps "//" inside an unquoted URL, reads escapes, and reports what it skips', () => {
    const r = parseHocon(
      'url = jdbc:sqlserver://h:1433;databaseName=x // comment\nq = "a\\"b\\\\c"\n  !!! garbage\nblock {\n  k = 1\n',
    );
    const m = map(r.entries);
    expect(m.url).toBe('jdbc:sqlserver://h:1433;databaseName=x');
    expect(m.q).toBe('a"b\\c');
    expect(m['block.k']).toBe('1');
    expect(r.problems.join(' ')).toMatch(/line 3/);
    expect(r.problems.join(' ')).toMatch(/block is not closed/);
  });

  it('reads a file wrapped in braces and one-line blocks with commas', () => {
    const m = map(parseHocon('{ a { b = 1, c = "two" }, d: [1, 2] }').entries);
    expect(m).toEqual({ 'a.b': '1', 'a.c': 'two', d: '1, 2' });
  });
});

describe('octane.yml reader', () => {
  it('reads nested mappings, quotes, comments and lists', () => {
    const r = parseYaml(OCTANE_YML);
    const m = map(r.entries);
    expect(m['server.appURL']).toBe('http://octane.corp.local:8080');
    expect(m['server.repositoryFolder']).toBe('D:\\Octane Repo');
    expect(m['database.siteSchema.name']).toBe('octane_site');
    expect(m['elasticsearch.port']).toBe('9200');
    expect(m.cluster).toBe('node1, node2');
    expect(r.problems).toEqual([]);
  });

  it('reads block scalars and lists of mappings, and reports lines it cannot read', () => {
    const r = parseYaml(
      'a:\n  text: |\n    line one\n    line two\n  nodes:\n    - host: x\n      port: 1\n    - host: y\nnot a mapping line\n',
    );
    const m = map(r.entries);
    expect(m['a.text']).toBe('line one\nline two');
    expect(m['a.nodes.0.host']).toBe('x');
    expect(m['a.nodes.0.port']).toBe('1');
    expect(m['a.nodes.1.host']).toBe('y');
    expect(r.problems[0]).toMatch(/line 9/);
  });
});
