// Where a stored profile's sets go right now: destinations bound to a removable drive are found
// by the drive's marker, whatever letter it has today.
import type { Profile } from '../contract/profile.js';
import type { DestinationSlot, DriveInfo } from '../contract/ui.js';
import { resolveBinding } from '../engine/drives/volume-marker.js';
import type { StoredProfile } from './profile-store.js';

export type ListDrives = () => Promise<DriveInfo[]>;

/** The profile with every bound destination replaced by where its drive is now (throws when it is not connected). */
export async function effectiveProfile(entry: StoredProfile, listDrives: ListDrives): Promise<Profile> {
  const slots = Object.keys(entry.volumes) as DestinationSlot[];
  if (slots.length === 0) return entry.profile;
  const drives = await listDrives();
  const profile = structuredClone(entry.profile);
  for (const slot of slots) {
    const binding = entry.volumes[slot];
    if (!binding) continue;
    const { path } = resolveBinding(binding, drives);
    if (slot === 'default') profile.destination = path;
    else if (profile.destinations?.[slot] !== undefined) profile.destinations[slot] = path;
  }
  return profile;
}
