// octane.yml: a small, lenient YAML reader for what Octane's file uses: nested mappings by
// indentation, scalars (plain, '…', "…"), lists of scalars, # comments, block scalars.
// Anything fancier (anchors, flow mappings) is kept as raw text or reported.
import type { ConfigEntry, ParsedConfig } from './config-entry.js';

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"'))
    return t
      .slice(1, -1)
      .replace(/\\(["\\/nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/** Cuts a trailing comment: "#" at the start or after a space, outside quotes. */
function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:\-[,]/.test(line[i - 1] ?? '')) q = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i);
  }
  return line;
}

export function parseYaml(text: string): ParsedConfig {
  const entries: ConfigEntry[] = [];
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const stack: { indent: number; path: string[] }[] = [{ indent: -1, path: [] }];
  const lists = new Map<string, { items: string[]; line: number }>();
  const listIndex = new Map<string, number>();
  for (let n = 0; n < lines.length; n++) {
    const rawLine = lines[n] as string;
    const lineNo = n + 1;
    if (/^\s*\t/.test(rawLine))
      problems.push(`line ${lineNo}: indented with a tab (YAML needs spaces); read anyway.`);
    const line = stripComment(rawLine.replace(/\t/g, '  ')).replace(/\s+$/, '');
    if (line.trim() === '' || /^(---|\.\.\.)$/.test(line.trim()) || line.trim().startsWith('%')) continue;
    let indent = line.length - line.trimStart().length;
    let body = line.trim();
    while (stack.length > 1 && (stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    let parent = stack[stack.length - 1]?.path ?? [];
    if (body.startsWith('- ') || body === '-') {
      const item = body.slice(1).trim();
      const key = parent.join('.');
      if (!/^[^'"\s][^:]*:(\s|$)/.test(item)) {
        const l = lists.get(key) ?? { items: [], line: lineNo };
        if (item !== '') l.items.push(unquote(item));
        lists.set(key, l);
        continue;
      }
      // "- key: value": an element that is a mapping.
      const idx = listIndex.get(key) ?? 0;
      listIndex.set(key, idx + 1);
      parent = [...parent, String(idx)];
      indent += 2;
      stack.push({ indent: indent - 1, path: parent });
      body = item;
    }
    const m = /^("[^"]*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*)|$)/.exec(body);
    if (!m) {
      problems.push(`line ${lineNo}: "${body.slice(0, 60)}" is not "key: value"; skipped.`);
      continue;
    }
    const key = unquote(m[1] ?? '');
    const path = [...parent, key];
    const rest = (m[2] ?? '').trim();
    if (rest === '') {
      stack.push({ indent, path });
      continue;
    }
    if (rest === '|' || rest === '>' || /^[|>][+-]?$/.test(rest)) {
      const block: string[] = [];
      while (n + 1 < lines.length) {
        const nl = lines[n + 1] as string;
        if (nl.trim() !== '' && nl.length - nl.trimStart().length <= indent) break;
        block.push(nl.trim());
        n++;
      }
      entries.push({
        key: path.join('.'),
        value: block.join(rest.startsWith('>') ? ' ' : '\n').trim(),
        line: lineNo,
      });
      continue;
    }
    if (rest.startsWith('[') && rest.endsWith(']')) {
      const items = rest
        .slice(1, -1)
        .split(',')
        .map(unquote)
        .filter((x) => x !== '');
      entries.push({ key: path.join('.'), value: items.join(', '), line: lineNo });
      continue;
    }
    entries.push({ key: path.join('.'), value: unquote(rest), line: lineNo });
  }
  for (const [key, l] of lists) entries.push({ key, value: l.items.join(', '), line: l.line });
  if (entries.length === 0)
    problems.push(text.trim() === '' ? 'the file is empty.' : 'no "key: value" settings were found.');
  return { entries, problems };
}
