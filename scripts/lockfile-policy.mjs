// Offline checks of package-lock.json, for `npm run audit:deps`: what can be proven without an
// advisory database. Every installed package must come from the registry with a SHA-512
// integrity (npm ci refuses a tarball that does not match it), every declared dependency must
// be locked at the version declared, electron — the runtime the app ships in, though a
// devDependency — must stay in the locked (and so audited) set, and a package that runs an
// install script must be one we know of.

/** Packages whose install scripts are known and accepted (npm 11 runs none unless allowed). */
export const KNOWN_INSTALL_SCRIPTS = ['electron-winstaller', 'esbuild', 'oracledb'];

/** Dependencies that ship inside the product although declared as devDependencies. */
export const SHIPPED_DEV_DEPENDENCIES = ['electron'];

/**
 * @param {{ dependencies?: Record<string,string>, devDependencies?: Record<string,string> }} pkg
 * @param {{ lockfileVersion?: number, packages?: Record<string, any> }} lock
 * @param {string} registry the registry packages must come from (npm config get registry)
 * @returns {string[]} problems in plain words (empty: the lockfile keeps the policy)
 */
export function lockfileProblems(pkg, lock, registry) {
  const problems = [];
  if (!lock || typeof lock !== 'object' || typeof lock.packages !== 'object' || lock.packages === null)
    return ['package-lock.json has no "packages" section: regenerate it with npm 7 or later (npm install).'];
  if ((lock.lockfileVersion ?? 0) < 2)
    problems.push(`package-lock.json is lockfileVersion ${lock.lockfileVersion}: use 2 or 3 (npm 7+).`);
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.link || entry.inBundle) continue;
    if (typeof entry.integrity !== 'string' || !entry.integrity.startsWith('sha512-'))
      problems.push(`${path} has no SHA-512 integrity in the lockfile: its contents are not pinned.`);
    if (typeof entry.resolved === 'string' && !entry.resolved.startsWith(registry))
      problems.push(`${path} is fetched from ${entry.resolved}, not from the npm registry.`);
    if (entry.hasInstallScript && !KNOWN_INSTALL_SCRIPTS.includes(path.replace(/^.*node_modules\//, '')))
      problems.push(`${path} runs an install script that is not in the known list: review it first.`);
  }
  const declared = { ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) };
  for (const [name, spec] of Object.entries(declared)) {
    const locked = lock.packages[`node_modules/${name}`];
    if (!locked) problems.push(`${name} is declared in package.json but not locked in package-lock.json.`);
    else if (/^\d+\.\d+\.\d+$/.test(spec) && locked.version !== spec)
      problems.push(`${name} is declared as ${spec} but locked at ${locked.version}.`);
    else if (!/^\d+\.\d+\.\d+$/.test(spec))
      problems.push(
        `${name} is declared as "${spec}": pin an exact version so what is audited is what is built.`,
      );
  }
  for (const name of SHIPPED_DEV_DEPENDENCIES)
    if (!lock.packages[`node_modules/${name}`])
      problems.push(`${name} is not in the lockfile: it ships in the product and must be audited.`);
  return problems;
}
