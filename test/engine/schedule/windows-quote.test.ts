import { describe, expect, it } from 'vitest';
import {
  parseWindowsCommandLine,
  quoteWindowsArg,
  windowsCommandLine,
} from '../../../src-main/engine/schedule/windows-quote.js';

describe('Windows command-line quoting', () => {
  const tricky = [
    'plain',
    'C:\\Program Files\\nodejs\\node.exe',
    'C:\\Octane Backups\\',
    'ends with backslash\\',
    'quote " inside',
    'backslash before quote \\" here',
    '\\\\server\\share\\R&D configs\\nightly.json',
    '',
    'tab\tand space',
    'percent %PATH% and caret ^ & pipe |',
  ];

  it('arrives as the same argv after CommandLineToArgvW parsing', () => {
    expect(parseWindowsCommandLine(windowsCommandLine(tricky))).toEqual(tricky);
  });

  it('leaves simple arguments alone and quotes the rest', () => {
    expect(quoteWindowsArg('run')).toBe('run');
    expect(quoteWindowsArg('--kind')).toBe('--kind');
    expect(quoteWindowsArg('C:\\a b\\')).toBe('"C:\\a b\\\\"');
    expect(quoteWindowsArg('')).toBe('""');
  });
});
