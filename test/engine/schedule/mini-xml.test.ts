import { describe, expect, it } from 'vitest';
import { parseXml, texts } from './mini-xml.js';

// The test parser must itself reject broken XML, or the task-definition tests prove nothing.
describe('test XML reader', () => {
  it('reads nested elements, attributes and entities', () => {
    const { declaration, root } = parseXml(
      '<?xml version="1.0" encoding="UTF-16"?>\r\n<a x="1 &amp; 2"><b>R&amp;D &lt;x&gt;</b><!-- c --><c/></a>\r\n',
    );
    expect(declaration.encoding).toBe('UTF-16');
    expect(root.attrs.x).toBe('1 & 2');
    expect(texts(root, 'b')).toBe('R&D <x>');
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
  });

  it.each([
    ['<a><b></a>', 'mismatched'],
    ['<a>R&D</a>', 'bare ampersand'],
    ['<a x=1></a>', 'unquoted attribute'],
    ['<a></a><b></b>', 'two roots'],
    ['<a>', 'unclosed'],
    ['<a>&nbsp;</a>', 'unknown entity'],
  ])('rejects %s (%s)', (xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});
