// A small, strict XML reader for tests: it throws on anything that is not well-formed
// (unclosed or mismatched tags, bare "&" or "<" in text, unquoted attributes, two roots),
// and gives back an element tree to query. Independent of the code that writes the XML.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?/;

function decode(text: string, where: number): string {
  return text.replace(/&([^;\s&<]*);?/g, (all, ref: string) => {
    if (!all.endsWith(';')) throw new Error(`bare "&" at ${where}`);
    if (ref === 'lt') return '<';
    if (ref === 'gt') return '>';
    if (ref === 'amp') return '&';
    if (ref === 'quot') return '"';
    if (ref === 'apos') return "'";
    if (/^#x[0-9a-fA-F]+$/.test(ref)) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (/^#\d+$/.test(ref)) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    throw new Error(`unknown entity &${ref}; at ${where}`);
  });
}

export function parseXml(input: string): { declaration: Record<string, string>; root: XmlElement } {
  let i = 0;
  const s = input;
  const declaration: Record<string, string> = {};
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
  };
  const attrs = (end: RegExp): Record<string, string> => {
    const out: Record<string, string> = {};
    for (;;) {
      const before = i;
      ws();
      if (end.test(s.slice(i, i + 2))) return out;
      if (i === before) throw new Error(`missing space before attribute at ${i}`);
      const m = NAME.exec(s.slice(i));
      if (!m) throw new Error(`bad attribute name at ${i}`);
      const name = m[0];
      i += name.length;
      ws();
      if (s[i] !== '=') throw new Error(`attribute ${name} without "=" at ${i}`);
      i++;
      ws();
      const q = s[i];
      if (q !== '"' && q !== "'") throw new Error(`unquoted attribute ${name} at ${i}`);
      const close = s.indexOf(q, i + 1);
      if (close < 0) throw new Error(`unclosed attribute ${name}`);
      const raw = s.slice(i + 1, close);
      if (raw.includes('<')) throw new Error(`"<" in attribute ${name}`);
      if (name in out) throw new Error(`duplicate attribute ${name}`);
      out[name] = decode(raw, i);
      i = close + 1;
    }
  };
  const skipMisc = (): void => {
    for (;;) {
      ws();
      if (s.startsWith('<!--', i)) {
        const e = s.indexOf('-->', i + 4);
        if (e < 0) throw new Error('unclosed comment');
        i = e + 3;
      } else return;
    }
  };
  if (s.startsWith('<?xml', i)) {
    i += 5;
    Object.assign(declaration, attrs(/^\?>/));
    i += 2;
  }
  skipMisc();
  const element = (): XmlElement => {
    if (s[i] !== '<') throw new Error(`expected "<" at ${i}`);
    i++;
    const m = NAME.exec(s.slice(i));
    if (!m) throw new Error(`bad element name at ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += m[0].length;
    el.attrs = attrs(/^\/?>/);
    if (s.startsWith('/>', i)) {
      i += 2;
      return el;
    }
    i++;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${el.name}>`);
      const text = s.slice(i, lt);
      if (text.includes('>') && /]]>/.test(text)) throw new Error('"]]>" in text');
      el.text += decode(text, i);
      i = lt;
      if (s.startsWith('</', i)) {
        i += 2;
        const close = NAME.exec(s.slice(i))?.[0];
        if (close !== el.name) throw new Error(`</${close}> closes <${el.name}> at ${i}`);
        i += close.length;
        ws();
        if (s[i] !== '>') throw new Error(`bad end tag at ${i}`);
        i++;
        return el;
      }
      if (s.startsWith('<!--', i)) {
        const e = s.indexOf('-->', i + 4);
        if (e < 0) throw new Error('unclosed comment');
        i = e + 3;
        continue;
      }
      el.children.push(element());
    }
  };
  const root = element();
  skipMisc();
  if (i !== s.length) throw new Error(`content after the root element at ${i}`);
  return { declaration, root };
}

export function child(el: XmlElement, ...path: string[]): XmlElement {
  let cur = el;
  for (const name of path) {
    const next = cur.children.find((c) => c.name === name);
    if (!next) throw new Error(`<${cur.name}> has no <${name}>`);
    cur = next;
  }
  return cur;
}

export function texts(el: XmlElement, ...path: string[]): string {
  return child(el, ...path).text.trim();
}
