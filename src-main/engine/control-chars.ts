// Control characters in a value that becomes a file name, a log line, a unit file, task XML or a
// command line: a newline there starts a new directive or forges a log line. C0, DEL, C1 and the
// Unicode line/paragraph separators count.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function hasControlChar(text: string): boolean {
  return CONTROL.test(text);
}

/** For messages: each control character as \uXXXX, so the text stays on one line. */
export function showControlChars(text: string): string {
  return text.replace(CONTROL_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
