// Quoting for a Windows command line as parsed by CommandLineToArgvW / the MS C runtime
// (what node.exe and most programs use): backslashes are literal except before a quote.

/** Quotes one argument so it arrives unchanged as one argv entry. */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  // Backslashes before the closing quote must be doubled.
  return out + '\\'.repeat(backslashes * 2) + '"';
}

export function windowsCommandLine(args: readonly string[]): string {
  return args.map(quoteWindowsArg).join(' ');
}

/**
 * Quotes one argument for a Task Scheduler <Arguments> element. Task Scheduler expands
 * %NAME% there (ExpandEnvironmentStrings, which has no escape), so a path holding
 * "%USERPROFILE%" would reach the program changed. Each "%" is left outside the quotes and
 * the text next to it inside: ExpandEnvironmentStrings then sees %"NAME"% — a name with
 * quotes, which no environment variable has — and the command-line parser removes the quotes,
 * so the program receives the argument unchanged.
 */
export function quoteTaskArg(arg: string): string {
  if (!arg.includes('%')) return quoteWindowsArg(arg);
  let out = '';
  let quoted = false;
  let backslashes = 0;
  const open = (): void => {
    if (!quoted) out += '"';
    quoted = true;
  };
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '%') {
      // Backslashes before a closing quote are doubled; outside quotes they are literal.
      out += quoted ? '\\'.repeat(backslashes * 2) + '"' : '\\'.repeat(backslashes);
      quoted = false;
      out += '%';
    } else {
      open();
      out += ch === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  if (backslashes > 0) {
    open();
    out += '\\'.repeat(backslashes * 2);
  }
  if (quoted) out += '"';
  return out;
}

export function taskArguments(args: readonly string[]): string {
  return args.map(quoteTaskArg).join(' ');
}

/** The inverse, for tests and for reading commands back: CommandLineToArgvW rules (post-2008). */
export function parseWindowsCommandLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let cur = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (!quoted && (ch === ' ' || ch === '\t')) break;
      if (ch === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          cur += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) cur += '"';
          else quoted = !quoted;
        } else {
          cur += '\\'.repeat(n);
          i--;
        }
        continue;
      }
      if (ch === '"') {
        if (quoted && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = !quoted;
        continue;
      }
      cur += ch;
    }
    out.push(cur);
  }
  return out;
}
