// octane.conf: HOCON-like ("key = value", "key: value", "key { ... }", dotted keys, # and //
// comments, quoted strings, arrays). A lenient recursive-descent reader: a line it cannot
// understand is reported and skipped, everything else is still read. Values are not resolved
// (${...} substitutions stay as written).
import type { ConfigEntry, ParsedConfig } from './config-entry.js';

class Reader {
  i = 0;
  line = 1;
  readonly entries: ConfigEntry[] = [];
  readonly problems: string[] = [];
  constructor(readonly s: string) {}

  peek(o = 0): string {
    return this.s[this.i + o] ?? '';
  }
  next(): string {
    const c = this.s[this.i++] ?? '';
    if (c === '\n') this.line++;
    return c;
  }
  eof(): boolean {
    return this.i >= this.s.length;
  }
  atComment(): boolean {
    const c = this.peek();
    return c === '#' || (c === '/' && this.peek(1) === '/');
  }
  skipToEol(): void {
    while (!this.eof() && this.peek() !== '\n') this.next();
  }
  /** Spaces, tabs, comments; newlines and commas too when `lines`. */
  skip(lines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') this.next();
      else if (this.atComment()) this.skipToEol();
      else if (lines && (c === '\n' || c === ',')) this.next();
      else return;
    }
  }
  quoted(): string {
    if (this.s.startsWith('"""', this.i)) {
      this.i += 3;
      const end = this.s.indexOf('"""', this.i);
      const stop = end < 0 ? this.s.length : end;
      const text = this.s.slice(this.i, stop);
      for (const ch of text) if (ch === '\n') this.line++;
      this.i = end < 0 ? stop : stop + 3;
      return text;
    }
    const q = this.next();
    let out = '';
    while (!this.eof() && this.peek() !== q && this.peek() !== '\n') {
      const c = this.next();
      if (c === '\\' && q === '"') {
        const e = this.next();
        out +=
          e === 'n'
            ? '\n'
            : e === 't'
              ? '\t'
              : e === 'u'
                ? String.fromCharCode(parseInt(this.s.slice(this.i, (this.i += 4)), 16))
                : e;
      } else out += c;
    }
    if (this.peek() === q) this.next();
    else this.problems.push(`line ${this.line}: a quoted string is not closed.`);
    return out;
  }
  /** A key: dotted path segments, quoted segments kept whole. */
  key(): string[] {
    const parts: string[] = [];
    let cur = '';
    for (;;) {
      const c = this.peek();
      if (c === '"' || c === "'") cur += this.quoted();
      else if (c === '.') {
        parts.push(cur);
        cur = '';
        this.next();
      } else if (c === '' || /[\s{}[\]=:,+]/.test(c) || this.atComment()) break;
      else cur += this.next();
    }
    if (cur !== '' || parts.length > 0) parts.push(cur);
    return parts.map((p) => p.trim()).filter((p) => p !== '');
  }
  /** An unquoted value: up to the end of the line, a comma, a closing bracket or a comment. */
  raw(): string {
    let out = '';
    while (!this.eof()) {
      const c = this.peek();
      if (c === '\n' || c === ',' || c === '}' || c === ']') break;
      // "//" inside a value such as jdbc:sqlserver://host is not a comment unless after a space.
      if ((c === '#' || (c === '/' && this.peek(1) === '/')) && (out === '' || /\s$/.test(out))) break;
      if (c === '"' || c === "'") out += this.quoted();
      else out += this.next();
    }
    return out.trim();
  }
  value(path: string[], line: number): void {
    this.skip(false);
    const c = this.peek();
    if (c === '{') {
      this.next();
      this.object(path, true);
    } else if (c === '[') {
      this.next();
      this.array(path, line);
    } else {
      const v = c === '"' || c === "'" ? this.quoted() + this.raw() : this.raw();
      this.entries.push({ key: path.join('.'), value: v.trim(), line });
    }
  }
  array(path: string[], line: number): void {
    const items: string[] = [];
    for (;;) {
      this.skip(true);
      const c = this.peek();
      if (c === '') {
        this.problems.push(`line ${line}: the list of ${path.join('.')} is not closed with "]".`);
        break;
      }
      if (c === ']') {
        this.next();
        break;
      }
      if (c === '{') {
        this.next();
        this.object([...path, String(items.length)], true);
        items.push('');
      } else if (c === '[') {
        this.next();
        this.array([...path, String(items.length)], this.line);
        items.push('');
      } else if (c === '"' || c === "'") items.push(this.quoted());
      else {
        const r = this.raw();
        if (r === '') this.next();
        else items.push(r);
      }
    }
    this.entries.push({ key: path.join('.'), value: items.filter((x) => x !== '').join(', '), line });
  }
  object(prefix: string[], braced: boolean): void {
    for (;;) {
      this.skip(true);
      if (this.eof()) {
        if (braced) this.problems.push(`the block ${prefix.join('.') || '(top)'} is not closed with "}".`);
        return;
      }
      const c = this.peek();
      if (c === '}') {
        this.next();
        if (braced) return;
        this.problems.push(`line ${this.line}: a "}" without its "{" was skipped.`);
        continue;
      }
      const line = this.line;
      if (this.s.startsWith('include', this.i) && /\s/.test(this.peek(7))) {
        this.problems.push(`line ${line}: "include" is not followed; that file's keys are not read.`);
        this.skipToEol();
        continue;
      }
      const k = this.key();
      if (k.length === 0) {
        this.problems.push(
          `line ${line}: could not read "${this.s
            .slice(this.i, this.s.indexOf('\n', this.i) >>> 0)
            .trim()
            .slice(0, 60)}"; skipped.`,
        );
        this.skipToEol();
        continue;
      }
      this.skip(false);
      const sep = this.peek();
      if (sep === '{') {
        this.next();
        this.object([...prefix, ...k], true);
      } else if (sep === '=' || sep === ':' || (sep === '+' && this.peek(1) === '=')) {
        if (sep === '+') this.next();
        this.next();
        this.value([...prefix, ...k], line);
      } else {
        this.problems.push(`line ${line}: "${k.join('.')}" has no "=" or ":"; skipped.`);
        this.skipToEol();
      }
    }
  }
}

export function parseHocon(text: string): ParsedConfig {
  const r = new Reader(text.replace(/^\uFEFF/, ''));
  r.skip(true);
  if (r.peek() === '{') {
    r.next();
    r.object([], true);
  } else r.object([], false);
  if (r.entries.length === 0)
    r.problems.push(text.trim() === '' ? 'the file is empty.' : 'no "key = value" settings were found.');
  return { entries: r.entries, problems: r.problems };
}
