// setup.xml (older Octane releases): a java.util.Properties XML file,
// <entry key="ConnectionString">jdbc:...</entry>. Read leniently with a scanner rather than
// an XML parser: hand-edited files with a stray "&" must still give their other keys.
import type { ConfigEntry, ParsedConfig } from './config-entry.js';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(text);
  if (cdata) return cdata[1] ?? '';
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? all;
  });
}

export function parseSetupXml(text: string): ParsedConfig {
  const problems: string[] = [];
  // Blank out comments but keep their newlines, so line numbers stay right.
  const body = text.replace(/^\uFEFF/, '').replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const entries: ConfigEntry[] = [];
  const re = /<entry\b([^>]*?)(\/>|>([\s\S]*?)<\/entry\s*>)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const line = body.slice(0, m.index).split('\n').length;
    const key = /\bkey\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(m[1] ?? '');
    const k = key?.[1] ?? key?.[2];
    if (k === undefined) {
      problems.push(`line ${line}: an <entry> without a key attribute was skipped.`);
      continue;
    }
    const raw = m[3] ?? '';
    entries.push({ key: decodeXmlText(k).trim(), value: decodeXmlText(raw).trim(), line });
  }
  if (entries.length === 0)
    problems.push(
      body.trim() === ''
        ? 'the file is empty.'
        : 'no <entry key="..."> elements were found: this does not look like setup.xml.',
    );
  else if (/<entry\b[^>]*>[^<]*$/i.test(body))
    problems.push('the file ends inside an <entry>: it may be cut off.');
  return { entries, problems };
}
