// Picks a JDK for an Elasticsearch test node. The integ-test-zip has no bundled JDK.
// ES 7.17 needs the Java security manager (gone in Java 24+); ES 8.19 runs on 17 and newer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Jdk {
  home: string;
  major: number;
}

function jdkAt(home: string): Jdk | undefined {
  try {
    const m = /JAVA_VERSION="(\d+)/.exec(readFileSync(join(home, 'release'), 'utf8'));
    if (!m || !existsSync(join(home, 'bin', 'java'))) return undefined;
    return { home, major: Number(m[1]) };
  } catch {
    return undefined;
  }
}

export function installedJdks(): Jdk[] {
  const roots = ['/usr/lib/jvm', '/opt/java', '/usr/local/lib/jvm'].filter((r) => existsSync(r));
  const found: Jdk[] = [];
  for (const r of roots)
    for (const d of readdirSync(r)) {
      const j = jdkAt(join(r, d));
      if (j) found.push(j);
    }
  for (const env of [process.env.JAVA_HOME])
    if (env) {
      const j = jdkAt(env);
      if (j) found.push(j);
    }
  return found;
}

/** Preferred Java majors per Elasticsearch major, best first. */
const PREFERENCE: Record<number, number[]> = { 7: [17, 21, 11], 8: [21, 17, 23, 25] };

export function pickJavaHome(esMajor: number): Jdk {
  const override = process.env.OCTANE_ES_JAVA_HOME;
  if (override) {
    const j = jdkAt(override);
    if (!j) throw new Error(`OCTANE_ES_JAVA_HOME=${override} is not a JDK (no release file or bin/java).`);
    return j;
  }
  const jdks = installedJdks();
  for (const want of PREFERENCE[esMajor] ?? [17]) {
    const j = jdks.find((x) => x.major === want);
    if (j) return j;
  }
  throw new Error(
    `No JDK suitable for Elasticsearch ${esMajor}.x found (wanted Java ${(PREFERENCE[esMajor] ?? [17]).join(' or ')}; found ${
      jdks.map((j) => `${j.major} at ${j.home}`).join(', ') || 'none'
    }). Install openjdk-17-jdk-headless or set OCTANE_ES_JAVA_HOME.`,
  );
}
