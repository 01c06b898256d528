// The desktop app's main-side logic as a plain module: it takes its dependencies (store, secret
// cipher, notifier, dialogs, shell, drives, engine) so that Electron and the end-to-end test
// (real Chromium, plain Node) run the very same code. No electron import here.
import type { EmitEvent } from '../contract/ipc.js';
import type { Profile } from '../contract/profile.js';
import { driveFolder } from '../engine/removable/rotation.js';
import { mkdir } from 'node:fs/promises';
import {
  exportBackupSet,
  remember,
  type ExportRequest as EngineExportRequest,
} from '../engine/use-cases/removable.js';
import { ExportManager, type PreparedExport } from './export-manager.js';
import type {
  ExportRequest,
  DeleteSetResult,
  DestinationSlot,
  PickFileOptions,
  ProfileRecord,
  ScheduleInfo,
  SecretUpdate,
  VolumeBinding,
} from '../contract/ui.js';
import { listProfileSets } from '../engine/backup-set/list-sets.js';
import { configuredPlaces, verifyBackupSet, type VerifyRequest } from '../engine/use-cases/verify-set.js';
import type { VerifyReport } from '../contract/sets.js';
import { ConfigError, validateProfile } from '../engine/config/validate-profile.js';
import { joinUnderRoot } from '../engine/drives/drive-paths.js';
import { listDrives } from '../engine/drives/list-drives.js';
import { runPreflight } from '../engine/preflight/run-preflight.js';
import { afterRun } from '../engine/alerts/after-run.js';
import { runBackup } from '../engine/run-backup.js';
import { backUp, type BackUpOutcome, type BackUpRequest } from '../engine/use-cases/back-up.js';
import {
  planRestore,
  restoreSet,
  type RestoreSetOutcome,
  type RestoreSetRequest,
} from '../engine/use-cases/restore-set.js';
import { deleteUnusableSet } from '../engine/use-cases/delete-set.js';
import { profileDestinations, profileFolder } from '../engine/backup-set/set-layout.js';
import { effectiveProfile, type ListDrives } from './destinations.js';
import { defaultDiscovery, type Discovery } from './discovery.js';
import { ExpectedError } from '../engine/errors.js';
import type { KeyValueStore } from './key-value-store.js';
import { ProfileStore, type StoredProfile } from './profile-store.js';
import { RestoreManager } from './restore-manager.js';
import { SeenSetsStore } from './seen-sets.js';
import { RunManager, type Notifier } from './run-manager.js';
import { SecretVault, type Cipher } from './secret-vault.js';
import { stripSecrets } from './strip-secrets.js';
import { configOf, requireSavedEnvNames, SECRET_SCOPES, secretsToForget } from './secret-scope.js';

export interface EngineFunctions {
  runBackup: typeof runBackup;
  /** Retention, Event Log, e-mail and the backup-age alert after a run: the CLI does the same. */
  afterRun: typeof afterRun;
  verifyBackupSet: typeof verifyBackupSet;
  listProfileSets: typeof listProfileSets;
  runPreflight: typeof runPreflight;
  planRestore: typeof planRestore;
  restoreSet: typeof restoreSet;
}

export interface Dialogs {
  pickFolder(options: { title?: string; defaultPath?: string }): Promise<string | null>;
  pickFile(options: PickFileOptions): Promise<string | null>;
}

export interface ShellLike {
  /** Resolves with an error message, or '' on success (Electron's shell.openPath contract). Folders only. */
  openPath(path: string): Promise<string>;
  /** Shows a file selected in its folder; never opens (runs) it. */
  showItemInFolder(path: string): void;
}

export interface AppCoreDeps {
  store: KeyValueStore;
  cipher: Cipher;
  notifier: Notifier;
  dialogs: Dialogs;
  shell: ShellLike;
  emit: EmitEvent;
  listDrives?: ListDrives;
  engine?: Partial<EngineFunctions>;
  discovery?: Discovery;
  /** Next scheduled run of a profile; "not scheduled" until the scheduler provides it. */
  schedule?: (profile: Profile) => Promise<ScheduleInfo>;
  info: {
    version: string;
    platform: string;
    headlessLogFile: string;
    headlessCommand: (profile: string) => string;
    /** The app's log folder ("Open log folder"). */
    logFolder: string;
  };
  now?: () => Date;
}

export class AppCore {
  readonly profiles: ProfileStore;
  readonly vault: SecretVault;
  /** What the Overview last read from each profile's destination (shown while its drive is away). */
  readonly seenSets: SeenSetsStore;
  readonly runs: RunManager;
  readonly restores: RestoreManager;
  readonly engine: EngineFunctions;
  /** Aborted when the app quits: long looks (a restore's verification) stop with it. */
  readonly quitting: AbortSignal;
  private readonly quit = new AbortController();
  readonly listDrives: ListDrives;
  readonly discovery: Discovery;
  readonly exports: ExportManager;

  constructor(readonly deps: AppCoreDeps) {
    this.profiles = new ProfileStore(deps.store);
    this.vault = new SecretVault(deps.store, deps.cipher);
    this.seenSets = new SeenSetsStore(deps.store);
    this.engine = {
      runBackup,
      afterRun,
      verifyBackupSet,
      listProfileSets,
      runPreflight,
      planRestore,
      restoreSet,
      ...deps.engine,
    };
    this.quitting = this.quit.signal;
    this.listDrives = deps.listDrives ?? (() => listDrives());
    this.discovery = deps.discovery ?? defaultDiscovery();
    this.exports = new ExportManager({
      prepare: (req) => this.prepareExport(req),
      emit: deps.emit,
      notifier: deps.notifier,
    });
    this.runs = new RunManager({
      backUp: (name, req) => this.backUp(name, req),
      exists: (name) => {
        this.entry(name);
        if (this.restores.runningFor(name))
          throw new ExpectedError('RESTORE_IN_PROGRESS', `"${name}" is being restored right now.`, {
            fix: 'Back it up after the restore has finished (and Octane runs again).',
            step: 'app',
          });
      },
      emit: deps.emit,
      notifier: deps.notifier,
    });
    this.restores = new RestoreManager({
      restore: (name, req) => this.restore(name, req),
      ready: (name) => {
        this.entry(name);
        if (this.runs.jobOf(name))
          throw new ExpectedError('RUN_IN_PROGRESS', `A backup of "${name}" is running.`, {
            fix: 'Wait for it to finish or cancel it, then restore.',
            step: 'app',
          });
      },
      emit: deps.emit,
      notifier: deps.notifier,
    });
  }

  /** Everything long-running stops (app quitting): runs, the restore, a restore's verification. */
  async stopAll(): Promise<void> {
    this.quit.abort();
    await Promise.all([this.runs.cancelAll(), this.restores.cancelAll()]);
  }

  /** The restore use-case into a stored profile's installation, its drives located now. */
  async restore(
    name: string,
    req: Omit<RestoreSetRequest, 'profile' | 'secrets'>,
  ): Promise<RestoreSetOutcome> {
    const profile = await effectiveProfile(this.entry(name), this.listDrives);
    return this.engine.restoreSet({ ...req, profile, secrets: () => this.vault.resolve(name) });
  }

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async schedule(profile: Profile): Promise<ScheduleInfo> {
    try {
      return (await this.deps.schedule?.(profile)) ?? { note: 'not scheduled' };
    } catch {
      return { note: 'unknown' };
    }
  }

  record(entry: StoredProfile): ProfileRecord {
    return {
      profile: entry.profile,
      secrets: this.vault.state(entry.profile.profile),
      volumes: entry.volumes,
      updatedAt: entry.updatedAt,
    };
  }

  entry(name: string): StoredProfile {
    const e = this.profiles.get(name);
    if (!e)
      throw new ExpectedError('PROFILE_NOT_FOUND', `There is no profile named "${name}".`, {
        fix: 'Create it in Profiles, or check the name (it is case-sensitive).',
        step: 'app',
      });
    return e;
  }

  /**
   * The backup use-case for a stored profile, as the window and headless mode take it: its drives
   * located now and its secrets decrypted inside the use-case, so that a run which cannot start
   * raises the same alerts as from the CLI.
   */
  backUp(name: string, req: Omit<BackUpRequest, 'profile' | 'locate' | 'secrets'>): Promise<BackUpOutcome> {
    const entry = this.entry(name);
    return backUp(
      {
        ...req,
        profile: entry.profile,
        secrets: () => this.vault.resolve(name),
        locate: () => effectiveProfile(entry, this.listDrives),
      },
      { runBackup: this.engine.runBackup, afterRun: this.engine.afterRun },
    );
  }

  async save(req: {
    profile: Profile;
    secrets?: SecretUpdate;
    volumes?: Partial<Record<DestinationSlot, VolumeBinding | null>>;
    previousName?: string;
  }): Promise<ProfileRecord> {
    if (typeof req.profile !== 'object' || req.profile === null)
      throw new ExpectedError('BAD_REQUEST', 'No profile was given.', { step: 'app' });
    const { profile, found } = stripSecrets(req.profile);
    // A destination bound to a removable drive is the folder on that drive wherever it is plugged
    // in: its last-seen path is not judged as a path of this computer.
    const bound = (v: Partial<Record<DestinationSlot, unknown>>): string[] =>
      (Object.keys(v) as DestinationSlot[]).map((slot) =>
        slot === 'default' ? 'destination' : `destinations.${slot}`,
      );
    const offered = {
      ...(req.previousName !== undefined ? this.profiles.get(req.previousName)?.volumes : {}),
    };
    for (const [slot, b] of Object.entries(req.volumes ?? {})) {
      if (b === null) delete offered[slot as DestinationSlot];
      else offered[slot as DestinationSlot] = b;
    }
    validateProfile(profile, { skipPathKeys: bound(offered) });
    const name = profile.profile;
    const previous = req.previousName !== undefined ? this.profiles.get(req.previousName) : undefined;
    if (req.previousName !== undefined && !previous) this.entry(req.previousName);
    if (req.previousName !== name && this.profiles.get(name))
      throw new ExpectedError('PROFILE_EXISTS', `A profile named "${name}" already exists.`, {
        fix: 'Choose another name.',
        details: {
          problems: [{ key: 'profile', message: 'is already used by another profile.' }],
        },
        step: 'app',
      });
    // Names that differ only in case are one folder on NTFS, FAT32 and exFAT: the two profiles
    // would write into, and prune, each other's sets.
    const twin = this.profiles
      .list()
      .find(
        (e) =>
          e.profile.profile !== req.previousName &&
          e.profile.profile !== name &&
          e.profile.profile.toLowerCase() === name.toLowerCase(),
      );
    if (twin)
      throw new ExpectedError(
        'PROFILE_EXISTS',
        `The profile "${twin.profile.profile}" differs from "${name}" only in case: on Windows drives both would be one folder.`,
        {
          fix: 'Choose a name that differs in more than upper and lower case.',
          details: {
            problems: [
              { key: 'profile', message: `differs from the profile "${twin.profile.profile}" only in case.` },
            ],
          },
          step: 'app',
        },
      );
    if (req.previousName !== undefined && this.runs.jobOf(req.previousName))
      throw new ExpectedError('RUN_IN_PROGRESS', `"${req.previousName}" is being backed up right now.`, {
        fix: 'Save after the run has finished.',
        step: 'app',
      });
    const volumes: Partial<Record<DestinationSlot, VolumeBinding>> = { ...(previous?.volumes ?? {}) };
    for (const [slot, b] of Object.entries(req.volumes ?? {}) as [DestinationSlot, VolumeBinding | null][]) {
      if (b === null) delete volumes[slot];
      else volumes[slot] = b;
    }
    for (const slot of Object.keys(volumes) as DestinationSlot[]) {
      const b = volumes[slot] as VolumeBinding;
      const dest = slot === 'default' ? profile.destination : profile.destinations?.[slot];
      // A binding only stands for the folder it was made for; a retyped path drops it.
      if (dest === undefined || !samePath(dest, joinUnderRoot(b.lastRoot, b.relativePath)))
        delete volumes[slot];
    }
    // What the profile was before this save (under its old name when renamed).
    const before = previous ?? (req.previousName === undefined ? this.profiles.get(name) : undefined);
    for (const scope of SECRET_SCOPES)
      requireSavedEnvNames(
        scope,
        configOf(scope, profile),
        configOf(scope, before?.profile),
        scope === 'email' ? 'alerts.email' : scope,
      );
    // A binding dropped for a retyped path leaves a path that must be judged after all.
    if (Object.keys(volumes).length < Object.keys(offered).length)
      validateProfile(profile, { skipPathKeys: bound(volumes) });
    if (previous && req.previousName !== undefined && req.previousName !== name)
      this.vault.rename(req.previousName, name);
    // A stored password stays bound to the server, user and TLS settings it was saved for: a new
    // target asks for it again (unless this save types one).
    const forget = Object.fromEntries(secretsToForget(before?.profile, profile).map((k) => [k, null]));
    await this.vault.update(name, { ...forget, ...found, ...(req.secrets ?? {}) });
    const entry: StoredProfile = { profile, volumes, updatedAt: this.now().toISOString() };
    this.profiles.put(entry, req.previousName);
    // The Overview's remembered look belongs to the old name and the old destinations.
    const where = (e?: StoredProfile) =>
      JSON.stringify([e?.profile.destination, e?.profile.destinations, e?.volumes]);
    if (req.previousName !== undefined && req.previousName !== name) this.seenSets.forget(req.previousName);
    if (where(before) !== where(entry)) this.seenSets.forget(name);
    return this.record(entry);
  }

  remove(name: string): void {
    this.entry(name);
    if (this.runs.jobOf(name))
      throw new ExpectedError('RUN_IN_PROGRESS', `"${name}" is being backed up right now.`, {
        fix: 'Cancel the run or wait for it to finish.',
        step: 'app',
      });
    this.profiles.delete(name);
    this.vault.remove(name);
    this.seenSets.forget(name);
  }

  validate(draft: unknown): { key: string; message: string }[] {
    try {
      validateProfile(
        typeof draft === 'object' && draft !== null ? stripSecrets(draft as Profile).profile : draft,
      );
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  }

  /** Sets of a stored profile over all its destinations (throws when a bound drive is missing). */
  async setsOf(
    name: string,
  ): Promise<{ sets: Awaited<ReturnType<typeof listProfileSets>>; destinations: string[] }> {
    const profile = await effectiveProfile(this.entry(name), this.listDrives);
    const destinations = profileDestinations(profile);
    return { sets: await this.engine.listProfileSets(profile), destinations };
  }

  /** <destination>/<profile> of every destination of every stored profile: where its sets live. */
  async profileFolders(): Promise<string[]> {
    const out: string[] = [];
    for (const e of this.profiles.list()) {
      let destinations: string[];
      try {
        destinations = profileDestinations(await effectiveProfile(e, this.listDrives));
      } catch {
        destinations = profileDestinations(e.profile);
      }
      out.push(...destinations.map((d) => profileFolder(d, e.profile.profile)));
    }
    return out;
  }

  /**
   * Verifies a set as the CLI does (the same use-case). When the folder is one of a stored
   * profile's own set folders, the components it keeps on other destinations are read there and
   * its stored seal key checks the seal; a copy anywhere else is judged by its own files.
   */
  async verify(setPath: string, onProgress?: VerifyRequest['onProgress']): Promise<VerifyReport> {
    const req: VerifyRequest = {};
    if (onProgress) req.onProgress = onProgress;
    for (const e of this.profiles.list()) {
      const profile = await effectiveProfile(e, this.listDrives).catch(() => e.profile);
      if (!configuredPlaces(profile, setPath)) continue;
      req.profile = profile;
      const key = (await this.vault.resolve(e.profile.profile).catch(() => undefined))?.sealKey;
      if (key !== undefined) req.sealKey = key;
      break;
    }
    return this.engine.verifyBackupSet(setPath, req);
  }

  /**
   * "Copy to drive…": the set must belong to a stored profile; a drive must be one this computer
   * lists (the copy goes to its rotation folder). Runs the same export as the CLI.
   */
  async prepareExport(req: ExportRequest): Promise<PreparedExport> {
    let found: { profile: Profile; sealKey?: string } | undefined;
    for (const e of this.profiles.list()) {
      const profile = await effectiveProfile(e, this.listDrives).catch(() => e.profile);
      if (!configuredPlaces(profile, req.setPath)) continue;
      const key = (await this.vault.resolve(e.profile.profile).catch(() => undefined))?.sealKey;
      found = key !== undefined ? { profile, sealKey: key } : { profile };
      break;
    }
    if (!found)
      throw new ExpectedError('PATH_NOT_ALLOWED', `${req.setPath} is not a set of any profile.`, {
        fix: 'Choose a set in History.',
        step: 'app',
      });
    const { profile, sealKey } = found;
    let to: string;
    let rotationDrive: { id: string; root: string } | undefined;
    if (req.to.kind === 'drive') {
      const root = req.to.root;
      const listed = (await this.listDrives()).find((d) => d.root === root);
      const id = listed?.marker?.id;
      if (id !== undefined && profile.rotation?.drives.some((d) => d.id.toLowerCase() === id.toLowerCase()))
        rotationDrive = { id, root };
      if (!listed)
        throw new ExpectedError('NOT_A_DRIVE', `${root} is not a drive this computer lists.`, {
          fix: 'Connect the drive and choose it again.',
          step: 'app',
        });
      to = driveFolder(profile.rotation, root);
      await mkdir(to, { recursive: true });
    } else to = req.to.path;
    return {
      profile: profile.profile,
      target: to,
      run: async (signal, onEvent) => {
        const r: EngineExportRequest = { setPath: req.setPath, to, profile, signal, onEvent };
        if (sealKey !== undefined) r.sealKey = sealKey;
        if (req.eject) r.eject = true;
        const [outcome] = await exportBackupSet(r);
        if (!outcome) throw new Error('the export gave no outcome');
        // A drive of the profile's rotation: the Overview remembers what it holds while it is away.
        if (rotationDrive) await remember(profile, rotationDrive.id, rotationDrive.root, outcome, this.now());
        return outcome;
      },
    };
  }

  /**
   * Deletes a set of a stored profile that is not a usable backup (the engine's use-case decides
   * and re-checks); refused while a run of the profile is going.
   */
  async deleteSet(name: string, setName: string): Promise<DeleteSetResult> {
    const entry = this.entry(name);
    if (this.runs.jobOf(name))
      throw new ExpectedError('RUN_IN_PROGRESS', `"${name}" is being backed up right now.`, {
        fix: 'Delete the set after the run has finished.',
        step: 'app',
      });
    return deleteUnusableSet(await effectiveProfile(entry, this.listDrives), setName, { now: this.now() });
  }

  /** Folders the renderer may open or verify: every reachable destination of every stored profile. */
  async allowedRoots(): Promise<string[]> {
    const roots: string[] = [];
    for (const e of this.profiles.list()) {
      try {
        roots.push(...profileDestinations(await effectiveProfile(e, this.listDrives)));
      } catch {
        roots.push(...profileDestinations(e.profile));
      }
    }
    return roots;
  }
}

export function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => p.replace(/[\\/]+$/, '').replace(/\\/g, '/');
  const win = /^[A-Za-z]:/.test(a) || /^[A-Za-z]:/.test(b);
  return win ? norm(a).toLowerCase() === norm(b).toLowerCase() : norm(a) === norm(b);
}
