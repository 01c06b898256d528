// Every IPC handler answers only our own renderer: the dev server's origin in development,
// the packaged index.html file otherwise. Plain module: tested without Electron.
export interface TrustedRenderer {
  /** electron-vite's dev server (ELECTRON_RENDERER_URL), when running `npm run dev`. */
  devUrl?: string;
  /** file:// URL of out/renderer/index.html. */
  indexFileUrl: string;
}

export function isTrustedRendererUrl(url: string | undefined, trusted: TrustedRenderer): boolean {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (trusted.devUrl) {
    try {
      const dev = new URL(trusted.devUrl);
      if (u.origin === dev.origin && (u.protocol === 'http:' || u.protocol === 'https:')) return true;
    } catch {
      // a malformed dev URL trusts nothing
    }
  }
  if (u.protocol !== 'file:') return false;
  const index = new URL(trusted.indexFileUrl);
  // Compare decoded paths (Windows drive letters may differ in case); ignore query and hash.
  const norm = (p: string): string =>
    decodeURIComponent(p).replace(/^\/([A-Za-z]):/, (_m, d: string) => `/${d.toLowerCase()}:`);
  return u.host === index.host && norm(u.pathname) === norm(index.pathname);
}
