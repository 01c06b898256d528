// The main window's security settings in one place, as plain data so a test can assert them.
import type { BrowserWindowConstructorOptions } from 'electron';

export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  // Fluent UI (Griffel) inserts its style rules at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** Sent as a response header (the main process adds it to every response of the session). */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/** The <meta> copy in index.html: browsers ignore frame-ancestors there, so it is left out. */
export const META_CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.filter(
  (d) => !d.startsWith('frame-ancestors'),
).join('; ');

export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  const opts: BrowserWindowConstructorOptions = {
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Octane Backup Manager',
    backgroundColor: '#fafafa',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
  if (iconPath) opts.icon = iconPath;
  return opts;
}
