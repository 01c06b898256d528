// <destination>/<profile>/<UTC YYYYMMDDTHHMMSSZ>-<kind>-<short id>/<component>/...
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { COMPONENT_IDS, type BackupKind, type ComponentId, type Profile } from '../../contract/profile.js';

export const SET_NAME_PATTERN = /^(\d{8}T\d{6}Z)-(manual|scheduled|pre-upgrade)-([0-9a-f]{6,})$/;

export function newSetId(): string {
  return randomBytes(4).toString('hex');
}

export function setNameFor(startedAt: Date, kind: BackupKind, id: string): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${kind}-${id.slice(0, 8)}`;
}

// WHERE A PROFILE WRITES has one answer, used by the run, History, verify, retention and the
// alerts: the main destination, plus the own destination of each component the profile
// configures. A `destinations` entry for a component the profile does not take is ignored
// (nothing is ever written there), so no reader looks in a place the run never wrote.

/** The destination that holds this component's folder (absolute). */
export function destinationFor(profile: Profile, component: ComponentId): string {
  const own = profile[component] !== undefined ? profile.destinations?.[component] : undefined;
  return resolve(own ?? profile.destination);
}

/** Every distinct destination this profile writes to, the main one first. */
export function profileDestinations(profile: Profile): string[] {
  return [
    ...new Set([resolve(profile.destination), ...COMPONENT_IDS.map((id) => destinationFor(profile, id))]),
  ];
}

export function profileFolder(destination: string, profileName: string): string {
  return join(resolve(destination), profileName);
}

/** The set folder that holds each component, and the distinct set folders. */
export function setRoots(
  profile: Profile,
  setName: string,
): { byComponent: Record<ComponentId, string>; roots: string[] } {
  const byComponent = {} as Record<ComponentId, string>;
  for (const id of COMPONENT_IDS) {
    byComponent[id] = join(profileFolder(destinationFor(profile, id), profile.profile), setName);
  }
  const roots = profileDestinations(profile).map((d) => join(profileFolder(d, profile.profile), setName));
  return { byComponent, roots };
}
